"""Every change to appeals, routing rules, offers, visit logs and liaison assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fugong.accounts.access import (
    administered_enterprise,
    enterprises_for,
    has_role,
    is_command_centre,
    user_departments,
)
from fugong.accounts.models import Role, User
from fugong.audit.actions import record
from fugong.lib.dates import business_date
from fugong.lib.errors import MAX_COUNT, Conflict, FieldError
from fugong.lib.workdays import add_working_days
from fugong.notifications.actions import do_notify
from fugong.orgs.actions import do_assign_liaison
from fugong.orgs.models import Department, Enterprise, LiaisonAssignment

from .models import (
    AWAITING_ACCEPTANCE,
    AWAITING_ANSWER,
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

ACTIONS = ("accept", "transfer", "answer", "close", "reopen", "cohandle", "note")


# ------------------------------------------------------------------------------------ routing
def pick_department_code(
    rules: Iterable[RoutingRule], category: str, enterprise: Enterprise
) -> list[str]:
    """Department codes of the matching rules, most specific first."""
    industry = enterprise.industry
    matching = [
        r
        for r in rules
        if r.category in ("", category)
        and r.section in ("", industry.section.code)
        and r.industry in ("", industry.code)
        and r.district in ("", enterprise.district.code)
    ]
    return [r.department for r in sorted(matching, key=lambda r: (-r.specificity, r.pk))]


def route(category: str, enterprise: Enterprise) -> Department | None:
    """The department that owns appeals of this category from this enterprise, or None (desk)."""
    industry = enterprise.industry
    rules = RoutingRule.objects.filter(
        Q(category="") | Q(category=category),
        Q(section="") | Q(section=industry.section.code),
        Q(industry="") | Q(industry=industry.code),
        Q(district="") | Q(district=enterprise.district.code),
    )
    codes = pick_department_code(rules, category, enterprise)
    if not codes:
        return None
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    for code in codes:
        if code in found:
            return found[code]
    return None


def deadlines(start: dt.date, policy: dict | None = None) -> tuple[dt.date, dt.date]:
    """(accept by, answer by) for an appeal that reaches a department on ``start``."""
    p = policy or APPEALS.current()
    return (
        add_working_days(start, p["accept_working_days"]),
        add_working_days(start, p["answer_working_days"]),
    )


@transaction.atomic
def do_save_routing_rule(
    *,
    category: str,
    section: str,
    industry: str,
    district: str,
    department: Department,
    actor: Any,
) -> RoutingRule:
    if category and category not in Category.values:
        raise FieldError("category", _("Unknown category."))
    if not (category or section or industry or district):
        raise FieldError(
            "category", _("A rule must name at least a category, industry or district.")
        )
    rule = RoutingRule.objects.create(
        category=category,
        section=section.upper(),
        industry=industry,
        district=district,
        department=department.code,
    )
    record(actor, "routing_rule.created", rule, details={"rule": str(rule)})
    return rule


@transaction.atomic
def do_delete_routing_rule(rule: RoutingRule, *, actor: Any) -> None:
    record(actor, "routing_rule.deleted", rule, details={"rule": str(rule)})
    rule.delete()


@transaction.atomic
def do_set_responsible_leader(department: Department, user: User, *, actor: Any) -> None:
    ResponsibleLeader.objects.update_or_create(department=department, defaults={"user": user})
    record(actor, "appeal_leader.set", department, details={"user": user.get_username()})


# ------------------------------------------------------------------------------------ people
def department_officers(department: Department | None) -> list[User]:
    if department is None:
        return command_centre_users()
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.DEPARTMENT_OFFICER,
            memberships__department=department,
        ).distinct()
    )


def command_centre_users() -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__role=Role.COMMAND_CENTRE).distinct()
    )


def responsible_leaders(department: Department | None) -> list[User]:
    """The department's responsible leader, else its officers; the desk's is the command centre."""
    if department is None:
        return command_centre_users()
    leader = ResponsibleLeader.objects.filter(department=department).select_related("user").first()
    if leader is not None:
        return [leader.user]
    return department_officers(department)


def enterprise_side(enterprise: Enterprise) -> list[User]:
    """Who speaks for the enterprise: its administrators and its liaison officers."""
    return list(
        User.objects.filter(
            Q(memberships__role=Role.ENTERPRISE_ADMIN, memberships__enterprise=enterprise)
            | Q(liaison_assignments__enterprise=enterprise, liaison_assignments__active=True),
            is_active=True,
        ).distinct()
    )


def _link(appeal: Appeal) -> str:
    return reverse("appeals:detail", args=[appeal.pk])


# ------------------------------------------------------------------------------------ filing
def clean_quantity(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise FieldError("quantity", _("The quantity must be a whole number.")) from None
    if number < 0:
        raise FieldError("quantity", _("The quantity cannot be negative."))
    if number > MAX_COUNT:
        raise FieldError("quantity", _("The number is too large."))
    return number


def can_file_for(user: Any, enterprise: Enterprise) -> bool:
    if administered_enterprise(user) == enterprise:
        return True
    return (
        has_role(user, Role.LIAISON_OFFICER)
        and LiaisonAssignment.objects.filter(
            officer=user, enterprise=enterprise, active=True
        ).exists()
    )


@transaction.atomic
def do_file_appeal(
    enterprise: Enterprise,
    *,
    category: str,
    title: str,
    detail: str = "",
    urgency: str = Urgency.NORMAL,
    quantity: Any = None,
    counterpart: str = "",
    actor: Any,
    filed_at: dt.datetime | None = None,
) -> Appeal:
    if category not in Category.values:
        raise FieldError(
            "category",
            _("Unknown category: choose one of %(list)s.") % {"list": ", ".join(Category.values)},
        )
    title = (title or "").strip()
    if not title:
        raise FieldError("title", _("The title is required."))
    if len(title) > 120:
        raise FieldError("title", _("The title is at most 120 characters."))
    if urgency not in Urgency.values:
        raise FieldError("urgency", _("The urgency is normal or urgent."))
    quantity = clean_quantity(quantity)
    counterpart = (counterpart or "").strip()
    if len(counterpart) > 100:  # refused, not cut: nothing the enterprise wrote is lost
        raise FieldError("counterpart", _("The counterpart is at most 100 characters."))
    if actor is not None and not can_file_for(actor, enterprise):
        raise Conflict(_("Only the enterprise or its liaison officer may file its appeals."))
    filed_at = filed_at or timezone.now()
    department = route(category, enterprise)
    accept_due, answer_due = deadlines(business_date(filed_at))
    appeal = Appeal.objects.create(
        enterprise=enterprise,
        category=category,
        title=title,
        detail=(detail or "").strip(),
        urgency=urgency,
        quantity=quantity,
        counterpart=counterpart,
        department=department,
        filed_by=actor if getattr(actor, "is_authenticated", False) else None,
        filed_at=filed_at,
        accept_due=accept_due,
        answer_due=answer_due,
    )
    _event(appeal, AppealEvent.Action.FILED, actor, at=filed_at, to_department=department)
    record(actor, "appeal.filed", appeal, details={
        "category": category, "department": department.code if department else "desk",
    })  # fmt: skip
    do_notify(
        department_officers(department),
        kind="appeal.new",
        message=lambda: (
            _("New appeal from %(enterprise)s: %(title)s")
            % {"enterprise": enterprise.name, "title": title},
            _("Accept by %(date)s.") % {"date": accept_due.isoformat()},
        ),
        link=_link(appeal),
    )
    return appeal


def _event(
    appeal: Appeal,
    action: str,
    actor: Any,
    *,
    comment: str = "",
    at: dt.datetime | None = None,
    from_department: Department | None = None,
    to_department: Department | None = None,
    rating: str = "",
) -> AppealEvent:
    authenticated = getattr(actor, "is_authenticated", False)
    return AppealEvent.objects.create(
        appeal=appeal,
        at=at or timezone.now(),
        actor=actor if authenticated else None,
        actor_label=str(actor) if authenticated else _("System"),
        action=action,
        comment=comment,
        from_department=from_department,
        to_department=to_department,
        rating=rating,
    )


# --------------------------------------------------------------------------------- lifecycle
def is_handler(user: Any, appeal: Appeal) -> bool:
    """The lead department's officers, and the command centre (which runs the desk)."""
    if is_command_centre(user):
        return True
    return appeal.department_id is not None and any(
        d.pk == appeal.department_id for d in user_departments(user)
    )


