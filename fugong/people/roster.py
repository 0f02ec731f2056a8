"""Roster import (.xlsx/.xls/.ods/.csv with Chinese or English headers) and export.

One code path serves the web page (through a background job with a progress bar) and the
benchmark: :func:`read_table` → :func:`check_rows` → :func:`store_rows`. A file with any bad
row is not imported at all unless the admin chose "import the valid rows"; every rejected row is
reported with its row number, column and reason.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hmac
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fugong.lib import bulk, crypto
from fugong.lib.errors import FieldError
from fugong.lib.identifiers import (
    InvalidIdentifier,
    id_check_char,
    mask_id_number,
    national_division_name,
    validate_id_number,
)

from .actions import clean_name, clean_phone
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


class UnreadableFile(ValueError):
    """The file cannot be read as a table; ``str()`` says why, for the admin."""


@dataclass
class Table:
    header: list[str]
    columns: dict[str, int]  # our column name → index in the file
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


@dataclass
class Checked:
    """The outcome of checking every row."""

    valid: list[dict[str, Any]] = field(default_factory=list)
    errors: list[list[Any]] = field(default_factory=list)  # [row, column, reason]
    rows: int = 0

    @property
    def rejected_rows(self) -> int:
        return len({e[0] for e in self.errors})


# ------------------------------------------------------------------------------ reading
def read_table(data: bytes, filename: str) -> Table:
    if not data:
        raise UnreadableFile(_("The file is empty (0 bytes)."))
    name = filename.lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        raw_rows = _read_csv(data)
    else:
        raw_rows = _read_excel(data)
    rows = iter(raw_rows)
    header: list[str] | None = None
    header_row = 0
    for number, cells in rows:
        if any(_text(c) for c in cells):
            header = [_text(c) for c in cells]
            header_row = number
            break
    if header is None:
        raise UnreadableFile(_("The file has no header row and no data."))
    columns = _match_columns(header)
    body = [(n, list(c)) for n, c in rows if any(_text(x) for x in c)]
    if not body:
        raise UnreadableFile(
            _("The file has a header (row %(row)d) but no rows to import.") % {"row": header_row}
        )
    if len(body) > MAX_ROWS:
        raise UnreadableFile(
            _("The file has %(n)d rows; split it into files of at most %(max)d rows.")
            % {"n": len(body), "max": MAX_ROWS}
        )
    return Table(header=header, columns=columns, rows=body)


def _read_excel(data: bytes) -> Iterable[tuple[int, list[Any]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises several error types for files it cannot read
        raise UnreadableFile(
            _("This is not a readable spreadsheet: save it as .xlsx, .xls or .csv and try again.")
        ) from None
    return ((i, row) for i, row in enumerate(rows, start=1))


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
                    _("The text encoding of this CSV file is neither UTF-8 nor GBK.")
                ) from None
    if "\x00" in text:
        raise UnreadableFile(
            _("This is not a readable spreadsheet: save it as .xlsx, .xls or .csv and try again.")
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return ((i, row) for i, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _match_columns(header: list[str]) -> dict[str, int]:
    normalized = [h.replace(" ", "").replace("*", "").lower() for h in header]
    columns: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(normalized):
            if h in {n.replace(" ", "").lower() for n in names}:
                columns[key] = i
                break
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        wanted = "、".join(COLUMNS[key][0] for key in missing)
        raise UnreadableFile(
            _("Row 1 lacks the column(s) %(columns)s. Expected headers: %(expected)s.")
            % {"columns": wanted, "expected": "、".join(EXPORT_HEADER)}
        )
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
    number = "".join(_text(value).split()).upper()
    if isinstance(value, float) or (isinstance(value, int) and len(number) > 15):
        raise InvalidIdentifier(
            _("The ID number was stored as a number and lost digits: format the column as text.")
        )
    try:
        if (
            len(number) == 18
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

    def cell(cells: list[Any], key: str) -> Any:
        i = cols.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    for k, (number, cells) in enumerate(table.rows):
        if progress is not None and k % 5000 == 0:
            progress(k, total)
        key = ""
        try:
            key = "id_number"
            id_number = fast_id_number(cell(cells, "id_number"), today)
            key = "name"
            name = clean_name(_text(cell(cells, "name")))
            key = "phone"
            phone = clean_phone(_text(cell(cells, "phone")))
            key = "home_division"
            home = _text(cell(cells, "home_division"))
            if not (home.isdigit() and (home in city or national_division_name(home))):
                raise FieldError(
                    key, _("Give a division code of this city or a county-level code of China.")
                )
            key = "post"
            post = _text(cell(cells, "post"))
            if len(post) > 100:
                raise FieldError(key, _("The post is longer than 100 characters."))
            key = "start_date"
            start = _parse_date(cell(cells, "start_date"))
            if start is not None and start > today + dt.timedelta(days=366):
                raise FieldError(key, _("The start date is more than a year ahead."))
        except (FieldError, InvalidIdentifier) as exc:
            message = exc.message if isinstance(exc, FieldError) else str(exc)
            result.errors.append([number, header[cols[key]] if key in cols else key, message])
            continue
        if id_number in seen:
            result.errors.append(
                [
                    number,
                    header[cols["id_number"]],
                    _("The same ID number is already on row %(row)d.") % {"row": seen[id_number]},
                ]
            )
            continue
        seen[id_number] = number
        result.valid.append(
            {
                "row": number,
                "id_number": id_number,
                "name": name,
                "phone": phone,
                "home": home,
                "home_is_city": home in city,
                "post": post,
                "start_date": start,
            }
        )
    _check_already_on_roster(result, enterprise, header[cols["id_number"]])
    if progress is not None:
        progress(total, total)
    return result


def hash_many(numbers: list[str]) -> list[str]:
    """``crypto.lookup_hash`` for many values (the one-shot ``hmac.digest`` is several times
    faster than building an ``hmac`` object per value; the digests are identical)."""
    key = crypto._hash_key(settings.FIELD_KEY)
    return [hmac.digest(key, n.encode(), "sha256").hex() for n in numbers]


def _check_already_on_roster(result: Checked, enterprise: Any, column: str) -> None:
    hashes = hash_many([r["id_number"] for r in result.valid])
    for r, h in zip(result.valid, hashes, strict=True):
        r["hash"] = h
    on_roster: set[str] = set()
    existing: dict[str, int] = {}
    for start in range(0, len(hashes), 900):
        chunk = hashes[start : start + 900]
        for pk, h in Person.objects.filter(id_hash__in=chunk).values_list("pk", "id_hash"):
            existing[h] = pk
    if existing:
        ids = list(existing.values())
        for start in range(0, len(ids), 900):
            on_roster.update(
                Employment.objects.filter(
                    enterprise=enterprise, active=True, person_id__in=ids[start : start + 900]
                ).values_list("person__id_hash", flat=True)
            )
    kept = []
    for r in result.valid:
        if r["hash"] in on_roster:
            result.errors.append([r["row"], column, _("This person is already on the roster.")])
        else:
            r["person_id"] = existing.get(r["hash"])
            kept.append(r)
    result.valid = kept
    result.errors.sort(key=lambda e: e[0])


# ------------------------------------------------------------------------------ storing
def encrypt_many(values: list[str]) -> list[str]:
    """Fernet tokens for many values (one ``crypto.encrypt`` each: no hand-written crypto)."""
    return [crypto.encrypt(value) for value in values]


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


@transaction.atomic
def store_rows(
    checked: Checked,
    enterprise: Any,
    *,
    actor: Any,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create the new people and put every valid row on the roster; returns how many."""
    from fugong.audit.actions import record
    from fugong.geo.models import Division

    rows = checked.valid
    new = [r for r in rows if r["person_id"] is None]
    now = bulk.db_datetime(timezone.now())
    sqlite = connection.vendor == "sqlite"
    true, false = (1, 0) if sqlite else (True, False)
    if new:
        divisions = dict(
            Division.objects.filter(
                code__in={r["home"] for r in new if r["home_is_city"]}
            ).values_list("code", "pk")
        )
        ciphers = encrypt_many([r["id_number"] for r in new])
        ids = _new_person_ids(len(new))
        fields = [
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

        def person_rows() -> Iterable[list[Any]]:
            for k, (r, cipher) in enumerate(zip(new, ciphers, strict=True)):
                number = r["id_number"]
                birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
                values = [
                    cipher,
                    r["hash"],
                    mask_id_number(number),
                    r["name"],
                    true if int(number[16]) % 2 == 1 else false,
                    birth if sqlite else dt.date.fromisoformat(birth),
                    r["phone"],
                    divisions.get(r["home"]),
                    r["home"],
                    now,
                ]
                if ids is not None:
                    values.insert(0, ids[k])
                yield values

        bulk.insert_rows(
            Person, (["id"] if ids is not None else []) + fields, person_rows(), prepared=True
        )
        if ids is not None:
            for r, pk in zip(new, ids, strict=True):
                r["person_id"] = pk
        else:
            by_hash: dict[str, int] = {}
            hashes = [r["hash"] for r in new]
            for start in range(0, len(hashes), 900):
                by_hash.update(
                    Person.objects.filter(id_hash__in=hashes[start : start + 900]).values_list(
                        "id_hash", "pk"
                    )
                )
            for r in new:
                r["person_id"] = by_hash[r["hash"]]
    if progress is not None:
        progress(len(rows) // 2, len(rows))
    bulk.insert_rows(
        Employment,
        ["person", "enterprise", "post", "start_date", "active", "created_at"],
        (
            (
                r["person_id"],
                enterprise.pk,
                r["post"],
                r["start_date"].isoformat() if sqlite and r["start_date"] else r["start_date"],
                true,
                now,
            )
            for r in rows
        ),
        prepared=True,
    )
    record(
        actor,
        "roster.imported",
        enterprise,
        details={"accepted": len(rows), "new_people": len(new), "rejected": checked.rejected_rows},
    )
    if progress is not None:
        progress(len(rows), len(rows))
    return len(rows)


def import_roster(
    data: bytes,
    filename: str,
    enterprise: Any,
    *,
    actor: Any,
    valid_rows_only: bool,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Checked, int]:
    """Read, check and (when allowed) store; returns the check and how many rows were stored."""
    table = read_table(data, filename)
    checked = check_rows(table, enterprise, today=today, progress=progress)
    if checked.errors and not valid_rows_only:
        return checked, 0
    if not checked.valid:
        return checked, 0
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
