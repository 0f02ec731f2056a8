"""Writing .xlsx downloads with xlsxwriter (constant memory, no temporary files on disk)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_workbook(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    """A workbook written in memory that writes every text as text: by default xlsxwriter turns
    a string that starts with "=" into a formula (a name or appeal typed as =HYPERLINK(…) would
    run in the reader's Excel) and one that starts with http:// into a link."""
    return xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "remove_timezone": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """Build a workbook from (sheet title, header row, rows) triples."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE"})
    for title, header, rows in sheets:
        sheet = book.add_worksheet(str(title)[:31])
        sheet.write_row(0, 0, [str(h) for h in header], bold)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, ["" if v is None else v for v in row])
        sheet.set_column(0, max(len(header) - 1, 0), 16)
    book.close()
    return buffer.getvalue()


def xlsx_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    data = xlsx_bytes([(filename.rsplit(".", 1)[0], header, rows)])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
