"""Roster import (.xlsx/.xls/.ods/.csv with Chinese or English headers) and export.

One code path serves the web page (through a background job with a progress bar) and the
benchmark: :func:`read_table` → :func:`check_rows` → :func:`store_rows`. A file with any bad
row is not imported at all unless the admin chose "import the valid rows"; every rejected row is
reported with its row number, column and reason.

The report is read by whoever opens it, in the language of their page, while the check runs in
its owner's: every reason (and the reason a whole file is refused) is kept with a function that
words it again (:attr:`Checked.wording`, :attr:`UnreadableFile.words`), and is worded in every
language of the platform once the check is done (:func:`fugong.lib.languages.in_every_language`). Only the rejected
rows are checked again for that, not the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import itemgetter, mul
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fugong.lib import bulk, crypto, spreadsheet
from fugong.lib.errors import FieldError
from fugong.lib.identifiers import (
    ID_CHECK,
    ID_WEIGHTS,
    InvalidIdentifier,
    half_width,
    id_check_char,
    mask_id_number,
    national_division_name,
    normalize_id_number,
    validate_id_number,
)
from fugong.lib.languages import in_every_language
from fugong.lib.memory import cyclic_gc_paused
from fugong.lib.text import has_line_controls

from .actions import (
    START_DATE_AHEAD,
    clean_name,
    clean_phone,
    clean_post,
    clean_start_date,
    name_mismatch_message,
)
from .models import Employment, Person

# Column → the header spellings accepted (Excel/WPS/LibreOffice templates seen in practice).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "员工姓名", "name"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "身份证",
        "证件号码",
        "id_number",
        "id number",
    ),
    "phone": ("手机号", "手机号码", "手机", "联系电话", "电话", "phone", "mobile"),
    "home_division": (
        "居住地代码",
        "居住地区划代码",
        "现住址代码",
        "居住地",
        "区划代码",
        "home_division",
        "home division",
    ),
    "post": ("岗位", "职位", "工种", "post", "position"),
    "start_date": ("入职日期", "到岗日期", "入职时间", "start_date", "start date"),
}
REQUIRED = ("name", "id_number", "phone", "home_division")
EXPORT_HEADER = ("姓名", "身份证号", "手机号", "居住地代码", "岗位", "入职日期")
EXCEL_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods")
MAX_ROWS = 200_000
# The most rejected cells a report keeps (and words in every language).
MAX_REPORTED_ERRORS = 5000


class UnreadableFile(ValueError):
    """The file cannot be read as a table; ``str()`` says why, for the admin, in the language
    active when it was raised; ``words()`` says it again in the language active then."""

    def __init__(self, words: Callable[[], str]) -> None:
        super().__init__(words())
        self.words = words

    def texts(self) -> dict[str, str]:
        """Language code → the reason, in every language of the platform."""
        return in_every_language(self.words)


@dataclass
class Table:
    header: list[str]
    columns: dict[str, int]  # our column name → index in the file
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


# A valid row: (row number, ID number, name, phone, home division code, post, start date).
ValidRow = tuple[int, str, str, str, str, str, dt.date | None]


@dataclass
class Checked:
    """The outcome of checking every row."""

    valid: list[ValidRow] = field(default_factory=list)
    errors: list[list[Any]] = field(default_factory=list)  # [row, column, reason]
    # For each error, a function giving its reason again in the language active when called.
    wording: list[Callable[[], str]] = field(default_factory=list)
    # Language code → the reasons of errors[:MAX_REPORTED_ERRORS], once :meth:`word` has run.
    texts: dict[str, list[str]] = field(default_factory=dict)
    rows: int = 0
    hashes: list[str] = field(default_factory=list)  # look-up hash of each valid ID number
    person_ids: list[int | None] = field(default_factory=list)  # the known person, or None

    @property
    def rejected_rows(self) -> int:
        return len({e[0] for e in self.errors})

    def word(self) -> None:
        """Word the reasons of the errors a report keeps in every language of the platform
        (``texts``, each list aligned with ``errors[:MAX_REPORTED_ERRORS]``). Called right
        after the check: the reasons are in the language active now already."""
        kept = self.errors[:MAX_REPORTED_ERRORS]
        wording = self.wording[:MAX_REPORTED_ERRORS]
        active = translation.get_language()
        self.texts = in_every_language(
            lambda: (
                [str(e[2]) for e in kept]
                if translation.get_language() == active
                else [str(word()) for word in wording]
            )
        )


# ------------------------------------------------------------------------------ reading
def read_table(data: bytes, filename: str) -> Table:
    if not data:
        raise UnreadableFile(lambda: _("The file is empty (0 bytes)."))
    name = filename.lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        raw_rows = _read_csv(data)
    else:
        raw_rows = _read_excel(data)
    rows = iter(raw_rows)
    header, header_row, columns = _find_header(rows)
    body = [(n, c) for n, c in rows if _has_text(c)]
    if not body:
        raise UnreadableFile(
            lambda: (
                _("The file has a header (row %(row)d) but no rows to import.")
                % {"row": header_row}
            )
        )
    if len(body) > MAX_ROWS:
        rows_read = len(body)
        raise UnreadableFile(
            lambda: (
                _("The file has %(n)d rows; split it into files of at most %(max)d rows.")
                % {"n": rows_read, "max": MAX_ROWS}
            )
        )
    return Table(header=header, columns=columns, rows=body)


def _read_excel(data: bytes) -> Iterable[tuple[int, list[Any]]]:
    try:
        rows = spreadsheet.read_first_sheet(data)
    except spreadsheet.PasswordProtected:
        raise UnreadableFile(
            lambda: _(
                "This file has a password to open it. Open it, remove the password (Excel: "
                "File → Info → Protect Workbook → Encrypt with Password; WPS: File → Document "
                "Encryption), save it and import it again."
            )
        ) from None
    except spreadsheet.Unreadable:
        raise UnreadableFile(_not_a_spreadsheet) from None
    except spreadsheet.TooLarge as exc:
        if exc.rows is None:
            raise UnreadableFile(
                lambda: _(
                    "This file is too large to read: its first sheet spans too many rows and "
                    "columns. Copy the table alone into a new file and import that."
                )
            ) from None
        raise UnreadableFile(partial(_sheet_too_large, exc.rows, exc.columns)) from None
    return enumerate(rows, start=1)


def _not_a_spreadsheet() -> str:
    return _("This is not a readable spreadsheet: save it as .xlsx, .xls or .csv and try again.")


def _sheet_too_large(rows: int, columns: int) -> str:
    return _(
        "The first sheet spans %(rows)d rows × %(columns)d columns, more than an import "
        "reads (%(cells)d cells): delete the rows and columns outside the table (a "
        "value far below or to the right of it) or copy the table alone into a new file."
    ) % {"rows": rows, "columns": columns, "cells": spreadsheet.MAX_CELLS}


def _read_csv(data: bytes) -> Iterable[tuple[int, list[Any]]]:
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")  # Excel/WPS on Chinese Windows save GBK
            except UnicodeDecodeError:
                raise UnreadableFile(
                    lambda: _("The text encoding of this CSV file is neither UTF-8 nor GBK.")
                ) from None
    if "\x00" in text:
        raise UnreadableFile(_not_a_spreadsheet)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:  # newline="": the csv module itself reads \r\n, \n and a lone \r (old Mac Excel)
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error:  # e.g. a field larger than the module's limit
        raise UnreadableFile(_not_a_spreadsheet) from None
    return enumerate(rows, start=1)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _has_text(cells: list[Any]) -> bool:
    """``any(_text(c) for c in cells)``, without the call for the usual non-blank text."""
    for c in cells:
        if c.__class__ is str:
            if c and not c.isspace():
                return True
        elif _text(c):
            return True
    return False


# How many non-blank rows may stand above the headers (a title such as 员工信息表, a date, a
# note); the header row is the first of them holding every required header.
HEADER_SEARCH_ROWS = 10


def _find_header(
    rows: Iterator[tuple[int, list[Any]]],
) -> tuple[list[str], int, dict[str, int]]:
    """The header row among the first non-blank rows (``rows`` is left just after it): its
    texts, its number and the columns it names. Raises ``UnreadableFile`` naming the row that
    came closest, and the required columns it lacks, when none has them all."""
    closest: tuple[list[str], int, list[str]] | None = None
    seen = 0
    for number, cells in rows:
        if not _has_text(cells):
            continue
        header = [_text(c) for c in cells]
        columns = _match_columns(header)
        missing = [key for key in REQUIRED if key not in columns]
        if not missing:
            return header, number, columns
        if closest is None or len(missing) < len(closest[2]):
            closest = (header, number, missing)
        seen += 1
        if seen == HEADER_SEARCH_ROWS:
            break
    if closest is None:
        raise UnreadableFile(lambda: _("The file has no header row and no data."))
    _header, number, missing = closest
    raise UnreadableFile(
        lambda: (
            _("Row %(row)d lacks the column(s) %(columns)s. Expected headers: %(expected)s.")
            % {
                "row": number,
                "columns": "、".join(COLUMNS[key][0] for key in missing),
                "expected": "、".join(EXPORT_HEADER),
            }
        )
    )


def _match_columns(header: list[str]) -> dict[str, int]:
    """Our column name → its index, for the columns ``header`` names."""
    normalized = [h.replace(" ", "").replace("*", "").lower() for h in header]
    columns: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(normalized):
            if h in {n.replace(" ", "").lower() for n in names}:
                columns[key] = i
                break
    return columns


# ----------------------------------------------------------------------------- checking
@lru_cache(maxsize=4096)
def _birth_place_ok(code: str) -> bool:
    try:
        validate_id_number(code + "19900101001" + id_check_char(code + "19900101001"))
    except InvalidIdentifier:
        return False
    return True


def fast_id_number(value: Any, today: dt.date) -> str:
    """Same verdict as ``validate_id_number`` with the per-county look-up cached; the exact
    message comes from ``validate_id_number`` itself whenever the number is wrong."""
    number = normalize_id_number(_text(value))
    if isinstance(value, float) or (isinstance(value, int) and len(number) > 15):
        raise InvalidIdentifier(
            _("The ID number was stored as a number and lost digits: format the column as text.")
        )
    try:
        if (
            len(number) == 18
            and number.isascii()
            and number[:17].isdigit()
            and id_check_char(number[:17]) == number[17]
            and _birth_place_ok(number[:6])
            and dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])) <= today
            and int(number[6:10]) >= 1900
        ):
            return number
    except ValueError:
        pass
    return validate_id_number(number, today=today)


def _city_codes() -> set[str]:
    from fugong.geo.models import Division

    return set(Division.objects.values_list("code", flat=True))


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (
        _text(value)
        .replace("/", "-")
        .replace(".", "-")
        .replace("年", "-")
        .replace("月", "-")
        .rstrip("日")
    )
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        raise FieldError("start_date", _("Give the date as YYYY-MM-DD.")) from None


# One checked row: id_number, name, phone, home code, post, start date.
Row = tuple[str, str, str, str, str, dt.date | None]


class _RejectedRow(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems  # (column key, reason) for every bad cell, in column order


def _check_home(value: str, city: set[str]) -> str:
    home = half_width(value)
    if not (home.isascii() and home.isdigit() and (home in city or national_division_name(home))):
        raise FieldError(
            "home_division", _("Give a division code of this city or a county-level code of China.")
        )
    return home


def _check_start(value: Any, today: dt.date, born: dt.date | None) -> dt.date | None:
    return clean_start_date(_parse_date(value), today=today, born=born)


def _birth_date(digits: str) -> dt.date:
    """The birth date written in an ID number's characters 7 to 14 (``"19900307"``)."""
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def _check_row(cells: list[Any], cols: dict[str, int], city: set[str], today: dt.date) -> Row:
    """Every check of one row; raises ``_RejectedRow`` naming every bad cell (so that a file is
    corrected in one pass, not one cell per upload).

    This is the reference: ``_fast_checker`` accepts a subset of what it accepts, with the same
    values, and any row the fast path does not accept is decided here."""

    def cell(key: str) -> Any:
        i = cols.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    values: dict[str, Any] = {}

    def born() -> dt.date | None:  # of a valid ID number (checked first)
        return _birth_date(values["id_number"][6:14]) if "id_number" in values else None

    checks: list[tuple[str, Callable[[], Any]]] = [
        ("id_number", lambda: fast_id_number(cell("id_number"), today)),
        ("name", lambda: clean_name(_text(cell("name")))),
        ("phone", lambda: clean_phone(_text(cell("phone")))),
        ("home_division", lambda: _check_home(_text(cell("home_division")), city)),
        ("post", lambda: clean_post(_text(cell("post")))),
        ("start_date", lambda: _check_start(cell("start_date"), today, born())),
    ]
    problems: list[tuple[str, str]] = []
    for key, check in checks:
        try:
            values[key] = check()
        except (FieldError, InvalidIdentifier) as exc:
            problems.append((key, exc.message if isinstance(exc, FieldError) else str(exc)))
    if problems:
        raise _RejectedRow(problems)
    id_number, name, phone, home, post, start = values.values()
    return id_number, name, phone, home, post, start