def is_cohandler(user: Any, appeal: Appeal) -> bool:
    mine = {d.pk for d in user_departments(user)}
    return bool(mine) and appeal.cohandlers.filter(pk__in=mine).exists()


def speaks_for_enterprise(user: Any, appeal: Appeal) -> bool:
    return can_file_for(user, appeal.enterprise)


def allowed_actions(user: Any, appeal: Appeal) -> list[str]:
    """What this user may do with this appeal now (the user already sees it)."""
    limit = APPEALS.current()["reopen_limit"]
    allowed = []
    handler = is_handler(user, appeal)
    if handler and appeal.status in AWAITING_ACCEPTANCE:
        allowed.append("accept")
    if handler and appeal.status in AWAITING_ANSWER:
        allowed += ["transfer", "cohandle"]
    if handler and appeal.status in (Status.ACCEPTED, Status.REOPENED):
        allowed.append("answer")
    enterprise = speaks_for_enterprise(user, appeal)
    if enterprise and appeal.status == Status.ANSWERED:
        allowed.append("close")
    if (
        enterprise
        and appeal.status in (Status.ANSWERED, Status.CLOSED)
        and appeal.reopen_count < limit
    ):
        allowed.append("reopen")
    if appeal.is_open and (handler or is_cohandler(user, appeal)):
        allowed.append("note")
    return allowed


