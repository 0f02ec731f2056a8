"""A believable resumption history for the synthetic city (runs before the health seed).

Over the history days the share of resumed enterprises rises from about 20% to about 60%, faster
in some districts and industries than others. Half the districts are at medium risk (standard,
parallel review), the others at low risk (accepted on commitment). There are pending, returned,
overdue and rejected applications, suspensions (some lifted) and inspections with rectification
orders. The enterprises in ``ctx.fresh_enterprises`` get nothing, so a newcomer can walk the
whole application path with their admin login.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.db.models import Count
from django.utils import timezone

from fugong.accounts.models import User
from fugong.audit.actions import record
from fugong.geo.models import Division
from fugong.lib.dates import SHANGHAI
from fugong.lib.workdays import add_working_days
from fugong.orgs.models import Enterprise
from fugong.policy.actions import do_save_policy_version

from .models import (
    Application,
    Inspection,
    RectificationOrder,
    Review,
    StatusChange,
    Submission,
)
from .policies import DEFAULT_CHECKLIST, RESUMPTION

# Relative speed of resumption per industry section (manufacturing and utilities first,
# catering, culture and education last).
SECTION_SPEED = {
    "B": 1.2,
    "C": 1.25,
    "D": 1.4,
    "E": 1.2,
    "F": 1.0,
    "G": 0.95,
    "H": 0.7,
    "I": 1.0,
    "K": 1.1,
    "L": 0.9,
    "M": 1.0,
    "N": 0.9,
    "O": 0.85,
    "P": 0.6,
    "Q": 1.1,
    "R": 0.6,
    "S": 0.8,
    "A": 1.1,
}


@lru_cache(maxsize=512)
def _working(day: dt.date, n: int) -> dt.date:
    return add_working_days(day, n)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """That time of ``day``; today, no later than now (a seed run at night dates this
    afternoon's decisions to now, not to hours that have not come)."""
    return min(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI), timezone.now())


