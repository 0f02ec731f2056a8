from fugong.lib import crypto


def test_encrypted_values_round_trip_and_never_repeat(settings):
    a = crypto.encrypt("44060419900101123X")
    b = crypto.encrypt("44060419900101123X")
    assert a != b
    assert "44060419900101123X" not in a
    assert crypto.decrypt(a) == crypto.decrypt(b) == "44060419900101123X"


def test_the_lookup_hash_is_stable_and_depends_on_the_key(settings):
    first = crypto.lookup_hash("44060419900101123X")
    assert first == crypto.lookup_hash("44060419900101123X")
    settings.FIELD_KEY = "another key that is long enough for this test......"
    assert crypto.lookup_hash("44060419900101123X") != first


# A token written by the earlier format (Fernet, no prefix) under LEGACY_KEY: stored values like
# this one must stay readable after the switch to AES-GCM.
LEGACY_KEY = "a-field-key-used-only-by-this-test-0123456789abcdefghijklmnop"
LEGACY_TOKEN = (
    "gAAAAABrC49mpc3Tp4K9CfR6rwFJlts3rojEojUZmVYK9UkoLeixATqhmClJCxA0H2go9x5XuX3FsXaNibTfbn2Zx"
    "Ebp6JPxe7HOgBJCvrkPdVubHjuuyqQ="
)


def test_new_values_are_aes_gcm_tokens_with_a_version_prefix(settings):
    import base64

    token = crypto.encrypt("44060419900101123X")
    assert token.startswith(crypto.GCM_PREFIX)
    raw = base64.urlsafe_b64decode(token[len(crypto.GCM_PREFIX) :])
    assert len(raw) == 12 + len("44060419900101123X") + 16  # nonce, ciphertext, tag
    assert crypto.decrypt(token) == "44060419900101123X"


def test_values_stored_in_the_earlier_fernet_format_are_still_read(settings):
    settings.FIELD_KEY = LEGACY_KEY
    assert crypto.decrypt(LEGACY_TOKEN) == "44060419900307123X"
    fresh = crypto.encrypt("44060419900307123X")
    assert fresh != LEGACY_TOKEN and crypto.decrypt(fresh) == "44060419900307123X"


def test_a_damaged_token_or_another_key_is_refused(settings):
    import pytest

    token = crypto.encrypt("44060419900101123X")
    body = token[len(crypto.GCM_PREFIX) :]
    flipped = crypto.GCM_PREFIX + ("A" if body[20] != "A" else "B").join([body[:20], body[21:]])
    for bad in (flipped, token[:-4], crypto.GCM_PREFIX + "!!!", crypto.GCM_PREFIX, "g1x" + body):
        with pytest.raises(ValueError, match="cannot decrypt"):
            crypto.decrypt(bad)
    settings.FIELD_KEY = "another key that is long enough for this test......"
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(token)
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(LEGACY_TOKEN)


def test_the_batch_functions_give_what_the_single_ones_give(settings):
    values = ["44060419900101123X", "x", "", "张三" * 10]
    assert crypto.lookup_hashes(values) == [crypto.lookup_hash(v) for v in values]
    tokens = crypto.encrypt_many(values)
    assert [crypto.decrypt(t) for t in tokens] == values
    assert len({t[len(crypto.GCM_PREFIX) :][:16] for t in tokens}) == len(tokens)  # own nonces


def test_the_lookup_hash_is_keyed_blake2b_under_a_key_of_its_own(settings):
    import hashlib

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    settings.FIELD_KEY = LEGACY_KEY
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"fugong", info=b"lookup-hash-blake2b"
    ).derive(LEGACY_KEY.encode())
    expected = hashlib.blake2b(b"44060419900307123X", key=key, digest_size=32).hexdigest()
    assert crypto.lookup_hash("44060419900307123X") == expected
    assert crypto.lookup_hashes(["44060419900307123X"]) == [expected]
    assert len(expected) == 64  # the column's width
