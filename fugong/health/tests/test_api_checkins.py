from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from fugong.health.models import CheckIn, StatusChange
from fugong.health.reasons import day_label
from fugong.lib.dates import SHANGHAI, business_today
from fugong.lib.testing import gc_state_during, hire, valid_id_number
from fugong.notifications.models import Notification
from fugong.people.models import Employment

from .conftest import payload, stored_checkin


def test_an_enterprise_admin_submits_a_normal_check_in_and_gets_green(
    world, enterprise_admin, api, staff
):
    person, number = staff
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "person", "date", "health_code", "can_work", "reasons"}
    assert body["person"] == person.id_masked and number not in response.content.decode()
    assert body["health_code"] == "green" and body["can_work"] is True
    assert body["reasons"]
    row = CheckIn.objects.get(pk=body["id"])
    assert row.person == person and row.enterprise == world.enterprise
    assert row.date == business_today() and str(row.temperature) == "36.6"


def test_the_same_client_id_again_answers_200_with_the_same_body_and_no_new_row(
    enterprise_admin, api, staff
):
    _, number = staff
    client = api(enterprise_admin)
    data = payload(number)
    first = client.post("/api/v1/checkins", data)
    second = client.post("/api/v1/checkins", data)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    assert CheckIn.objects.count() == 1


def test_one_client_id_spelt_another_way_is_the_same_check_in(enterprise_admin, api, staff):
    _, number = staff
    client = api(enterprise_admin)
    key = uuid.uuid4()
    first = client.post("/api/v1/checkins", payload(number, client_id=str(key).upper()))
    assert first.status_code == 201
    for spelling in (str(key), key.hex, "{" + str(key) + "}", f"urn:uuid:{key}"):
        again = client.post("/api/v1/checkins", payload(number, client_id=spelling))
        assert again.status_code == 200 and again.json() == first.json()
    batch = client.post(
        "/api/v1/checkins/batch",
        {"items": [payload(number, client_id=key.hex), payload(number, client_id=str(key))]},
    )
    assert [r["status"] for r in batch.json()["results"]] == [200, 200]
    assert CheckIn.objects.get().client_id == key
    new = uuid.uuid4()
    both = client.post(
        "/api/v1/checkins/batch",
        {
            "items": [
                payload(number, client_id=new.hex),
                payload(number, client_id=str(new).upper()),
            ]
        },
    ).json()["results"]
    assert [r["status"] for r in both] == [201, 200] and both[0]["id"] == both[1]["id"]
    assert CheckIn.objects.filter(client_id=new).count() == 1


def test_a_client_id_repeated_in_a_batch_answers_as_when_sent_after_the_first_stored_one(
    world, enterprise_admin, api, staff
):
    _, number = staff
    stranger = valid_id_number(seq=77)  # on no roster
    keys = [str(uuid.uuid4()) for _ in range(3)]
    items = [
        payload(number, client_id=keys[0]),
        payload(number, client_id=keys[0], temperature="hot"),
        payload(number, client_id=keys[1], temperature="hot"),
        payload(number, client_id=keys[1]),
        payload(number, client_id=keys[2]),
        payload(stranger, client_id=keys[2]),
    ]
    client = api(enterprise_admin)
    first = client.post("/api/v1/checkins/batch", {"items": items}).json()["results"]
    assert [r["status"] for r in first] == [201, 200, 400, 201, 201, 200]
    assert first[1]["id"] == first[0]["id"] and first[5]["id"] == first[4]["id"]
    assert first[2]["field"] == "temperature"
    assert CheckIn.objects.count() == 3
    again = client.post("/api/v1/checkins/batch", {"items": items}).json()["results"]
    assert [r["status"] for r in again] == [200] * 6
    assert CheckIn.objects.count() == 3


def test_a_client_id_another_enterprise_stored_meanwhile_is_refused_without_its_check_in(
    world, enterprise_admin, other_enterprise_admin, api, staff, monkeypatch
):
    """Two enterprises send one client_id at once: the other's row lands between this
    request's read and its write. This one is told the client_id is taken, and sees nothing
    of the other's check-in."""
    from fugong.health import store

    _, number = staff
    other_number = valid_id_number(seq=78)
    hire(world.other_enterprise, name="赵六", id_number=other_number)
    key = str(uuid.uuid4())
    theirs = api(other_enterprise_admin).post(
        "/api/v1/checkins", payload(other_number, client_id=key)
    )
    assert theirs.status_code == 201
    real_read = store.read_snapshot

    def read_before_theirs_landed(*args, **kwargs):
        snapshot = real_read(*args, **kwargs)
        snapshot.stored.clear()
        return snapshot

    monkeypatch.setattr(store, "read_snapshot", read_before_theirs_landed)
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number, client_id=key))
    assert response.status_code == 400
    assert response.json() == {
        "error": "该 client_id 已用于另一条打卡记录。",
        "field": "client_id",
    }
    assert CheckIn.objects.get().enterprise == world.other_enterprise


