"""The synthetic city: deterministic from a seed, realistic enough to demo and to benchmark.

:func:`build_city` creates the core registry (divisions, industries, departments, enterprises,
people, employment, users) and then calls, in order, ``seed(ctx)`` in each domain app's
``seed.py`` (health, resumption, appeals) so every page has history to show.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from fugong.accounts.models import Membership, Role, User
from fugong.audit.actions import record
from fugong.geo.models import Division
from fugong.lib import bulk, crypto
from fugong.lib.dates import SHANGHAI, business_today
from fugong.lib.identifiers import (
    USCC_ALPHABET,
    id_check_char,
    mask_id_number,
    national_counties,
    uscc_check_char,
)
from fugong.orgs.actions import scale_class
from fugong.orgs.models import (
    Department,
    Enterprise,
    Industry,
    IndustrySection,
    LiaisonAssignment,
)
from fugong.orgs.policies import SCALE
from fugong.people.models import Employment, Person
from fugong.people.roster import PERSON_FIELDS

DATA = Path(__file__).with_name("data")
INDUSTRY_FILE = Path(__file__).resolve().parent.parent / "orgs" / "data" / "gbt4754_2017.json"
DEMO_PASSWORD = "demo"
DOMAIN_SEEDERS = ("resumption", "health", "appeals")


@dataclass(frozen=True)
class Scale:
    name: str
    communities_per_township: int
    above_industrial: int
    above_trade: int
    other: int
    employees: int
    history_days: int


SCALES = {
    "tiny": Scale("tiny", 2, 20, 10, 30, 600, 7),
    "small": Scale("small", 5, 400, 250, 1350, 40_000, 14),
    "city": Scale("city", 25, 8000, 4000, 26000, 1_000_000, 14),
}


class Progress:
    """A plain progress line on stderr (no extra dependency), quiet when not a terminal."""

    def __init__(self, stream: Any = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.monotonic()
        self._last = 0.0

    def step(self, label: str, done: int, total: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.5:
            return
        self._last = now
        width = 30
        filled = int(width * done / total) if total else width
        self.stream.write(
            f"\r{label:<24} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}"
            f"  {now - self.started:6.1f}s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


@dataclass
class SeedContext:
    """What each domain's ``seed(ctx)`` receives."""

    scale: Scale
    rng: random.Random
    faker: Faker
    today: dt.date
    progress: Progress
    password_hash: str
    logins: list[dict[str, str]] = field(default_factory=list)
    # Enterprises whose admins are demo logins; the resumption seed keeps the ones listed in
    # fresh_enterprises untouched so a newcomer can walk the whole application path.
    demo_enterprises: list[Enterprise] = field(default_factory=list)
    fresh_enterprises: list[Enterprise] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.scale.history_days - 1)

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.scale.history_days)]

    def add_user(
        self, username: str, role: str, scope: str, display_name: str = "", **membership: Any
    ) -> User:
        user = User.objects.create(
            username=username, password=self.password_hash, display_name=display_name
        )
        Membership.objects.create(user=user, role=role, **membership)
        self.logins.append(
            {"role": role, "username": username, "password": DEMO_PASSWORD, "scope": scope}
        )
        return user


