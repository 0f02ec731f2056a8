"""The import finds the header row under a title (the usual Excel layout) and names the row it
read when columns are missing."""

from __future__ import annotations

import io

from openpyxl import Workbook

from fugong.health.models import RosterImport
from fugong.lib.testing import valid_id_number
from fugong.people.models import Employment

from .test_roster import HEADER, upload


def titled_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    """Row 1 blank, a title merged across row 2, the headers in row 3, the data from row 4."""
    book = Workbook()
    sheet = book.active
    sheet["A2"] = "员工信息表"
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    for column, text in enumerate(header, start=1):
        sheet.cell(row=3, column=column, value=text)
    for r, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=r, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows() -> list[list[str]]:
    return [
        ["甲", valid_id_number(seq=501), "13912340000", "440604001001", "操作工", "2020-02-10"],
        ["乙", "123", "13912340001", "440604001001", "", ""],
        ["丙", valid_id_number(seq=502), "13912340002", "440604001001", "", ""],
    ]


def test_headers_under_a_title_row_are_found_and_rows_keep_their_numbers(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    # It read the title (row 2) as the header and refused the file: "第 1 行缺少列".
    upload(
        login(enterprise_admin),
        titled_xlsx(HEADER, rows()),
        valid_rows_only=True,
        capture=django_capture_on_commit_callbacks,
    )
    imported = RosterImport.objects.get()
    assert (imported.status, imported.rows, imported.accepted) == ("done", 3, 2)
    assert [e[:2] for e in imported.errors] == [[5, "身份证号"]]  # the row Excel shows
    names = Employment.objects.filter(enterprise=world.enterprise).values_list(
        "person__name", flat=True
    )
    assert sorted(names) == ["丙", "甲"]


def test_missing_columns_name_the_row_read_as_the_header(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    header = ["姓名", "身份证号", "手机号", "地址", "岗位", "入职日期"]
    client = login(enterprise_admin)
    upload(client, titled_xlsx(header, rows()), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.status == "failed"
    assert imported.message.startswith("第 3 行缺少列:居住地代码。")
    assert not Employment.objects.exists()


def test_a_file_with_no_header_row_names_its_first_row_with_text(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    data = titled_xlsx(["名单", "号码", "备注", "地址"], [])
    upload(login(enterprise_admin), data, capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.status == "failed"
    assert imported.message.startswith("第 2 行缺少列:姓名、身份证号、手机号、居住地代码。")
