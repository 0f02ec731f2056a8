from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fugong.accounts.access import enterprises_for

from .models import Enterprise


def search_enterprises(
    user: Any,
    *,
    q: str = "",
    district: str = "",
    township: str = "",
    section: str = "",
    scale: str = "",
    key_only: bool = False,
    department: str = "",
) -> QuerySet[Enterprise]:
    qs = enterprises_for(user).select_related("township", "district", "industry", "department")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code=q.upper()))
    if district:
        qs = qs.filter(district__code=district)
    if township:
        qs = qs.filter(township__code=township)
    if section:
        qs = qs.filter(industry__section__code=section)
    if scale:
        qs = qs.filter(scale=scale)
    if department:
        qs = qs.filter(department__code=department)
    if key_only:
        qs = qs.filter(is_key=True)
    return qs.order_by("name", "pk")