_UNSEEN = object()


def _fast_checker(
    cols: dict[str, int], city: set[str], today: dt.date
) -> Callable[[list[Any]], Row | None]:
    """The checks of :func:`_check_row` for the usual row (every cell a well-formed text), with
    the per-value look-ups (birth place, birth date, division code, start date) remembered
    across rows. Returns the row's values, or None to let :func:`_check_row` decide the row
    (and word the message): it never accepts a row ``_check_row`` rejects, and returns exactly
    the values ``_check_row`` would."""
    i_id, i_name = cols["id_number"], cols["name"]
    i_phone, i_home = cols["phone"], cols["home_division"]
    i_post = cols.get("post")
    i_start = cols.get("start_date")
    width = max(cols.values()) + 1
    # Weighted digit sums (GB 11643) of the three parts of an ID number, remembered per part:
    # place (6 digits), birth date (8) and serial (3); -1 for a part that is not ASCII digits,
    # not a known place or not a possible birth date.
    places: dict[str, int] = {}
    births: dict[str, int] = {}
    serials: dict[str, int] = {}
    homes = {code for code in city if code.isdigit()}
    starts: dict[Any, dt.date | None] = {None: None, "": None}
    latest_start = today + START_DATE_AHEAD
    birth_date = lru_cache(maxsize=None)(_birth_date)

    def weigh(digits: str, weights: tuple[int, ...]) -> int:
        if not (digits.isascii() and digits.isdigit()):
            return -1
        return sum(map(mul, map(int, digits), weights))

    def place_sum(code: str) -> int:
        total = weigh(code, ID_WEIGHTS[:6])
        return total if total >= 0 and _birth_place_ok(code) else -1

    def birth_sum(digits: str) -> int:
        total = weigh(digits, ID_WEIGHTS[6:14])
        if total < 0:
            return -1
        try:
            born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError:
            return -1
        return total if born.year >= 1900 and born <= today else -1

    def check(cells: list[Any]) -> Row | None:
        if len(cells) < width:
            return None
        id_number = cells[i_id]
        name = cells[i_name]
        phone = cells[i_phone]
        home = cells[i_home]
        if id_number.__class__ is not str or len(id_number) != 18:
            return None
        place = places.get(id_number[:6])
        if place is None:
            place = places[id_number[:6]] = place_sum(id_number[:6])
        born = births.get(id_number[6:14])
        if born is None:
            born = births[id_number[6:14]] = birth_sum(id_number[6:14])
        serial = serials.get(id_number[14:17])
        if serial is None:
            serial = serials[id_number[14:17]] = weigh(id_number[14:17], ID_WEIGHTS[14:])
        if (
            place < 0
            or born < 0
            or serial < 0
            or ID_CHECK[(place + born + serial) % 11] != id_number[17]
        ):
            return None
        if name.__class__ is not str:
            return None
        name = name.strip()
        if not name or len(name) > 50 or has_line_controls(name):
            return None
        if not (
            phone.__class__ is str
            and len(phone) == 11
            and phone.isascii()
            and phone.isdigit()
            and phone[0] == "1"
        ):
            return None
        if home not in homes:
            if not (
                home.__class__ is str
                and home.isascii()
                and home.isdigit()
                and national_division_name(home)
            ):
                return None
            homes.add(home)
        post = ""
        if i_post is not None:
            post = cells[i_post]
            if post.__class__ is not str:
                return None
            post = post.strip()
            if len(post) > 100 or has_line_controls(post):
                return None
        raw = cells[i_start] if i_start is not None else None
        start = starts.get(raw, _UNSEEN)
        if start is _UNSEEN:
            try:
                start = _parse_date(raw)
            except FieldError:
                return None
            if start is not None and start > latest_start:
                return None
            starts[raw] = start
        if start is not None and start < birth_date(id_number[6:14]):
            return None
        return id_number, name, phone, home, post, start

    return check


