from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from fugong.lib.identifiers import national_division_name

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
    """Name of a city division, or of any county in China; None for an unknown code."""
    return division_names([code]).get(code)


def division_names(
    codes: Iterable[str], *, city_names: dict[str, str] | None = None
) -> dict[str, str]:
    """:func:`division_name` of many codes, in one query (none when ``city_names``, the names of
    the city's divisions among them, have been read already); unknown codes are left out."""
    codes = set(codes)
    if city_names is None:
        city_names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    names = {code: name for code, name in city_names.items() if code in codes}
    for code in codes - names.keys():
        if (name := national_division_name(code)) is not None:
            names[code] = name
    return names


def is_known_location(code: str) -> bool:
    """A code a person can be at: one of the city's divisions or any county-level code."""
    if Division.objects.filter(code=code).exists():
        return True
    return national_division_name(code) is not None
