"""The health department's case form and how a case reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fugong.health import reasons
from fugong.health.models import CaseRecord
from fugong.lib.dates import business_today


def post_case(client, number: str, since: dt.date | str, kind: str = "confirmed"):
    since = since if isinstance(since, str) else since.isoformat()
    return client.post("/health/cases/", {"id_number": number, "kind": kind, "since": since})


@pytest.mark.parametrize("number", ["abc", "44060419900101123"])
def test_a_malformed_id_number_is_named_as_such_not_as_unregistered(
    number, world, command_centre, login
):
    response = post_case(login(command_centre), number, business_today())
    assert response.status_code == 400
    errors = response.context["form"].errors["id_number"]
    assert errors and "未登记此身份证号的人员" not in response.content.decode()
    assert errors[0] in response.content.decode()
    assert not CaseRecord.objects.exists()


def test_a_well_formed_id_number_nobody_has_is_unregistered(world, command_centre, login):
    from fugong.lib.testing import valid_id_number

    response = post_case(login(command_centre), valid_id_number(), business_today())
    assert response.status_code == 400
    assert "未登记此身份证号的人员" in response.content.decode()


@pytest.mark.parametrize("since", ["1900-01-01", "far", "tomorrow"])
def test_a_case_dated_implausibly_far_back_or_in_the_future_is_refused(
    since, world, staff, command_centre, login
):
    _person, number = staff
    if since == "far":
        since = business_today() - dt.timedelta(days=366)
    elif since == "tomorrow":
        since = business_today() + dt.timedelta(days=1)
    response = post_case(login(command_centre), number, since)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["since"]
    assert not CaseRecord.objects.exists()


def test_a_case_a_year_back_is_accepted(world, staff, command_centre, login):
    _person, number = staff
    since = business_today() - dt.timedelta(days=365)
    assert post_case(login(command_centre), number, since).status_code == 302
    assert CaseRecord.objects.get().since == since


def test_a_case_since_an_earlier_year_names_the_year_and_one_of_this_year_does_not(db):
    today = business_today()
    last_year = dt.date(today.year - 1, 12, 31)
    assert reasons.text(reasons.case("confirmed", last_year)) == (
        f"自{today.year - 1}年12月31日起为确诊病例。"
    )
    this_year = dt.date(today.year, 1, 1)
    assert reasons.text(reasons.case("confirmed", this_year)) == "自1月1日起为确诊病例。"
    with translation.override("en"):
        assert reasons.text(reasons.case("suspected", last_year)) == (
            f"Suspected case since {today.year - 1}/12/31."
        )
