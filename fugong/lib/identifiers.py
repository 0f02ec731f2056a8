"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100).

python-stdnum does the checking; its ``cn.uscc`` wrongly rejects codes whose registering
authority is N (agriculture) or Y (other), so credit codes are checked here against the standard's
own alphabet and weights, and stdnum is used only for what it gets right.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from operator import mul

from django.utils.translation import gettext as _
from stdnum import numdb


class InvalidIdentifier(ValueError):
    """The value is not a valid identifier; ``str()`` is a message for the user."""


# ----------------------------------------------------------------------------- resident ID
def half_width(text: str) -> str:
    """Full-width digits, letters and signs (what a Chinese input method types in its full-width
    mode: ``１３９…``, ``４４０６…１２３Ｘ``) as their ASCII selves."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def normalize_id_number(value: str) -> str:
    """Without spaces, in capitals, full-width characters as ASCII."""
    return "".join(half_width(str(value)).split()).upper()


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_ZERO_WEIGHTED = ord("0") * sum(ID_WEIGHTS)


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 ASCII digits (GB 11643)."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("17 digits are needed")
    # Σ weight × (code point − ord("0")), over the characters' codes: no int() per digit.
    return ID_CHECK[(sum(map(mul, first17.encode(), ID_WEIGHTS)) - _ZERO_WEIGHTED) % 11]


def validate_id_number(value: str, *, today: dt.date | None = None) -> str:
    """Return the normalized 18-character resident ID or raise InvalidIdentifier.

    Checks length, format, the check character, the birth date and that the first six digits are
    a GB/T 2260 county code. python-stdnum's ``cn.ric`` also requires that code to have existed
    in the birth year, which rejects real numbers issued later to older people (a county created
    in 1993 issues numbers to people born in 1934), so the place is checked against every code
    the table has known, at any time.
    """
    number = normalize_id_number(value)
    if len(number) != 18:
        raise InvalidIdentifier(_("A resident ID number has 18 characters."))
    if not (
        number.isascii() and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")
    ):
        raise InvalidIdentifier(_("A resident ID number is 17 digits followed by a digit or X."))
    if id_check_char(number[:17]) != number[17]:
        raise InvalidIdentifier(_("The check character of this ID number is wrong."))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier(_("The birth date in this ID number is impossible.")) from None
    if birth.year < 1900:
        raise InvalidIdentifier(_("The birth date in this ID number is impossible."))
    if birth > (today or dt.date.today()):
        raise InvalidIdentifier(_("The birth date in this ID number is in the future."))
    if not _is_known_county(number[:6]):
        raise InvalidIdentifier(_("The first six digits of this ID number are not a known place."))
    return number


def id_birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_is_male(number: str) -> bool:
    return int(number[16]) % 2 == 1


def mask_id_number(number: str) -> str:
    """``440604199001011234`` → ``4406**********1234``: first 4 and last 4 characters kept."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """First and last 3 digits kept, as was done during the epidemic."""
    digits = phone.strip()
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def mask_name(name: str) -> str:
    """Surname only: ``张三丰`` → ``张**``."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


