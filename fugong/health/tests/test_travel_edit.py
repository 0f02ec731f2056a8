"""Correcting and deleting travel records: same scope as entering them, audited, status
judged again."""

from __future__ import annotations

import datetime as dt

import pytest

from fugong.audit.models import AuditEvent
from fugong.health.actions import do_record_travel
from fugong.health.models import CurrentStatus, RiskLevel, StatusChange, TravelRecord
from fugong.health.reasons import day_label
from fugong.health.status import explain
from fugong.lib.dates import business_today


@pytest.fixture
def trip(world, staff, enterprise_admin):
    """``staff`` arrived from Wuhan (a high-risk area) two days ago: yellow, in quarantine."""
    person, _number = staff
    RiskLevel.objects.create(code="420100", level="high", effective_from=dt.date(2020, 1, 1))
    arrival = business_today() - dt.timedelta(days=2)
    travel = do_record_travel(
        person,
        origin_code="420106",
        arrival_date=arrival,
        means="train",
        enterprise=world.enterprise,
        actor=enterprise_admin,
    )
    return travel


def edit(client, travel, **overrides):
    data = {
        "origin_code": travel.origin_code,
        "arrival_date": travel.arrival_date.isoformat(),
        "means": travel.means,
    }
    data.update(overrides)
    return client.post(f"/health/travel/{travel.pk}/edit/", data)


def quarantine_end(arrival: dt.date) -> str:
    return day_label(arrival + dt.timedelta(days=14))


def test_correcting_the_arrival_date_moves_the_quarantine_end_and_the_explanation(
    trip, enterprise_admin, login, staff
):
    person, number = staff
    today = business_today()
    old_arrival = trip.arrival_date
    status = CurrentStatus.objects.get(person=person)
    assert status.code == "yellow" and quarantine_end(old_arrival) in " ".join(status.reason_texts)
    client = login(enterprise_admin)
    form = client.get(f"/health/travel/{trip.pk}/edit/")
    assert form.status_code == 200 and old_arrival.isoformat() in form.content.decode()

    new_arrival = today - dt.timedelta(days=5)
    response = edit(client, trip, arrival_date=new_arrival.isoformat(), means="coach")
    assert response.status_code == 302
    assert response["Location"] == f"/health/travel/?person={person.pk}"
    trip.refresh_from_db()
    assert (trip.arrival_date, trip.means) == (new_arrival, "coach")
    # The current status and the explanation of today both give the new end date.
    reasons = " ".join(CurrentStatus.objects.get(person=person).reason_texts)
    assert quarantine_end(new_arrival) in reasons and quarantine_end(old_arrival) not in reasons
    assert quarantine_end(new_arrival) in " ".join(explain(person, today).texts)
    page = client.get(f"/health/people/{person.pk}/").content.decode()
    assert quarantine_end(new_arrival) in page
    # Audited with the old and new values, never the ID number.
    event = AuditEvent.objects.get(action="travel.updated")
    assert event.actor == enterprise_admin
    assert event.details == {
        "old": {"origin": "420106", "arrival_date": old_arrival.isoformat(), "means": "train"},
        "new": {"origin": "420106", "arrival_date": new_arrival.isoformat(), "means": "coach"},
    }
    assert number not in str(event.details) + event.object_label


def test_an_arrival_corrected_to_before_the_quarantine_makes_the_person_green_again(
    trip, enterprise_admin, login, staff
):
    person, _number = staff
    long_ago = business_today() - dt.timedelta(days=20)
    assert edit(login(enterprise_admin), trip, arrival_date=long_ago.isoformat()).status_code == 302
    assert CurrentStatus.objects.get(person=person).code == "green"
    change = StatusChange.objects.filter(person=person).first()
    assert (change.previous, change.code, change.cause) == ("yellow", "green", "travel")


def test_deleting_a_travel_record_is_confirmed_audited_and_rejudges_the_status(
    trip, enterprise_admin, login, staff
):
    person, number = staff
    client = login(enterprise_admin)
    confirm = client.get(f"/health/travel/{trip.pk}/delete/")
    assert confirm.status_code == 200 and "420106" in confirm.content.decode()
    assert TravelRecord.objects.filter(pk=trip.pk).exists()  # a GET deletes nothing
    response = client.post(f"/health/travel/{trip.pk}/delete/")
    assert response.status_code == 302
    assert not TravelRecord.objects.filter(pk=trip.pk).exists()
    assert CurrentStatus.objects.get(person=person).code == "green"
    event = AuditEvent.objects.get(action="travel.deleted")
    assert event.details["old"]["origin"] == "420106"
    assert number not in str(event.details) + event.object_label