def _not_allowed(action: str, appeal: Appeal) -> Conflict:
    return Conflict(
        _('"%(action)s" is not possible now: the appeal is %(status)s, or you do not handle it.')
        % {"action": action, "status": appeal.get_status_display()}
    )


@transaction.atomic
def do_act(
    appeal: Appeal,
    action: str,
    *,
    actor: Any,
    comment: str = "",
    to_department: str | Department | None = None,
    rating: str = "",
) -> Appeal:
    """Apply one step of the lifecycle; nothing changes unless it is allowed now for ``actor``."""
    if action not in ACTIONS:
        raise FieldError(
            "action", _("Unknown action: use one of %(list)s.") % {"list": ", ".join(ACTIONS)}
        )
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("enterprise", "department")
        .get(pk=appeal.pk)
    )
    if action not in allowed_actions(actor, appeal):
        raise _not_allowed(action, appeal)
    comment = (comment or "").strip()
    now = timezone.now()
    handler = {
        "accept": _accept,
        "transfer": _transfer,
        "cohandle": _cohandle,
        "answer": _answer,
        "close": _close,
        "reopen": _reopen,
        "note": _note,
    }[action]
    handler(
        appeal, actor=actor, comment=comment, to_department=to_department, rating=rating, now=now
    )
    return appeal


def _department_arg(value: str | Department | None) -> Department:
    if isinstance(value, Department):
        return value
    department = Department.objects.filter(code=(value or "").strip()).first()
    if department is None:
        raise FieldError("to_department", _("Choose the department by its code."))
    return department


def _accept(appeal: Appeal, *, actor: Any, comment: str, now: dt.datetime, **_kw: Any) -> None:
    appeal.status = Status.ACCEPTED
    appeal.accepted_at = now
    appeal.save(update_fields=["status", "accepted_at"])
    _event(appeal, AppealEvent.Action.ACCEPTED, actor, comment=comment, at=now)
    record(actor, "appeal.accepted", appeal)


def _transfer(
    appeal: Appeal, *, actor: Any, comment: str, to_department: Any, now: dt.datetime, **_kw: Any
) -> None:
    target = _department_arg(to_department)
    if target.pk == appeal.department_id:
        raise FieldError("to_department", _("The appeal is with this department already."))
    if not comment:
        raise FieldError("comment", _("Give the reason for the transfer."))
    source = appeal.department
    appeal.department = target
    appeal.status = Status.TRANSFERRED
    appeal.accept_due, appeal.answer_due = deadlines(business_date(now))
    appeal.escalated_accept_at = appeal.escalated_answer_at = None
    appeal.save(update_fields=[
        "department", "status", "accept_due", "answer_due", "escalated_accept_at",
        "escalated_answer_at",
    ])  # fmt: skip
    appeal.cohandlers.remove(target)
    _event(
        appeal,
        AppealEvent.Action.TRANSFERRED,
        actor,
        comment=comment,
        at=now,
        from_department=source,
        to_department=target,
    )
    record(actor, "appeal.transferred", appeal, details={
        "from": source.code if source else "desk", "to": target.code, "reason": comment,
    })  # fmt: skip
    do_notify(
        department_officers(target),
        kind="appeal.transferred",
        message=lambda: (
            _("Appeal transferred to you: %(title)s") % {"title": appeal.title},
            comment,
        ),
        link=_link(appeal),
    )


