from __future__ import annotations

import datetime as dt

import openpyxl

from fugong.appeals.actions import do_act
from fugong.appeals.models import Appeal, Status
from fugong.lib.briefing import BriefingScope
from fugong.lib.dates import business_today


def test_a_department_lists_only_what_is_routed_to_it(
    login, file_appeal, rsj_officer, jtj_officer, command_centre
):
    labour = file_appeal("labour", "缺普工")
    transport = file_appeal("logistics", "原料运输受阻")
    page = login(rsj_officer).get("/appeals/").content.decode()
    assert labour.title in page and transport.title not in page
    page = login(jtj_officer).get("/appeals/").content.decode()
    assert transport.title in page and labour.title not in page
    page = login(command_centre).get("/appeals/").content.decode()
    assert labour.title in page and transport.title in page


def test_an_enterprise_sees_only_its_own_appeals(
    login, file_appeal, world, other_enterprise_admin, enterprise_admin
):
    mine = file_appeal("labour", "甲公司缺工")
    assert "甲公司缺工" in login(enterprise_admin).get("/appeals/").content.decode()
    assert "甲公司缺工" not in login(other_enterprise_admin).get("/appeals/").content.decode()
    assert login(other_enterprise_admin).get(f"/appeals/{mine.pk}/").status_code == 404
    assert login(enterprise_admin).get(f"/appeals/{mine.pk}/").status_code == 200


def test_outsiders_and_employees_see_nothing(login, file_appeal, outsider, employee):
    appeal = file_appeal()
    for user in (outsider, employee):
        assert login(user).get(f"/appeals/{appeal.pk}/").status_code == 404
        assert appeal.title not in login(user).get("/appeals/").content.decode()


def test_a_township_officer_sees_his_area_only(
    login, file_appeal, township_officer, other_township_officer
):
    appeal = file_appeal()
    assert login(township_officer).get(f"/appeals/{appeal.pk}/").status_code == 200
    assert login(other_township_officer).get(f"/appeals/{appeal.pk}/").status_code == 404


def test_a_township_officer_may_look_but_not_act(login, file_appeal, township_officer):
    appeal = file_appeal()
    response = login(township_officer).post(f"/appeals/{appeal.pk}/act/", {"action": "accept"})
    assert response.status_code == 302
    assert Appeal.objects.get().status == Status.SUBMITTED


