"""people 0003 rewrites every stored look-up hash from HMAC-SHA256 to keyed BLAKE2b, and back."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from fugong.lib.testing import hire
from fugong.people.models import Person

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "fugong.people.migrations.0003_rehash_id_numbers_with_keyed_blake2b"
)
EDITOR = SimpleNamespace(connection=connection)  # what a migration's function uses of it


def test_the_migration_rehashes_every_person_so_each_is_found_by_their_id_number(
    world, monkeypatch
):
    monkeypatch.setattr(MIGRATION, "CHUNK", 2)  # more people than a chunk, and a partial one
    people = [hire(world.enterprise, name=f"员工{k}") for k in range(5)]
    numbers = [p.id_number for p in people]
    old = MIGRATION._hmac_sha256_hashes(numbers)
    for person, legacy in zip(people, old, strict=True):
        Person.objects.filter(pk=person.pk).update(id_hash=legacy)
    assert not Person.objects.filter(id_hash__in=[Person.hash_id(n) for n in numbers]).exists()

    MIGRATION.forwards(apps, EDITOR)
    for person, number in zip(people, numbers, strict=True):
        assert Person.objects.get(id_hash=Person.hash_id(number)).pk == person.pk

    MIGRATION.backwards(apps, EDITOR)
    assert (
        list(
            Person.objects.filter(pk__in=[p.pk for p in people])
            .order_by("pk")
            .values_list("id_hash", flat=True)
        )
        == old
    )
