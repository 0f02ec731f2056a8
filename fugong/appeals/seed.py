"""Synthetic appeals, offers, responsible leaders and liaison visit logs for the demo city.

Appeals are spread over the history window in every category and state — some overdue, some
rated, one reopened after a "not satisfied" — and written in bulk (routing is evaluated in
memory), so "small" stays within a few seconds and "city" grows in proportion.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fugong.accounts.models import Role, User
from fugong.audit.actions import record_many
from fugong.lib.dates import SHANGHAI, business_date
from fugong.lib.workdays import add_working_days, is_working_day
from fugong.orgs.models import Department, Enterprise, LiaisonAssignment

from .actions import escalate_overdue, pick_department_code
from .models import (
    Appeal,
    AppealEvent,
    Category,
    Offer,
    Rating,
    ResponsibleLeader,
    RoutingRule,
    Status,
    Urgency,
    VisitLog,
)
from .policies import APPEALS

PER_SCALE = {"tiny": 30, "small": 160, "city": 1600}
SUPPLIERS = ["佛山市南海区利民防护用品厂", "广州白云卫材有限公司", "东莞康盾医疗用品有限公司"]
ROUTES = [
    "湖南邵阳—佛山 返岗专车",
    "佛山—武汉 原料运输",
    "江西赣州—顺德 包车",
    "佛山港—香港 出口集装箱",
]
PARTS = ["芯片供应(苏州)", "塑料粒子(茂名石化)", "电机配件(宁波)"]

TEMPLATES: dict[str, list[tuple[str, str, tuple[int, int] | None]]] = {
    Category.LABOUR: [
        ("缺普工{q}人", "节后外省员工返岗不足,生产线无法满产。", (20, 300)),
        ("需要技术工人{q}名", "焊工、电工缺口较大。", (5, 40)),
    ],
    Category.LOGISTICS: [
        ("返岗员工包车通行", "需协调跨省包车点对点接返员工。", (30, 200)),
        ("原材料运输受阻", "货车司机需隔离,原料无法进厂。", None),
    ],
    Category.SUPPLY_CHAIN: [
        ("上游供应商未复工", "关键零部件断供,请协调供应商复工。", None),
    ],
    Category.PROTECTIVE_SUPPLIES: [
        ("口罩缺口{q}个", "复工需每人每天2个口罩,现库存不足3天。", (5000, 50000)),
        ("额温枪{q}把", "门岗测温设备不足。", (5, 60)),
    ],
    Category.FUNDING: [
        ("流动资金贷款续贷", "疫情期间回款困难,申请贷款展期。", (100, 2000)),
    ],
    Category.APPROVAL: [
        ("复工备案材料审核", "已提交复工备案,请尽快审核。", None),
    ],
    Category.POLICY: [
        ("社保减免政策咨询", "咨询阶段性减免企业社保费政策适用范围。", None),
        ("稳岗补贴申领", "咨询稳岗返还申领条件。", None),
    ],
    Category.OTHER: [
        ("员工宿舍隔离场所", "需要临时隔离观察场所。", None),
    ],
}
CATEGORY_WEIGHTS = {
    Category.LABOUR: 26, Category.PROTECTIVE_SUPPLIES: 20, Category.LOGISTICS: 15,
    Category.SUPPLY_CHAIN: 12, Category.FUNDING: 10, Category.APPROVAL: 6,
    Category.POLICY: 8, Category.OTHER: 3,
}  # fmt: skip
ANSWERS = [
    "已对接人社部门专场招聘会,推荐求职者{q}人,请企业联系现场面试。",
    "已协调供应商优先供货,请与对方联系确认交付时间。",
    "已开具运输通行证明并纳入绿色通道。",
    "已转介合作银行,给予续贷及利率优惠。",
    "已完成审核,可按告知承诺制先行复工。",
    "已答复政策适用范围并提供申领指引。",
]
FINDINGS = [
    "已复工,员工到岗约七成,测温登记规范。",
    "口罩储备仅够两天,已协助提出诉求。",
    "外省员工返岗困难,企业希望组织包车。",
    "防控措施到位,隔离观察室已设置。",
    "上游供应商未复工,订单交付压力大。",
    "员工宿舍人数超标,已督促调整。",
]


def seed(ctx: Any) -> None:
    rng = ctx.rng
    now = timezone.now()
    policy = APPEALS.current()
    departments = {d.code: d for d in Department.objects.all()}
    officers = _department_officers()
    command = User.objects.filter(username="command").first()
    _leaders(ctx, departments)
    _offers(departments, officers)
    rules = list(RoutingRule.objects.all())

    liaisons = list(User.objects.filter(username__in=["liaison-1", "liaison-2", "liaison-3"]))
    assigned: dict[int, list[Enterprise]] = {}
    liaison_of: dict[int, User] = {}
    for a in LiaisonAssignment.objects.filter(officer__in=liaisons, active=True).select_related(
        "enterprise__industry__section", "enterprise__district"
    ):
        assigned.setdefault(a.officer_id, []).append(a.enterprise)
        liaison_of[a.enterprise_id] = a.officer
    admins = {
        e_id: u
        for u, e_id in (
            (m.user, m.enterprise_id)
            for m in _memberships(Role.ENTERPRISE_ADMIN)
        )
    }  # fmt: skip
    featured = list(ctx.demo_enterprises) + [e for es in assigned.values() for e in es]
    # Drawn with the seed's own generator (not the database's random order), so that the same
    # seed builds the same city.
    pks = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    chosen = rng.sample(pks, min(len(pks), max(60, PER_SCALE.get(ctx.scale.name, 160))))
    by_pk = Enterprise.objects.select_related("industry__section", "district").in_bulk(chosen)
    pool = [by_pk[pk] for pk in chosen]
    featured = [
        e
        for e in Enterprise.objects.select_related("industry__section", "district").filter(
            pk__in=[e.pk for e in featured]
        )
    ]
    total = PER_SCALE.get(ctx.scale.name, 160)
    days = ctx.days()
    deadline_cache: dict[dt.date, tuple[dt.date, dt.date]] = {}

    def due(day: dt.date) -> tuple[dt.date, dt.date]:
        if day not in deadline_cache:
            deadline_cache[day] = (
                add_working_days(day, policy["accept_working_days"]),
                add_working_days(day, policy["answer_working_days"]),
            )
        return deadline_cache[day]

    plans = []
    categories = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in categories]
    for i in range(total):
        enterprise = rng.choice(featured) if featured and rng.random() < 0.35 else rng.choice(pool)
        category = rng.choices(categories, weights)[0]
        if i < len(Category.values):
            category = Category.values[i]  # every category at least once
        title, detail, qrange = rng.choice(TEMPLATES[category])
        quantity = rng.randint(*qrange) if qrange else None
        if quantity and quantity > 1000:
            quantity = round(quantity, -3)
        counterpart = ""
        if category == Category.PROTECTIVE_SUPPLIES:
            counterpart = rng.choice(SUPPLIERS)
        elif category == Category.LOGISTICS and "包车" in title:
            counterpart = rng.choice(ROUTES)
        elif category == Category.SUPPLY_CHAIN:
            counterpart = rng.choice(PARTS)
        day = rng.choice(days)
        # One appeal of the first day is never accepted, so that every seeded city shows an
        # overdue appeal and its escalation, whatever the time of day the seed runs at.
        never_accepted = i == len(Category.values)
        if never_accepted:
            day = days[0]
        filed_at = dt.datetime.combine(
            day, dt.time(rng.randint(8, 19), rng.randint(0, 59)), tzinfo=SHANGHAI
        )
        earlier = dt.timedelta(minutes=rng.randint(5, 120))  # drawn always: the same draws
        if filed_at > now:  # follow whatever the time of day
            filed_at = now - earlier
        codes = pick_department_code(rules, category, enterprise)
        department = next((departments[c] for c in codes if c in departments), None)
        accept_due, answer_due = due(business_date(filed_at))
        filer = admins.get(enterprise.pk) or liaison_of.get(enterprise.pk)
        plans.append({
            "appeal": Appeal(
                enterprise=enterprise, category=category, title=title.format(q=quantity),
                detail=detail, urgency=Urgency.URGENT if rng.random() < 0.2 else Urgency.NORMAL,
                quantity=quantity, counterpart=counterpart, department=department,
                filed_by=filer, filed_at=filed_at, accept_due=accept_due, answer_due=answer_due,
            ),
            "filer": filer,
            "never_accepted": never_accepted,
        })  # fmt: skip

    # Decide how far each appeal got, by its age.
    reopened_done = False
    events: list[tuple[int, dict[str, Any]]] = []
    for n, plan in enumerate(plans):
        appeal: Appeal = plan["appeal"]
        dept_user = officers.get(appeal.department.code) if appeal.department else command
        events.append((n, {"action": "filed", "at": appeal.filed_at, "actor": plan["filer"],
                           "to_department": appeal.department}))  # fmt: skip
        age_hours = (now - appeal.filed_at).total_seconds() / 3600
        stuck = rng.random()
        if plan["never_accepted"] or (stuck < 0.06 and age_hours > 30):
            continue  # never accepted: overdue
        accepted_at = appeal.filed_at + dt.timedelta(hours=rng.uniform(0.5, 20))
        if accepted_at > now:
            continue
        if appeal.department and rng.random() < 0.08:
            # Wrongly routed first: transferred to the enterprise's competent department.
            target = departments.get(_code_of(appeal.enterprise, departments))
            if target and target.pk != appeal.department_id:
                events.append((n, {"action": "transferred", "at": accepted_at, "actor": dept_user,
                                   "from_department": appeal.department, "to_department": target,
                                   "comment": "不属本部门职责,转交行业主管部门"}))  # fmt: skip
                appeal.department = target
                appeal.accept_due, appeal.answer_due = due(business_date(accepted_at))
                dept_user = officers.get(target.code)
                accepted_at += dt.timedelta(hours=rng.uniform(1, 10))
                if accepted_at > now:
                    appeal.status = Status.TRANSFERRED
                    continue
        appeal.status, appeal.accepted_at = Status.ACCEPTED, accepted_at
        events.append((n, {"action": "accepted", "at": accepted_at, "actor": dept_user}))
        if stuck < 0.14 and age_hours > 80:
            continue  # accepted, no solution yet: overdue
        answered_at = accepted_at + dt.timedelta(hours=rng.uniform(3, 60))
        if answered_at > now:
            continue
        answer = rng.choice(ANSWERS).format(q=appeal.quantity or 10)
        appeal.status, appeal.answered_at, appeal.answer = Status.ANSWERED, answered_at, answer
        events.append((n, {"action": "answered", "at": answered_at, "actor": dept_user,
                           "comment": answer}))  # fmt: skip
        closed_at = answered_at + dt.timedelta(hours=rng.uniform(2, 40))
        if closed_at > now or rng.random() < 0.15:
            continue
        roll = rng.random()
        rating = (
            Rating.SATISFIED if roll < 0.74
            else Rating.BASICALLY_SATISFIED if roll < 0.93
            else Rating.NOT_SATISFIED
        )  # fmt: skip
        if not reopened_done and age_hours > 72:
            rating = Rating.NOT_SATISFIED
        appeal.rating = rating
        events.append((n, {"action": "closed", "at": closed_at, "actor": plan["filer"],
                           "rating": rating}))  # fmt: skip
        if rating == Rating.NOT_SATISFIED and not reopened_done:
            reopened_done = True
            appeal.status, appeal.reopen_count, appeal.flagged = Status.REOPENED, 1, True
            appeal.answer_due = due(business_date(closed_at))[1]
            events.append((n, {"action": "reopened", "at": closed_at, "actor": plan["filer"],
                               "comment": "问题仍未解决,请再协调"}))  # fmt: skip
            continue
        appeal.status, appeal.closed_at = Status.CLOSED, closed_at
        appeal.flagged = rating == Rating.NOT_SATISFIED

    appeals = Appeal.objects.bulk_create([p["appeal"] for p in plans], batch_size=500)
    AppealEvent.objects.bulk_create(
        [
            AppealEvent(
                appeal=appeals[n],
                at=e["at"],
                actor=e.get("actor"),
                actor_label=str(e["actor"]) if e.get("actor") else appeals[n].enterprise.name,
                action=e["action"],
                comment=e.get("comment", ""),
                from_department=e.get("from_department"),
                to_department=e.get("to_department"),
                rating=e.get("rating", ""),
            )  # fmt: skip
            for n, e in events
        ],
        batch_size=1000,
    )
    record_many(None, "appeal.seeded", appeals)
    _visits(ctx, assigned, appeals, liaison_of)
    escalate_overdue(now)
    ctx.progress.step("appeals", len(appeals), len(appeals))


def _code_of(enterprise: Enterprise, departments: dict[str, Department]) -> str:
    for code, d in departments.items():
        if d.pk == enterprise.department_id:
            return code
    return ""


def _memberships(role: str) -> list:
    from fugong.accounts.models import Membership

    return list(Membership.objects.filter(role=role).select_related("user"))


def _department_officers() -> dict[str, User]:
    result: dict[str, User] = {}
    for m in _memberships(Role.DEPARTMENT_OFFICER):
        if m.department_id and m.user.username.startswith("dept-"):
            result.setdefault(m.user.username.removeprefix("dept-"), m.user)
    return result


def _leaders(ctx: Any, departments: dict[str, Department]) -> None:
    for code in ("gxj", "rsj", "jtj", "swj"):
        dept = departments.get(code)
        if dept is None:
            continue
        user = ctx.add_user(
            f"leader-{code}", Role.DEPARTMENT_OFFICER, code, f"{dept.name_zh}分管领导",
            department=dept,
        )  # fmt: skip
        ResponsibleLeader.objects.create(department=dept, user=user)


def _offers(departments: dict[str, Department], officers: dict[str, User]) -> None:
    rows = [
        ("gxj", Category.PROTECTIVE_SUPPLIES, "口罩", 200000, SUPPLIERS[0], "0757-86000001"),
        ("gxj", Category.PROTECTIVE_SUPPLIES, "额温枪", 500, "佛山市测温设备有限公司", ""),
        ("rsj", Category.LABOUR, "普工", 800, "佛山市人力资源市场", "0757-83000002"),
        ("jtj", Category.LOGISTICS, "包车", 60, "佛山市汽运集团", "0757-82000003"),
    ]
    Offer.objects.bulk_create(
        Offer(department=departments[d], category=c, item=i, quantity=q, provider=p, contact=t,
              created_by=officers.get(d))
        for d, c, i, q, p, t in rows
        if d in departments
    )  # fmt: skip


def _visits(
    ctx: Any,
    assigned: dict[int, list[Enterprise]],
    appeals: list[Appeal],
    liaison_of: dict[int, User],
) -> None:
    rng = ctx.rng
    by_enterprise: dict[int, list[Appeal]] = {}
    for a in appeals:
        if a.enterprise_id in liaison_of:
            by_enterprise.setdefault(a.enterprise_id, []).append(a)
    officers = {u.pk: u for u in liaison_of.values()}
    visits = []
    links = []
    for officer_id, enterprises in assigned.items():
        for day in ctx.days():
            if not is_working_day(day):
                continue
            for enterprise in rng.sample(enterprises, min(len(enterprises), rng.randint(1, 3))):
                visit = VisitLog(
                    officer=officers[officer_id], enterprise=enterprise, date=day,
                    met=f"{enterprise.responsible_person}(负责人)",
                    findings=rng.choice(FINDINGS),
                )  # fmt: skip
                raised = [a for a in by_enterprise.get(enterprise.pk, []) if a.filed_on == day]
                visits.append((visit, raised))
    created = VisitLog.objects.bulk_create([v for v, _ in visits], batch_size=500)
    for visit, (_v, raised) in zip(created, visits, strict=True):
        links += [VisitLog.appeals.through(visitlog_id=visit.pk, appeal_id=a.pk) for a in raised]
    VisitLog.appeals.through.objects.bulk_create(links, batch_size=1000)
