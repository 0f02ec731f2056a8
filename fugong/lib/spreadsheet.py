"""Reading the first worksheet of an uploaded .xlsx/.xlsm/.xls/.ods with python-calamine, safely.

calamine builds the sheet's whole used area in memory before it returns, every cell from A1 to
the last one that holds a value (32 bytes a cell), and a failed allocation ends the process:
Rust aborts, Python cannot catch it. One value in cell XFD1048576 of a 5 KB file asks for
550 GB; a stray value in GS1000001 of a roster takes 7 GB and half a minute. So a workbook is read
in this process only when a scan of its cell references proves the area small, which is the
case for an .xlsx as Excel, WPS, LibreOffice, openpyxl and xlsxwriter write it (every cell
element names its place first). Anything else (.xls, .ods, other writers, an area the scan
cannot bound below :data:`MAX_CELLS`) is read in a child process with a memory and CPU limit,
which measures the area before building rows; a crash there is reported as a file too large to
read, and the server goes on. (Upstream: tafia/calamine#693, dimastbk/python-calamine#130; no
released python-calamine bounds the area itself.)

``python -m fugong.lib.spreadsheet`` is that child: the file on stdin, the rows (pickled) on
stdout; exit status 3 with "rows columns" on stderr when the area is over the limit, 4 when it
is over calamine's own cap, 5 when it has a password, 2 when the file cannot be read. It imports
nothing of Django.
"""

from __future__ import annotations

import io
import pickle
import posixpath
import re
import subprocess
import sys
import zipfile
from typing import Any
from xml.etree import ElementTree

MAX_CELLS = 8_000_000  # rows × columns of the used area (~260 MB in calamine, ~70 MB of lists)
MAX_SHEET_XML = 512 * 1024 * 1024  # a worksheet's XML, uncompressed
CHILD_MEMORY = 2 * 1024 * 1024 * 1024  # address space of the child that reads odd files
CHILD_SECONDS = 300

# A cell element that does not begin with its place (r="B7"): calamine then counts its place
# on from the previous cell, so the scan cannot bound it.
_CELL_WITHOUT_PLACE = re.compile(rb"<c(?=[\s/>])(?!\s+r\s*=\s*[\"'][A-Za-z]{1,3}[0-9]{1,7}[\"'])")
# A place in column AA or beyond, or in row 100,000 or beyond, in any r attribute (calamine
# takes the last r of an element): the few such places are read one by one.
_FAR_PLACE = re.compile(rb"r\s*=\s*[\"'](?=[A-Za-z]{2}|[A-Za-z]?[0-9]{6})([A-Za-z]*)([0-9]+)")
# calamine reads elements by their local name, so <x:c> is a cell too.
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_NEAR_ROWS, _NEAR_COLUMNS = 99_999, 26  # what a place below both thresholds can reach


class Unreadable(ValueError):
    """calamine cannot read the file (not a spreadsheet, damaged)."""


class PasswordProtected(Unreadable):
    """The workbook is encrypted with a password to open it."""


class TooLarge(ValueError):
    """The sheet's used area is over :data:`MAX_CELLS`, or the file could not be read within the
    child's limits (then ``rows`` and ``columns`` are None)."""

    def __init__(self, rows: int | None = None, columns: int | None = None) -> None:
        super().__init__(rows, columns)
        self.rows, self.columns = rows, columns


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .xls, or an encrypted .xlsx
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # its stream's name


def read_first_sheet(data: bytes) -> list[list[Any]]:
    """The first worksheet's rows (lists of cell values, "" for an empty cell)."""
    if data.startswith(_OLE) and _ENCRYPTED_PACKAGE in data:
        raise PasswordProtected  # calamine only says it "cannot detect the file format"
    bound = xlsx_area_bound(data)
    if bound is not None and bound[0] * bound[1] <= MAX_CELLS:
        return _read(data)
    return _read_in_child(data)


def _read(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except PasswordError:
        raise PasswordProtected from None
    except Exception:  # calamine raises several error types for files it cannot read
        raise Unreadable from None


def xlsx_area_bound(data: bytes) -> tuple[int, int] | None:
    """At most how many rows and columns the first worksheet of an .xlsx spans, from its cell
    references; None when this is not an .xlsx or its cells cannot be bounded that way."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = book.namelist()
            if len(names) != len(set(names)):  # which copy would calamine read?
                return None
            if {"xl/workbook.bin", "content.xml"} & set(names):  # .xlsb or .ods parts too
                return None
            member = _first_sheet_member(book)
            if member is None or book.getinfo(member).file_size > MAX_SHEET_XML:
                return None
            xml = book.read(member)
    except Exception:  # not a zip, damaged, encrypted, bad XML in the parts: not bounded here
        return None
    if _CELL_WITHOUT_PLACE.search(xml) or _PREFIXED_CELL.search(xml):
        return None
    rows, columns = _NEAR_ROWS, _NEAR_COLUMNS
    for letters, digits in _FAR_PLACE.findall(xml):
        rows = max(rows, int(digits))
        columns = max(columns, _column_number(letters))
    return rows, columns


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first_sheet_member(book: zipfile.ZipFile) -> str | None:
    """The zip member of the workbook's first sheet, found as calamine finds it (the first
    <sheet> of xl/workbook.xml, its relationship's target)."""
    try:
        parts = [book.getinfo(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
    except KeyError:
        return None
    if any(p.file_size > 16 * 1024 * 1024 for p in parts):
        return None
    workbook, rels = (ElementTree.fromstring(book.read(p)) for p in parts)
    first = next((e for e in workbook.iter() if _local(e.tag) == "sheet"), None)
    if first is None:
        return None
    rel_id = next((v for k, v in first.attrib.items() if _local(k) == "id"), None)
    target = next(
        (
            e.get("Target")
            for e in rels.iter()
            if _local(e.tag) == "Relationship" and e.get("Id") == rel_id
        ),
        None,
    )
    if not target:
        return None
    member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    member = posixpath.normpath(member)
    return member if member in book.NameToInfo else None


# ------------------------------------------------------------------------------ the child
def _read_in_child(data: bytes) -> list[list[Any]]:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "fugong.lib.spreadsheet"],
            input=data,
            capture_output=True,
            timeout=CHILD_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TooLarge from None
    if done.returncode == 0:
        return pickle.loads(done.stdout)  # noqa: S301 (our own child's output, not the upload)
    if done.returncode == 2:
        raise Unreadable
    if done.returncode == 5:
        raise PasswordProtected
    if done.returncode == 3:
        rows, columns = (int(n) for n in done.stderr.split()[:2])
        raise TooLarge(rows, columns)
    raise TooLarge  # over calamine's own cap (4), or killed by the memory or CPU limit


def _child() -> int:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_SECONDS, CHILD_SECONDS))
    from python_calamine import CalamineWorkbook, PasswordError

    data = sys.stdin.buffer.read()
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except PasswordError:  # an .xls with a password to open it
        return 5
    except Exception as exc:  # calamine's own cap on an .ods's repeated cells says "limit"
        return 4 if "limit" in str(exc).lower() else 2
    if sheet.height * sheet.width > MAX_CELLS:
        sys.stderr.write(f"{sheet.height} {sheet.width}\n")
        return 3
    try:
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:
        return 2
    pickle.dump(rows, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(_child())
