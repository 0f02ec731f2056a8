"""Persona fixtures shared by every app's tests.

``world`` is a small hand-made city (see fugong.lib.testing.build_world). Personas:
employee, enterprise_admin, other_enterprise_admin, township_officer, other_township_officer,
district_officer, department_officer, community_worker, liaison_officer, command_centre, outsider.
Use ``logged_in(user)`` for pages and ``api(user)`` for the JSON API.
"""

from __future__ import annotations

import pytest

from fugong.accounts.models import Role
from fugong.lib.testing import ApiClient, World, build_world, hire, logged_in, make_user


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.TASKS_BACKEND = "inline"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the platform's default language: a request made by the test client
    leaves its language active in the thread, so a later test would otherwise read English."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def employee(world):
    user = make_user("employee", Role.EMPLOYEE, enterprise=world.enterprise)
    person = hire(world.enterprise, name="李四")
    person.user = user
    person.save(update_fields=["user"])
    return user


@pytest.fixture
def enterprise_admin(world):
    return make_user("ent_admin", Role.ENTERPRISE_ADMIN, enterprise=world.enterprise)


@pytest.fixture
def other_enterprise_admin(world):
    return make_user("other_ent_admin", Role.ENTERPRISE_ADMIN, enterprise=world.other_enterprise)


@pytest.fixture
def township_officer(world):
    return make_user("township", Role.TOWNSHIP_OFFICER, division=world.township)


@pytest.fixture
def other_township_officer(world):
    return make_user("other_township", Role.TOWNSHIP_OFFICER, division=world.other_township)


@pytest.fixture
def district_officer(world):
    return make_user("district", Role.DISTRICT_OFFICER, division=world.district)


@pytest.fixture
def department_officer(world):
    return make_user("dept_gxj", Role.DEPARTMENT_OFFICER, department=world.gxj)


@pytest.fixture
def community_worker(world):
    return make_user("community", Role.COMMUNITY_WORKER, division=world.community)


@pytest.fixture
def liaison_officer(world):
    from fugong.orgs.models import LiaisonAssignment

    user = make_user("liaison", Role.LIAISON_OFFICER)
    LiaisonAssignment.objects.create(officer=user, enterprise=world.enterprise)
    return user


@pytest.fixture
def command_centre(world):
    return make_user("command", Role.COMMAND_CENTRE, division=world.city)


@pytest.fixture
def outsider(world):
    return make_user("outsider")


@pytest.fixture
def api():
    return ApiClient


@pytest.fixture
def login():
    return logged_in