def test_filing_through_the_page_routes_and_shows_the_deadline(login, enterprise_admin, world):
    response = login(enterprise_admin).post(
        "/appeals/new/",
        {"category": "protective_supplies", "title": "口罩缺口20000个", "urgency": "urgent",
         "quantity": "20000", "counterpart": "利民防护用品厂", "detail": ""},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    appeal = Appeal.objects.get()
    assert appeal.department.code == "gxj" and appeal.quantity == 20000
    page = response.content.decode()
    assert "口罩缺口20000个" in page and appeal.accept_due.strftime("%Y-%m-%d") in page


def test_filing_with_a_missing_title_shows_the_field_error(login, enterprise_admin):
    response = login(enterprise_admin).post(
        "/appeals/new/", {"category": "labour", "title": "", "urgency": "normal"}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Appeal.objects.exists()


def test_department_officers_cannot_file(login, department_officer):
    assert login(department_officer).get("/appeals/new/").status_code == 404


def test_the_department_accepts_and_answers_on_the_page_and_the_enterprise_rates(
    login, file_appeal, rsj_officer, enterprise_admin
):
    appeal = file_appeal()
    dept = login(rsj_officer)
    assert dept.post(f"/appeals/{appeal.pk}/act/", {"action": "accept"}).status_code == 302
    r = dept.post(f"/appeals/{appeal.pk}/act/", {"action": "answer", "comment": ""})
    assert r.status_code == 400
    assert Appeal.objects.get().status == Status.ACCEPTED
    dept.post(f"/appeals/{appeal.pk}/act/", {"action": "answer", "comment": "已推荐求职者"})
    page = login(enterprise_admin).get(f"/appeals/{appeal.pk}/").content.decode()
    assert "已推荐求职者" in page and 'data-testid="close"' in page
    login(enterprise_admin).post(
        f"/appeals/{appeal.pk}/act/", {"action": "close", "rating": "satisfied"}
    )
    assert Appeal.objects.get().rating == "satisfied"


def test_the_list_exports_xlsx_within_scope(login, file_appeal, rsj_officer):
    file_appeal("labour", "缺普工")
    file_appeal("logistics", "运输受阻")
    response = login(rsj_officer).get("/appeals/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(response.content)).active
    titles = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["缺普工"]


def test_text_that_looks_like_a_formula_or_a_link_is_exported_as_plain_text(
    login, file_appeal, rsj_officer
):
    # Written as typed, "=HYPERLINK(…)" became a live formula in whoever opened the export.
    file_appeal("labour", '=HYPERLINK("http://evil.example","点此领取补贴")')
    file_appeal("labour", "http://evil.example/招工")
    response = login(rsj_officer).get("/appeals/", {"format": "xlsx"})
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(response.content)).active
    cells = {row[6].value: row[6] for row in sheet.iter_rows(min_row=2)}
    formula = cells['=HYPERLINK("http://evil.example","点此领取补贴")']
    link = cells["http://evil.example/招工"]
    assert (formula.data_type, link.data_type) == ("s", "s")
    assert link.hyperlink is None


def test_overdue_appeals_stay_visibly_overdue_in_the_list(login, file_appeal, rsj_officer):
    appeal = file_appeal()
    Appeal.objects.filter(pk=appeal.pk).update(
        accept_due=business_today() - dt.timedelta(days=3),
        answer_due=business_today() - dt.timedelta(days=1),
    )
    page = login(rsj_officer).get("/appeals/", {"overdue": "on"}).content.decode()
    assert appeal.title in page and 'data-testid="overdue"' in page


def test_the_dashboard_counts_and_drills_down(
    login, file_appeal, command_centre, rsj_officer, enterprise_admin, department_officer
):
    a = file_appeal("labour", "缺普工")
    file_appeal("logistics", "运输")
    do_act(a, "accept", actor=rsj_officer)
    do_act(a, "answer", actor=rsj_officer, comment="ok")
    do_act(a, "close", actor=enterprise_admin, rating="satisfied")
    response = login(command_centre).get("/appeals/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="total">2<' in page
    assert 'data-testid="satisfaction">100.0%<' in page
    assert "/appeals/?category=labour" in page and "/appeals/?department=rsj" in page
    assert "<svg" in page
    assert login(department_officer).get("/appeals/dashboard/").status_code == 200
    assert login(enterprise_admin).get("/appeals/dashboard/").status_code == 404
    xlsx = login(command_centre).get("/appeals/dashboard/", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")


def test_a_department_s_dashboard_counts_only_its_appeals(login, file_appeal, rsj_officer):
    file_appeal("labour", "缺普工")
    file_appeal("logistics", "运输")
    page = login(rsj_officer).get("/appeals/dashboard/").content.decode()
    assert 'data-testid="total">1<' in page


def test_similar_appeals_are_grouped_and_answered_together(
    login, world, file_appeal, department_officer, other_enterprise_admin
):
    from fugong.appeals.actions import do_file_appeal
    from fugong.orgs.models import LiaisonAssignment  # noqa: F401

    a = file_appeal("protective_supplies", "口罩5000个", counterpart="利民防护用品厂")
    b = do_file_appeal(
        world.sibling_enterprise, category="protective_supplies", title="需要口罩",
        counterpart="利民 防护用品厂", actor=None,
    )  # fmt: skip
    file_appeal("protective_supplies", "额温枪", counterpart="")
    client = login(department_officer)
    page = client.get("/appeals/groups/").content.decode()
    assert page.count('data-testid="group"') == 1 and "口罩5000个" in page and "需要口罩" in page
    from fugong.appeals.selectors import similar_groups

    key = similar_groups(department_officer)[0]["key"]
    client.post("/appeals/groups/", {"group": key, "comment": "已协调利民厂优先供货"})
    for appeal in (a, b):
        appeal.refresh_from_db()
        assert appeal.status == Status.ANSWERED and appeal.answer == "已协调利民厂优先供货"
    assert login(other_enterprise_admin).get("/appeals/groups/").status_code == 404


def test_recorded_offers_are_matched_against_open_needs(login, file_appeal, department_officer):
    appeal = file_appeal("protective_supplies", "口罩缺口20000个")
    client = login(department_officer)
    client.post("/appeals/offers/", {"category": "protective_supplies", "item": "口罩",
                                     "quantity": "100000", "provider": "利民厂"})  # fmt: skip
    page = client.get("/appeals/offers/").content.decode()
    assert "利民厂" in page and f"#{appeal.pk}" in page
    detail = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "利民厂" in detail


def test_the_briefing_sentence_counts_received_and_closed(
    file_appeal, rsj_officer, enterprise_admin, world
):
    from django.utils import translation

    from fugong.appeals.briefing import appeals_sentence

    a = file_appeal()
    file_appeal("logistics", "运输")
    do_act(a, "accept", actor=rsj_officer)
    do_act(a, "answer", actor=rsj_officer, comment="ok")
    do_act(a, "close", actor=enterprise_admin, rating="satisfied")
    with translation.override("zh-hans"):
        sentence = appeals_sentence(business_today(), BriefingScope())
    assert sentence.text.startswith("累计受理企业诉求2件,已办结1件,办结率50.0%")
    assert sentence.figures["appeals_received"] == 2 and sentence.figures["appeals_closed"] == 1
    with translation.override("en"):
        english = appeals_sentence(business_today(), BriefingScope()).text
    assert "received so far: 2" in english
    elsewhere = appeals_sentence(business_today(), BriefingScope(division=world.other_district))
    assert elsewhere.figures["appeals_received"] == 0
    before = appeals_sentence(business_today() - dt.timedelta(days=1), BriefingScope())
    assert before.figures["appeals_received"] == 0


def test_the_home_page_shows_open_and_overdue_appeals_and_the_menu(
    login, file_appeal, rsj_officer, enterprise_admin, outsider
):
    appeal = file_appeal()
    Appeal.objects.filter(pk=appeal.pk).update(accept_due=business_today() - dt.timedelta(days=2))
    page = login(rsj_officer).get("/").content.decode()
    assert 'data-testid="appeals-widget"' in page and "超期1件" in page and "在办1件" in page
    assert "/appeals/groups/" in page
    page = login(enterprise_admin).get("/").content.decode()
    assert "/appeals/" in page and "/appeals/rules/" not in page
    assert 'data-testid="appeals-widget"' not in login(outsider).get("/").content.decode()