def _checklist(staff: int, good: bool = True) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in DEFAULT_CHECKLIST:
        if item["kind"] == "bool":
            answers[item["code"]] = True
        elif item["code"] == "isolation_rooms":
            answers[item["code"]] = max(1, -(-staff // 100))
        elif item.get("comparison") == "max":
            answers[item["code"]] = 4
        else:
            answers[item["code"]] = item["required"] + 2
    if not good:
        answers["isolation_rooms"] = 0
    return answers


def seed(ctx: Any) -> None:
    rng = ctx.rng
    days = ctx.days()
    start, today = days[0], ctx.today
    span = max(len(days) - 1, 1)
    districts = list(Division.objects.filter(level=Division.Level.DISTRICT).order_by("code"))
    risk = {d.code: ("medium" if i % 2 == 0 else "low") for i, d in enumerate(districts)}
    policy = RESUMPTION.current()
    policy["district_risk_levels"] = risk
    do_save_policy_version(RESUMPTION, policy, note="synthetic city", actor=None)
    RESUMPTION.forget()
    district_speed = {d.pk: 0.75 + 0.5 * rng.random() for d in districts}
    township_users = {
        u.username.removeprefix("township-"): u
        for u in User.objects.filter(username__startswith="township-")
    }
    dept_users = {
        u.username.removeprefix("dept-"): u
        for u in User.objects.filter(username__startswith="dept-")
    }
    fresh = {e.pk for e in ctx.fresh_enterprises}
    demo = {e.pk for e in ctx.demo_enterprises} - fresh
    enterprises = list(
        Enterprise.objects.exclude(pk__in=fresh)
        .select_related("township", "district", "department", "industry__section")
        .order_by("pk")
    )
    staff_counts = dict(
        Enterprise.objects.filter(employments__active=True)
        .values_list("pk")
        .annotate(n=Count("employments"))
    )
    apps: list[Application] = []
    plans: list[dict[str, Any]] = []  # what to create for each application, by index
    for e in enterprises:
        speed = district_speed[e.district_id] * SECTION_SPEED.get(e.industry.section.code, 1.0)
        t = rng.random() / speed
        if e.pk in demo:
            t = 0.05
        route = "standard" if risk[e.district.code] == "medium" else "commitment"
        staff = max(1, min(staff_counts.get(e.pk, 10), 5000))
        if t < 0.18:
            effective = start - dt.timedelta(days=rng.randint(1, 10))
            kind = "approved"
        elif t < 0.56:
            effective = start + dt.timedelta(days=round((t - 0.18) / 0.38 * span))
            kind = "approved"
        else:
            roll = rng.random()
            if route == "commitment" or roll >= 0.34:
                continue
            kind = "submitted" if roll < 0.22 else "returned" if roll < 0.30 else "rejected"
            effective = None
        if kind == "approved":
            submitted_on = effective - dt.timedelta(
                days=rng.randint(1, 3) if route == "standard" else 0
            )
        elif kind == "submitted":
            submitted_on = today - dt.timedelta(days=rng.randint(0, 5))
        else:
            submitted_on = today - dt.timedelta(days=rng.randint(1, 8))
        planned = effective or (submitted_on + dt.timedelta(days=rng.randint(0, 3)))
        app = Application(
            enterprise=e,
            status=kind,
            route=route,
            round=2 if kind == "submitted" and rng.random() < 0.2 else 1,
            planned_date=planned,
            staff_planned=staff,
            staff_from_outside=int(staff * rng.uniform(0.05, 0.4)),
            staff_from_risk_areas=0,
            checklist=_checklist(staff, good=kind != "returned"),
            commitment=True,
            risk_level=risk[e.district.code],
            submitted_at=_at(submitted_on, rng.randint(8, 17), rng.randint(0, 59)),
            submitted_on=submitted_on,
            due=submitted_on
            if route == "commitment" and kind == "approved"
            else _working(submitted_on, int(policy["decision_working_days"])),
            decided_at=None
            if kind == "submitted"
            else _at(max(submitted_on, (effective or submitted_on) - dt.timedelta(days=0)), 16),
            effective_date=effective,
            inspection_due=_working(submitted_on, int(policy["inspection_working_days"]))
            if route == "commitment" and kind == "approved"
            else None,
        )
        app.staff_from_risk_areas = int(app.staff_from_outside * rng.uniform(0, 0.2))
        apps.append(app)
        plans.append({"kind": kind, "route": app.route, "enterprise": e})
    Application.objects.bulk_create(apps, batch_size=2000)
    submissions, reviews, changes, inspections, orders = [], [], [], [], []
    labels = {i["code"]: i["label_zh"] for i in DEFAULT_CHECKLIST}
    for app, plan in zip(apps, plans, strict=True):
        e = plan["enterprise"]
        for rnd in range(1, app.round + 1):
            submissions.append(
                Submission(
                    application=app,
                    round=rnd,
                    submitted_at=app.submitted_at,
                    data={
                        "planned_date": app.planned_date.isoformat(),
                        "staff_planned": app.staff_planned,
                        "checklist": app.checklist,
                        "commitment": True,
                    },
                )
            )
        if app.route == "standard":
            t_user = township_users.get(e.township.code)
            d_user = dept_users.get(e.department.code)
            decided = app.decided_at
            if app.round == 2:
                reviews.append(
                    Review(
                        application=app,
                        round=1,
                        kind="township",
                        code=e.township.code,
                        decision="return",
                        comment="请补充隔离观察室",
                        decided_by=t_user,
                        decided_at=app.submitted_at - dt.timedelta(days=2),
                        item_reasons={"isolation_rooms": labels["isolation_rooms"] + "不足"},
                    )
                )
                reviews.append(
                    Review(
                        application=app,
                        round=1,
                        kind="department",
                        code=e.department.code,
                        decision="cancelled",
                        decided_at=app.submitted_at - dt.timedelta(days=2),
                    )
                )
            if plan["kind"] == "approved":
                pair = ("approve", "approve")
            elif plan["kind"] == "submitted":
                pair = ("approve" if rng.random() < 0.4 else "pending", "pending")
            elif plan["kind"] == "returned":
                pair = ("return", "cancelled")
            else:
                pair = ("approve", "reject")
            for (kind, code, user), decision in zip(
                (("township", e.township.code, t_user), ("department", e.department.code, d_user)),
                pair,
                strict=True,
            ):
                reviews.append(
                    Review(
                        application=app,
                        round=app.round,
                        kind=kind,
                        code=code,
                        decision=decision,
                        comment={
                            "reject": "企业防控措施不落实,不予同意",
                            "return": "请补正隔离观察室",
                        }.get(decision, ""),
                        item_reasons={"isolation_rooms": "隔离观察室数量不足"}
                        if decision == "return"
                        else {},
                        decided_by=None if decision in ("pending", "cancelled") else user,
                        decided_at=None if decision == "pending" else decided,
                    )
                )
        if plan["kind"] != "approved":
            continue
        changes.append(
            StatusChange(
                enterprise=e,
                status="resumed",
                effective_date=app.effective_date,
                application=app,
                by_kind=app.route,
            )
        )
        inspector = township_users.get(e.township.code)
        if (
            app.route == "commitment"
            and app.submitted_on <= today - dt.timedelta(days=2)
            and rng.random() < 0.7
            and e.pk not in demo
        ):
            date = min(today, app.submitted_on + dt.timedelta(days=rng.randint(1, 5)))
            failed = ["supplies_days"] if rng.random() < 0.12 else []
            results = dict(app.checklist)
            if failed:
                results["supplies_days"] = 1
            inspections.append(
                (
                    Inspection(
                        enterprise=e,
                        application=app,
                        inspector=inspector,
                        by_kind="township",
                        date=date,
                        results=results,
                        failed_items=failed,
                        passed=not failed,
                        notes="现场检查" if not failed else "防疫物资储备不足3天",
                    ),
                    failed,
                )
            )
            app.inspected_at = _at(date, 15)
        if (
            e.pk not in demo
            and app.effective_date < today - dt.timedelta(days=2)
            and rng.random() < 0.03
        ):
            suspended_on = app.effective_date + dt.timedelta(
                days=rng.randint(1, max(1, (today - app.effective_date).days - 1))
            )
            changes.append(
                StatusChange(
                    enterprise=e,
                    status="suspended",
                    effective_date=suspended_on,
                    reason="发现员工聚集用餐,责令停工整改",
                    by_kind="township",
                    created_by=inspector,
                )
            )
            if rng.random() < 0.3 and suspended_on < today:
                changes.append(
                    StatusChange(
                        enterprise=e,
                        status="resumed",
                        effective_date=min(today, suspended_on + dt.timedelta(days=2)),
                        reason="已完成整改",
                        by_kind="township",
                        created_by=inspector,
                    )
                )
    Submission.objects.bulk_create(submissions, batch_size=5000)
    Review.objects.bulk_create(reviews, batch_size=5000)
    StatusChange.objects.bulk_create(changes, batch_size=5000)
    Application.objects.bulk_update(
        [a for a in apps if a.inspected_at], ["inspected_at"], batch_size=2000
    )
    Inspection.objects.bulk_create([i for i, _f in inspections], batch_size=5000)
    for inspection, failed in inspections:
        if failed:
            done = rng.random() < 0.5
            orders.append(
                RectificationOrder(
                    enterprise=inspection.enterprise,
                    inspection=inspection,
                    items=failed,
                    deadline=_working(inspection.date, int(policy["rectification_working_days"])),
                    status="rectified" if done else "open",
                    closed_by=inspection.inspector if done else None,
                    closed_at=_at(inspection.date, 17) if done else None,
                )
            )
    RectificationOrder.objects.bulk_create(orders, batch_size=5000)
    record(
        None,
        "resumption.seeded",
        None,
        details={
            "applications": len(apps),
            "status_changes": len(changes),
            "inspections": len(inspections),
        },
    )
