from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from django.db.models import QuerySet

from fugong.lib.identifiers import (
    half_width,
    national_division_name,
    national_place_name,
    national_places,
)

from .models import Division


def city() -> Division | None:
    return Division.objects.filter(level=Division.Level.CITY).first()


def districts() -> QuerySet[Division]:
    return Division.objects.filter(level=Division.Level.DISTRICT)


def townships(within: Division | None = None) -> QuerySet[Division]:
    qs = Division.objects.filter(level=Division.Level.TOWNSHIP)
    if within is not None:
        qs = qs.filter(code__startswith=within.prefix)
    return qs


def division_name(code: str) -> str | None:
    """Name of a city division, or of any county, prefecture or province of China; None for an
    unknown code."""
    return division_names([code]).get(code)


def division_names(
    codes: Iterable[str], *, city_names: dict[str, str] | None = None
) -> dict[str, str]:
    """:func:`division_name` of many codes, in one query (none when ``city_names``, the names of
    the city's divisions among them, have been read already), a province or a prefecture of
    China named too (a risk level's place); unknown codes are left out."""
    codes = set(codes)
    if city_names is None:
        city_names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    names = {code: name for code, name in city_names.items() if code in codes}
    for code in codes - names.keys():
        if (name := national_place_name(code)) is not None:
            names[code] = name
    return names


def is_known_location(code: str) -> bool:
    """A code a person can be at: one of the city's divisions or any county-level code."""
    if Division.objects.filter(code=code).exists():
        return True
    return national_division_name(code) is not None


# ------------------------------------------------------------------------ places by name
@dataclass(frozen=True)
class Place:
    code: str
    name: str  # in full: "湖北省武汉市武昌区", "佛山市禅城区祖庙街道"


# Characters of the kinds of places, left out when names are compared: people type "武汉武昌"
# as often as "武汉市武昌区".
_KINDS = str.maketrans("", "", "省市区县镇乡")


def find_places(text: str, *, areas: bool = False) -> list[Place]:
    """The places a name typed by someone who does not know the codes may mean, by code: the
    city's divisions and China's county-level places (with ``areas``, also its provinces and
    prefectures). The name may leave out the places above (the province, the prefecture) and
    the kinds (省, 市, 区, 县…): "武昌区", "武汉武昌" and "湖北省武昌区" each find
    湖北省武汉市武昌区. The places so named, when there are any; otherwise every place whose name
    contains the text ("武汉" finds the districts of 武汉市), but none within another found."""
    loose = "".join(half_width(text).split()).translate(_KINDS)
    if not loose:
        return []
    named: dict[str, str] = {}
    containing: dict[str, str] = {}
    for code, name, keys in [*_national_entries(areas), *_city_entries()]:
        if loose in keys:
            named.setdefault(code, name)
        elif any(loose in key for key in keys):
            containing.setdefault(code, name)
    found = named or containing
    # A township named, not each of its communities as well (their codes begin with its code).
    return [
        Place(code, name)
        for code, name in sorted(found.items())
        if not any(code[:n] in found for n in (6, 9) if n < len(code))
    ]


# code, full name, the names it is known by (without the kinds of places)
_Entry = tuple[str, str, tuple[str, ...]]


def _entry(code: str, parts: tuple[str, ...]) -> _Entry:
    """A place's names: its own, after any of the places above it, in order (``武昌区``,
    ``武汉市武昌区``, ``湖北省武昌区`` as health reasons word a place of origin, …)."""
    *above, own = parts
    keys = {
        "".join((*chosen, own)) for n in range(len(above) + 1) for chosen in combinations(above, n)
    }
    return code, "".join(parts), tuple(key.translate(_KINDS) for key in keys)


@lru_cache(maxsize=2)
def _national_entries(areas: bool) -> list[_Entry]:
    return [
        _entry(code, parts)
        for code, parts in national_places().items()
        if areas or not code.endswith("00")
    ]


def _city_entries() -> list[_Entry]:
    """The city's divisions, under their province (read each time: they are data)."""
    rows = list(Division.objects.values_list("code", "name", "parent__code"))
    names = {code: name for code, name, _parent in rows}
    parents = {code: parent for code, _name, parent in rows}
    entries = []
    for code in names:
        parts, at = [], code
        while at in names:
            parts.insert(0, names[at])
            at = parents.get(at)
        province = national_places().get(code[:2] + "0000", ())
        entries.append(_entry(code, (*province, *parts)))
    return entries