def _cohandle(
    appeal: Appeal, *, actor: Any, comment: str, to_department: Any, now: dt.datetime, **_kw: Any
) -> None:
    target = _department_arg(to_department)
    if target.pk == appeal.department_id:
        raise FieldError("to_department", _("The lead department cannot co-handle its own appeal."))
    if appeal.cohandlers.filter(pk=target.pk).exists():
        raise Conflict(_("This department co-handles the appeal already."), "to_department")
    appeal.cohandlers.add(target)
    _event(
        appeal, AppealEvent.Action.COHANDLE, actor, comment=comment, at=now, to_department=target
    )
    record(actor, "appeal.cohandling_requested", appeal, details={"department": target.code})
    do_notify(
        department_officers(target),
        kind="appeal.cohandle",
        message=lambda: (
            _("Please co-handle an appeal: %(title)s") % {"title": appeal.title},
            comment,
        ),
        link=_link(appeal),
    )


def _answer(appeal: Appeal, *, actor: Any, comment: str, now: dt.datetime, **_kw: Any) -> None:
    if not comment:
        raise FieldError("comment", _("Write the answer or proposed solution."))
    appeal.status = Status.ANSWERED
    appeal.answer = comment
    appeal.answered_at = now
    appeal.save(update_fields=["status", "answer", "answered_at"])
    _event(appeal, AppealEvent.Action.ANSWERED, actor, comment=comment, at=now)
    record(actor, "appeal.answered", appeal)
    do_notify(
        enterprise_side(appeal.enterprise),
        kind="appeal.answered",
        message=lambda: (
            _("Your appeal has been answered: %(title)s") % {"title": appeal.title},
            comment[:500],
        ),
        link=_link(appeal),
    )


def _close(
    appeal: Appeal, *, actor: Any, comment: str, rating: str, now: dt.datetime, **_kw: Any
) -> None:
    if rating not in Rating.values:
        raise FieldError(
            "rating", _("Rate the answer: satisfied, basically_satisfied or not_satisfied.")
        )
    appeal.rating = rating
    limit = APPEALS.current()["reopen_limit"]
    _event(appeal, AppealEvent.Action.CLOSED, actor, comment=comment, at=now, rating=rating)
    record(actor, "appeal.closed", appeal, details={"rating": rating})
    if rating == Rating.NOT_SATISFIED:
        appeal.flagged = True
        if appeal.reopen_count < limit:
            appeal.save(update_fields=["rating", "flagged"])
            _reopen(appeal, actor=actor, comment=comment, now=now, automatic=True)
            return
    appeal.status = Status.CLOSED
    appeal.closed_at = now
    appeal.save(update_fields=["status", "closed_at", "rating", "flagged"])
    if appeal.flagged:
        _flag(appeal)


def _reopen(
    appeal: Appeal,
    *,
    actor: Any,
    comment: str,
    now: dt.datetime,
    automatic: bool = False,
    **_kw: Any,
) -> None:
    if not comment and not automatic:
        raise FieldError("comment", _("Say what is still unresolved."))
    appeal.status = Status.REOPENED
    appeal.reopen_count += 1
    appeal.flagged = True
    appeal.closed_at = None
    appeal.answer_due = deadlines(business_date(now))[1]
    appeal.escalated_answer_at = None
    appeal.save(update_fields=[
        "status", "reopen_count", "flagged", "closed_at", "answer_due", "escalated_answer_at",
    ])  # fmt: skip
    _event(appeal, AppealEvent.Action.REOPENED, actor, comment=comment, at=now)
    record(actor, "appeal.reopened", appeal, details={"times": appeal.reopen_count})
    do_notify(
        department_officers(appeal.department),
        kind="appeal.reopened",
        message=lambda: (
            _("Appeal reopened by the enterprise: %(title)s") % {"title": appeal.title},
            comment,
        ),
        link=_link(appeal),
    )
    _flag(appeal)


