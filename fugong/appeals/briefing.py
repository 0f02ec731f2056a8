"""The daily briefing's sentence on enterprise appeals."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from fugong.lib.briefing import BriefingScope, Sentence, contributor
from fugong.lib.dates import end_of_day

from .models import Appeal, Status


@contributor(order=60)
def appeals_sentence(day: dt.date, scope: BriefingScope) -> Sentence | None:
    """ "累计受理企业诉求N件,已办结M件,办结率X%" as of ``day`` 24:00, in the scope's area."""
    cutoff = end_of_day(day)
    qs = Appeal.objects.filter(filed_at__lt=cutoff)
    if scope.division is not None:
        qs = qs.filter(enterprise__township__code__startswith=scope.division.prefix)
    received = qs.count()
    closed = qs.filter(status=Status.CLOSED, closed_at__lt=cutoff).count()
    overdue_q = qs.filter(
        status__in=(Status.SUBMITTED, Status.TRANSFERRED, Status.ACCEPTED, Status.REOPENED),
        answer_due__lt=day,
    ).count()
    rate = round(100 * closed / received, 1) if received else 0.0
    text = _(
        "Enterprise appeals received so far: %(received)d; closed: %(closed)d; "
        "closure rate %(rate)s%%; overdue: %(overdue)d."
    ) % {"received": received, "closed": closed, "rate": f"{rate:.1f}", "overdue": overdue_q}
    return Sentence(
        text,
        figures={
            "appeals_received": received,
            "appeals_closed": closed,
            "appeals_closure_rate": rate,
            "appeals_overdue": overdue_q,
        },
    )