def test_a_later_check_in_the_same_day_is_kept_and_the_status_uses_both(
    enterprise_admin, api, staff
):
    _, number = staff
    client = api(enterprise_admin)
    assert client.post("/api/v1/checkins", payload(number, temperature=38.0)).status_code == 201
    later = client.post("/api/v1/checkins", payload(number, temperature=36.5))
    assert later.status_code == 201
    assert CheckIn.objects.count() == 2
    assert later.json()["health_code"] == "yellow"
    assert any("38.0" in r for r in later.json()["reasons"])


def test_an_id_number_typed_in_full_width_digits_finds_the_person(enterprise_admin, api, staff):
    person, number = staff
    full_width = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    response = api(enterprise_admin).post("/api/v1/checkins", payload(full_width))
    assert response.status_code == 201
    assert response.json()["person"] == person.id_masked
    assert CheckIn.objects.get().person == person


def test_someone_not_on_this_roster_is_404_even_if_employed_elsewhere(world, enterprise_admin, api):
    number = valid_id_number()
    hire(world.other_enterprise, id_number=number)
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number))
    assert response.status_code == 404
    assert set(response.json()) == {"error"}
    assert CheckIn.objects.count() == 0


def test_a_former_employee_is_404(world, enterprise_admin, api, staff):
    person, number = staff
    person.employments.update(active=False)
    assert api(enterprise_admin).post("/api/v1/checkins", payload(number)).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "440604199003071230"),
        ("id_number", "12345"),
        ("id_number", None),
        ("id_number", 440604199003071234),
        ("date", "2020/02/10"),
        ("date", f"{business_today():%G-W%V-%u}"),  # ISO 8601 too, but not YYYY-MM-DD
        ("date", f"{business_today():%Y%m%d}"),
        ("date", "tomorrow"),
        ("date", None),
        ("temperature", 33.9),
        ("temperature", 43.1),
        ("temperature", "hot"),
        ("temperature", None),
        ("temperature", True),
        ("temperature", "36.6"),  # a number, not a text
        ("temperature", 37.25),  # neither 37.2 nor 37.3
        ("location", 440604),  # a text, not a number
        ("symptoms", ["cough", "sneezing"]),
        ("symptoms", "cough"),
        ("location", "999999"),
        ("location", "4406"),
        ("location", "440604999999"),
        ("location", None),
        ("close_contact", "no"),
        ("close_contact", None),
        ("work_mode", "office"),
        ("work_mode", None),
        ("client_id", "not-a-uuid"),
        ("client_id", None),
    ],
)
def test_every_invalid_field_is_400_naming_the_field_and_nothing_is_stored(
    enterprise_admin, api, staff, field, value
):
    _, number = staff
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number, **{field: value}))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field and body["error"]
    assert CheckIn.objects.count() == 0


def test_a_temperature_with_a_trailing_zero_is_one_decimal_place(enterprise_admin, api, staff):
    _, number = staff
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=37))
    assert response.status_code == 201
    assert str(CheckIn.objects.get().temperature) == "37.0"


def test_a_temperature_with_two_decimal_places_says_so(enterprise_admin, api, staff):
    _, number = staff
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=37.29))
    assert response.json() == {"error": "体温请保留一位小数。", "field": "temperature"}


@pytest.mark.parametrize("body", [None, [], "x", 5])
def test_a_body_or_batch_item_that_is_not_an_object_is_told_so(enterprise_admin, api, body):
    client = api(enterprise_admin)
    single = client.client.post(
        "/api/v1/checkins",
        json.dumps(body),
        content_type="application/json",
        headers=client._headers(),
    )
    assert single.status_code == 400
    assert single.json() == {"error": "请发送一个 JSON 对象。", "field": ""}
    batch = client.post("/api/v1/checkins/batch", {"items": [body]}).json()["results"]
    assert batch == [{"status": 400, "error": "请发送一个 JSON 对象。", "field": ""}]
    assert CheckIn.objects.count() == 0


