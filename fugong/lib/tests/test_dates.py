from __future__ import annotations

import datetime as dt

import pytest

from fugong.lib.dates import parse_iso_date


def test_a_date_written_yyyy_mm_dd_is_read():
    assert parse_iso_date("2026-12-03") == dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    "value",
    [
        "2026-W49-4",
        "20261203",
        "2026-12-3",
        "2026-12-03 ",
        "２０２６-１２-０３",
        "2026-02-30",
        "",
        None,
    ],
)
def test_anything_else_is_a_value_error(value):
    # date.fromisoformat reads 2026-W49-4 (ten characters, like a date) as 2026-12-03.
    with pytest.raises(ValueError):
        parse_iso_date(value)
