"""Resumption statistics: the definitions, the plain query and the fast snapshot path.

Definitions (also on the dashboard and in docs/RESUMPTION.md), all "as of D 24:00" Asia/Shanghai:

- an enterprise is **resumed on D** if its resumption was approved (or accepted on commitment)
  effective on or before D and it is not suspended on D;
- **resumption rate** = resumed ÷ enterprises in scope;
- **staff** = people on the rosters in scope on D (employment started on or before D, not ended
  before D);
- **staff at post on D** = per enterprise, the people whose check-in on D is onsite or remote;
- **staff return rate** = staff at post ÷ staff.

The plain path (:func:`plain_rows`) answers from the raw tables with one GROUP BY. The fast path
(:func:`fast_rows`) sums :class:`DailyCell` rows (day × township × industry section × scale ×
department), built once per day from :class:`EnterpriseDay` and kept current by
:func:`refresh_enterprises` whenever a check-in, a roster change, an approval or a suspension
arrives (signals in apps.py, calls in actions.py, and the periodic ``resumption.refresh_today``
for bulk writes that send no signal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from fugong.geo.models import Division
from fugong.orgs.models import Enterprise, IndustrySection
from fugong.people.models import Employment

from .models import DailyCell, EnterpriseDay, SnapshotDay
from .selectors import latest_status_subquery

DIMENSIONS = ("district", "township", "industry", "scale")
AT_POST_MODES = ("onsite", "remote")
_PLAIN_GROUP = {
    "district": "district_id",
    "township": "township_id",
    "industry": "industry__section__code",
    "scale": "scale",
}
_CELL_GROUP = {
    "district": "district_id",
    "township": "township_id",
    "industry": "section",
    "scale": "scale",
}
CELL_KEYS = ("township_id", "district_id", "section", "scale", "department_id")


@dataclass(frozen=True)
class StatsScope:
    """Which enterprises count: the whole city (all None) or the union of the given parts."""

    division_prefixes: tuple[str, ...] | None = None
    department_ids: tuple[int, ...] | None = None
    # A drill-down inside the scope: only this division (code prefix).
    within: str | None = None
    scale: str | None = None  # only this scale class
    ids: tuple[int, ...] | None = None  # only these enterprises (snapshot refreshes)

    @property
    def everything(self) -> bool:
        return self.division_prefixes is None and self.department_ids is None

    def restricted(self, prefix: str) -> StatsScope:
        return StatsScope(self.division_prefixes, self.department_ids, prefix, self.scale)

    def of_scale(self, scale: str | None) -> StatsScope:
        return StatsScope(self.division_prefixes, self.department_ids, self.within, scale or None)

    def enterprise_q(self) -> Q:
        q = Q()
        if not self.everything:
            q = Q(pk__in=[])
            for prefix in self.division_prefixes or ():
                q |= Q(township__code__startswith=prefix)
            if self.department_ids:
                q |= Q(department_id__in=self.department_ids)
        if self.within:
            q &= Q(township__code__startswith=self.within)
        if self.scale:
            q &= Q(scale=self.scale)
        if self.ids is not None:
            q &= Q(pk__in=self.ids)
        return q

    @staticmethod
    def _township_ids(prefixes: Iterable[str]) -> list[int]:
        township_q = Q(pk__in=[])
        for prefix in prefixes:
            township_q |= Q(code__startswith=prefix)
        return list(
            Division.objects.filter(township_q, level=Division.Level.TOWNSHIP).values_list(
                "pk", flat=True
            )
        )

    def cell_q(self) -> Q:
        q = Q()
        if not self.everything:
            q = Q(pk__in=[])
            if self.division_prefixes:
                q |= Q(township_id__in=self._township_ids(self.division_prefixes))
            if self.department_ids:
                q |= Q(department_id__in=self.department_ids)
        if self.within:
            q &= Q(township_id__in=self._township_ids([self.within]))
        if self.scale:
            q &= Q(scale=self.scale)
        return q


def stats_scope_for(user: Any, division: Division | None = None) -> StatsScope:
    """The enterprises whose figures the user may see (Http404 for roles without statistics):
    the whole city for the command centre, their division for township and district officers,
    their department's enterprises for department officers."""
    from django.http import Http404

    from fugong.accounts.access import (
        is_command_centre,
        memberships,
        user_departments,
    )
    from fugong.accounts.models import Role

    if is_command_centre(user):
        scope = StatsScope()
    else:
        prefixes = tuple(
            m.division.prefix
            for m in memberships(user)
            if m.role in (Role.TOWNSHIP_OFFICER, Role.DISTRICT_OFFICER) and m.division_id
        )
        departments = tuple(d.pk for d in user_departments(user))
        if not prefixes and not departments:
            raise Http404
        scope = StatsScope(prefixes or (), departments or ())
    if division is not None:
        if not may_see_division(scope, user, division):
            raise Http404
        scope = scope.restricted(division.prefix)
    return scope


