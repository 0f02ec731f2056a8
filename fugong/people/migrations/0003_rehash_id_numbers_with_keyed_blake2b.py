"""The look-up hash of every stored ID number, recomputed with the keyed BLAKE2b that
fugong.lib.crypto now uses instead of HMAC-SHA256 (from the encrypted number; the hashes of the
two cannot match, so no person is found by an old hash afterwards). Reversible."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import migrations

CHUNK = 2000


def _hmac_sha256_hashes(values: Sequence[str]) -> list[str]:
    """The look-up hash as it was before this migration (HMAC-SHA256 under its own key)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"fugong", info=b"lookup-hash").derive(
        settings.FIELD_KEY.encode()
    )
    return [hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in values]


def _rehash(apps: Any, connection: Any, hash_many: Callable[[Sequence[str]], list[str]]) -> None:
    """Each person's hash from their decrypted number, a chunk of people at a time (one plain
    UPDATE per person, sent together: bulk_update's CASE costs the square of a chunk)."""
    from fugong.lib import crypto

    Person = apps.get_model("people", "Person")
    table = connection.ops.quote_name(Person._meta.db_table)
    rows = Person.objects.using(connection.alias).order_by("pk").values_list("pk", "id_cipher")
    chunk: list[tuple[int, str]] = []
    with connection.cursor() as cursor:
        for row in rows.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                _write(cursor, table, chunk, hash_many, crypto.decrypt)
                chunk = []
        if chunk:
            _write(cursor, table, chunk, hash_many, crypto.decrypt)


def _write(cursor: Any, table: str, chunk: list, hash_many: Callable, decrypt: Callable) -> None:
    hashed = hash_many([decrypt(cipher) for _, cipher in chunk])
    cursor.executemany(
        f"UPDATE {table} SET id_hash = %s WHERE id = %s",
        [(h, pk) for (pk, _), h in zip(chunk, hashed, strict=True)],
    )


def forwards(apps: Any, schema_editor: Any) -> None:
    from fugong.lib import crypto

    _rehash(apps, schema_editor.connection, crypto.lookup_hashes)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rehash(apps, schema_editor.connection, _hmac_sha256_hashes)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_drop_indexes_no_query_uses")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