def test_a_future_date_and_a_date_more_than_3_days_back_are_400(enterprise_admin, api, staff):
    _, number = staff
    client = api(enterprise_admin)
    today = business_today()
    for day in (today + dt.timedelta(days=1), today - dt.timedelta(days=4)):
        response = client.post("/api/v1/checkins", payload(number, date=day.isoformat()))
        assert response.status_code == 400 and response.json()["field"] == "date"
    ok = client.post(
        "/api/v1/checkins", payload(number, date=(today - dt.timedelta(days=3)).isoformat())
    )
    assert ok.status_code == 201
    assert CheckIn.objects.count() == 1


def test_a_county_code_elsewhere_in_china_and_a_city_community_are_valid_locations(
    enterprise_admin, api, staff
):
    _, number = staff
    client = api(enterprise_admin)
    assert client.post("/api/v1/checkins", payload(number, location="420106")).status_code == 201
    assert (
        client.post("/api/v1/checkins", payload(number, location="440604001001")).status_code == 201
    )


def test_a_body_that_is_not_json_is_400(enterprise_admin, api):
    client = api(enterprise_admin)
    response = client.client.post(
        "/api/v1/checkins", "{oops", content_type="application/json", headers=client._headers()
    )
    assert response.status_code == 400 and "field" in response.json()


def test_a_temperature_of_nan_is_not_json_and_nothing_is_stored(enterprise_admin, api, staff):
    number = staff[1]
    client = api(enterprise_admin)
    body = json.dumps(payload(number)).replace('"temperature": 36.6', '"temperature": NaN')
    assert "NaN" in body
    response = client.client.post(
        "/api/v1/checkins", body, content_type="application/json", headers=client._headers()
    )
    assert response.status_code == 400
    assert response.json() == {"error": _("The body is not valid JSON."), "field": ""}
    assert CheckIn.objects.count() == 0


def test_a_body_beyond_the_size_limit_is_a_400_in_the_error_shape_and_nothing_is_stored(
    enterprise_admin, api, staff, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024  # 4 MB: a batch of 1,000 fits
    items = [payload(staff[1]) for _ in range(1000)]
    items[0]["location"] = "4" * (4 * 1024 * 1024)
    client = api(enterprise_admin)
    for path, body in (
        ("/api/v1/checkins", items[0]),
        ("/api/v1/checkins/batch", {"items": items}),
    ):
        response = client.post(path, body)
        assert response.status_code == 400
        assert response.json() == {
            "error": _("The body is too large (at most %(size)d MB).") % {"size": 4},
            "field": "",
        }
    assert CheckIn.objects.count() == 0


def test_without_a_valid_token_the_api_answers_401(world, api, staff):
    _, number = staff
    assert api(None).post("/api/v1/checkins", payload(number)).status_code == 401
    assert CheckIn.objects.count() == 0


def test_a_user_who_administers_no_enterprise_gets_404(township_officer, api, staff):
    _, number = staff
    assert api(township_officer).post("/api/v1/checkins", payload(number)).status_code == 404
    assert CheckIn.objects.count() == 0


def test_another_enterprises_client_id_cannot_be_replayed(
    world, enterprise_admin, other_enterprise_admin, api, staff
):
    _, number = staff
    data = payload(number)
    assert api(enterprise_admin).post("/api/v1/checkins", data).status_code == 201
    other = hire(world.other_enterprise, id_number=valid_id_number())
    assert other
    response = api(other_enterprise_admin).post("/api/v1/checkins", data)
    assert response.status_code == 400 and response.json()["field"] == "client_id"
    assert "王五" not in response.content.decode()


def test_a_fever_notifies_the_enterprise_admin_and_the_township(
    world, enterprise_admin, township_officer, other_township_officer, api, staff
):
    _, number = staff
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=38.2))
    assert response.status_code == 201 and response.json()["health_code"] == "yellow"
    assert Notification.objects.filter(user=enterprise_admin, kind="health.alert").exists()
    assert Notification.objects.filter(user=township_officer, kind="health.alert").exists()
    assert not Notification.objects.filter(user=other_township_officer).exists()


def test_each_alert_leads_its_reader_to_a_page_they_may_open(
    world, enterprise_admin, township_officer, api, staff, login
):
    # The township's notification led to the enterprise board: a 404 for an officer.
    _, number = staff
    api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=38.2))
    for user, link in ((enterprise_admin, "/health/board/?show=alerts"),
                       (township_officer, "/health/alerts/")):  # fmt: skip
        notification = Notification.objects.get(user=user, kind="health.alert")
        assert notification.link == link
        client = login(user)
        page = client.get(client.post(f"/notifications/{notification.pk}/open/")["Location"])
        assert page.status_code == 200 and "王五" in page.content.decode()


