"""Encryption at rest for personal identifiers, with a keyed hash for exact look-ups.

The key comes from ``settings.FIELD_KEY`` (``FUGONG_FIELD_KEY`` or the secret key). Two distinct
keys are derived from it with HKDF: one for Fernet (AES-128-CBC + HMAC), one for the HMAC-SHA256
look-up hash, so the hash cannot be used to decrypt and the ciphertext never repeats.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(purpose: bytes, key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"fugong", info=purpose).derive(
        key.encode()
    )


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"field-encryption", key)))


@lru_cache(maxsize=4)
def _hash_key(key: str) -> bytes:
    return _derive(b"lookup-hash", key)


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "cannot decrypt: the field key has changed or the value is damaged"
        ) from None


def lookup_hash(value: str) -> str:
    """A keyed hash for exact-match look-ups: equal inputs give equal hashes."""
    return hmac.new(_hash_key(settings.FIELD_KEY), value.encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """Hash of an API token as stored (tokens are random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()