def check_rows(
    table: Table,
    enterprise: Any,
    *,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """Check every row; nothing is written."""
    result = Checked(rows=len(table.rows))
    cols = table.columns
    header = table.header
    city = _city_codes()
    seen: dict[str, int] = {}
    total = len(table.rows)
    fast = _fast_checker(cols, city, today)
    errors = result.errors
    wording = result.wording
    valid = result.valid
    id_column = header[cols["id_number"]]
    for k, (number, cells) in enumerate(table.rows):
        if progress is not None and k % 5000 == 0:
            progress(k, total)
        values = fast(cells)
        if values is None:
            try:
                values = _check_row(cells, cols, city, today)
            except _RejectedRow as exc:
                for n, (key, message) in enumerate(exc.problems):
                    errors.append([number, header[cols[key]] if key in cols else key, message])
                    wording.append(partial(_problem_again, cells, cols, city, today, n, message))
                continue
        first = seen.setdefault(values[0], number)
        if first != number:
            errors.append([number, id_column, _duplicate_message(first)])
            wording.append(partial(_duplicate_message, first))
            continue
        valid.append((number, *values))
    _check_already_on_roster(result, enterprise, id_column, header[cols["name"]])
    if progress is not None:
        progress(total, total)
    return result


def _problem_again(
    cells: list[Any], cols: dict[str, int], city: set[str], today: dt.date, n: int, worded: str
) -> str:
    """The reason of a rejected row's ``n``-th problem, in the language active now: the row's
    checks run again (``worded``, the reason as first worded, should they ever not fail)."""
    try:
        _check_row(cells, cols, city, today)
    except _RejectedRow as exc:
        if n < len(exc.problems):
            return exc.problems[n][1]
    return worded


def _duplicate_message(first: int) -> str:
    return _("The same ID number is already on row %(row)d.") % {"row": first}


def _already_on_roster_message() -> str:
    return _("This person is already on the roster.")


def _known_people(hashes: list[str], enterprise_id: int | None) -> dict[str, tuple[int, bool, str]]:
    """Look-up hash → (person id, already on this enterprise's active roster, registered name),
    for the people among ``hashes`` who exist: one query whatever the number of hashes."""
    if not hashes:
        return {}
    q = connection.ops.quote_name
    person, employment = q(Person._meta.db_table), q(Employment._meta.db_table)
    # One array parameter instead of thousands of placeholders, walked in order with one probe
    # of the unique index on the hash per value (SQLite's plan for ``IN (SELECT …)`` would first
    # build a temporary index of all the values: ten times slower).
    if connection.vendor == "postgresql":
        values = ",".join(hashes)  # hexadecimal: no commas; one text is faster than an array
        hashes_table = "unnest(string_to_array(%s, ',')) AS h(value) JOIN"
    else:
        values, hashes_table = json.dumps(hashes), "json_each(%s) AS h CROSS JOIN"
    sql = (
        f"SELECT p.id, p.id_hash, EXISTS (SELECT 1 FROM {employment} e WHERE e.person_id = p.id"
        f" AND e.enterprise_id = %s AND e.active), p.name"
        f" FROM {hashes_table} {person} p ON p.id_hash = h.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [enterprise_id, values])
        return {h: (pk, bool(on_roster), name) for pk, h, on_roster, name in cursor.fetchall()}


def _check_already_on_roster(
    result: Checked, enterprise: Any, column: str, name_column: str
) -> None:
    """Hash the valid rows' ID numbers, note who is already known, and reject who is already on
    this enterprise's roster and who is known under another name (real-name check)."""
    hashes = crypto.lookup_hashes([v[1] for v in result.valid])
    known = _known_people(hashes, enterprise.pk)
    if not known:  # the usual case: everyone is new
        result.hashes, result.person_ids = hashes, [None] * len(hashes)
        return
    valid: list[ValidRow] = []
    kept: list[str] = []
    person_ids: list[int | None] = []
    for v, h in zip(result.valid, hashes, strict=True):
        pk, on_roster, registered = known.get(h, (None, False, v[2]))
        if on_roster:
            result.errors.append([v[0], column, _already_on_roster_message()])
            result.wording.append(_already_on_roster_message)
        elif v[2] != registered:
            result.errors.append([v[0], name_column, name_mismatch_message()])
            result.wording.append(name_mismatch_message)
        else:
            valid.append(v)
            kept.append(h)
            person_ids.append(pk)
    result.valid, result.hashes, result.person_ids = valid, kept, person_ids
    errors = sorted(zip(result.errors, result.wording, strict=True), key=lambda e: e[0][0])
    result.errors[:] = map(itemgetter(0), errors)
    result.wording[:] = map(itemgetter(1), errors)


# ------------------------------------------------------------------------------ storing
def encrypt_many(values: list[str]) -> list[str]:
    """``crypto.encrypt`` for many values (AES-GCM tokens that ``crypto.decrypt`` reads)."""
    return crypto.encrypt_many(values)


def _encrypted(numbers: Sequence[str], chunk: int = 5000) -> Iterator[str]:
    for start in range(0, len(numbers), chunk):
        yield from encrypt_many(numbers[start : start + chunk])


def _new_person_ids(n: int) -> list[int] | None:
    """Fresh ids from the PostgreSQL sequence (safe with concurrent writers); None elsewhere."""
    if connection.vendor != "postgresql" or n == 0:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Person._meta.db_table, n],
        )
        return [row[0] for row in cursor.fetchall()]


