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


def _places(mismatches: list[str]) -> list[str]:
    return [mismatch.split(":")[0] for mismatch in mismatches]


def test_each_difference_from_the_documented_shape_is_found_with_its_place():
    answer = {
        "id": True,  # a boolean is no integer
        "due": "2020-03-02T10:00:00+08:00",
        "rating": "bad",
        "figures": {"rate": "0.5"},
        "undocumented": 1,
    }
    assert _places(schema_mismatches(answer, SCHEMA)) == [
        "$ (additionalProperties)",  # "undocumented"
        "$ (required)",  # "items"
        "$.due (format)",
        "$.figures.rate (type)",
        "$.id (type)",
        "$.rating (enum)",
    ]
    items = [{"at": 1, "extra": 2}]
    mismatches = schema_mismatches(
        {"id": 1, "due": "2020-03-02", "rating": "good", "items": items}, SCHEMA
    )
    assert _places(mismatches) == ["$.items[0] (additionalProperties)", "$.items[0].at (type)"]
    assert "'extra'" in mismatches[0]


def test_a_time_without_its_offset_is_not_a_documented_date_time():
    schema = {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}
    assert schema_mismatches({"at": "2020-03-02T10:00:00+08:00"}, schema) == []
    assert _places(schema_mismatches({"at": "2020-03-02 10:00:00"}, schema)) == ["$.at (format)"]
