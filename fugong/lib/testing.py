"""Builders for tests: valid identifiers and a small hand-made world (used by conftest.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.test import Client

from fugong.lib.identifiers import id_check_char, uscc_check_char

_seq = itertools.count(1)


def valid_id_number(
    county: str = "440604", birth: dt.date = dt.date(1990, 3, 7), seq: int | None = None
) -> str:
    n = next(_seq) if seq is None else seq
    first17 = f"{county}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def valid_credit_code(
    division: str = "440604", serial: int | None = None, authority: str = "9", kind: str = "1"
) -> str:
    n = next(_seq) if serial is None else serial
    body = f"{authority}{kind}{division}{n:09d}"
    return body + uscc_check_char(body)


@dataclass
class World:
    city: Any
    district: Any
    other_district: Any
    township: Any
    sibling_township: Any
    other_township: Any
    community: Any
    other_community: Any
    gxj: Any
    swj: Any
    enterprise: Any
    sibling_enterprise: Any
    other_enterprise: Any


def build_world() -> World:
    """Two districts; township T (enterprise A, community C) and its sibling T2 (enterprise A2)
    in district D; township U (enterprise B, community C2) in district E."""
    from fugong.demo.seeding import build_reference_only
    from fugong.geo.models import Division
    from fugong.orgs.models import Department, Enterprise, Industry

    build_reference_only()
    level = Division.Level
    city = Division.objects.create(code="440600", name="佛山市", level=level.CITY)
    d = Division.objects.create(code="440604", name="禅城区", level=level.DISTRICT, parent=city)
    e = Division.objects.create(code="440605", name="南海区", level=level.DISTRICT, parent=city)
    t = Division.objects.create(code="440604001", name="祖庙街道", level=level.TOWNSHIP, parent=d)
    t2 = Division.objects.create(
        code="440604002", name="石湾镇街道", level=level.TOWNSHIP, parent=d
    )
    u = Division.objects.create(code="440605001", name="桂城街道", level=level.TOWNSHIP, parent=e)
    c = Division.objects.create(
        code="440604001001", name="莲花社区", level=level.COMMUNITY, parent=t
    )
    c2 = Division.objects.create(
        code="440605001001", name="平洲村", level=level.COMMUNITY, parent=u
    )
    gxj = Department.objects.get(code="gxj")
    swj = Department.objects.get(code="swj")

    def enterprise(
        name: str,
        township: Division,
        industry: str,
        dept: Department,
        scale: str = Enterprise.Scale.ABOVE_INDUSTRIAL,
    ) -> Enterprise:
        return Enterprise.objects.create(
            credit_code=valid_credit_code(township.code[:6]),
            name=name,
            township=township,
            district=township.parent,
            industry=Industry.objects.get(code=industry),
            annual_revenue=5000,
            scale=scale,
            department=dept,
            responsible_person="王经理",
            contact_phone="13800000000",
            is_key=True,
        )

    return World(
        city=city,
        district=d,
        other_district=e,
        township=t,
        sibling_township=t2,
        other_township=u,
        community=c,
        other_community=c2,
        gxj=gxj,
        swj=swj,
        enterprise=enterprise("甲电器有限公司", t, "38", gxj),
        sibling_enterprise=enterprise("乙五金有限公司", t2, "33", gxj),
        other_enterprise=enterprise("丙商贸有限公司", u, "51", swj, Enterprise.Scale.ABOVE_TRADE),
    )


def make_user(username: str, role: str | None = None, **scope: Any):
    from fugong.accounts.models import Membership, User

    user = User.objects.create_user(username=username, password="pw-" + username)
    if role:
        Membership.objects.create(user=user, role=role, **scope)
    return user


def hire(
    enterprise: Any,
    *,
    name: str = "张三",
    id_number: str | None = None,
    home_code: str = "440604001001",
    phone: str = "13912345678",
    post: str = "操作工",
):
    """Put a new person on the roster directly (no audit row: test set-up only)."""
    from fugong.geo.models import Division
    from fugong.lib.identifiers import id_birth_date, id_is_male
    from fugong.people.models import Employment, Person

    number = id_number or valid_id_number()
    person = Person(
        name=name,
        phone=phone,
        home_code=home_code,
        home_division=Division.objects.filter(code=home_code).first(),
        is_male=id_is_male(number),
        birth_date=id_birth_date(number),
    )
    person.set_id_number(number)
    person.save()
    Employment.objects.create(person=person, enterprise=enterprise, post=post)
    return person


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ApiClient:
    """A test client that sends ``Authorization: Bearer <token>`` with every request."""

    def __init__(self, user: Any | None) -> None:
        from fugong.accounts.actions import do_create_api_token

        self.client = Client()
        self.token = do_create_api_token(user, actor=None) if user is not None else "fg_invalid"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params: Any):
        return self.client.get(path, params, headers=self._headers())

    def post(self, path: str, data: Any = None):
        return self.client.post(
            path, data or {}, content_type="application/json", headers=self._headers()
        )

    def delete(self, path: str):
        return self.client.delete(path, headers=self._headers())

    def post_raw(self, path: str, body: bytes | None, content_type: str | None = None):
        """A POST of ``body`` as it is; None: no body at all and no Content-Type (curl -X POST;
        Django's client.post() would send an empty multipart form)."""
        if body is None:
            return self.client.generic("POST", path, headers=self._headers())
        return self.client.post(path, body, content_type=content_type, headers=self._headers())


def gc_state_during(monkeypatch: Any, module: Any, name: str) -> list[bool]:
    """Wrap ``module.name`` so that each call records whether Python's cycle collector is on."""
    import gc

    seen: list[bool] = []
    real = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


def fields_of(instance: Any) -> dict[str, Any]:
    """A model instance's stored values, by attribute name."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def assert_loaded_as_the_orm_would(
    loaded: list[Any], expected: Any, relations: tuple[str, ...]
) -> None:
    """``loaded`` (instances built from plain SQL, e.g. by JoinedQuery) holds what the ORM's
    ``expected`` does, in the same order: every value, each relation's too, aware datetimes."""
    expected = list(expected)
    assert [m.pk for m in loaded] == [m.pk for m in expected]
    for got, want in zip(loaded, expected, strict=True):
        assert fields_of(got) == fields_of(want)
        for name in relations:
            mine, theirs = getattr(got, name), getattr(want, name)
            assert (mine is None) == (theirs is None), name
            if mine is not None:
                assert fields_of(mine) == fields_of(theirs), name
        assert got.created_at.tzinfo is not None


def documented_answer(method: str, path: str, status: int) -> dict[str, Any]:
    """The JSON Schema /api/v1/openapi.json gives an operation's answer with ``status``
    (``path`` as documented: ``/api/v1/appeals/{appeal_id}``)."""
    from fugong.api import api

    responses = api.get_openapi_schema()["paths"][path][method]["responses"]
    answer = responses.get(status) or responses[str(status)]
    return answer["content"]["application/json"]["schema"]


class DocumentedAnswers:
    """Checks real answers of the API against what /api/v1/openapi.json documents:
    ``check(response, "post", "/api/v1/appeals", 201)`` asserts the status and that the body
    matches the documented schema (schema_mismatches), and returns the body; ``checked`` holds
    the (method, path) of every operation checked, for a test to assert it covered them all."""

    def __init__(self) -> None:
        self.checked: set[tuple[str, str]] = set()

    def __call__(self, response: Any, method: str, path: str, status: int = 200) -> Any:
        assert response.status_code == status, response.content
        body, schema = response.json(), documented_answer(method, path, status)
        assert schema_mismatches(body, schema) == []
        self.checked.add((method, path))
        return body


def schema_mismatches(value: Any, schema: dict[str, Any]) -> list[str]:
    """Where a JSON answer differs from the JSON Schema documenting it, each as ``place
    (keyword): message`` (``$.history[0].rating (enum): …``), by jsonschema with its format
    checks (date, date-time). Stricter than JSON Schema in one way: an object whose schema lists
    its properties and says nothing of others may have no others, so that a client generator
    gets every field."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(
        _closed(schema), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return sorted(
        f"{error.json_path} ({error.validator}): {error.message}"
        for error in validator.iter_errors(value)
    )


def _closed(schema: Any) -> Any:
    """``schema`` with ``additionalProperties: false`` where it lists properties and gives none."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: _closed(item) for key, item in schema.items()}
    if "properties" in closed:
        closed.setdefault("additionalProperties", False)
    return closed
