"""Encryption at rest for personal identifiers, with a keyed hash for exact look-ups.

The key comes from ``settings.FIELD_KEY`` (``FUGONG_FIELD_KEY`` or the secret key). Distinct keys
are derived from it with HKDF, one per purpose, so the hash cannot be used to decrypt and the
ciphertext never repeats:

- values are encrypted with AES-256-GCM (``cryptography``'s ``AESGCM``) under a fresh random
  96-bit nonce per value; the token is ``"g1:"`` + URL-safe base64 of nonce ‖ ciphertext ‖ tag,
  the prefix is authenticated as associated data. Random nonces are safe for far more than the
  2**32 values per key NIST SP 800-38D allows, which no city's register approaches;
- tokens written before (Fernet: AES-128-CBC + HMAC-SHA256, no prefix) are still decrypted;
- look-ups use BLAKE2b in its keyed mode (RFC 7693: a MAC by design, like HMAC-SHA256, which
  it replaced, at a sixth of the cost per value: a roster import hashes every row). Stored hashes
  are rewritten by the migration people 0003.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

GCM_PREFIX = "g1:"  # never the start of a Fernet token (URL-safe base64 has no ":")
_GCM_AAD = GCM_PREFIX.encode()
_NONCE = 12
_URLSAFE = bytes.maketrans(b"+/", b"-_")  # what base64.urlsafe_b64encode does, in one call


def _derive(purpose: bytes, key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"fugong", info=purpose).derive(
        key.encode()
    )


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"field-encryption", key)))


@lru_cache(maxsize=4)
def _aesgcm(key: str) -> AESGCM:
    return AESGCM(_derive(b"field-encryption-aes256gcm", key))


@lru_cache(maxsize=4)
def _hash_key(key: str) -> bytes:
    return _derive(b"lookup-hash-blake2b", key)


_DIGEST = 32  # bytes: 64 hexadecimal characters, as stored


def encrypt(value: str) -> str:
    return encrypt_many([value])[0]


def encrypt_many(values: Sequence[str]) -> list[str]:
    """``encrypt`` for many values: one AES-GCM call and one random nonce per value (the nonces
    are taken from a single ``os.urandom`` read, which is the same CSPRNG output)."""
    seal = _aesgcm(settings.FIELD_KEY).encrypt
    nonces = os.urandom(_NONCE * len(values))
    tokens = []
    for k, value in enumerate(values):
        nonce = nonces[k * _NONCE : (k + 1) * _NONCE]
        sealed = binascii.b2a_base64(nonce + seal(nonce, value.encode(), _GCM_AAD), newline=False)
        tokens.append(GCM_PREFIX + sealed.translate(_URLSAFE).decode())
    return tokens


def decrypt(token: str) -> str:
    try:
        if token.startswith(GCM_PREFIX):
            raw = base64.urlsafe_b64decode(token[len(GCM_PREFIX) :])
            if len(raw) < _NONCE + 16:
                raise InvalidTag
            plain = _aesgcm(settings.FIELD_KEY).decrypt(raw[:_NONCE], raw[_NONCE:], _GCM_AAD)
            return plain.decode()
        return _fernet(settings.FIELD_KEY).decrypt(token.encode()).decode()
    except (InvalidToken, InvalidTag, ValueError):  # ValueError: bad base64 or UTF-8
        raise ValueError(
            "cannot decrypt: the field key has changed or the value is damaged"
        ) from None


def lookup_hash(value: str) -> str:
    """A keyed hash for exact-match look-ups: equal inputs give equal hashes."""
    return lookup_hashes([value])[0]


def lookup_hashes(values: Sequence[str]) -> list[str]:
    """``lookup_hash`` of each value: the keyed state is set up once and copied per value, which
    skips compressing the key block again."""
    keyed = hashlib.blake2b(key=_hash_key(settings.FIELD_KEY), digest_size=_DIGEST)
    hashes = []
    for value in values:
        h = keyed.copy()
        h.update(value.encode())
        hashes.append(h.hexdigest())
    return hashes


def token_hash(token: str) -> str:
    """Hash of an API token as stored (tokens are random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()
