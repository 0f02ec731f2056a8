from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone

from fugong.audit.models import AuditEvent
from fugong.health.actions import link_for
from fugong.health.models import CheckIn, CheckInLink, CheckInReminder, QualityFlag
from fugong.health.selectors import checkin_completion
from fugong.health.tasks import flag_same_second, missed_checkins
from fugong.lib.dates import business_today
from fugong.lib.testing import hire, valid_id_number
from fugong.notifications.models import Notification
from fugong.people.models import Person

from .conftest import on_the_roster_for_days, payload, stored_checkin


def form_data(**overrides):
    data = {
        "temperature": "36.5",
        "location": "440604001",
        "close_contact": "no",
        "work_mode": "onsite",
        "client_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_an_employee_checks_in_on_the_web_and_sees_green_and_may_work(employee, login):
    client = login(employee)
    page = client.get("/checkin/")
    assert page.status_code == 200 and "体温" in page.content.decode()
    response = client.post("/checkin/", form_data())
    assert response.status_code == 302
    person = Person.objects.get(user=employee)
    row = CheckIn.objects.get(person=person)
    assert row.via == "web" and row.health_code == "green" and row.submitted_by == employee
    today = client.get("/checkin/today/").content.decode()
    assert "绿码" in today or "绿色" in today
    assert "今天可以到岗" in today
    assert ",体温 36.5 °C。" in today  # not "07:30:36.5 °C", which reads as a time


def test_a_feverish_employee_sees_yellow_and_the_reason(employee, login):
    client = login(employee)
    client.post("/checkin/", form_data(temperature="38.0", symptoms=["cough"]))
    html = client.get("/checkin/today/").content.decode()
    assert "38.0" in html and "咳嗽" in html
    assert "今天不可到岗" in html


def test_an_out_of_range_temperature_is_shown_next_to_the_field_and_not_stored(employee, login):
    response = login(employee).post("/checkin/", form_data(temperature="45"))
    assert response.status_code == 400
    assert CheckIn.objects.count() == 0


def test_the_employee_sees_only_their_own_history(
    employee, login, world, enterprise_admin, api, staff
):
    _, number = staff
    api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=36.9))
    client = login(employee)
    client.post("/checkin/", form_data(temperature="36.4"))
    html = client.get("/checkin/history/").content.decode()
    assert "36.4" in html and "36.9" not in html


def test_someone_without_a_person_record_cannot_open_the_check_in(outsider, login):
    page = login(outsider).get("/checkin/")
    assert page.status_code == 404
    assert "花名册" not in page.content.decode()  # not told about a roster they were never on


def test_an_employee_whose_employment_ended_is_told_why_there_is_no_check_in_and_keeps_history(
    employee, enterprise_admin, login
):
    from fugong.people.actions import do_end_employment

    client = login(employee)
    client.post("/checkin/", form_data(temperature="36.4"))
    person = Person.objects.get(user=employee)
    do_end_employment(
        person.employments.get(active=True), end_date=business_today(), actor=enterprise_admin
    )
    home = client.get("/").content.decode()
    assert "您目前不在任何企业的员工花名册上" in home
    assert "widget-checkin-button" not in home  # no button to a page that is not there
    for url in ("/checkin/", "/checkin/today/"):
        page = client.get(url)
        assert page.status_code == 404
        assert "请联系企业管理员将您重新加入花名册" in page.content.decode()
    assert client.post("/checkin/", form_data()).status_code == 404
    assert CheckIn.objects.filter(person=person).count() == 1  # nothing stored
    history = client.get("/checkin/history/")
    assert history.status_code == 200 and "36.4" in history.content.decode()


def test_the_check_in_page_says_when_the_employee_already_checked_in_today(employee, login):
    # It showed an empty form, as if nothing had been sent.
    from django.utils import timezone

    client = login(employee)
    assert 'data-testid="checked-today"' not in client.get("/checkin/").content.decode()
    client.post("/checkin/", form_data(temperature="36.4"))
    at = timezone.localtime(CheckIn.objects.get().created_at).strftime("%H:%M")
    html = client.get("/checkin/").content.decode()
    assert 'data-testid="checked-today"' in html and f"今天{at}已打卡" in html


def test_the_qr_link_path_checks_identity_then_accepts_a_check_in(world, client, staff):
    person, number = staff
    link = link_for(world.enterprise)
    start = client.get(f"/c/{link.token}/")
    assert start.status_code == 200 and world.enterprise.name in start.content.decode()
    bad = client.post(f"/c/{link.token}/", {"id_tail": "000000", "phone": person.phone})
    assert bad.status_code == 400
    good = client.post(f"/c/{link.token}/", {"id_tail": number[-6:], "phone": person.phone})
    assert good.status_code == 302 and good["Location"].endswith("/checkin/")
    assert number not in good["Location"]
    assert 'data-testid="checked-today"' not in client.get(good["Location"]).content.decode()
    done = client.post(f"/c/{link.token}/checkin/", form_data())
    # The answer is a page of its own, so reloading it sends nothing again.
    assert done.status_code == 302 and done["Location"] == f"/c/{link.token}/today/"
    assert CheckIn.objects.get().via == "link"
    today = client.get(done["Location"])
    assert today.status_code == 200 and "可以到岗" in today.content.decode()
    assert f'href="/c/{link.token}/checkin/"' in today.content.decode()
    assert client.get(done["Location"]).status_code == 200 and CheckIn.objects.count() == 1
    assert 'data-testid="checked-today"' in client.get(good["Location"]).content.decode()


def test_a_check_in_through_the_link_is_audited_in_the_name_of_the_person_identified(
    world, client, staff
):
    # The audit row said "system", naming nobody.
    person, number = staff
    link = link_for(world.enterprise)
    client.post(f"/c/{link.token}/", {"id_tail": number[-6:], "phone": person.phone})
    assert client.post(f"/c/{link.token}/checkin/", form_data()).status_code == 302
    event = AuditEvent.objects.get(action="checkin.submitted")
    assert event.actor_label == str(person) == f"王* {person.id_masked}"
    assert event.actor_id is None and event.details["via"] == "link"
    assert event.object_id == str(world.enterprise.pk) and number not in str(event.details)
    assert CheckIn.objects.get().submitted_by is None