def _inserted_ids(hashes: list[str]) -> list[int]:
    """The ids SQLite gave the people just inserted (``hashes`` in insertion order).

    One transaction wrote them, holding SQLite's write lock from its first row to the commit,
    into an AUTOINCREMENT table, so the ids are the consecutive run ending at
    ``last_insert_rowid()``. That is checked (the count and the first and last hashes); should it
    ever not hold, the ids are looked up by hash instead."""
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        first = last - len(hashes) + 1
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id BETWEEN %s AND %s", [first, last])
        count = cursor.fetchone()[0]
        cursor.execute(f"SELECT id, id_hash FROM {table} WHERE id IN (%s, %s)", [first, last])
        ends = dict(cursor.fetchall())
    if count == len(hashes) and ends == {first: hashes[0], last: hashes[-1]}:
        return list(range(first, last + 1))
    known = _known_people(hashes, None)
    return [known[h][0] for h in hashes]


PERSON_FIELDS = [
    "id_cipher",
    "id_hash",
    "id_masked",
    "name",
    "is_male",
    "birth_date",
    "phone",
    "home_division",
    "home_code",
    "created_at",
]


@transaction.atomic
def store_rows(
    checked: Checked,
    enterprise: Any,
    *,
    actor: Any,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create the new people and put every valid row on the roster; returns how many.

    Rows go to the database column by column (``zip`` of lists), in the database's own forms
    (``bulk.insert_rows(prepared=True)``): dates as ISO text, which SQLite stores as such and
    PostgreSQL's COPY reads as dates; booleans as 0/1 on SQLite."""
    from fugong.audit.actions import record
    from fugong.geo.models import Division

    valid = checked.valid
    if not valid:
        return 0
    now = bulk.db_datetime(timezone.now())
    sqlite = connection.vendor == "sqlite"
    true, false = (1, 0) if sqlite else (True, False)
    # New people in look-up hash order, their roster rows in person order: the index on the
    # hash (and the one on person) then grow at one end instead of at random pages, which
    # costs the database far fewer page writes. Neither order shows: lists sort by name.
    new = sorted(
        (
            (h, v)
            for h, v, pk in zip(checked.hashes, valid, checked.person_ids, strict=True)
            if pk is None
        ),
        key=itemgetter(0),
    )
    ids: Sequence[int] = ()
    new_rows: Sequence[ValidRow] = ()
    if new:
        new_hashes, new_rows = zip(*new, strict=True)
        _rows, numbers, names, phones, homes, posts, start_dates = zip(*new_rows, strict=True)
        divisions = dict(Division.objects.filter(code__in=set(homes)).values_list("code", "pk"))
        odd = frozenset("13579")
        # Lazy columns: on PostgreSQL the encryption and the rest run while the server is busy
        # with the rows already sent.
        columns: list[Iterable[Any]] = [
            _encrypted(numbers),
            new_hashes,
            map(mask_id_number, numbers),
            names,
            (true if n[16] in odd else false for n in numbers),
            (f"{n[6:10]}-{n[10:12]}-{n[12:14]}" for n in numbers),
            phones,
            map(divisions.get, homes),
            homes,
            [now] * len(new),
        ]
        ids = _new_person_ids(len(new))
        if ids is not None:  # PostgreSQL: ids from the sequence, given explicitly
            bulk.insert_rows(
                Person, ["id", *PERSON_FIELDS], zip(ids, *columns, strict=True), prepared=True
            )
        else:
            bulk.insert_rows(Person, PERSON_FIELDS, zip(*columns, strict=True), prepared=True)
            ids = _inserted_ids(list(new_hashes))
    if progress is not None:
        progress(len(valid) // 2, len(valid))
    if len(new) == len(valid):  # everyone is new: the roster rows are in person order already
        person_ids = ids
    else:
        staff = sorted(
            [
                *zip(ids, new_rows, strict=True),
                *((pk, v) for v, pk in zip(valid, checked.person_ids, strict=True) if pk),
            ],
            key=itemgetter(0),
        )
        person_ids, rows = zip(*staff, strict=True)
        _rows, _numbers, _names, _phones, _homes, posts, start_dates = zip(*rows, strict=True)
    starts = {d: d.isoformat() for d in set(start_dates) - {None}}
    starts[None] = None
    bulk.insert_narrow_rows(
        Employment,
        ["person", "post", "start_date"],
        zip(person_ids, posts, [starts[d] for d in start_dates], strict=True),
        {"enterprise": enterprise.pk, "active": true, "created_at": now},
    )
    record(
        actor,
        "roster.imported",
        enterprise,
        details={
            "accepted": len(valid),
            "new_people": len(new),
            "rejected": checked.rejected_rows,
        },
    )
    if progress is not None:
        progress(len(valid), len(valid))
    return len(valid)


def import_roster(
    data: bytes,
    filename: str,
    enterprise: Any,
    *,
    actor: Any,
    valid_rows_only: bool,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
    saving: Callable[[int], None] | None = None,
) -> tuple[Checked, int]:
    """Read, check and (when allowed) store; returns the check (its reasons worded in every
    language: ``Checked.texts``) and how many rows were stored.
    ``progress(done, total)`` follows the check row by row, ``saving(n)`` says when the n valid
    rows start being stored."""
    with cyclic_gc_paused():
        table = read_table(data, filename)
        checked = check_rows(table, enterprise, today=today, progress=progress)
        checked.word()
        if checked.errors and not valid_rows_only:
            return checked, 0
        if not checked.valid:
            return checked, 0
        if saving is not None:
            saving(len(checked.valid))
        return checked, store_rows(checked, enterprise, actor=actor)


def roster_export_rows(enterprise: Any) -> Iterable[list[Any]]:
    """The current roster, ID numbers masked (an export never carries a full ID number)."""
    for e in (
        Employment.objects.filter(enterprise=enterprise, active=True)
        .select_related("person")
        .order_by("person__name", "pk")
        .iterator(chunk_size=2000)
    ):
        p = e.person
        yield [
            p.name,
            p.id_masked,
            p.phone_masked,
            p.home_code,
            e.post,
            e.start_date.isoformat() if e.start_date else "",
        ]


def roster_template_bytes() -> bytes:
    """A blank roster for admins to fill in: the headers this import reads, the ID number, phone
    and division columns formatted as text (Excel would otherwise turn an 18-digit ID number
    into 4.40604E+17 and lose its last digits), and a second sheet saying what goes where. The
    import reads the first sheet only."""
    from fugong.lib.excel import new_workbook

    buffer = io.BytesIO()
    book = new_workbook(buffer)
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE"})
    text = book.add_format({"num_format": "@"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(str(_("Roster"))[:31])
    sheet.write_row(0, 0, EXPORT_HEADER, bold)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 22, text)
    sheet.set_column(2, 3, 16, text)
    sheet.set_column(4, 4, 16)
    sheet.set_column(5, 5, 14, day)
    notes = book.add_worksheet(str(_("How to fill in"))[:31])
    notes.write_row(0, 0, [_("Column"), _("Required"), _("What to write"), _("Example")], bold)
    rows = [
        (_("The person's name as on their ID card."), "张三"),
        (
            _(
                "The 18-character resident ID number. The column is formatted as text, so that "
                "Excel keeps every digit."
            ),
            "",
        ),
        (_("An 11-digit mobile number, or a landline with its area code."), "13800000000"),
        (
            _("The division code of where the person lives now (6 to 12 digits)."),
            "440604001001",
        ),
        (_("Their post."), "操作工"),
        (_("The day they started, e.g. 2020-02-10."), "2020-02-10"),
    ]
    for r, (header, (what, example)) in enumerate(zip(EXPORT_HEADER, rows, strict=True), 1):
        required = _("Yes") if r <= len(REQUIRED) else _("No")
        notes.write_row(r, 0, [header, required, what, example])
    notes.write(len(rows) + 2, 0, _("Only the first sheet is imported."))
    notes.set_column(0, 1, 12)
    notes.set_column(2, 2, 70)
    notes.set_column(3, 3, 16)
    book.close()
    return buffer.getvalue()