def _flag(appeal: Appeal) -> None:
    do_notify(
        command_centre_users(),
        kind="appeal.flagged",
        message=lambda: (
            _("An enterprise is not satisfied: %(title)s") % {"title": appeal.title},
            appeal.enterprise.name,
        ),
        link=_link(appeal),
    )


def _note(appeal: Appeal, *, actor: Any, comment: str, now: dt.datetime, **_kw: Any) -> None:
    if not comment:
        raise FieldError("comment", _("Write the note."))
    _event(appeal, AppealEvent.Action.NOTE, actor, comment=comment, at=now)
    record(actor, "appeal.noted", appeal)


@transaction.atomic
def do_answer_together(appeals: Iterable[Appeal], *, comment: str, actor: Any) -> list[Appeal]:
    """Answer a group of similar appeals with one text, accepting those not yet accepted."""
    comment = (comment or "").strip()
    if not comment:
        raise FieldError("comment", _("Write the answer or proposed solution."))
    done = []
    for appeal in appeals:
        allowed = allowed_actions(actor, appeal)
        if "accept" in allowed:
            appeal = do_act(appeal, "accept", actor=actor)
            allowed = allowed_actions(actor, appeal)
        if "answer" in allowed:
            done.append(do_act(appeal, "answer", actor=actor, comment=comment))
    if not done:
        raise Conflict(_("None of these appeals can be answered by you now."))
    return done


# -------------------------------------------------------------------------------- escalation
def _overdue_title(appeal: Appeal, stage: str, title: str) -> str:
    if stage == "accept":
        template, due = _("Overdue: not accepted by %(date)s — %(title)s"), appeal.accept_due
    else:
        template, due = _("Overdue: no solution by %(date)s — %(title)s"), appeal.answer_due
    return template % {"date": due.isoformat(), "title": title}


def _overdue_message(appeal: Appeal, stage: str) -> tuple[str, str]:
    body = _("%(enterprise)s · %(department)s") % {
        "enterprise": appeal.enterprise.name,
        "department": appeal.department_label,
    }
    return _overdue_title(appeal, stage, appeal.title), body


def escalate_overdue(now: dt.datetime | None = None) -> dict[str, int]:
    """Tell departments' responsible leaders and the command centre about newly overdue appeals.

    Each appeal escalates once per stage (acceptance, answer); it stays overdue on every list.
    """
    now = now or timezone.now()
    today = business_date(now)
    centre = command_centre_users()
    counts = {"accept": 0, "answer": 0}
    stages = (
        ("accept", Q(status__in=AWAITING_ACCEPTANCE, accept_due__lt=today,
                     escalated_accept_at__isnull=True)),
        ("answer", Q(status__in=AWAITING_ANSWER, answer_due__lt=today,
                     escalated_answer_at__isnull=True)),
    )  # fmt: skip
    leaders: dict[int | None, list[User]] = {}
    for stage, condition in stages:
        with transaction.atomic():
            appeals = list(
                Appeal.objects.select_for_update(of=("self",))
                .filter(condition)
                .select_related("enterprise", "department")
            )
            for appeal in appeals:
                key = appeal.department_id
                if key not in leaders:
                    leaders[key] = responsible_leaders(appeal.department)
                do_notify(
                    [*leaders[key], *centre],
                    kind="appeal.overdue",
                    message=partial(_overdue_message, appeal, stage),
                    link=_link(appeal),
                )
                setattr(appeal, f"escalated_{stage}_at", now)
                appeal.save(update_fields=[f"escalated_{stage}_at"])
                _event(
                    appeal,
                    AppealEvent.Action.ESCALATED,
                    None,
                    at=now,
                    comment=_overdue_title(appeal, stage, "").rstrip(" —"),
                )
                record(None, "appeal.escalated", appeal, details={"stage": stage})
            counts[stage] = len(appeals)
    return counts