def test_a_status_change_is_recorded_with_its_cause(enterprise_admin, api, staff):
    person, number = staff
    client = api(enterprise_admin)
    client.post("/api/v1/checkins", payload(number))
    client.post("/api/v1/checkins", payload(number, symptoms=["cough"]))
    changes = list(StatusChange.objects.filter(person=person).order_by("pk"))
    assert [(c.previous, c.code, c.cause) for c in changes] == [
        ("", "green", "checkin"),
        ("green", "yellow", "checkin"),
    ]
    assert changes[1].reasons == [{"k": "symptoms", "codes": ["cough"]}]  # data, worded when read
    assert changes[1].reason_texts == ["今日症状:咳嗽。"]


# ------------------------------------------------------------------------------- batch
def test_a_batch_answers_each_item_independently(world, enterprise_admin, api, staff):
    _, number = staff
    stranger = valid_id_number()
    good = payload(number)
    items = [good, payload(number, temperature=50), payload(stranger), good]
    response = api(enterprise_admin).post("/api/v1/checkins/batch", {"items": items})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 400, 404, 200]
    assert results[1]["field"] == "temperature"
    assert results[3]["id"] == results[0]["id"]
    assert CheckIn.objects.count() == 1
    again = api(enterprise_admin).post("/api/v1/checkins/batch", {"items": [good]})
    assert again.json()["results"][0]["status"] == 200


def test_the_cycle_collector_is_paused_while_a_batch_is_judged_and_resumed_after(
    world, enterprise_admin, api, staff, monkeypatch
):
    import gc

    from fugong.health import store

    seen = gc_state_during(monkeypatch, store, "read_snapshot")
    assert gc.isenabled()
    items = [payload(staff[1]), payload(staff[1], temperature=50)]
    response = api(enterprise_admin).post("/api/v1/checkins/batch", {"items": items})
    assert [r["status"] for r in response.json()["results"]] == [201, 400]
    assert seen == [False] and gc.isenabled()


def test_every_item_of_a_batch_repeating_a_bad_value_gets_its_own_error(
    enterprise_admin, api, staff
):
    _, number = staff
    items = [
        payload(number, temperature=50),
        payload(number, temperature=50),
        payload(number, temperature=True),
        payload(number, temperature=1),
        payload(number, symptoms=["cough", "sneeze"]),
        payload(number, symptoms=["cough", "sneeze"]),
        payload(number, symptoms=[{"code": "cough"}]),
        payload(number, location={"code": "440604"}),
        payload(number, symptoms=["cough"]),
        payload(number, symptoms=["cough"], temperature=36.6),
    ]
    response = api(enterprise_admin).post("/api/v1/checkins/batch", {"items": items})
    results = response.json()["results"]
    assert [r["status"] for r in results] == [400] * 8 + [201, 201]
    assert [r["field"] for r in results[:8]] == ["temperature"] * 4 + ["symptoms"] * 3 + [
        "location"
    ]
    assert results[0]["error"] == results[1]["error"] == results[3]["error"]
    assert results[2]["error"] != results[3]["error"]  # true is not a temperature of 1 °C
    assert "sneeze" in results[4]["error"] and results[4]["error"] == results[5]["error"]
    assert CheckIn.objects.filter(symptoms=["cough"]).count() == 2


def test_a_batch_of_more_than_1000_or_of_nothing_is_400(enterprise_admin, api, staff):
    _, number = staff
    client = api(enterprise_admin)
    too_many = client.post(
        "/api/v1/checkins/batch", {"items": [payload(number) for _ in range(1001)]}
    )
    assert too_many.status_code == 400 and too_many.json()["field"] == "items"
    assert client.post("/api/v1/checkins/batch", {"items": []}).status_code == 400
    assert client.post("/api/v1/checkins/batch", {"nope": 1}).status_code == 400
    assert CheckIn.objects.count() == 0


def test_a_batch_costs_a_handful_of_queries_not_some_per_item(
    world, enterprise_admin, api, django_assert_max_num_queries
):
    numbers = [valid_id_number(seq=i) for i in range(1, 200)]
    for n in numbers:
        hire(world.enterprise, id_number=n)
    client = api(enterprise_admin)
    items = [payload(n) for n in numbers]
    with django_assert_max_num_queries(40):  # SQLite splits the INSERT
        response = client.post("/api/v1/checkins/batch", {"items": items})
    assert [r["status"] for r in response.json()["results"]] == [201] * len(numbers)
    assert CheckIn.objects.count() == len(numbers)


