from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Callable

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from fugong.lib import spreadsheet
from fugong.lib.fuzzing import fuzz
from fugong.lib.spreadsheet import TooLarge, Unreadable, read_first_sheet, xlsx_area_bound

HEADER = ["姓名", "身份证号", "手机号", "居住地代码"]


def xlsx(*cells: tuple[int, int, str]) -> bytes:
    """A header row, then each (row, column, value), 0-based, as xlsxwriter writes them."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for row, column, value in cells:
        sheet.write(row, column, value)
    book.close()
    return buffer.getvalue()


def rewritten(data: bytes, change: Callable[[str], str]) -> bytes:
    """The same workbook with its first sheet's XML changed by hand (what another writer, or
    somebody crafting a file, could produce)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            out.writestr(name, content)
    return buffer.getvalue()


def with_row(row: str) -> Callable[[str], str]:
    return lambda xml: xml.replace("</sheetData>", row + "</sheetData>")


def ods(rows_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        out.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet><table:table table:name="S">'
            '<table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p>'
            "</table:table-cell></table:table-row>"
            f"{rows_xml}</table:table></office:spreadsheet></office:body>"
            "</office:document-content>",
            zipfile.ZIP_DEFLATED,
        )
        out.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
            ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
            ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
            zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


@pytest.fixture
def no_child(monkeypatch):
    """Fails the test if the file is read in a child process."""

    def refuse(*args, **kwargs):
        raise AssertionError("read in a child process")

    monkeypatch.setattr(subprocess, "run", refuse)


def test_an_ordinary_xlsx_is_read_in_this_process(no_child):
    data = xlsx((1, 0, "张三"), (1, 1, "440604199001011234"), (150_000, 3, "440604"))
    assert xlsx_area_bound(data) == (150_001, 26)
    rows = read_first_sheet(data)
    assert len(rows) == 150_001
    assert rows[0] == HEADER and rows[1][:2] == ["张三", "440604199001011234"]
    assert rows[-1] == ["", "", "", "440604"]


def test_a_value_in_the_last_cell_of_a_sheet_is_refused_and_the_process_goes_on():
    # calamine would ask for 17 billion cells: 550 GB, and Rust aborts the process.
    data = xlsx((1, 0, "张三"), (1_048_575, 16_383, "x"))
    assert xlsx_area_bound(data) == (1_048_576, 16_384)
    with pytest.raises(TooLarge):
        read_first_sheet(data)


def test_an_area_over_the_limit_is_measured_and_refused_with_its_size():
    data = xlsx((1, 0, "张三"), (99_999, 99, "x"))  # 100,000 × 100 cells
    assert xlsx_area_bound(data) == (100_000, 100)
    with pytest.raises(TooLarge) as refused:
        read_first_sheet(data)
    assert (refused.value.rows, refused.value.columns) == (100_000, 100)


@pytest.mark.parametrize(
    "row",
    [
        # the place is not the first attribute, in lower case, in single quotes with spaces,
        # a second r after a near one (calamine takes the last), a prefixed cell element
        '<row r="3"><c t="inlineStr" r="GS900000"><is><t>x</t></is></c></row>',
        '<row r="3"><c t="inlineStr" r="gs900000"><is><t>x</t></is></c></row>',
        "<row r='3'><c r = 'GS900000' t='inlineStr'><is><t>x</t></is></c></row>",
        '<row r="3"><c r="A3" t="inlineStr" r="GS900000"><is><t>x</t></is></c></row>',
        '<x:row r="3"><x:c t="inlineStr" r="GS900000"><x:is><x:t>x</x:t></x:is></x:c></x:row>',
    ],
)
def test_far_places_written_in_any_form_are_never_read_in_this_process(row):
    data = rewritten(xlsx((1, 0, "张三")), with_row(row))
    bound = xlsx_area_bound(data)
    assert bound is None or bound[0] * bound[1] > spreadsheet.MAX_CELLS
    with pytest.raises(TooLarge):
        read_first_sheet(data)


def test_cells_without_their_place_are_read_in_a_child_and_come_out_the_same():
    cells = '<c t="inlineStr"><is><t>李四</t></is></c><c t="inlineStr"><is><t>x</t></is></c>'
    data = rewritten(xlsx(), with_row(f"<row>{cells}</row>"))
    assert xlsx_area_bound(data) is None
    assert read_first_sheet(data) == [HEADER, ["李四", "x", "", ""]]


def test_an_ods_is_read_in_a_child():
    data = ods(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>王五</text:p>'
        '</table:table-cell></table:table-row><table:table-row table:number-rows-repeated="500">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    assert xlsx_area_bound(data) is None
    assert read_first_sheet(data) == [["姓名"], ["王五"]]


def test_an_ods_whose_repeated_cells_fill_a_huge_area_is_refused():
    data = ods(
        '<table:table-row table:number-rows-repeated="520">'
        '<table:table-cell table:number-columns-repeated="16000" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    with pytest.raises(TooLarge) as refused:
        read_first_sheet(data)
    assert (refused.value.rows, refused.value.columns) == (521, 16000)


def test_what_is_not_a_spreadsheet_is_unreadable():
    with pytest.raises(Unreadable):
        read_first_sheet(b"PK\x03\x04 not really a zip")
    with pytest.raises(Unreadable):
        read_first_sheet("姓名,身份证号".encode())


def test_a_zip_that_also_holds_the_parts_of_another_format_is_not_bounded_by_the_scan():
    data = xlsx((1, 0, "张三"))
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as book:
        book.writestr("content.xml", "<office:document-content/>")
    assert xlsx_area_bound(data) == (99_999, 26)
    assert xlsx_area_bound(buffer.getvalue()) is None


def test_a_zip_with_two_members_of_the_same_name_is_not_bounded_by_the_scan():
    data = xlsx((1, 0, "张三"))
    buffer = io.BytesIO(data)
    with (
        pytest.warns(UserWarning, match="Duplicate name"),
        zipfile.ZipFile(buffer, "a") as book,
    ):
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    assert xlsx_area_bound(buffer.getvalue()) is None


def _cell_tag(places: list[tuple[str, int]], quote: str, space: str, upper: bool, first: bool):
    """A cell element whose r attributes name ``places`` (calamine takes the last)."""
    attrs = [f"r{space}={space}{quote}{(c if upper else c.lower())}{n}{quote}" for c, n in places]
    other = 't="inlineStr"'
    parts = [*attrs, other] if first else [other, *attrs]
    return f"<c {' '.join(parts)}><is><t>x</t></is></c>"


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@fuzz
@given(
    cells=st.lists(
        st.tuples(
            st.lists(
                st.tuples(st.integers(1, 16_384), st.integers(1, 1_048_576)), min_size=1, max_size=3
            ),
            st.sampled_from(['"', "'"]),
            st.sampled_from(["", " ", "\t"]),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_scan_never_bounds_a_sheet_smaller_than_calamine_would_read_it(cells):
    rows_xml, far_row, far_column = [], 1, 4  # the header: A1:D1
    for places, quote, space, upper, first in cells:
        named = [(_column_letters(c), n) for c, n in places]
        rows_xml.append(f"<row>{_cell_tag(named, quote, space, upper, first)}</row>")
        column, row = places[-1]  # calamine takes the last r of an element
        far_row, far_column = max(far_row, row), max(far_column, column)
    data = rewritten(xlsx(), with_row("".join(rows_xml)))
    bound = xlsx_area_bound(data)
    assert bound is None or (bound[0] >= far_row and bound[1] >= far_column)