def may_see_division(scope: StatsScope, user: Any, division: Division) -> bool:
    """Whether the user, whose figures are ``scope`` (from stats_scope_for), may open those of
    ``division``: the whole city, a department's enterprises wherever they are, or a division
    within the officer's own."""
    from fugong.accounts.access import division_in_scope

    return scope.everything or bool(scope.department_ids) or division_in_scope(user, division)


# ---------------------------------------------------------------------------------- figures
def roster_q(day: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": day})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def annotated_enterprises(day: dt.date, qs: QuerySet[Enterprise] | None = None) -> QuerySet:
    """Enterprises with ``is_resumed`` (0/1), ``staff_n`` and ``at_post_n`` for ``day``."""
    from fugong.health.models import CheckIn

    qs = Enterprise.objects.all() if qs is None else qs
    staff = (
        Employment.objects.filter(roster_q(day), enterprise=OuterRef("pk"))
        .order_by()
        .values("enterprise")
        .annotate(n=Count("pk"))
        .values("n")
    )
    at_post = (
        CheckIn.objects.filter(enterprise=OuterRef("pk"), date=day, work_mode__in=AT_POST_MODES)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    return qs.annotate(
        status_on_day=latest_status_subquery(day),
        is_resumed=Case(
            When(status_on_day="resumed", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        staff_n=Coalesce(Subquery(staff, output_field=IntegerField()), 0),
        at_post_n=Coalesce(Subquery(at_post, output_field=IntegerField()), 0),
    )


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _row(key: str, name: str, enterprises: int, resumed: int, staff: int, at_post: int) -> dict:
    return {
        "key": key,
        "name": name,
        "enterprises": enterprises,
        "resumed": resumed,
        "resumption_rate": _rate(resumed, enterprises),
        "staff": staff,
        "staff_at_post": at_post,
        "staff_return_rate": _rate(at_post, staff),
    }


def _names(by: str, keys: Iterable[Any]) -> dict[Any, tuple[str, str]]:
    """group value → (key, name)."""
    keys = list(keys)
    if by in ("district", "township"):
        return {d.pk: (d.code, d.name) for d in Division.objects.filter(pk__in=keys)}
    if by == "industry":
        return {s.code: (s.code, str(s)) for s in IndustrySection.objects.filter(code__in=keys)}
    labels = dict(Enterprise.Scale.choices)
    return {k: (k, str(labels.get(k, k))) for k in keys}


def _assemble(by: str, grouped: list[tuple[Any, int, int, int, int]]) -> tuple[list, dict]:
    names = _names(by, [g[0] for g in grouped])
    rows = []
    totals = [0, 0, 0, 0]
    for value, n, resumed, staff, at_post in grouped:
        key, name = names.get(value, (str(value), str(value)))
        rows.append(_row(key, name, n, resumed, staff, at_post))
        for i, v in enumerate((n, resumed, staff, at_post)):
            totals[i] += v
    rows.sort(key=lambda r: r["key"])
    total = _row("", "", *totals)
    del total["key"], total["name"]
    return rows, total


_SQL_GROUP = {
    "district": "e.district_id",
    "township": "e.township_id",
    "industry": "sec.code",
    "scale": "e.scale",
    "enterprise": "e.id, e.township_id, e.district_id, sec.code, e.scale, e.department_id",
}
_SQL_SELECT = {
    **_SQL_GROUP,
    "enterprise": "e.id AS enterprise_id, e.township_id AS township_id, "
    "e.district_id AS district_id, sec.code AS section, e.scale AS scale, "
    "e.department_id AS department_id",
}


def grouped_figures(day: dt.date, group: str, scope: StatsScope | None = None) -> list[tuple]:
    """One GROUP BY over the raw tables: enterprises (joined to their latest status change on
    or before ``day``, their roster count and their count of people at post) grouped by
    ``group``. Rows: (*group values, enterprises, resumed, staff, staff at post)."""
    from django.db import connection

    sql, params = _grouped_sql(day, group, scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _grouped_sql(day: dt.date, group: str, scope: StatsScope | None = None) -> tuple[str, list]:
    from fugong.health.models import CheckIn
    from fugong.orgs.models import Industry

    from .models import StatusChange

    scope = scope or StatsScope()
    tables = {
        "enterprise": Enterprise._meta.db_table,
        "industry": Industry._meta.db_table,
        "section": IndustrySection._meta.db_table,
        "employment": Employment._meta.db_table,
        "checkin": CheckIn._meta.db_table,
        "status": StatusChange._meta.db_table,
    }
    where, where_params = "", []
    if not (scope.everything and not scope.within and not scope.scale and scope.ids is None):
        ids_sql, ids_params = (
            Enterprise.objects.filter(scope.enterprise_q()).values("pk").query.sql_with_params()
        )
        where, where_params = f"WHERE e.id IN ({ids_sql})", list(ids_params)
    cols = _SQL_GROUP[group]
    sql = f"""
        SELECT {_SQL_SELECT[group]}, COUNT(*) AS n,
               SUM(CASE WHEN st.status = 'resumed' THEN 1 ELSE 0 END) AS resumed,
               SUM(COALESCE(em.n, 0)) AS staff, SUM(COALESCE(ci.n, 0)) AS at_post
        FROM {tables["enterprise"]} e
        JOIN {tables["industry"]} ind ON ind.id = e.industry_id
        JOIN {tables["section"]} sec ON sec.id = ind.section_id
        LEFT JOIN (
            SELECT enterprise_id, COUNT(*) AS n FROM {tables["employment"]}
            WHERE (start_date IS NULL OR start_date <= %s) AND (end_date IS NULL OR end_date >= %s)
            GROUP BY enterprise_id
        ) em ON em.enterprise_id = e.id
        LEFT JOIN (
            SELECT enterprise_id, COUNT(DISTINCT person_id) AS n FROM {tables["checkin"]}
            WHERE date = %s AND work_mode IN (%s, %s)
            GROUP BY enterprise_id
        ) ci ON ci.enterprise_id = e.id
        LEFT JOIN (
            SELECT sc.enterprise_id, sc.status FROM {tables["status"]} sc
            WHERE sc.effective_date <= %s AND NOT EXISTS (
                SELECT 1 FROM {tables["status"]} s2
                WHERE s2.enterprise_id = sc.enterprise_id AND s2.effective_date <= %s
                  AND (s2.effective_date > sc.effective_date
                       OR (s2.effective_date = sc.effective_date AND s2.id > sc.id))
            )
        ) st ON st.enterprise_id = e.id
        {where}
        GROUP BY {cols}
    """
    return sql, [day, day, day, *AT_POST_MODES, day, day, *where_params]


def plain_rows(day: dt.date, by: str, scope: StatsScope | None = None) -> tuple[list, dict]:
    """The figures straight from the raw tables: one GROUP BY (the reference for the fast
    path, and what the benchmark compares against)."""
    grouped = grouped_figures(day, by, scope)
    return _assemble(
        by, [(g[0], int(g[1]), int(g[2] or 0), int(g[3] or 0), int(g[4] or 0)) for g in grouped]
    )


# ------------------------------------------------------------------------------- fast path
def fast_rows(day: dt.date, by: str, scope: StatsScope | None = None) -> tuple[list, dict]:
    """The same figures from the daily cells (built on first use of a day)."""
    scope = scope or StatsScope()
    ensure_day(day)
    field = _CELL_GROUP[by]
    grouped = (
        DailyCell.objects.filter(scope.cell_q(), day=day)
        .order_by()
        .values(field)
        .annotate(
            n=Sum("enterprises"),
            resumed_sum=Sum("resumed"),
            staff_sum=Sum("staff"),
            at_post_sum=Sum("staff_at_post"),
        )
        .values_list(field, "n", "resumed_sum", "staff_sum", "at_post_sum")
    )
    return _assemble(by, [g for g in grouped if g[1]])


def trend(days: list[dt.date], scope: StatsScope | None = None) -> list[dict]:
    """Totals per day (for the trend chart)."""
    scope = scope or StatsScope()
    built = set(SnapshotDay.objects.filter(day__in=days).values_list("day", flat=True))
    for day in days:
        if day not in built:
            build_day(day)
    catch_up()
    grouped = {
        g[0]: g
        for g in DailyCell.objects.filter(scope.cell_q(), day__in=days)
        .order_by()
        .values("day")
        .annotate(
            n=Sum("enterprises"),
            r=Sum("resumed"),
            s=Sum("staff"),
            p=Sum("staff_at_post"),
        )
        .values_list("day", "n", "r", "s", "p")
    }
    result = []
    for day in days:
        _, n, r, s, p = grouped.get(day, (day, 0, 0, 0, 0))
        result.append({"date": day, **_row("", "", n, r, s, p)})
    return result


def materialised_days(since: dt.date | None = None) -> list[dt.date]:
    qs = SnapshotDay.objects.all()
    if since is not None:
        qs = qs.filter(day__gte=since)
    return list(qs.order_by("day").values_list("day", flat=True))


def ensure_day(day: dt.date) -> None:
    if not SnapshotDay.objects.filter(day=day).exists():
        build_day(day)
    catch_up()


CATCH_UP_BATCH = 20_000


def _max_checkin_id() -> int:
    from django.db.models import Max

    from fugong.health.models import CheckIn

    return CheckIn.objects.aggregate(m=Max("pk"))["m"] or 0


def catch_up() -> int:
    """Fold in the check-ins written since the last look without a signal (the health app
    stores them in bulk): refresh the (enterprise, day) pairs they touch on built days.
    Returns how many pairs were refreshed. Cheap when nothing is new (one indexed range)."""

    from fugong.health.models import CheckIn

    from .models import Watermark

    mark = Watermark.objects.filter(name="checkin").values_list("last_id", flat=True).first()
    if mark is None:
        return 0  # initialised when a day is built
    # ORDER BY id LIMIT n walks the primary key's index whatever the table's statistics say
    # (a bulk COPY leaves them stale until autovacuum analyses the table).
    pairs: dict[tuple[int, dt.date], int] = {}
    while True:
        batch = list(
            CheckIn.objects.filter(pk__gt=mark)
            .order_by("pk")
            .values_list("pk", "enterprise_id", "date")[:CATCH_UP_BATCH]
        )
        for pk, enterprise_id, day in batch:
            pairs[(enterprise_id, day)] = pk
        if batch:
            mark = batch[-1][0]
        if len(batch) < CATCH_UP_BATCH:
            break
    if not pairs:
        return 0
    by_day: dict[dt.date, set[int]] = {}
    for enterprise_id, day in pairs:
        by_day.setdefault(day, set()).add(enterprise_id)
    with transaction.atomic():
        for day, ids in by_day.items():
            refresh_enterprises(ids, [day])
        Watermark.objects.filter(name="checkin", last_id__lt=mark).update(last_id=mark)
    return len(pairs)


def _enterprise_rows(day: dt.date, scope: StatsScope | None = None) -> list[EnterpriseDay]:
    return [
        EnterpriseDay(
            day=day,
            enterprise_id=pk,
            township_id=township_id,
            district_id=district_id,
            section=section,
            scale=scale,
            department_id=department_id,
            resumed=bool(resumed),
            staff=int(staff or 0),
            staff_at_post=int(at_post or 0),
        )
        for pk, township_id, district_id, section, scale, department_id, _n, resumed, staff, at_post in grouped_figures(
            day, "enterprise", scope
        )
    ]


def _insert_enterprise_rows(day: dt.date) -> None:
    """All enterprises' rows of ``day`` in one INSERT … SELECT (no rows through Python)."""
    from django.db import connection

    select, params = _grouped_sql(day, "enterprise")
    table = EnterpriseDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (day, enterprise_id, township_id, district_id, section, scale,
                    department_id, resumed, staff, staff_at_post)
                SELECT %s, enterprise_id, township_id, district_id, section, scale,
                       department_id, CASE WHEN resumed > 0 THEN %s ELSE %s END, staff, at_post
                FROM ({select}) AS g""",
            [day, True, False, *params],
        )


def _insert_cells(day: dt.date) -> None:
    from django.db import connection

    cells, rows = DailyCell._meta.db_table, EnterpriseDay._meta.db_table
    keys = ", ".join(CELL_KEYS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {cells} (day, {keys}, enterprises, resumed, staff, staff_at_post)
                SELECT day, {keys}, COUNT(*), SUM(CASE WHEN resumed THEN 1 ELSE 0 END),
                       SUM(staff), SUM(staff_at_post)
                FROM {rows} WHERE day = %s GROUP BY day, {keys}""",
            [day],
        )


def _rebuild_cells(day: dt.date, cell_filter: Q | None = None) -> None:
    """Recompute the cells of ``day`` (all, or those matching ``cell_filter``) from
    EnterpriseDay."""
    cells = DailyCell.objects.filter(day=day)
    source = EnterpriseDay.objects.filter(day=day)
    if cell_filter is not None:
        cells = cells.filter(cell_filter)
        source = source.filter(cell_filter)
    cells.delete()
    DailyCell.objects.bulk_create(
        [
            DailyCell(
                day=day,
                township_id=t,
                district_id=d,
                section=sec,
                scale=sc,
                department_id=dep,
                enterprises=n,
                resumed=r,
                staff=s,
                staff_at_post=p,
            )
            for t, d, sec, sc, dep, n, r, s, p in source.order_by()
            .values(*CELL_KEYS)
            .annotate(
                n=Count("pk"),
                r=Sum(Case(When(resumed=True, then=1), default=0, output_field=IntegerField())),
                s=Sum("staff"),
                p=Sum("staff_at_post"),
            )
            .values_list(*CELL_KEYS, "n", "r", "s", "p")
        ],
        batch_size=2000,
    )


def build_day(day: dt.date) -> bool:
    """Build the snapshot of ``day`` from the raw tables; False if another process did."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                SnapshotDay.objects.create(day=day)
        except IntegrityError:
            return False
        EnterpriseDay.objects.filter(day=day).delete()
        DailyCell.objects.filter(day=day).delete()
        from .models import Watermark

        Watermark.objects.get_or_create(name="checkin", defaults={"last_id": _max_checkin_id()})
        _insert_enterprise_rows(day)
        _insert_cells(day)
    return True


def rebuild_day(day: dt.date) -> None:
    """Recompute a built day completely (after bulk writes that sent no signal)."""
    with transaction.atomic():
        SnapshotDay.objects.filter(day=day).delete()
        build_day(day)


def refresh_enterprises(
    enterprise_ids: Iterable[int],
    days: Iterable[dt.date] | None = None,
    *,
    since: dt.date | None = None,
    old_cells: Iterable[dict[str, Any]] = (),
) -> None:
    """Bring the snapshot rows of these enterprises up to date on the given built days (or all
    built days from ``since``), then recompute the cells they touch."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return
    built = set(materialised_days(since))
    wanted = built if days is None else built & set(days)
    if not wanted:
        return
    with transaction.atomic():
        for day in sorted(wanted):
            before = list(
                EnterpriseDay.objects.filter(day=day, enterprise_id__in=ids).values(*CELL_KEYS)
            )
            EnterpriseDay.objects.filter(day=day, enterprise_id__in=ids).delete()
            rows = _enterprise_rows(day, StatsScope(within=None, ids=tuple(ids)))
            EnterpriseDay.objects.bulk_create(rows)
            keys = {tuple(c[k] for k in CELL_KEYS) for c in [*before, *old_cells]}
            keys |= {tuple(getattr(r, k) for k in CELL_KEYS) for r in rows}
            q = Q(pk__in=[])
            for key in keys:
                q |= Q(**dict(zip(CELL_KEYS, key, strict=True)))
            _rebuild_cells(day, q)