def test_ping_answers_any_valid_token(outsider, api):
    assert api(outsider).get("/api/v1/ping").json() == {"ok": True}
    assert api(None).get("/api/v1/ping").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_requests_store_one_row(world, enterprise_admin, staff):
    """Idempotency under concurrency: four threads send the same client_id at once."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory SQLite test db locks)")

    from fugong.health.actions import submit_checkins

    _, number = staff
    data = payload(number, client_id=str(uuid.uuid4()))
    results: list = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(submit_checkins(world.enterprise, [data], actor=enterprise_admin)[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(status for status, _ in results)
    assert len(results) == 4
    assert statuses == [200, 200, 200, 201]
    assert len({body["id"] for _, body in results}) == 1
    assert CheckIn.objects.count() == 1


def missed_reason(n: int, day: dt.date) -> str:
    """The missed-check-in reason as the API says it (in Chinese, the default language)."""
    with translation.override("zh-hans"):
        return _("No check-in on the %(n)d days before %(date)s.") % {
            "n": n,
            "date": day_label(day),
        }


def test_missed_days_count_from_the_shanghai_day_the_person_joined_the_roster(
    world, enterprise_admin, api, staff
):
    person, number = staff
    today = business_today()
    joined = dt.datetime.combine(today - dt.timedelta(days=3), dt.time(0, 30), tzinfo=SHANGHAI)
    # 00:30 in Shanghai is still the day before in UTC: that earlier date must not count.
    Employment.objects.filter(person=person).update(created_at=joined.astimezone(dt.UTC))
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "yellow"
    assert missed_reason(3, today) in body["reasons"]


def on_the_roster_since(days: int, *people) -> None:
    """The people joined the roster ``days`` ago, at 09:00 in Shanghai."""
    day = business_today() - dt.timedelta(days=days)
    joined = dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI)
    Employment.objects.filter(person__in=people).update(created_at=joined)


def test_missed_days_before_the_rules_window_are_counted_to_the_last_check_in(
    world, enterprise_admin, api, staff
):
    person, number = staff
    today = business_today()
    on_the_roster_since(30, person)
    # 20 days ago: older than the check-ins the rules read
    stored_checkin(person, world.enterprise, today - dt.timedelta(days=20))
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "yellow"
    assert missed_reason(19, today) in body["reasons"]


def test_in_one_batch_only_the_person_without_recent_check_ins_counts_missed_days_past_the_window(
    world, enterprise_admin, api, staff
):
    person, number = staff
    today = business_today()
    regular_number = valid_id_number()
    regular = hire(world.enterprise, id_number=regular_number)
    on_the_roster_since(30, person, regular)
    stored_checkin(person, world.enterprise, today - dt.timedelta(days=20))
    stored_checkin(regular, world.enterprise, today - dt.timedelta(days=20))
    stored_checkin(regular, world.enterprise, today - dt.timedelta(days=1))
    items = [payload(regular_number), payload(number)]
    results = api(enterprise_admin).post("/api/v1/checkins/batch", {"items": items}).json()
    assert [r["health_code"] for r in results["results"]] == ["green", "yellow"]
    assert results["results"][1]["reasons"] == [missed_reason(19, today)]
    assert all(missed_reason(19, today) not in r for r in results["results"][0]["reasons"])


def test_a_close_contact_reported_before_the_window_ends_the_count_of_missed_days(
    world, enterprise_admin, api, staff
):
    person, number = staff
    today = business_today()
    on_the_roster_since(30, person)
    stored_checkin(person, world.enterprise, today - dt.timedelta(days=10), close_contact=True)
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "red"
    assert missed_reason(9, today) in body["reasons"]


def test_a_contact_reported_ten_days_ago_still_keeps_the_person_under_observation(
    world, enterprise_admin, api, staff
):
    person, number = staff
    today = business_today()
    for days_ago in range(10, 0, -1):  # one check-in a day; the first reports a contact
        day = today - dt.timedelta(days=days_ago)
        stored_checkin(person, world.enterprise, day, close_contact=days_ago == 10)
    body = api(enterprise_admin).post("/api/v1/checkins", payload(number)).json()
    assert body["health_code"] == "red" and body["can_work"] is False
    contact_day = today - dt.timedelta(days=10)
    assert any(day_label(contact_day) in reason for reason in body["reasons"])
