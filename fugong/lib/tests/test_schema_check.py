"""The check of API answers against their documented JSON Schema (fugong.lib.testing)."""

from __future__ import annotations

from fugong.lib.testing import schema_mismatches

SCHEMA = {
    "type": "object",
    "required": ["id", "due", "rating", "items"],
    "properties": {
        "id": {"type": "integer"},
        "due": {"type": "string", "format": "date"},
        "rating": {"type": ["string", "null"], "enum": ["good", None]},
        "items": {
            "type": "array",
            "items": {"type": "object", "properties": {"at": {"type": "string"}}},
        },
        "figures": {"type": "object", "additionalProperties": {"type": "number"}},
    },
}


def test_an_answer_of_the_documented_shape_has_no_mismatch():
    answer = {"id": 1, "due": "2020-03-02", "rating": None, "items": [{"at": "x"}]}
    assert schema_mismatches({**answer, "figures": {"rate": 0.5, "n": 2}}, SCHEMA) == []


def test_each_difference_from_the_documented_shape_is_found_with_its_place():
    answer = {
        "id": True,  # a boolean is no integer
        "due": "2020-03-02T10:00:00+08:00",
        "rating": "bad",
        "figures": {"rate": "0.5"},
        "undocumented": 1,
    }
    assert sorted(schema_mismatches(answer, SCHEMA)) == [
        "$.due: '2020-03-02T10:00:00+08:00' is not a date",
        "$.figures.rate: '0.5' is not number",
        "$.id: True is not integer",
        "$.rating: 'bad' is not one of ['good', None]",
        "$: 'items' is missing",
        "$: 'undocumented' is not documented",
    ]
    items = [{"at": 1, "extra": 2}]
    assert schema_mismatches(
        {"id": 1, "due": "2020-03-02", "rating": "good", "items": items}, SCHEMA
    ) == [
        "$.items[0].at: 1 is not string",
        "$.items[0]: 'extra' is not documented",
    ]