def test_the_identity_check_reads_full_width_digits(world, client, staff):
    person, number = staff
    link = link_for(world.enterprise)
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    response = client.post(
        f"/c/{link.token}/",
        {"id_tail": number[-6:].translate(full_width), "phone": person.phone.translate(full_width)},
    )
    assert response.status_code == 302 and response["Location"].endswith("/checkin/")


def test_the_link_throttles_repeated_failures(world, client, staff):
    person, _ = staff
    link = link_for(world.enterprise)
    for _ in range(5):
        client.post(f"/c/{link.token}/", {"id_tail": "000000", "phone": person.phone})
    blocked = client.post(f"/c/{link.token}/", {"id_tail": "000000", "phone": person.phone})
    assert blocked.status_code == 429


def test_the_check_in_form_of_the_link_needs_the_identity_check_first(world, client):
    link = link_for(world.enterprise)
    response = client.post(f"/c/{link.token}/checkin/", form_data())
    assert response.status_code == 302 and CheckIn.objects.count() == 0
    assert response["Location"] == f"/c/{link.token}/"
    today = client.get(f"/c/{link.token}/today/")
    assert today.status_code == 302 and today["Location"] == f"/c/{link.token}/"


def test_a_rotated_link_no_longer_works(world, enterprise_admin, login, client):
    old = link_for(world.enterprise).token
    admin = login(enterprise_admin)
    page = admin.get("/health/link/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert admin.post("/health/link/").status_code == 302
    assert CheckInLink.objects.get().token != old
    assert client.get(f"/c/{old}/").status_code == 404


def test_only_an_enterprise_admin_opens_the_qr_page(township_officer, login):
    assert login(township_officer).get("/health/link/").status_code == 404


def test_the_board_lists_alerts_first_and_counts_statuses(
    world, enterprise_admin, api, login, staff
):
    from fugong.lib.testing import hire, valid_id_number

    _, number = staff
    fever = valid_id_number()
    hire(world.enterprise, name="赵六", id_number=fever)
    hire(world.enterprise, name="钱七")
    client = api(enterprise_admin)
    client.post("/api/v1/checkins", payload(number))
    client.post("/api/v1/checkins", payload(fever, temperature=38.5))
    response = login(enterprise_admin).get("/health/board/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("赵六") < html.index("钱七") < html.index("王五")
    assert response.context["counts"]["checked"] == 2
    assert response.context["counts"]["missing"] == 1
    assert response.context["counts"]["yellow"] == 1
    export = login(enterprise_admin).get("/health/board/", {"format": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")


def test_the_board_lists_a_yellow_person_who_checked_in_before_the_green_ones(
    world, enterprise_admin, login
):
    from fugong.lib.testing import hire

    today = business_today()
    green, yellow, absent = (hire(world.enterprise, name=f"员工{x}") for x in "ABC")
    stored_checkin(green, world.enterprise, today)
    stored_checkin(yellow, world.enterprise, today, health_code="yellow", can_work=False)
    response = login(enterprise_admin).get("/health/board/")
    names = [x.employment.person.name for x in response.context["page"]]
    assert names == ["员工C", "员工B", "员工A"]  # not checked in, then yellow, then green
    html = response.content.decode()
    assert html.index("员工C") < html.index("员工B") < html.index("员工A")
    assert response.context["counts"]["alerts"] == 0


def test_the_board_lists_someone_absent_under_quarantine_before_the_others_absent(
    world, enterprise_admin, login
):
    from fugong.health.models import CurrentStatus
    from fugong.lib.testing import hire

    absent, quarantined = (hire(world.enterprise, name=f"员工{x}") for x in "AB")
    CurrentStatus.objects.create(
        person=quarantined, code="yellow", date=business_today(), reasons=["居家观察"]
    )
    response = login(enterprise_admin).get("/health/board/")
    names = [x.employment.person.name for x in response.context["page"]]
    assert names == ["员工B", "员工A"]
    html = response.content.decode()
    assert html.index("员工B") < html.index("员工A")


def test_the_boards_next_page_keeps_the_day_and_the_filter(world, enterprise_admin, login):
    from fugong.lib.testing import hire

    for i in range(55):
        hire(world.enterprise, name=f"孙{i:02d}")
    on_the_roster_for_days(world.enterprise, 2)
    yesterday = (business_today() - dt.timedelta(days=1)).isoformat()
    client = login(enterprise_admin)
    html = client.get("/health/board/", {"date": yesterday, "show": "missing"}).content.decode()
    assert f'href="?date={yesterday}&amp;show=missing&amp;page=2"' in html
    second = client.get("/health/board/", {"date": yesterday, "show": "missing", "page": "2"})
    assert second.context["day"].isoformat() == yesterday and second.context["page"].number == 2


def test_a_past_day_on_the_board_lists_the_roster_of_that_day(world, enterprise_admin, login):
    from fugong.lib.testing import hire
    from fugong.people.actions import do_end_employment
    from fugong.people.models import Employment

    today = business_today()
    yesterday = today - dt.timedelta(days=1)
    hire(world.enterprise, name="留下")
    left = hire(world.enterprise, name="离开")
    on_the_roster_for_days(world.enterprise, 5)
    stored_checkin(left, world.enterprise, yesterday, temperature="38.2", health_code="yellow")
    do_end_employment(
        Employment.objects.get(person=left), end_date=yesterday, actor=enterprise_admin
    )
    hire(world.enterprise, name="新人")  # recorded today
    client = login(enterprise_admin)

    board = client.get("/health/board/", {"date": yesterday.isoformat()})
    names = [x.employment.person.name for x in board.context["page"]]
    assert names == ["离开", "留下"]  # the fever first; the newcomer was not there yet
    assert board.context["counts"]["total"] == 2 and board.context["counts"]["alerts"] == 1
    today_board = client.get("/health/board/")
    assert sorted(x.employment.person.name for x in today_board.context["page"]) == [
        "新人",
        "留下",
    ]
    history = {row["date"]: row for row in today_board.context["history"]}
    assert history[yesterday]["roster"] == 2 and history[yesterday]["people"] == 1
    assert history[yesterday]["not_green"] == 1
    assert history[today]["roster"] == 2
    assert history[today - dt.timedelta(days=6)]["roster"] == 0


def test_a_past_day_lists_and_counts_who_was_recorded_by_then_and_who_checked_in_for_it_later(
    world, enterprise_admin, login
):
    from fugong.lib.testing import hire
    from fugong.people.models import Employment

    yesterday = business_today() - dt.timedelta(days=1)
    earlier = hire(world.enterprise, name="老员工")  # recorded two days ago
    Employment.objects.filter(person=earlier).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    started = hire(world.enterprise, name="补登")  # recorded today, working since 2019
    Employment.objects.filter(person=started).update(start_date=dt.date(2019, 3, 1))
    late = hire(world.enterprise, name="补录")  # recorded today, checked in for yesterday
    stored_checkin(late, world.enterprise, yesterday, temperature="38.5", health_code="yellow")
    hire(world.enterprise, name="新人")  # recorded today, no start date, no check-in
    response = login(enterprise_admin).get("/health/board/", {"date": yesterday.isoformat()})
    names = [x.employment.person.name for x in response.context["page"]]
    # Nobody could check in yesterday before being recorded: who was added today is not listed
    # as missing yesterday, whatever start date was typed (the rules count missed days alike).
    assert names == ["补录", "老员工"]  # the fever first
    history = {row["date"]: row for row in response.context["history"]}
    assert history[yesterday]["people"] == 1 and history[yesterday]["not_green"] == 1
    # The day's completion counts the roster the board lists: never more checked in than on it.
    assert history[yesterday]["roster"] == 2
    assert response.context["counts"]["total"] == 2
    assert checkin_completion([world.enterprise.pk], yesterday) == {world.enterprise.pk: (1, 2)}


def test_a_hire_called_off_on_the_day_it_was_recorded_is_on_no_board(
    world, enterprise_admin, login
):
    from fugong.lib.testing import hire
    from fugong.people.actions import do_end_employment
    from fugong.people.models import Employment

    today = business_today()
    hire(world.enterprise, name="在岗")
    called_off = Employment.objects.get(person=hire(world.enterprise, name="未入职"))
    called_off.start_date = today + dt.timedelta(days=7)
    called_off.save()
    do_end_employment(called_off, end_date=today, actor=enterprise_admin)
    response = login(enterprise_admin).get("/health/board/")
    assert [x.employment.person.name for x in response.context["page"]] == ["在岗"]
    assert "未入职" not in response.content.decode()
    history = {row["date"]: row for row in response.context["history"]}
    assert history[today]["roster"] == 1


def test_the_board_of_another_enterprise_is_not_reachable(
    other_enterprise_admin, login, enterprise_admin, api, staff
):
    _, number = staff
    api(enterprise_admin).post("/api/v1/checkins", payload(number))
    html = login(other_enterprise_admin).get("/health/board/").content.decode()
    assert "王五" not in html


def test_a_board_date_that_cannot_be_read_or_is_to_come_shows_today_and_says_so(
    enterprise_admin, login
):
    client = login(enterprise_admin)
    today = business_today()
    for value, said in (
        ("abc", "“abc”不是日期"),
        ("2026-13-01", "“2026-13-01”不是日期"),
        ((today + dt.timedelta(days=30)).isoformat(), "尚未到来"),
    ):
        response = client.get("/health/board/", {"date": value})
        assert response.status_code == 200 and response.context["day"] == today
        assert said in response.content.decode(), value
    plain = client.get("/health/board/", {"date": today.isoformat()})
    assert "不是日期" not in plain.content.decode() and "尚未到来" not in plain.content.decode()


def test_the_board_is_404_for_an_officer(township_officer, login):
    assert login(township_officer).get("/health/board/").status_code == 404


def test_the_reminder_notifies_employees_who_have_not_checked_in(employee, enterprise_admin, login):
    response = login(enterprise_admin).post("/health/board/remind/")
    assert response.status_code == 302
    assert Notification.objects.filter(user=employee, kind="health.reminder").exists()
    assert AuditEvent.objects.filter(action="checkin.reminded").exists()


def test_the_reminder_counts_whom_the_board_counts_as_missing(world, enterprise_admin, login):
    # Someone whose last day is today is on today's board as missing; the reminder said one
    # person fewer had not checked in.
    from fugong.people.actions import do_end_employment
    from fugong.people.models import Employment

    hire(world.enterprise, name="在岗")
    leaving = hire(world.enterprise, name="今天离职")
    on_the_roster_for_days(world.enterprise, 2)
    do_end_employment(
        Employment.objects.get(person=leaving), end_date=business_today(), actor=enterprise_admin
    )
    client = login(enterprise_admin)
    missing = client.get("/health/board/").context["counts"]["missing"]
    response = client.post("/health/board/remind/", follow=True)
    assert response.status_code == 200
    [reminder] = CheckInReminder.objects.filter(enterprise=world.enterprise)
    assert reminder.missing == missing
    assert f"{missing}人" in response.content.decode()


def test_a_second_reminder_within_half_an_hour_is_refused_with_when_the_next_can_go(
    employee, enterprise_admin, login, monkeypatch
):
    from django.utils import timezone

    from fugong.health.models import CheckInReminder

    client = login(enterprise_admin)
    client.post("/health/board/remind/")
    sent = timezone.localtime(CheckInReminder.objects.get().created_at)
    again = client.post("/health/board/remind/", follow=True)
    assert again.status_code == 200
    next_at = sent + dt.timedelta(minutes=30)
    assert f"已于 {sent:%H:%M} 发送提醒,{next_at:%H:%M} 后可再次发送。" in again.content.decode()
    assert Notification.objects.filter(user=employee, kind="health.reminder").count() == 1
    assert CheckInReminder.objects.count() == 1
    later = timezone.now() + dt.timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client.post("/health/board/remind/")
    assert Notification.objects.filter(user=employee, kind="health.reminder").count() == 2


def test_the_same_temperature_for_7_days_is_flagged(world, enterprise_admin, staff):
    from fugong.health.actions import submit_checkins

    person, number = staff
    today = business_today()
    for k in range(6, 0, -1):
        stored_checkin(person, world.enterprise, today - dt.timedelta(days=k))
    submit_checkins(world.enterprise, [payload(number, temperature=36.5)], actor=enterprise_admin)
    flag = QualityFlag.objects.get()
    assert flag.kind == "same_temperature" and flag.checkin.date == today


def test_identical_submissions_in_the_same_second_across_many_people_are_flagged(
    world, enterprise_admin, api
):
    from fugong.lib.testing import hire, valid_id_number

    numbers = [valid_id_number() for _ in range(5)]
    for n in numbers:
        hire(world.enterprise, id_number=n)
    api(enterprise_admin).post("/api/v1/checkins/batch", {"items": [payload(n) for n in numbers]})
    assert flag_same_second()["flagged"] == 5
    assert QualityFlag.objects.filter(kind="same_second").count() == 5


def test_missed_check_ins_turn_a_green_person_yellow(world, enterprise_admin, staff):
    from fugong.health.models import CurrentStatus

    person, number = staff
    today = business_today()
    stored_checkin(person, world.enterprise, today - dt.timedelta(days=3))
    CurrentStatus.objects.create(person=person, code="green", date=today - dt.timedelta(days=3))
    assert missed_checkins()["changed"] == 0  # two days missed: allowed
    CheckIn.objects.all().update(date=today - dt.timedelta(days=4))
    CurrentStatus.objects.all().update(date=today - dt.timedelta(days=4))
    result = missed_checkins()
    assert result["changed"] == 1
    status = CurrentStatus.objects.get(person=person)
    assert status.code == "yellow" and status.date == business_today()


def test_health_officers_set_risk_levels_and_others_only_read_them(
    world, command_centre, department_officer, login
):
    from fugong.health.models import RiskLevel

    data = {"code": "420106", "level": "high", "effective_from": "2020-02-01"}
    assert login(department_officer).post("/health/risk/", data).status_code == 404
    assert login(department_officer).get("/health/risk/").status_code == 200
    assert RiskLevel.objects.count() == 0
    assert login(command_centre).post("/health/risk/", data).status_code == 302
    assert RiskLevel.objects.get().level == "high"
    bad = login(command_centre).post("/health/risk/", {**data, "code": "999999"})
    assert bad.status_code == 400 and RiskLevel.objects.count() == 1


def test_the_risk_level_page_names_the_places_without_a_query_per_level(
    world, command_centre, login
):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fugong.health.models import RiskLevel

    client = login(command_centre)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/health/risk/").status_code == 200
        return len(ctx.captured_queries)

    RiskLevel.objects.create(code="420106", level="high", effective_from=dt.date(2020, 1, 1))
    one = queries()
    for code in ("411302", "420102", "330302"):
        RiskLevel.objects.create(code=code, level="medium", effective_from=dt.date(2020, 1, 1))
    assert queries() == one
    assert "宛城区" in client.get("/health/risk/").content.decode()


def test_a_case_recorded_by_the_command_centre_turns_the_person_red_and_alerts(
    world, command_centre, enterprise_admin, login, staff, employee
):
    person, number = staff
    response = login(command_centre).post(
        "/health/cases/",
        {"id_number": number, "kind": "close_contact", "since": business_today().isoformat()},
    )
    assert response.status_code == 302
    assert person.health_status.code == "red"
    assert Notification.objects.filter(user=enterprise_admin, kind="health.alert").exists()


def test_cases_are_404_for_an_enterprise_admin(enterprise_admin, login):
    assert login(enterprise_admin).get("/health/cases/").status_code == 404


def test_a_persons_status_page_explains_a_past_date_and_is_audited(
    world, enterprise_admin, api, login, staff, outsider
):
    person, number = staff
    api(enterprise_admin).post("/api/v1/checkins", payload(number, temperature=38.0))
    page = login(enterprise_admin).get(f"/health/people/{person.pk}/")
    assert page.status_code == 200 and "38.0" in page.content.decode()
    # The status change names its cause in words (it showed the code: "(checkin)").
    assert "(打卡)" in page.content.decode() and "(checkin)" not in page.content.decode()
    assert AuditEvent.objects.filter(action="person.viewed", object_id=str(person.pk)).exists()
    assert login(outsider).get(f"/health/people/{person.pk}/").status_code == 404


def test_the_home_page_shows_the_widgets(employee, enterprise_admin, login):
    assert "widget-checkin" in login(employee).get("/").content.decode()
    assert "widget-board" in login(enterprise_admin).get("/").content.decode()


def test_the_check_in_form_asks_about_contacts_over_the_policys_observation_window(
    employee, login, command_centre
):
    from fugong.health.policies import HEALTH
    from fugong.policy.actions import do_save_policy_version

    client = login(employee)
    assert "近 14 天是否接触过确诊或疑似病例" in client.get("/checkin/").content.decode()
    data = {**HEALTH.current(), "close_contact_days": 7}
    do_save_policy_version(HEALTH, data, note="new guidance", actor=command_centre)
    page = client.get("/checkin/").content.decode()
    assert "近 7 天是否接触过确诊或疑似病例" in page and "近 14 天" not in page


def test_the_history_shows_the_symptoms_and_the_place_reported(employee, login):
    client = login(employee)
    client.post("/checkin/", form_data(symptoms=["cough", "fatigue"], location="440604001"))
    html = client.get("/checkin/history/").content.decode()
    assert "咳嗽、乏力" in html and "祖庙街道" in html
    client.post("/checkin/", form_data(location="other", other_location="110101"))
    html = client.get("/checkin/history/").content.decode()
    assert "东城区" in html and "<td>无</td>" in html
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/checkin/history/").content.decode()
    assert "Cough, Fatigue" in html and "<td>None</td>" in html  # not "Cough、Fatigue"


def test_a_link_that_cannot_be_a_token_is_not_found(world, client):
    # A NUL in the token was a server error on PostgreSQL, for anyone on the internet.
    for token in ("%00", "abc%00def", "a" * 44, "%E4%B8%AD"):
        for path in (f"/c/{token}/", f"/c/{token}/checkin/"):
            assert client.get(path).status_code == 404, path
            assert client.post(path, {"id_tail": "12345X"}).status_code == 404, path


def test_the_board_export_names_symptoms_in_words_and_is_audited(
    world, enterprise_admin, login, api, staff
):
    import io

    import openpyxl

    _, number = staff
    api(enterprise_admin).post(
        "/api/v1/checkins", payload(number, temperature=37.0, symptoms=["cough", "fatigue"])
    )
    export = login(enterprise_admin).get("/health/board/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    symptoms = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "咳嗽、乏力" in symptoms  # it read "cough, fatigue"
    event = AuditEvent.objects.get(action="checkins.exported")
    assert event.actor_id == enterprise_admin.pk
    assert event.details["date"] == business_today().isoformat()


def _green_then_confirmed_case(enterprise_admin, command_centre, api, person) -> None:
    """A green check-in this morning, then a confirmed case recorded for the person."""
    from fugong.health.actions import do_record_case

    response = api(enterprise_admin).post("/api/v1/checkins", payload(person.id_number))
    assert response.status_code == 201 and response.json()["health_code"] == "green"
    do_record_case(person, kind="confirmed", since=business_today(), actor=command_centre)


def test_a_case_recorded_after_a_green_check_in_makes_the_employees_day_red(
    world, employee, enterprise_admin, command_centre, api, login
):
    # The page showed the morning's check-in: green, "you may work on site today".
    person = Person.objects.get(user=employee)
    _green_then_confirmed_case(enterprise_admin, command_centre, api, person)
    client = login(employee)
    page = client.get("/checkin/today/").content.decode()
    assert 'data-testid="health-code">红码<' in page and "今天不可到岗。" in page
    assert "确诊病例" in page and "体温正常" not in page
    assert "pill red" in client.get("/").content.decode()  # the home page's widget


def test_a_check_in_after_the_case_is_judged_with_it(
    world, employee, enterprise_admin, command_centre, api, login
):
    person = Person.objects.get(user=employee)
    _green_then_confirmed_case(enterprise_admin, command_centre, api, person)
    again = api(enterprise_admin).post("/api/v1/checkins", payload(person.id_number))
    assert again.json()["health_code"] == "red"
    page = login(employee).get("/checkin/today/").content.decode()
    assert 'data-testid="health-code">红码<' in page and "今天不可到岗。" in page


def test_the_board_shows_a_person_judged_again_after_checking_in_with_that_status(
    world, employee, enterprise_admin, command_centre, api, login
):
    person = Person.objects.get(user=employee)
    _green_then_confirmed_case(enterprise_admin, command_centre, api, person)
    response = login(enterprise_admin).get("/health/board/")
    assert response.context["counts"]["red"] == 1 and response.context["counts"]["green"] == 0
    [line] = [x for x in response.context["page"] if x.employment.person_id == person.pk]
    assert line.health_code == "red" and line.can_work is False and line.alert
    assert any("确诊病例" in r for r in line.reason_texts)
    page = response.content.decode()
    assert "红码 1" in page and "绿码 0" in page


def test_a_confirmed_case_who_has_not_checked_in_is_red_and_an_alert_on_the_board(
    world, employee, enterprise_admin, command_centre, login
):
    # The board said only "not checked in" for someone recorded as a confirmed case today.
    from fugong.health.actions import do_record_case

    person = Person.objects.get(user=employee)
    do_record_case(person, kind="confirmed", since=business_today(), actor=command_centre)
    client = login(enterprise_admin)
    response = client.get("/health/board/")
    counts = response.context["counts"]
    assert (counts["alerts"], counts["missing"], counts["red"]) == (1, 1, 1)
    [line] = [x for x in response.context["page"] if x.employment.person_id == person.pk]
    assert line.health_code == "red" and line.alert and not line.checked_in
    assert response.context["page"][0] is line  # alerts first
    page = response.content.decode()
    assert '<span class="pill red">红码</span>' in page and "确诊病例" in page
    assert "红码 1" in page and "未打卡 1" in page  # red, and not checked in
    shown = client.get("/health/board/", {"show": "alerts"}).context["page"]
    assert [x.employment.person_id for x in shown] == [person.pk]


def test_a_status_other_than_green_shows_for_someone_not_checked_in_but_green_does_not(
    world, enterprise_admin, login
):
    from fugong.health.models import CurrentStatus
    from fugong.lib.testing import hire

    today = business_today()
    quarantined, absent = (
        hire(world.enterprise, name="隔离者"),
        hire(world.enterprise, name="未打卡"),
    )
    CurrentStatus.objects.create(
        person=quarantined, code="yellow", date=today, reasons=["居家观察14天,至12月15日。"]
    )
    CurrentStatus.objects.create(person=absent, code="green", date=today, reasons=["无行程限制"])
    response = login(enterprise_admin).get("/health/board/")
    lines = {x.employment.person.name: x for x in response.context["page"]}
    assert lines["隔离者"].health_code == "yellow" and not lines["隔离者"].alert
    assert lines["未打卡"].health_code == "" and lines["未打卡"].reasons == []
    page = response.content.decode()
    assert "居家观察14天" in page and "无行程限制" not in page
    assert response.context["counts"]["alerts"] == 0
    counts = response.context["counts"]
    assert (counts["yellow"], counts["green"], counts["missing"]) == (1, 0, 2)


def test_an_employee_elsewhere_in_china_names_the_place_instead_of_its_code(employee, login):
    client = login(employee)
    response = client.post("/checkin/", form_data(location="other", other_location="武汉武昌"))
    assert response.status_code == 302
    assert CheckIn.objects.get().location == "420106"
    assert "武昌区" in client.get("/checkin/history/").content.decode()


def test_a_place_name_that_fits_several_places_lists_them_and_nothing_is_stored(employee, login):
    response = login(employee).post(
        "/checkin/", form_data(location="other", other_location="朝阳区")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "北京市朝阳区 (110105)" in html and "吉林省长春市朝阳区 (220104)" in html
    assert CheckIn.objects.count() == 0


def test_elsewhere_without_a_place_asks_for_it_and_nothing_is_stored(employee, login):
    response = login(employee).post("/checkin/", form_data(location="other", other_location=""))
    assert response.status_code == 400
    assert "请填写您所在的地方" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_travel_is_entered_by_the_place_name_and_listed_with_it(
    world, enterprise_admin, staff, login
):
    person, number = staff
    client = login(enterprise_admin)
    data = {"id_number": number, "arrival_date": business_today().isoformat(), "means": "train"}
    assert client.post("/health/travel/", {**data, "origin_code": "武昌区"}).status_code == 302
    assert person.travels.get().origin_code == "420106"
    listed = client.get("/health/travel/").content.decode()
    assert "湖北省武昌区" in listed and "420106" in listed
    unknown = client.post("/health/travel/", {**data, "origin_code": "火星基地"})
    assert unknown.status_code == 400 and "火星基地" in unknown.content.decode()
    assert person.travels.count() == 1


def test_a_risk_level_is_set_for_a_province_named_in_words(world, command_centre, login):
    from fugong.health.models import RiskLevel

    data = {"code": "湖北省", "level": "high", "effective_from": "2020-02-01"}
    assert login(command_centre).post("/health/risk/", data).status_code == 302
    assert RiskLevel.objects.get().code == "420000"


def _days_of_check_ins_and_changes(person, enterprise, days: int) -> None:
    """A check-in and a status change on each of ``days`` days, the oldest 36.1 °C."""
    from fugong.health.models import StatusChange

    today = business_today()
    for k in range(days):
        day = today - dt.timedelta(days=k)
        temperature = "36.1" if k == days - 1 else "36.5"
        stored_checkin(person, enterprise, day, temperature=temperature)
        StatusChange.objects.create(
            person=person, date=day, code="green", cause="checkin", reasons=[f"第{k}天"]
        )


def test_the_history_pages_through_every_check_in_and_status_change(world, employee, login):
    # The page showed the latest 60 check-ins and 30 status changes, whatever ?page= said.
    person = Person.objects.get(user=employee)
    _days_of_check_ins_and_changes(person, world.enterprise, 70)
    client = login(employee)
    first = client.get("/checkin/history/")
    html = first.content.decode()
    assert len(first.context["checkins"]) == 50 and "36.1" not in html
    assert "第 1 页,共 2 页(共 70 条)" in html
    assert 'href="?page=2"' in html and 'href="?changes_page=2#changes"' in html
    second = client.get("/checkin/history/", {"page": "2"})
    assert len(second.context["checkins"]) == 20 and "36.1" in second.content.decode()
    assert second.context["changes"].number == 1  # the other list stays where it was
    assert 'href="?page=2&amp;changes_page=2#changes"' in second.content.decode()
    changes = client.get("/checkin/history/", {"page": "2", "changes_page": "2"})
    html = changes.content.decode()
    assert "第69天" in html and "第0天" not in html and changes.context["checkins"].number == 2
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Page 1 of 2 (70 in all)" in client.get("/checkin/history/").content.decode()


def test_an_officers_page_of_a_person_pages_through_their_check_ins_and_changes(
    world, enterprise_admin, login, staff, outsider
):
    person, _ = staff
    _days_of_check_ins_and_changes(person, world.enterprise, 70)
    client = login(enterprise_admin)
    day = business_today().isoformat()
    first = client.get(f"/health/people/{person.pk}/", {"date": day})
    html = first.content.decode()
    assert len(first.context["checkins"]) == 50 and "36.1" not in html
    assert f'href="?date={day}&amp;page=2#checkins"' in html
    assert f'href="?date={day}&amp;changes_page=2#changes"' in html
    second = client.get(f"/health/people/{person.pk}/", {"date": day, "page": "2"})
    assert "36.1" in second.content.decode()
    changes = client.get(f"/health/people/{person.pk}/", {"changes_page": "2"})
    assert "第69天" in changes.content.decode()
    assert login(outsider).get(f"/health/people/{person.pk}/", {"page": "2"}).status_code == 404


def _identity(person, tail: str) -> dict[str, str]:
    return {"id_tail": tail, "phone": person.phone}


def test_one_persons_failed_identity_checks_do_not_block_the_others_behind_the_same_address(
    world, client, staff
):
    # Five typos by anyone at the factory gate's Wi-Fi blocked everyone's check-in there for
    # 15 minutes, with a message saying "a few minutes".
    from django.test import Client

    person, number = staff
    colleague_number = valid_id_number()
    colleague = hire(world.enterprise, name="钱七", id_number=colleague_number, phone="13800000001")
    link = link_for(world.enterprise)
    for _ in range(5):
        client.post(f"/c/{link.token}/", _identity(person, "000000"))
    blocked = client.post(f"/c/{link.token}/", _identity(person, number[-6:]))
    assert blocked.status_code == 429
    assert "这组输入尝试失败次数过多,请 15 分钟后再试。" in blocked.content.decode()
    other = Client()  # the same address (the test client's), another person
    response = other.post(f"/c/{link.token}/", _identity(colleague, colleague_number[-6:]))
    assert response.status_code == 302 and response["Location"].endswith("/checkin/")
    # Typing another ID number with the same phone number does not get round the block.
    again = client.post(f"/c/{link.token}/", _identity(person, "111111"))
    assert again.status_code == 429
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(f"/c/{link.token}/", _identity(person, number[-6:])).content.decode()
    assert "Too many failed attempts with these entries. Try again in 15 minutes." in english


def test_a_successful_identity_check_forgives_that_persons_failures(world, client, staff):
    person, number = staff
    link = link_for(world.enterprise)
    for morning in range(2):
        for typo in range(4):  # the ID number mistyped, each time otherwise
            wrong = _identity(person, f"{morning}{typo}0000")
            assert client.post(f"/c/{link.token}/", wrong).status_code == 400
        assert client.post(f"/c/{link.token}/", _identity(person, number[-6:])).status_code == 302


def test_many_failures_from_one_address_block_it_up_to_a_higher_ceiling(
    world, client, staff, settings
):
    from django.test import Client

    person, number = staff
    assert settings.ADDRESS_FAILURE_LIMIT == 10 * settings.LOGIN_FAILURE_LIMIT
    settings.ADDRESS_FAILURE_LIMIT = 12
    link = link_for(world.enterprise)
    for k in range(12):  # twelve people's typos (different phones): under each one's limit
        client.post(f"/c/{link.token}/", {"id_tail": f"{k:06d}", "phone": f"139000000{k:02d}"})
    blocked = client.post(f"/c/{link.token}/", _identity(person, number[-6:]))
    assert blocked.status_code == 429
    assert "此网络尝试失败次数过多,请 15 分钟后再试。" in blocked.content.decode()
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert elsewhere.post(f"/c/{link.token}/", _identity(person, number[-6:])).status_code == 302


def test_identity_checks_are_audited_without_what_was_typed(world, client, staff):
    person, number = staff
    link = link_for(world.enterprise)
    client.post(f"/c/{link.token}/", _identity(person, "000000"))
    client.post(f"/c/{link.token}/", _identity(person, number[-6:]))
    failed = AuditEvent.objects.get(action="checkin.link_identity_failed")
    assert failed.object_id == str(world.enterprise.pk) and failed.actor_label == "system"
    found = AuditEvent.objects.get(action="checkin.link_identified")
    assert found.object_id == str(person.pk) and found.actor_id is None
    assert found.actor_label == str(person) and person.id_masked in found.actor_label
    for event in (failed, found):
        text = f"{event.actor_label} {event.object_label} {event.details}"
        assert number not in text and number[-6:] not in text and person.phone not in text


def test_a_place_typed_in_the_box_with_a_division_of_the_city_chosen_is_an_error_on_the_box(
    employee, login
):
    # The place was dropped without a word: the check-in stored the division chosen above.
    client = login(employee)
    response = client.post("/checkin/", form_data(location="440604001", other_location="武昌区"))
    assert response.status_code == 400 and CheckIn.objects.count() == 0
    assert response.context["form"].errors == {
        "other_location": [
            "如要填写此处的地方,请在上方选择“国内其他地区(请在下方填写地名)”;否则请清空此框。"
        ]
    }
    assert client.post("/checkin/", form_data(other_location="  ")).status_code == 302


def test_someone_living_outside_the_city_chooses_where_they_are_and_a_resident_finds_home_chosen(
    world, employee, login
):
    # Everyone living outside the city found the city's first district chosen (their home
    # county is not an option), and a hurried check-in reported them there.
    from fugong.accounts.models import Role
    from fugong.lib.testing import make_user

    resident = login(employee).get("/checkin/").content.decode()
    assert '<option value="440604001" selected>· 祖庙街道</option>' in resident
    user = make_user("migrant", Role.EMPLOYEE, enterprise=world.enterprise)
    person = hire(world.enterprise, name="外地人", home_code="420106001001")
    person.user = user
    person.save(update_fields=["user"])
    client = login(user)
    page = client.get("/checkin/").content.decode()
    assert '<option value="" selected>—</option>' in page and "selected>禅城区" not in page
    assert 'name="location" required' in page  # the browser asks before sending
    response = client.post("/checkin/", form_data(location=""))
    assert response.status_code == 400 and CheckIn.objects.count() == 0
    assert response.context["form"].errors == {"location": ["请选择您今天所在的地方。"]}
    assert client.post("/checkin/", form_data(location="440604")).status_code == 302


def test_a_place_name_not_found_is_the_one_error_under_the_box(employee, login):
    # It also said to choose "Elsewhere in China" above, which was chosen.
    response = login(employee).post("/checkin/", form_data(location="other", other_location="火星"))
    assert response.status_code == 400 and CheckIn.objects.count() == 0
    [message] = response.context["form"].errors["other_location"]
    assert "火星" in message and "国内其他地区" not in message
    assert list(response.context["form"].errors) == ["other_location"]


def test_a_place_code_refused_is_shown_under_the_box_where_it_was_typed(employee, login):
    # The error was shown under the select, which said "Elsewhere in China".
    response = login(employee).post(
        "/checkin/", form_data(location="other", other_location="999999")
    )
    assert response.status_code == 400 and CheckIn.objects.count() == 0
    assert response.context["form"].errors == {
        "other_location": ["请填写本市的行政区划代码或全国县级行政区划代码。"]
    }


def test_a_temperature_with_a_trailing_zero_is_accepted_and_two_decimals_are_not(employee, login):
    # 36.50 was refused: "确认小数不超过 1 位".
    client = login(employee)
    refused = client.post("/checkin/", form_data(temperature="36.55"))
    assert refused.status_code == 400 and CheckIn.objects.count() == 0
    assert refused.context["form"].errors == {"temperature": ["体温请保留一位小数。"]}
    for bad in ("Infinity", "1e40", "36.5.0", "33.9", "43.1", "370"):
        response = client.post("/checkin/", form_data(temperature=bad))
        assert response.status_code == 400, bad
        [message] = response.context["form"].errors["temperature"]
        assert "体温" in message, (bad, message)  # the API's words, not Django's
    assert client.post("/checkin/", form_data(temperature="36.50")).status_code == 302
    assert str(CheckIn.objects.get().temperature) == "36.5"
    assert client.post("/checkin/", form_data(temperature="37.000")).status_code == 302


def test_someone_whose_employment_ended_during_a_link_session_is_told_why(
    world, client, staff, enterprise_admin
):
    # They were sent back to the identity check, which said "We could not find you".
    from fugong.people.actions import do_end_employment

    person, number = staff
    link = link_for(world.enterprise)
    client.post(f"/c/{link.token}/", {"id_tail": number[-6:], "phone": person.phone})
    do_end_employment(
        person.employments.get(active=True), end_date=business_today(), actor=enterprise_admin
    )
    for response in (
        client.get(f"/c/{link.token}/checkin/"),
        client.post(f"/c/{link.token}/checkin/", form_data()),
    ):
        assert response.status_code == 404
        html = response.content.decode()
        assert f"您目前不在{world.enterprise.name}的员工花名册上,无法通过此链接打卡。" in html
        assert "请联系企业管理员将您重新加入花名册" in html and "未找到您" not in html
    assert CheckIn.objects.count() == 0


def on_a_second_roster_that_alone_has_resumed(world, employee, monkeypatch) -> tuple:
    """The employee is also on a second enterprise's roster; only that one has resumed work."""
    from fugong.people.models import Employment

    first, second = world.enterprise, world.sibling_enterprise
    person = Person.objects.get(user=employee)
    Employment.objects.create(person=person, enterprise=second, post="夜班")
    monkeypatch.setattr(
        "fugong.resumption.selectors.is_resumed", lambda enterprise, day: enterprise == second
    )
    return first, second


def test_someone_on_two_rosters_chooses_the_employer_they_check_in_for_and_sees_its_verdict(
    world, employee, login, monkeypatch
):
    # They always checked in for the first employer, and the second's board listed them as not
    # checked in.
    from fugong.health.selectors import day_lines

    first, second = on_a_second_roster_that_alone_has_resumed(world, employee, monkeypatch)
    client = login(employee)
    page = client.get("/checkin/").content.decode()
    assert f'value="{first.pk}" required id="id_employer_0" checked>' in page
    assert "本次打卡的单位" in page and second.name in page
    # Another enterprise's number in the query, or in the form, is none of theirs.
    assert client.get("/checkin/", {"enterprise": world.other_enterprise.pk}).context[
        "form"
    ].initial["employer"] == str(first.pk)
    refused = client.post("/checkin/", form_data(employer=str(world.other_enterprise.pk)))
    assert refused.status_code == 400 and "employer" in refused.context["form"].errors
    assert CheckIn.objects.count() == 0
    response = client.post("/checkin/", form_data(employer=str(second.pk)))
    assert response.status_code == 302
    assert response["Location"] == f"/checkin/today/?enterprise={second.pk}"
    assert CheckIn.objects.get().enterprise == second
    assert [x.checked_in for x in day_lines(second, business_today())] == [True]
    today = client.get(response["Location"]).content.decode()
    assert f"<strong>{second.name}</strong>" in today and "今天可以到岗。" in today
    assert f'href="/checkin/?enterprise={second.pk}"' in today
    other = client.get("/checkin/today/", {"enterprise": first.pk}).content.decode()
    assert f'<a href="?enterprise={second.pk}">{second.name}</a>' in other
    assert "今天不可到岗。" in other and "您今天还没有打卡" in other


def test_someone_on_one_roster_is_not_asked_for_an_employer(employee, login):
    page = login(employee).get("/checkin/")
    assert "employer" not in page.context["form"].fields
    assert "本次打卡的单位" not in page.content.decode()


def test_the_home_widget_of_someone_on_two_rosters_shows_each_employers_verdict(
    world, employee, login, monkeypatch
):
    first, second = on_a_second_roster_that_alone_has_resumed(world, employee, monkeypatch)
    client = login(employee)
    assert client.post("/checkin/", form_data(employer=str(second.pk))).status_code == 302
    home = client.get("/")
    widget = home.content.decode()
    assert f"<h3>{first.name}</h3>" in widget and f"<h3>{second.name}</h3>" in widget
    assert widget.count('data-testid="widget-employer"') == 2
    first_part, second_part = widget.split(f"<h3>{second.name}</h3>")
    assert "今天不可到岗。" in first_part and "您今天还没有打卡" in first_part
    assert "今天可以到岗。" in second_part and "您今天已打卡。" in second_part
    assert f'href="/checkin/?enterprise={second.pk}"' in second_part


def test_the_home_widget_of_someone_on_one_roster_names_no_employer(world, employee, login):
    widget = login(employee).get("/").content.decode()
    assert widget.count('data-testid="widget-employer"') == 1
    assert "<h3>" not in widget.split('data-testid="widget-checkin"')[1].split("</section>")[0]
    assert 'href="/checkin/"' in widget


def test_on_a_phone_the_status_comes_right_after_who_and_when(employee, enterprise_admin, login):
    # Tables scroll sideways on a phone: the status column was the last of seven, off-screen.
    import re

    def headers(html: str, testid: str) -> list[str]:
        table = html[html.index(f'data-testid="{testid}"') :]
        head = table[: table.index("</thead>")]
        return re.findall(r"<th>([^<]*)</th>", head)

    login(employee).post("/checkin/", form_data())
    history = login(employee).get("/checkin/history/").content.decode()
    assert headers(history, "history")[:3] == ["日期", "健康状态", "体温"]
    board = login(enterprise_admin).get("/health/board/").content.decode()
    assert headers(board, "board")[:3] == ["姓名", "健康状态", "体温"]


def test_the_board_and_its_export_take_as_many_queries_for_forty_people_as_for_four(
    world, enterprise_admin, login, django_assert_max_num_queries
):
    # A large enterprise's board builds a line per person from a few fields: one query more per
    # line (a field left out of the look-up) would be tens of thousands.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(enterprise_admin)
    today = business_today()

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(4):
        stored_checkin(hire(world.enterprise, name=f"甲{i}"), world.enterprise, today)
    queries("/health/board/")  # what the first visit caches (the policy, the link)
    few = (queries("/health/board/"), queries("/health/board/?format=xlsx"))
    for i in range(36):
        stored_checkin(hire(world.enterprise, name=f"乙{i}"), world.enterprise, today)
    assert (queries("/health/board/"), queries("/health/board/?format=xlsx")) == few


def test_the_boards_pages_follow_one_order_and_its_counts_cover_everyone(
    world, enterprise_admin, login
):
    # The board orders and counts everyone, and reads only the shown page's lines in full.
    today = business_today()
    feverish = [hire(world.enterprise, name=f"甲{i}") for i in range(2)]
    absent = [hire(world.enterprise, name=f"乙{i}") for i in range(3)]
    well = [hire(world.enterprise, name=f"丙{i:02d}") for i in range(50)]
    for person in feverish:
        stored_checkin(person, world.enterprise, today, temperature="38.2", health_code="yellow")
    for person in well:
        stored_checkin(person, world.enterprise, today)
    client = login(enterprise_admin)
    first = client.get("/health/board/")
    second = client.get("/health/board/", {"page": "2"})
    counts = first.context["counts"]
    assert (counts["total"], counts["checked"], counts["missing"]) == (55, 52, 3)
    assert (counts["alerts"], counts["yellow"], counts["green"]) == (2, 2, 50)
    names = [x.employment.person.name for x in [*first.context["page"], *second.context["page"]]]
    expected = [p.name for p in feverish + absent + well]
    assert names == expected  # alerts, then not checked in, then checked in by name
    last = second.context["page"][len(second.context["page"]) - 1]
    assert (last.employment.person.name, last.checked_in, str(last.temperature)) == (
        "丙49",
        True,
        "36.5",
    )
    html = second.content.decode()
    assert "丙49" in html and "丙40" not in html and "55" in first.content.decode()


def test_the_board_shows_the_status_of_a_persons_last_check_in_and_their_highest_temperature(
    world, enterprise_admin, login
):
    # Two check-ins the same day: the later one (by time, whatever order they were stored in)
    # gives the status; a fever in either makes an alert.
    person = hire(world.enterprise, name="周八")
    today = business_today()
    now = timezone.now()
    stored_checkin(person, world.enterprise, today, health_code="green", created_at=now)
    stored_checkin(
        person,
        world.enterprise,
        today,
        temperature="38.0",
        health_code="yellow",
        created_at=now - dt.timedelta(hours=1),
    )
    response = login(enterprise_admin).get("/health/board/")
    [line] = response.context["page"]
    assert (line.health_code, str(line.temperature), line.checkins) == ("green", "38.0", 2)
    counts = response.context["counts"]
    assert (counts["green"], counts["yellow"], counts["alerts"]) == (1, 0, 1)
    assert line.alert and 'class="alert"' in response.content.decode()


def test_the_enterprise_admins_home_counts_what_the_board_counts(
    world, enterprise_admin, employee, login
):
    today = business_today()
    stored_checkin(Person.objects.get(user=employee), world.enterprise, today, temperature="38.5")
    hire(world.enterprise, name="吴九")
    client = login(enterprise_admin)
    board = client.get("/health/board/").context["counts"]
    home = client.get("/").content.decode()
    assert (board["total"], board["checked"], board["alerts"]) == (2, 1, 1)
    assert 'data-testid="widget-board"' in home
    assert "2 人中已有 1 人打卡" in home and "1 条预警" in home