@pytest.mark.parametrize(
    "persona",
    ["other_enterprise_admin", "township_officer", "department_officer", "employee", "outsider"],
)
def test_someone_who_may_not_enter_this_persons_travel_gets_404_and_changes_nothing(
    request, trip, login, persona
):
    client = login(request.getfixturevalue(persona))
    assert client.get(f"/health/travel/{trip.pk}/edit/").status_code == 404
    assert edit(client, trip, means="car").status_code == 404
    assert client.get(f"/health/travel/{trip.pk}/delete/").status_code == 404
    assert client.post(f"/health/travel/{trip.pk}/delete/").status_code == 404
    trip.refresh_from_db()
    assert trip.means == "train"
    assert not AuditEvent.objects.filter(action__in=["travel.updated", "travel.deleted"]).exists()


def test_a_missing_travel_record_is_404(enterprise_admin, login):
    assert login(enterprise_admin).get("/health/travel/999999/edit/").status_code == 404


def test_the_command_centre_may_correct_any_travel_record(trip, command_centre, login):
    assert edit(login(command_centre), trip, means="plane").status_code == 302
    trip.refresh_from_db()
    assert trip.means == "plane"


@pytest.mark.parametrize(
    ("value", "why"),
    [("2020-02-31", "not a date"), ("tomorrow", "not a date"), ("future", "in the future")],
)
def test_a_bad_arrival_date_is_a_field_error_and_changes_nothing(
    trip, enterprise_admin, login, staff, value, why
):
    person, _number = staff
    before = CurrentStatus.objects.get(person=person).reasons
    if value == "future":
        value = (business_today() + dt.timedelta(days=1)).isoformat()
    response = edit(login(enterprise_admin), trip, arrival_date=value, means="plane")
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["arrival_date"], why
    assert form.errors["arrival_date"][0] in response.content.decode()
    trip.refresh_from_db()
    assert (trip.arrival_date, trip.means) == (business_today() - dt.timedelta(days=2), "train")
    assert CurrentStatus.objects.get(person=person).reasons == before
    assert not AuditEvent.objects.filter(action="travel.updated").exists()


def test_an_unknown_origin_is_a_field_error(trip, enterprise_admin, login):
    response = edit(login(enterprise_admin), trip, origin_code="999999")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["origin_code"]
    trip.refresh_from_db()
    assert trip.origin_code == "420106"


def test_the_persons_travel_list_has_edit_links_and_stays_in_scope(
    trip, world, enterprise_admin, other_enterprise_admin, login, staff
):
    from fugong.lib.testing import hire

    person, _number = staff
    stranger = hire(world.other_enterprise, name="赵六")
    TravelRecord.objects.create(
        person=stranger, origin_code="420106", arrival_date=business_today(), means="car"
    )
    html = login(enterprise_admin).get(f"/health/travel/?person={person.pk}").content.decode()
    assert f"/health/travel/{trip.pk}/edit/" in html and "赵六" not in html
    assert AuditEvent.objects.filter(
        action="person.viewed", actor=enterprise_admin, object_id=str(person.pk)
    ).exists()
    assert login(enterprise_admin).get(f"/health/travel/?person={stranger.pk}").status_code == 404
    everyone = login(enterprise_admin).get("/health/travel/").content.decode()
    assert f"/health/travel/{trip.pk}/edit/" in everyone and "赵六" not in everyone
    assert f"/health/travel/{trip.pk}/edit/" not in (
        login(other_enterprise_admin).get("/health/travel/").content.decode()
    )
    status_page = login(enterprise_admin).get(f"/health/people/{person.pk}/").content.decode()
    assert f"/health/travel/{trip.pk}/edit/" in status_page


@pytest.fixture
def community_trip(world, staff, community_worker):
    """``staff`` (living in community C) reported by the community as back from Wuhan."""
    person, _number = staff
    RiskLevel.objects.create(code="420100", level="high", effective_from=dt.date(2020, 1, 1))
    return do_record_travel(
        person,
        origin_code="420106",
        arrival_date=business_today() - dt.timedelta(days=2),
        means="train",
        actor=community_worker,
    )


