"""Any cell a spreadsheet can hold, in any column of a roster: every row is either stored or
reported with its column and reason; the import never fails halfway."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fugong.lib.fuzzing import fuzz
from fugong.lib.testing import valid_id_number
from fugong.people.models import Employment
from fugong.people.roster import Table, check_rows, store_rows

COLUMNS = {"name": 0, "id_number": 1, "phone": 2, "home_division": 3, "post": 4, "start_date": 5}
cells = (
    st.none()
    | st.text(max_size=20)
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.dates()
    | st.datetimes()
    | st.sampled_from(["440604", "440604001001", "13912345678", "2019-03-01", "操作工", " "])
)


@fuzz
@given(column=st.sampled_from(sorted(COLUMNS)), value=cells, seq=st.integers(0, 999))
def test_any_cell_in_any_column_is_stored_or_reported_never_a_failed_import(
    world, enterprise_admin, column, value, seq
):
    good = ["周九", valid_id_number(seq=seq), "13912345678", "440604001001", "操作工", "2019-03-01"]
    row = list(good)
    row[COLUMNS[column]] = value
    table = Table(header=list(COLUMNS), columns=COLUMNS, rows=[(2, row), (3, good)])
    before = Employment.objects.count()
    checked = check_rows(table, world.enterprise, today=dt.date(2026, 1, 1))
    assert len(checked.valid) + len({e[0] for e in checked.errors}) == 2
    assert all(e[1] in COLUMNS or e[1] for e in checked.errors)
    stored = store_rows(checked, world.enterprise, actor=enterprise_admin)
    assert Employment.objects.count() == before + stored