def load_city_data() -> dict[str, Any]:
    return json.loads((DATA / "city.json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- reference data
def load_industries() -> None:
    """GB/T 4754-2017 sections and divisions (idempotent)."""
    sections = json.loads(INDUSTRY_FILE.read_text(encoding="utf-8"))
    for s in sections:
        section, _ = IndustrySection.objects.update_or_create(
            code=s["code"], defaults={"name_zh": s["name_zh"], "name_en": s["name_en"]}
        )
        for d in s["divisions"]:
            Industry.objects.update_or_create(
                code=d["code"],
                defaults={"section": section, "name_zh": d["name_zh"], "name_en": d["name_en"]},
            )


def load_departments(data: dict[str, Any]) -> dict[str, Department]:
    departments = {}
    for d in data["departments"]:
        dept, _ = Department.objects.update_or_create(
            code=d["code"], defaults={"name_zh": d["name_zh"], "name_en": d["name_en"]}
        )
        dept.industries.set(Industry.objects.filter(section__code__in=d["sections"]))
        departments[d["code"]] = dept
    return departments


def build_divisions(data: dict[str, Any], rng: random.Random, per_township: int) -> None:
    city = Division.objects.create(
        code=data["city"]["code"], name=data["city"]["name"], level=Division.Level.CITY
    )
    words = data["community_words"]
    for d in data["districts"]:
        district = Division.objects.create(
            code=d["code"], name=d["name"], level=Division.Level.DISTRICT, parent=city
        )
        for i, tname in enumerate(d["townships"], start=1):
            township = Division.objects.create(
                code=f"{d['code']}{i:03d}",
                name=tname,
                level=Division.Level.TOWNSHIP,
                parent=district,
            )
            used: set[str] = set()
            communities = []
            for j in range(1, per_township + 1):
                name = ""
                while not name or name in used:
                    suffix = "社区" if rng.random() < 0.6 else "村"
                    name = rng.choice(words) + rng.choice(words) + suffix
                used.add(name)
                communities.append(
                    Division(
                        code=f"{township.code}{j:03d}",
                        name=name,
                        level=Division.Level.COMMUNITY,
                        parent=township,
                    )
                )
            Division.objects.bulk_create(communities)


# ------------------------------------------------------------------------------ identifiers
def make_credit_code(
    rng: random.Random, division: str, authority: str = "9", kind: str = "1"
) -> str:
    body = authority + kind + division + "".join(rng.choice(USCC_ALPHABET[:31]) for _ in range(9))
    return body + uscc_check_char(body)


def make_id_number(rng: random.Random, county: str, today: dt.date) -> str:
    age_days = rng.randint(18 * 365, 60 * 365)
    birth = today - dt.timedelta(days=age_days)
    first17 = f"{county}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def counties_by_province(provinces: Iterable[str], exclude_prefix: str) -> dict[str, list[str]]:
    """County-level codes in use per province, from python-stdnum's GB/T 2260 table."""
    wanted = set(provinces)
    result: dict[str, list[str]] = {}
    for code in national_counties():
        if code[:2] in wanted and not code.startswith(exclude_prefix):
            result.setdefault(code[:2], []).append(code)
    return result


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


# ---------------------------------------------------------------------------------- builder
def build_city(
    scale_name: str = "small",
    seed: int = 2020,
    *,
    quiet: bool = False,
    stream: Any = None,
    logins_path: Path | None = None,
    domains: tuple[str, ...] = DOMAIN_SEEDERS,
) -> SeedContext:
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    progress = Progress(stream, quiet)
    ctx = SeedContext(
        scale=scale,
        rng=rng,
        faker=faker,
        today=business_today(),
        progress=progress,
        password_hash=make_password(DEMO_PASSWORD),
    )
    data = load_city_data()
    with transaction.atomic():
        load_industries()
        departments = load_departments(data)
        build_divisions(data, rng, scale.communities_per_township)
        progress.step("divisions", 1, 1)
        enterprises = _build_enterprises(ctx, data, departments)
        _build_people(ctx, data, enterprises)
        _build_users(ctx, data, departments)
        record(None, "city.seeded", None, details={"scale": scale.name, "seed": seed})
    for app in domains:
        try:
            module = import_module(f"fugong.{app}.seed")
        except ModuleNotFoundError:
            continue
        with transaction.atomic():
            module.seed(ctx)
        progress.step(f"{app} history", 1, 1)
    bulk.refresh_statistics()
    path = logins_path or (settings.FUGONG_HOME / "demo-logins.json")
    path.write_text(json.dumps(ctx.logins, ensure_ascii=False, indent=2), encoding="utf-8")
    return ctx


def _build_enterprises(
    ctx: SeedContext, data: dict[str, Any], departments: dict[str, Department]
) -> list[Enterprise]:
    rng, faker, scale = ctx.rng, ctx.faker, ctx.scale
    industries = {i.code: i for i in Industry.objects.select_related("section")}
    dept_of_section = {
        section: departments[d["code"]] for d in data["departments"] for section in d["sections"]
    }
    townships = list(Division.objects.filter(level=Division.Level.TOWNSHIP))
    district_weight = {d["code"]: d["weight"] for d in data["districts"]}
    per_district: dict[str, int] = {}
    for t in townships:
        per_district[t.code[:6]] = per_district.get(t.code[:6], 0) + 1
    township_weights = [district_weight[t.code[:6]] / per_district[t.code[:6]] for t in townships]
    policy = SCALE.current()
    plan = (
        [("above_industrial", scale.above_industrial)]
        + [("above_trade", scale.above_trade)]
        + [("other", scale.other)]
    )
    total = sum(n for _, n in plan)
    codes: set[str] = set()
    rows: list[Enterprise] = []
    for klass, count in plan:
        mix = data["industry_mix"][klass]
        for _ in range(count):
            industry = industries[weighted(rng, mix)]
            township = rng.choices(townships, weights=township_weights)[0]
            if klass == "above_industrial":
                revenue = 2000 + rng.lognormvariate(8.3, 1.0)
            elif klass == "above_trade":
                floor = {"51": 2000, "52": 500}.get(industry.code, 200)
                revenue = floor + rng.lognormvariate(6.5, 1.0)
            else:
                revenue = rng.lognormvariate(4.5, 1.2)
            authority, kind = ("N", "2") if industry.section.code == "A" else ("9", "1")
            code = make_credit_code(rng, township.code[:6], authority, kind)
            while code in codes:
                code = make_credit_code(rng, township.code[:6], authority, kind)
            codes.add(code)
            revenue_d = Decimal(f"{revenue:.2f}")
            rows.append(
                Enterprise(
                    credit_code=code,
                    name=faker.company(),
                    township=township,
                    district_id=township.parent_id,
                    industry=industry,
                    annual_revenue=revenue_d,
                    scale=scale_class(industry, revenue_d, policy),
                    is_key=klass == "above_industrial" and revenue > 12000,
                    department=dept_of_section.get(industry.section.code, departments["scjgj"]),
                    responsible_person=faker.name(),
                    contact_phone=faker.phone_number(),
                    address=f"{township.name}{faker.street_address()}",
                )
            )
            if len(rows) % 5000 == 0:
                ctx.progress.step("enterprises", len(rows), total)
    Enterprise.objects.bulk_create(rows, batch_size=2000)
    ctx.progress.step("enterprises", total, total)
    return list(Enterprise.objects.select_related("district").order_by("pk"))


def _employee_count(rng: random.Random, e: Enterprise, budget_scale: float) -> int:
    base = {
        Enterprise.Scale.ABOVE_INDUSTRIAL: 5.0,
        Enterprise.Scale.ABOVE_TRADE: 3.3,
        Enterprise.Scale.OTHER: 2.0,
    }[e.scale]
    return max(1, int(rng.lognormvariate(base, 0.7) * budget_scale))


def _build_people(ctx: SeedContext, data: dict[str, Any], enterprises: list[Enterprise]) -> None:
    rng, faker, scale = ctx.rng, ctx.faker, ctx.scale
    raw = [_employee_count(rng, e, 1.0) for e in enterprises]
    factor = scale.employees / sum(raw)
    counts = [max(1, round(n * factor)) for n in raw]
    total = sum(counts)
    communities_by_district: dict[str, list[tuple[int, str]]] = {}
    for pk, code in Division.objects.filter(level=Division.Level.COMMUNITY).values_list(
        "pk", "code"
    ):
        communities_by_district.setdefault(code[:6], []).append((pk, code))
    districts = list(communities_by_district)
    city_prefix = data["city"]["code"][:4]
    migrants = data["migrant_provinces"]
    counties = counties_by_province(migrants, exclude_prefix=city_prefix)
    migrants = {p: w for p, w in migrants.items() if p in counties}
    posts = [
        "操作工",
        "技术员",
        "质检员",
        "仓管员",
        "司机",
        "销售",
        "文员",
        "厨师",
        "保安",
        "工程师",
        "主管",
        "会计",
    ]
    start_floor = ctx.today - dt.timedelta(days=3650)
    # The rosters were entered as the platform started, the first day of the history: each past
    # day's board and completion count the people recorded by then (health.selectors.on_roster).
    now = min(timezone.now(), dt.datetime.combine(ctx.start, dt.time(7), tzinfo=SHANGHAI))
    person_ids = iter(bulk.allocate_ids(Person, total))
    employment_ids = iter(bulk.allocate_ids(Employment, total))
    seen: set[str] = set()
    progress_every = max(total // 50, 1000)
    done = 0

    def people_rows() -> Iterator[tuple]:
        nonlocal done
        for enterprise, n in zip(enterprises, counts, strict=True):
            for _ in range(n):
                if rng.random() < 0.72:
                    district = (
                        enterprise.district.code if rng.random() < 0.7 else rng.choice(districts)
                    )
                    home_id, home_code = rng.choice(communities_by_district[district])
                    county = district
                else:
                    county = rng.choice(counties[weighted(rng, migrants)])
                    home_id, home_code = None, county
                number = make_id_number(rng, county, ctx.today)
                while number in seen:
                    number = make_id_number(rng, county, ctx.today)
                seen.add(number)
                person_id = next(person_ids)
                employments.append(
                    (
                        next(employment_ids),
                        person_id,
                        enterprise.pk,
                        rng.choice(posts),
                        start_floor + dt.timedelta(days=rng.randint(0, 3500)),
                        None,
                        True,
                        now,
                    )
                )
                done += 1
                if done % progress_every == 0:
                    ctx.progress.step("people", done, total)
                yield (
                    person_id,
                    crypto.encrypt(number),
                    crypto.lookup_hash(number),
                    mask_id_number(number),
                    faker.name(),
                    int(number[16]) % 2 == 1,
                    dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                    "1" + rng.choice("3456789") + f"{rng.randint(0, 999_999_999):09d}",
                    home_id,
                    home_code,
                    now,
                )

    employments: list[tuple] = []
    bulk.insert_rows(
        Person,
        ["id", *PERSON_FIELDS],  # the roster import's columns, with ids chosen here
        people_rows(),
    )
    bulk.insert_rows(
        Employment,
        ["id", "person", "enterprise", "post", "start_date", "end_date", "active", "created_at"],
        employments,
    )
    bulk.reset_sequence(Person, Employment)
    ctx.progress.step("people", total, total)


def _build_users(
    ctx: SeedContext, data: dict[str, Any], departments: dict[str, Department]
) -> None:
    rng, faker = ctx.rng, ctx.faker
    city = Division.objects.get(level=Division.Level.CITY)
    ctx.add_user("command", Role.COMMAND_CENTRE, city.code, "市疫情防控指挥部")
    for district in Division.objects.filter(level=Division.Level.DISTRICT):
        ctx.add_user(
            f"district-{district.code}",
            Role.DISTRICT_OFFICER,
            district.code,
            f"{district.name}指挥部",
            division=district,
        )
    for township in Division.objects.filter(level=Division.Level.TOWNSHIP):
        ctx.add_user(
            f"township-{township.code}",
            Role.TOWNSHIP_OFFICER,
            township.code,
            f"{township.name}",
            division=township,
        )
    for dept in departments.values():
        ctx.add_user(
            f"dept-{dept.code}", Role.DEPARTMENT_OFFICER, dept.code, dept.name_zh, department=dept
        )
    for district in Division.objects.filter(level=Division.Level.DISTRICT):
        community = Division.objects.filter(
            level=Division.Level.COMMUNITY, code__startswith=district.code
        ).first()
        ctx.add_user(
            f"community-{community.code}",
            Role.COMMUNITY_WORKER,
            community.code,
            community.name,
            division=community,
        )
    # Enterprise admins: well-known enterprises of several kinds and districts.
    chosen: list[Enterprise] = []
    for klass in (
        Enterprise.Scale.ABOVE_INDUSTRIAL,
        Enterprise.Scale.ABOVE_TRADE,
        Enterprise.Scale.OTHER,
    ):
        for district in Division.objects.filter(level=Division.Level.DISTRICT)[:3]:
            e = (
                Enterprise.objects.filter(scale=klass, district=district, employments__isnull=False)
                .order_by("pk")
                .first()
            )
            if e and e not in chosen:
                chosen.append(e)
    for i, enterprise in enumerate(chosen, start=1):
        ctx.add_user(
            f"ent-{i}",
            Role.ENTERPRISE_ADMIN,
            enterprise.credit_code,
            enterprise.responsible_person,
            enterprise=enterprise,
        )
    ctx.demo_enterprises = chosen
    ctx.fresh_enterprises = chosen[-2:]
    # Two employees of the first demo enterprise can log in and check in.
    first = chosen[0]
    for i, employment in enumerate(
        Employment.objects.filter(enterprise=first).select_related("person")[:2], start=1
    ):
        user = ctx.add_user(
            f"emp-{i}", Role.EMPLOYEE, first.credit_code, employment.person.name, enterprise=first
        )
        Person.objects.filter(pk=employment.person_id).update(user=user)
    # Liaison officers, each with a handful of key enterprises.
    keys = list(Enterprise.objects.filter(is_key=True).order_by("pk")[:40])
    for i in range(1, 4):
        officer = ctx.add_user(
            f"liaison-{i}", Role.LIAISON_OFFICER, "assigned enterprises", faker.name()
        )
        LiaisonAssignment.objects.bulk_create(
            LiaisonAssignment(officer=officer, enterprise=e) for e in keys[i - 1 :: 3]
        )
    _ = rng


def build_reference_only() -> None:
    """Industries and departments without a city (used by tests)."""
    load_industries()
    load_departments(load_city_data())


ProgressFn = Callable[[str, int, int], None]
