"""A status's reasons are stored as data and read in the reader's language, whoever judged them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from fugong.health import reasons
from fugong.health.actions import do_record_case, do_record_travel
from fugong.health.models import CheckIn, CurrentStatus, RiskLevel, StatusChange
from fugong.lib.dates import business_today

from .conftest import payload, stored_checkin

DAY = dt.date(2020, 2, 10)
KEY = "0b7e4a52-8f0e-4a3c-9a57-2d0f5c1e9b11"  # a client_id
EVERY_KIND = [
    reasons.GREEN,
    reasons.NOT_RESUMED,
    reasons.observation("close_contact", DAY, 14, DAY + dt.timedelta(days=14)),
    reasons.observation("reported_contact", DAY, 14, DAY + dt.timedelta(days=14)),
    reasons.case("confirmed", DAY),
    reasons.case("suspected", DAY),
    reasons.fever("38.6"),
    reasons.symptoms(["cough", "fatigue"]),
    reasons.travel("武汉市", "high", 14, DAY, DAY + dt.timedelta(days=14)),
    reasons.missed(3, DAY),
    reasons.no_checkin(DAY),
]


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("reason", EVERY_KIND, ids=lambda r: r["k"] + r.get("what", ""))
def test_every_kind_of_reason_is_worded_in_chinese_and_in_english(reason):
    with translation.override("zh-hans"):
        chinese = reasons.text(reason)
    with translation.override("en"):
        words = reasons.text(reason)
    assert chinese and words and chinese != words
    assert "=" not in chinese + words  # not the fallback for a kind this version does not know
    assert not has_chinese(words) or reason["k"] == "travel"  # the place keeps its name
    assert has_chinese(chinese)


@pytest.mark.usefixtures("in_2020")
def test_a_reason_names_its_dates_place_and_level_in_the_readers_words():
    trip = reasons.travel("武汉市", "high", 14, DAY, DAY + dt.timedelta(days=14))
    with translation.override("zh-hans"):
        assert reasons.text(trip) == "来自武汉市(高风险地区):自2月10日起居家观察14天,至2月24日。"
    with translation.override("en"):
        assert reasons.text(trip) == (
            "Arrived from 武汉市 (High risk area): home observation for 14 days from 2/10, "
            "until 2/24."
        )


def test_a_reason_stored_as_words_before_reasons_were_data_is_shown_as_it_is():
    assert reasons.texts(["体温正常。", reasons.fever("37.5")]) == [
        "体温正常。",
        "今日发热:37.5 °C。",
    ]


def test_a_reason_of_a_kind_this_version_does_not_know_shows_what_it_holds():
    assert reasons.text({"k": "vaccinated", "doses": 3}) == "k=vaccinated doses=3"


def test_a_check_in_keeps_its_reasons_as_data_not_in_the_submitters_language(
    enterprise_admin, api, staff
):
    person, number = staff
    response = api(enterprise_admin).post(
        "/api/v1/checkins", payload(number, temperature=38.6, symptoms=["cough"])
    )
    assert response.status_code == 201
    assert response.json()["reasons"] == ["今日发热:38.6 °C。", "今日症状:咳嗽。"]
    data = [{"k": "fever", "t": "38.6"}, {"k": "symptoms", "codes": ["cough"]}]
    assert CheckIn.objects.get(person=person).reasons == data
    assert CurrentStatus.objects.get(person=person).reasons == data
    assert StatusChange.objects.get(person=person).reasons == data


def test_the_same_client_id_again_answers_with_the_same_verdict_in_the_requests_language(
    enterprise_admin, api, staff
):
    _, number = staff
    client = api(enterprise_admin)
    first = client.post("/api/v1/checkins", payload(number, temperature=38.6, client_id=KEY))
    english(client.client)
    again = client.post("/api/v1/checkins", payload(number, temperature=38.6, client_id=KEY))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reasons"] == ["今日发热:38.6 °C。"]
    assert again.json() == {**first.json(), "reasons": ["Fever today: 38.6 °C."]}
    assert CheckIn.objects.count() == 1


def test_the_api_answers_in_the_language_the_tokens_user_chose_unless_the_request_names_one(
    enterprise_admin, api, staff
):
    from fugong.accounts.actions import do_set_user_language

    _, number = staff
    do_set_user_language(enterprise_admin, "en", actor=enterprise_admin)
    client = api(enterprise_admin)
    first = client.post("/api/v1/checkins", payload(number, temperature=38.6))
    assert first.status_code == 201
    assert first.json()["reasons"] == ["Fever today: 38.6 °C."]
    assert first.headers["Content-Language"] == "en"
    assert client.post("/api/v1/checkins", payload("1234")).json()["error"] == (
        "A resident ID number has 18 characters."
    )
    client.client.cookies["django_language"] = "zh-hans"  # this request's own choice wins
    again = client.post("/api/v1/checkins", payload(number, temperature=38.6))
    assert again.json()["reasons"] == ["今日发热:38.6 °C。"]
    assert again.headers["Content-Language"] == "zh-hans"


def test_the_api_answers_in_chinese_for_a_user_who_chose_no_language(enterprise_admin, api, staff):
    _, number = staff
    assert enterprise_admin.language == ""
    response = api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=38.6))
    assert response.json()["reasons"] == ["今日发热:38.6 °C。"]
    assert response.headers["Content-Language"] == "zh-hans"
    assert api(None).get("/api/v1/ping").json() == {
        "error": "需要有效的访问令牌(Authorization: Bearer …)"
    }


def test_an_english_reader_reads_a_chinese_check_in_on_the_board_history_and_status(
    world, enterprise_admin, employee, api, login
):
    from fugong.people.models import Person

    person = Person.objects.get(user=employee)
    response = api(enterprise_admin).post(
        "/api/v1/checkins",
        payload(person.id_number, temperature=38.6, symptoms=["cough"]),
    )
    assert response.status_code == 201, response.json()
    board = english(login(enterprise_admin)).get("/health/board/").content.decode()
    assert "Fever today: 38.6 °C. Symptoms today: Cough." in board and "今日发热" not in board
    page = english(login(enterprise_admin)).get(f"/health/people/{person.pk}/").content.decode()
    assert "Fever today: 38.6 °C." in page and "今日发热" not in page
    today = english(login(employee)).get("/checkin/today/").content.decode()
    assert "Fever today: 38.6 °C." in today and "今日发热" not in today
    chinese = login(enterprise_admin).get("/health/board/").content.decode()
    assert "今日发热:38.6 °C。" in chinese and "Fever today" not in chinese


def test_an_english_officer_reads_a_case_recorded_in_chinese_among_the_alerts(
    world, command_centre, township_officer, login
):
    from fugong.lib.testing import hire

    person = hire(world.enterprise, name="今日确诊")
    today = business_today()
    stored_checkin(person, world.enterprise, today)
    with translation.override("zh-hans"):
        do_record_case(person, kind="confirmed", since=today, actor=command_centre)
    html = english(login(township_officer)).get("/health/alerts/").content.decode()
    label = f"{today.month}/{today.day}"
    assert f"Confirmed case since {label}." in html and "确诊病例" not in html


def test_a_judgement_worded_in_another_language_is_not_a_new_status(
    world, enterprise_admin, api, staff
):
    person, number = staff
    RiskLevel.objects.create(code="420100", level="high", effective_from=dt.date(2020, 1, 1))
    do_record_travel(
        person,
        origin_code="420106",
        arrival_date=business_today() - dt.timedelta(days=2),
        means="train",
        enterprise=world.enterprise,
        actor=enterprise_admin,
    )
    before = CurrentStatus.objects.get(person=person)
    client = api(enterprise_admin)
    english(client.client)
    assert client.post("/api/v1/checkins", payload(number)).status_code == 201
    after = CurrentStatus.objects.get(person=person)
    assert after.reasons == before.reasons and after.updated_at == before.updated_at
    assert after.reasons[0]["k"] == "travel" and after.reasons[0]["level"] == "high"