# ------------------------------------------------------------------------ credit code
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_AUTHORITIES = "123456789ANY"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return the normalized 18-character unified social credit code or raise."""
    code = "".join(half_width(str(value)).split()).upper()
    if len(code) != 18:
        raise InvalidIdentifier(_("A unified social credit code has 18 characters."))
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise InvalidIdentifier(
            _("A credit code cannot contain %(chars)s (I, O, Z, S and V are never used).")
            % {"chars": ", ".join(bad)}
        )
    if code[0] not in USCC_AUTHORITIES:
        raise InvalidIdentifier(_("The first character of a credit code must be 1-9, A, N or Y."))
    if not code[2:8].isdigit():
        raise InvalidIdentifier(_("Characters 3 to 8 of a credit code are a division code."))
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidIdentifier(_("The check character of this credit code is wrong."))
    return code


# ------------------------------------------------------------------- division codes (GB/T 2260)
def _current_name(raw: str) -> str | None:
    """``"[-1991]东郊区,[1992-]东丽区"`` → ``"东丽区"``; None when the code is no longer in use."""
    last = raw.split(",")[-1]
    if last.startswith("["):
        period, name = last[1:].split("]", 1)
        if not period.endswith("-"):
            return None  # ended, e.g. "[-2010]崇文区" or "[1982-1999]昌平县"
        return name
    return last


@lru_cache(maxsize=1)
def national_counties() -> dict[str, str]:
    """Every county-level code in use (6 digits) → "province + county" name, from python-stdnum."""
    return {
        code: parts[0] + parts[-1]
        for code, parts in national_places().items()
        if not code.endswith("00")
    }


@lru_cache(maxsize=1)
def national_places() -> dict[str, tuple[str, ...]]:
    """Every code in use of a province, a prefecture or a county-level place → the names of the
    place and of the places above it (``"420106"`` → ``("湖北省", "武汉市", "武昌区")``), from
    python-stdnum's table: for people who do not know the codes (geo.selectors.find_places).
    Placeholders such as 市辖区 name nothing."""
    places: dict[str, tuple[str, ...]] = {}
    for _len, province_code, _hi, province_props, children in numdb.get("cn/loc").prefixes:
        province = province_props.get("province", "")
        prefecture: tuple[str, ...] = ()
        group = ""
        for _l, rest, _h, props, _c in children:
            name = _current_name(props.get("county", ""))
            code = province_code + rest
            if rest == "0000":  # the province itself, in simplified characters
                province = name or province
                places[code] = (province,)
            elif rest.endswith("00"):  # a prefecture, or a placeholder for the counties below
                group = rest[:2]
                prefecture = (name,) if name and not _is_placeholder(name) else ()
                if prefecture:
                    places[code] = (province, *prefecture)
            elif name and not _is_placeholder(name):
                places[code] = (province, *(prefecture if rest[:2] == group else ()), name)
    return places


def _is_placeholder(name: str) -> bool:
    return name in ("市辖区", "县") or "直辖" in name


def _is_known_county(code: str) -> bool:
    """Any county-level code the GB/T 2260 table has ever had (for ID numbers)."""
    return code in _ever_counties()


@lru_cache(maxsize=1)
def _ever_counties() -> frozenset[str]:
    """Every county-level code of python-stdnum's GB/T 2260 table, in use or not (read once:
    a look-up in its tree costs far more than a set's)."""
    codes = set()
    for p_len, p_low, p_high, _props, children in numdb.get("cn/loc").prefixes:
        for province in range(int(p_low), int(p_high) + 1):
            for c_len, c_low, c_high, props, _c in children:
                if not props.get("county"):
                    continue
                for county in range(int(c_low), int(c_high) + 1):
                    code = f"{province:0{p_len}d}{county:0{c_len}d}"
                    if len(code) == 6 and not code.endswith("00"):
                        codes.add(code)
    return frozenset(codes)


def division_prefix(code: str) -> str:
    """The prefix every code within the division ``code`` begins with: a province's first two
    digits (``"510000"`` → ``"51"``), a prefecture's four (``"330100"`` → ``"3301"``), a county's
    six; a township's or a community's code (9 or 12 digits) whole."""
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def national_division_name(code: str) -> str | None:
    """Name of a county-level (6-digit) GB/T 2260 code in use, or None."""
    return national_counties().get(code)


def national_place_name(code: str) -> str | None:
    """Name of a province, a prefecture or a county-level code in use, after its province as
    :func:`national_division_name` names a county (``"510100"`` → ``"四川省成都市"``,
    ``"510000"`` → ``"四川省"``), or None."""
    parts = national_places().get(code)
    if parts is None:
        return None
    return parts[0] + parts[-1] if len(parts) > 1 else parts[0]


def is_national_county_code(code: str) -> bool:
    return code in national_counties()