# ------------------------------------------------------------------------------------ offers
@transaction.atomic
def do_record_offer(
    department: Department,
    *,
    category: str,
    item: str,
    provider: str,
    quantity: Any = None,
    contact: str = "",
    actor: Any,
) -> Offer:
    if category not in Category.values:
        raise FieldError("category", _("Unknown category."))
    if not (item or "").strip():
        raise FieldError("item", _("Say what is offered."))
    if not (provider or "").strip():
        raise FieldError("provider", _("Name the provider."))
    offer = Offer.objects.create(
        department=department,
        category=category,
        item=item.strip(),
        quantity=clean_quantity(quantity),
        provider=provider.strip(),
        contact=(contact or "").strip(),
        created_by=actor,
    )
    record(actor, "appeal_offer.recorded", offer)
    return offer


# ----------------------------------------------------------------------------- liaison work
@transaction.atomic
def do_log_visit(
    officer: Any,
    enterprise: Enterprise,
    *,
    date: dt.date,
    met: str,
    findings: str,
    appeals: Iterable[Appeal] = (),
    actor: Any,
) -> VisitLog:
    if not LiaisonAssignment.objects.filter(
        officer=officer, enterprise=enterprise, active=True
    ).exists():
        raise FieldError("enterprise", _("This enterprise is not assigned to you."))
    if date > business_date(timezone.now()):
        raise FieldError("date", _("A visit cannot be in the future."))
    if not (met or "").strip():
        raise FieldError("met", _("Say whom you met."))
    if not (findings or "").strip():
        raise FieldError("findings", _("Write what you found."))
    visit = VisitLog.objects.create(
        officer=officer, enterprise=enterprise, date=date, met=met.strip(),
        findings=findings.strip(),
    )  # fmt: skip
    chosen = [a for a in appeals if a.enterprise_id == enterprise.pk]
    if chosen:
        visit.appeals.set(chosen)
    record(actor, "liaison.visit_logged", enterprise, details={"visit": visit.pk})
    return visit


def liaison_officer_by_username(username: str) -> User | None:
    return User.objects.filter(
        username=username.strip(), is_active=True, memberships__role=Role.LIAISON_OFFICER
    ).first()


@transaction.atomic
def do_bulk_assign_liaisons(
    rows: list[tuple[int, str, str]], *, actor: Any
) -> tuple[int, list[tuple[int, str]]]:
    """Assign officers to enterprises from (line, officer username, credit code) rows.

    All or nothing: every rejected row is reported with its line and nothing is saved unless
    every row is good. Returns (new assignments, errors).
    """
    from fugong.lib.identifiers import InvalidIdentifier, validate_credit_code

    errors: list[tuple[int, str]] = []
    scope = enterprises_for(actor)
    codes = []
    for _line, _officer, code in rows:
        try:
            codes.append(validate_credit_code(code))
        except InvalidIdentifier:
            continue
    enterprises = {e.credit_code: e for e in scope.filter(credit_code__in=codes)}
    officers: dict[str, User | None] = {}
    plan = []
    for line, username, code in rows:
        if username not in officers:
            officers[username] = liaison_officer_by_username(username)
        officer = officers[username]
        if officer is None:
            errors.append((line, _("%(name)s is not a liaison officer.") % {"name": username}))
            continue
        try:
            code = validate_credit_code(code)
        except InvalidIdentifier as exc:
            errors.append((line, f"{code}: {exc}"))
            continue
        enterprise = enterprises.get(code)
        if enterprise is None:
            errors.append(
                (line, _("No enterprise %(code)s in your jurisdiction.") % {"code": code})
            )
            continue
        plan.append((officer, enterprise))
    if not rows:
        errors.append((0, _("The list is empty.")))
    if errors:
        return 0, errors
    before = LiaisonAssignment.objects.filter(active=True).count()
    for officer, enterprise in plan:
        do_assign_liaison(officer, enterprise, actor=actor)
    return LiaisonAssignment.objects.filter(active=True).count() - before, []


@transaction.atomic
def do_end_liaison(assignment: LiaisonAssignment, *, actor: Any) -> None:
    assignment.active = False
    assignment.save(update_fields=["active"])
    record(
        actor, "liaison.ended", assignment.enterprise, details={"officer": assignment.officer_id}
    )
