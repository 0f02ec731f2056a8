from __future__ import annotations

import pytest

from fugong.accounts.models import Role
from fugong.lib.testing import make_user


@pytest.fixture
def rsj_officer(world):
    from fugong.orgs.models import Department

    return make_user(
        "dept_rsj", Role.DEPARTMENT_OFFICER, department=Department.objects.get(code="rsj")
    )


@pytest.fixture
def jtj_officer(world):
    from fugong.orgs.models import Department

    return make_user(
        "dept_jtj", Role.DEPARTMENT_OFFICER, department=Department.objects.get(code="jtj")
    )


@pytest.fixture
def file_appeal(world, enterprise_admin):
    """File an appeal for enterprise A as its administrator (labour → rsj by default)."""
    from fugong.appeals.actions import do_file_appeal

    def file(category: str = "labour", title: str = "缺普工150人", **kwargs):
        enterprise = kwargs.pop("enterprise", world.enterprise)
        actor = kwargs.pop("actor", enterprise_admin)
        return do_file_appeal(enterprise, category=category, title=title, actor=actor, **kwargs)

    return file


@pytest.fixture(autouse=True)
def _default_routing_rules(request):
    """Migration 0002 installs the default rules; under --nomigrations install them here."""
    if "db" not in request.fixturenames and "world" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from fugong.appeals.models import RoutingRule
    from fugong.appeals.policies import DEFAULT_ROUTING

    if not RoutingRule.objects.exists():
        RoutingRule.objects.bulk_create(RoutingRule(**rule) for rule in DEFAULT_ROUTING)
