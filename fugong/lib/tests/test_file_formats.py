"""Spreadsheets come in and go out through one module each (docs/DEVELOPING.md)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]


def sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "tests" not in p.parts]


def test_only_fugong_lib_spreadsheet_reads_workbooks_with_calamine():
    # calamine aborts the process on a sheet whose area is too large to allocate.
    users = {
        p.relative_to(PACKAGE).as_posix() for p in sources() if "python_calamine" in p.read_text()
    }
    assert users == {"lib/spreadsheet.py"}


def test_only_fugong_lib_excel_creates_xlsxwriter_workbooks():
    # Elsewhere a workbook would turn text starting with "=" into a formula.
    pattern = re.compile(r"xlsxwriter\.Workbook\(")
    users = {p.relative_to(PACKAGE).as_posix() for p in sources() if pattern.search(p.read_text())}
    assert users == {"lib/excel.py"}
