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
