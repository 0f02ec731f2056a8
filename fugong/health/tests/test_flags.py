from __future__ import annotations

from fugong.audit.models import AuditEvent
from fugong.health.models import QualityFlag
from fugong.lib.dates import business_today
from fugong.lib.testing import hire

from .conftest import stored_checkin


def flag(enterprise, name: str) -> QualityFlag:
    person = hire(enterprise, name=name)
    checkin = stored_checkin(person, enterprise, business_today())
    return QualityFlag.objects.create(checkin=checkin, enterprise=enterprise, kind="same_second")


def test_a_township_officer_reviews_the_flags_of_the_areas_enterprises_with_an_outcome(
    world, township_officer, login
):
    mine, theirs = flag(world.enterprise, "甲一"), flag(world.other_enterprise, "丙一")
    client = login(township_officer)
    alerts = client.get("/health/alerts/").content.decode()
    assert "1 条打卡待复核" in alerts
    page = client.get("/health/flags/")
    html = page.content.decode()
    assert page.status_code == 200 and "甲一" in html and world.enterprise.name in html
    assert "丙一" not in html
    response = client.post(
        "/health/flags/",
        {"flag": [mine.pk, theirs.pk], "outcome": "confirmed", "note": "同秒提交 30 人"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.reviewed, mine.outcome, mine.note) == (True, "confirmed", "同秒提交 30 人")
    assert mine.reviewed_by == township_officer and mine.reviewed_at is not None
    assert not theirs.reviewed and theirs.outcome == ""  # another township's: untouched
    event = AuditEvent.objects.get(action="quality_flags.reviewed")
    assert event.details["outcome"] == "confirmed" and event.details["flags"] == [mine.pk]
    done = client.get("/health/flags/", {"show": "reviewed"}).content.decode()
    assert "甲一" in done and "看似自动提交" in done and "同秒提交 30 人" in done


def test_the_enterprise_admin_reviews_its_own_flags_and_must_choose_an_outcome(
    world, enterprise_admin, login
):
    mine = flag(world.enterprise, "甲一")
    client = login(enterprise_admin)
    refused = client.post("/health/flags/", {"flag": [mine.pk]})
    assert refused.status_code == 400 and "这个字段是必填项。" in refused.content.decode()
    mine.refresh_from_db()
    assert not mine.reviewed
    nothing_ticked = client.post("/health/flags/", {"outcome": "dismissed"})
    assert nothing_ticked.status_code == 400
    assert "请勾选已复核的打卡记录。" in nothing_ticked.content.decode()
    client.post("/health/flags/", {"flag": [mine.pk], "outcome": "dismissed"})
    mine.refresh_from_db()
    assert (mine.reviewed, mine.outcome, mine.reviewed_by) == (True, "dismissed", enterprise_admin)


def test_another_enterprises_admin_and_another_township_cannot_review_a_flag(
    world, other_enterprise_admin, other_township_officer, login
):
    mine = flag(world.enterprise, "甲一")
    for user in (other_enterprise_admin, other_township_officer):
        client = login(user)
        assert "甲一" not in client.get("/health/flags/").content.decode()
        client.post("/health/flags/", {"flag": [mine.pk], "outcome": "dismissed"})
    mine.refresh_from_db()
    assert not mine.reviewed


def test_the_flags_are_404_for_an_employee_a_department_officer_and_an_outsider(
    employee, department_officer, outsider, login
):
    for user in (employee, department_officer, outsider):
        assert login(user).get("/health/flags/").status_code == 404


def test_an_odd_flag_id_or_a_tab_in_the_note_is_a_400_not_a_server_error(
    world, enterprise_admin, login
):
    mine = flag(world.enterprise, "甲一")
    client = login(enterprise_admin)
    for odd in ("²", "99999999999999999999999"):
        response = client.post("/health/flags/", {"flag": [odd], "outcome": "dismissed"})
        assert response.status_code == 400
        assert "请勾选已复核的打卡记录。" in response.content.decode()
    tab = client.post("/health/flags/", {"flag": [mine.pk], "outcome": "dismissed", "note": "a\tb"})
    assert tab.status_code == 400
    mine.refresh_from_db()
    assert not mine.reviewed


def test_an_invisible_text_direction_character_in_the_note_is_refused_and_named(
    world, enterprise_admin, login
):
    mine = flag(world.enterprise, "甲一")
    response = login(enterprise_admin).post(
        "/health/flags/", {"flag": [mine.pk], "outcome": "dismissed", "note": "已核\u202e实"}
    )
    assert response.status_code == 400
    assert "请删除文字中看不见的文字方向控制字符" in response.content.decode()
    mine.refresh_from_db()
    assert not mine.reviewed