def test_the_employer_sees_the_communitys_travel_record_read_only_with_who_entered_it(
    community_trip, staff, enterprise_admin, community_worker, login
):
    person, _number = staff
    community_worker.display_name = "莲花社区"
    community_worker.save()
    client = login(enterprise_admin)
    assert client.get(f"/health/travel/{community_trip.pk}/edit/").status_code == 404
    assert edit(client, community_trip, origin_code="440604").status_code == 404
    assert client.post(f"/health/travel/{community_trip.pk}/delete/").status_code == 404
    assert TravelRecord.objects.filter(pk=community_trip.pk, origin_code="420106").exists()
    assert CurrentStatus.objects.get(person=person).code == "yellow"  # still in quarantine
    assert not AuditEvent.objects.filter(action__in=["travel.updated", "travel.deleted"]).exists()
    for url in (f"/health/travel/?person={person.pk}", f"/health/people/{person.pk}/"):
        page = client.get(url).content.decode()
        assert "湖北省武昌区" in page and "由莲花社区录入" in page
        assert f"/health/travel/{community_trip.pk}/edit/" not in page
        assert f"/health/travel/{community_trip.pk}/delete/" not in page


def test_the_community_corrects_its_own_record_but_not_the_employers(
    community_trip, trip, community_worker, login
):
    client = login(community_worker)
    assert edit(client, community_trip, means="coach").status_code == 302
    assert edit(client, trip, means="coach").status_code == 404
    assert client.post(f"/health/travel/{trip.pk}/delete/").status_code == 404
    assert [t.means for t in TravelRecord.objects.order_by("pk")] == ["coach", "train"]
    page = client.get("/health/travel/").content.decode()
    assert f"/health/travel/{community_trip.pk}/edit/" in page
    assert f"/health/travel/{trip.pk}/edit/" not in page and "由甲电器有限公司录入" in page


def test_a_former_employer_neither_sees_nor_corrects_nor_adds_travel_of_its_former_staff(
    trip, world, staff, enterprise_admin, login
):
    from fugong.people.actions import do_end_employment

    person, number = staff
    do_end_employment(
        person.employments.get(active=True), end_date=business_today(), actor=enterprise_admin
    )
    client = login(enterprise_admin)
    assert client.get(f"/health/travel/{trip.pk}/edit/").status_code == 404
    assert edit(client, trip, means="car").status_code == 404
    assert client.post(f"/health/travel/{trip.pk}/delete/").status_code == 404
    assert client.get(f"/health/travel/?person={person.pk}").status_code == 404
    assert "王五" not in client.get("/health/travel/").content.decode()
    added = client.post(
        "/health/travel/",
        {
            "id_number": number,
            "origin_code": "420106",
            "arrival_date": business_today().isoformat(),
            "means": "car",
        },
    )
    assert (
        added.status_code == 400 and "您的管辖范围内没有此身份证号的人员" in added.content.decode()
    )
    assert TravelRecord.objects.filter(person=person).count() == 1
    trip.refresh_from_db()
    assert trip.means == "train"
    # Someone hired again is theirs again.
    person.employments.create(enterprise=world.enterprise, post="操作工")
    assert edit(client, trip, means="car").status_code == 302


def test_a_former_employer_no_longer_opens_the_persons_health_status(
    world, staff, enterprise_admin, other_enterprise_admin, login
):
    from fugong.people.actions import do_end_employment

    person, _number = staff
    client = login(enterprise_admin)
    assert client.get(f"/health/people/{person.pk}/").status_code == 200
    do_end_employment(
        person.employments.get(active=True), end_date=business_today(), actor=enterprise_admin
    )
    person.employments.create(enterprise=world.other_enterprise, post="营业员")
    assert client.get(f"/health/people/{person.pk}/").status_code == 404
    assert client.get(f"/people/{person.pk}/").status_code == 404
    assert login(other_enterprise_admin).get(f"/health/people/{person.pk}/").status_code == 200
    # Only the view while they were the employer was a read of the person's record.
    assert AuditEvent.objects.filter(action="person.viewed", actor=enterprise_admin).count() == 1


def test_a_township_officer_reads_the_persons_travel_without_links_to_correct_it(
    trip, staff, township_officer, login
):
    person, _number = staff
    page = login(township_officer).get(f"/health/people/{person.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "由甲电器有限公司录入" in html and f"/health/travel/{trip.pk}/edit/" not in html
