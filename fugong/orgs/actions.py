from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fugong.audit.actions import record
from fugong.geo.models import Division
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.identifiers import InvalidIdentifier, validate_credit_code

from .models import Department, Enterprise, Industry, LiaisonAssignment
from .policies import SCALE


def scale_class(industry: Industry, revenue: Decimal | float, policy: dict | None = None) -> str:
    """Which scale class an enterprise of this industry and revenue (10,000 yuan) falls in."""
    p = policy or SCALE.current()
    revenue = float(revenue)
    section = industry.section.code
    if section in p["industrial_sections"] and revenue >= p["industrial_min_revenue"]:
        return Enterprise.Scale.ABOVE_INDUSTRIAL
    for kind in ("wholesale", "retail", "catering"):
        if industry.code in p[f"{kind}_divisions"] and revenue >= p[f"{kind}_min_revenue"]:
            return Enterprise.Scale.ABOVE_TRADE
    return Enterprise.Scale.OTHER


def clean_credit_code(value: Any, field: str = "credit_code") -> str:
    try:
        return validate_credit_code(str(value or ""))
    except InvalidIdentifier as exc:
        raise FieldError(field, str(exc)) from None


@transaction.atomic
def do_create_enterprise(
    *,
    credit_code: str,
    name: str,
    township: Division,
    industry: Industry,
    department: Department,
    responsible_person: str,
    contact_phone: str,
    annual_revenue: Decimal = Decimal(0),
    is_key: bool = False,
    address: str = "",
    actor: Any,
) -> Enterprise:
    code = clean_credit_code(credit_code)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise Conflict(_("An enterprise with this credit code exists already."), "credit_code")
    if township.level != Division.Level.TOWNSHIP:
        raise FieldError("township", _("Choose a township or street."))
    if not name.strip():
        raise FieldError("name", _("The name is required."))
    enterprise = Enterprise.objects.create(
        credit_code=code,
        name=name.strip(),
        township=township,
        district=township.parent,
        industry=industry,
        department=department,
        annual_revenue=annual_revenue,
        scale=scale_class(industry, annual_revenue),
        is_key=is_key,
        responsible_person=responsible_person,
        contact_phone=contact_phone,
        address=address,
    )
    record(actor, "enterprise.created", enterprise)
    return enterprise


@transaction.atomic
def do_assign_liaison(officer: Any, enterprise: Enterprise, *, actor: Any) -> LiaisonAssignment:
    assignment, created = LiaisonAssignment.objects.get_or_create(
        officer=officer, enterprise=enterprise, active=True, defaults={"assigned_by": actor}
    )
    if created:
        record(actor, "liaison.assigned", enterprise, details={"officer": officer.pk})
    return assignment
