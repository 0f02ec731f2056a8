from __future__ import annotations

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
    name = Division.objects.filter(code=code).values_list("name", flat=True).first()
    return name or national_division_name(code)


def is_known_location(code: str) -> bool:
    """A code a person can be at: one of the city's divisions or any county-level code."""
    if Division.objects.filter(code=code).exists():
        return True
    return national_division_name(code) is not None
