"""The pages: applying with attachments, deciding, inspecting, dashboard, briefing."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from fugong.notifications.models import Notification
from fugong.resumption.models import (
    Application,
    Attachment,
    Inspection,
    RectificationOrder,
    StatusChange,
)

from .conftest import GOOD_CHECKLIST

MONDAY = dt.date(2020, 3, 2)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(day=MONDAY, **changes):
    data = {
        "planned_date": day.isoformat(),
        "staff_planned": "120",
        "staff_from_outside": "10",
        "staff_from_risk_areas": "0",
        "commitment": "on",
    }
    for code, value in GOOD_CHECKLIST.items():
        if value is True:
            data[f"item_{code}"] = "on"
        else:
            data[f"item_{code}"] = str(value)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_application_form_lists_what_is_missing_before_submission(
    world, enterprise_admin, login, clock
):
    clock(MONDAY)
    client = login(enterprise_admin)
    page = client.get("/resumption/apply/")
    assert page.status_code == 200
    assert "隔离观察室" in page.content.decode()
    data = form_data(item_fever_hotline=None, commitment=None, check="1")
    response = client.post("/resumption/apply/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "设立发热报告电话" in html and "承诺书" in html
    assert 'data-testid="missing"' in html
    assert not Application.objects.exists()


def test_an_enterprise_admin_applies_with_a_pdf_attachment(
    world, enterprise_admin, login, clock, standard_route
):
    clock(MONDAY)
    client = login(enterprise_admin)
    data = form_data(file_prevention_plan=SimpleUploadedFile("方案.pdf", PDF, "application/pdf"))
    response = client.post("/resumption/apply/", data)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/resumption/applications/{application.pk}/"
    assert application.status == "submitted"
    doc = Attachment.objects.get()
    assert doc.application == application and doc.content_type == "application/pdf"
    page = client.get(response["Location"])
    assert "方案.pdf" in page.content.decode()
    download = client.get(f"/resumption/attachments/{doc.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_round_whose_submitter_is_gone_is_listed_without_a_name(
    world, enterprise_admin, login, clock, standard_route
):
    # It read "提交人 None" (the demo's rounds, and a user removed since, have no submitter).
    from fugong.resumption.models import Submission

    clock(MONDAY)
    client = login(enterprise_admin)
    client.post("/resumption/apply/", form_data())
    application = Application.objects.get()
    html = client.get(f"/resumption/applications/{application.pk}/").content.decode()
    assert f"提交人 {enterprise_admin}" in html
    Submission.objects.filter(application=application).update(submitted_by=None)
    html = client.get(f"/resumption/applications/{application.pk}/").content.decode()
    assert "None" not in html and "第1轮" in html


def test_a_file_that_is_not_a_pdf_or_image_is_refused(world, enterprise_admin, login, clock):
    clock(MONDAY)
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = login(enterprise_admin).post("/resumption/apply/", form_data(file_other=fake))
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_file_is_refused(world, enterprise_admin, login, clock, settings):
    clock(MONDAY)
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000, "application/pdf")
    response = login(enterprise_admin).post("/resumption/apply/", form_data(file_other=big))
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_a_required_attachment_set_by_policy_must_be_sent(
    world, enterprise_admin, login, clock, set_policy, api
):
    clock(MONDAY)
    set_policy(required_attachments=["prevention_plan"])
    response = login(enterprise_admin).post("/resumption/apply/", form_data())
    assert response.status_code == 400
    assert "疫情防控方案" in response.content.decode()
    from .conftest import payload

    api_response = api(enterprise_admin).post("/api/v1/resumption/applications", payload(MONDAY))
    assert api_response.status_code == 400 and api_response.json()["field"] == "attachments"
    upload = api(enterprise_admin).client.post(
        "/api/v1/resumption/attachments",
        {"kind": "prevention_plan", "file": SimpleUploadedFile("p.pdf", PDF)},
        headers=api(enterprise_admin)._headers(),
    )
    assert upload.status_code == 201, upload.content
    again = api(enterprise_admin).post("/api/v1/resumption/applications", payload(MONDAY))
    assert again.status_code == 201
    assert Attachment.objects.get().application_id == again.json()["id"]


def test_attachments_are_served_only_in_scope(
    world,
    enterprise_admin,
    other_enterprise_admin,
    other_township_officer,
    township_officer,
    login,
    clock,
):
    clock(MONDAY)
    login(enterprise_admin).post(
        "/resumption/apply/",
        form_data(file_other=SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n....")),
    )
    doc = Attachment.objects.get()
    url = f"/resumption/attachments/{doc.pk}/"
    assert login(other_enterprise_admin).get(url).status_code == 404
    assert login(other_township_officer).get(url).status_code == 404
    assert login(township_officer).get(url).status_code == 200


def test_a_reviewer_returns_an_application_on_the_page_and_the_admin_corrects_it(
    world, enterprise_admin, township_officer, department_officer, login, clock, standard_route
):
    clock(MONDAY)
    admin = login(enterprise_admin)
    admin.post("/resumption/apply/", form_data())
    application = Application.objects.get()
    reviewer = login(township_officer)
    page = reviewer.get(f"/resumption/applications/{application.pk}/")
    assert 'data-testid="decision-form"' in page.content.decode()
    response = reviewer.post(
        f"/resumption/applications/{application.pk}/",
        {"decision": "return", "comment": "", "reason_isolation_rooms": "隔离室不独立"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "returned"
    correction = admin.get(f"/resumption/applications/{application.pk}/correct/")
    assert "隔离室不独立" in correction.content.decode()
    resent = admin.post(f"/resumption/applications/{application.pk}/correct/", form_data())
    assert resent.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and application.round == 2
    # The other enterprise's admin cannot even open it.
    assert (
        login(department_officer).get(f"/resumption/applications/{application.pk}/").status_code
        == 200
    )


def test_a_reviewer_outside_the_scope_cannot_open_or_decide(
    world, enterprise_admin, other_township_officer, login, clock, standard_route
):
    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    application = Application.objects.get()
    client = login(other_township_officer)
    assert client.get(f"/resumption/applications/{application.pk}/").status_code == 404
    response = client.post(f"/resumption/applications/{application.pk}/", {"decision": "approve"})
    assert response.status_code == 404
    assert Application.objects.get().status == "submitted"


def test_the_review_list_highlights_overdue_applications_and_exports(
    world, enterprise_admin, township_officer, login, clock, standard_route
):
    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    clock(MONDAY + dt.timedelta(days=3))
    client = login(township_officer)
    page = client.get("/resumption/applications/", {"waiting": "on"})
    html = page.content.decode()
    assert page.status_code == 200
    assert world.enterprise.name in html and 'class="overdue"' in html
    export = client.get("/resumption/applications/", {"format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_overdue_applications_are_escalated_once_to_the_district_and_the_command_centre(
    world, enterprise_admin, district_officer, command_centre, clock, standard_route, login
):
    from fugong.accounts.models import Role
    from fugong.lib.testing import make_user
    from fugong.resumption.tasks import escalate_overdue

    other_district = make_user("district_e", Role.DISTRICT_OFFICER, division=world.other_district)
    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    assert escalate_overdue(today="2020-03-04") == {"escalated": 0}  # due that day
    assert escalate_overdue(today="2020-03-05") == {"escalated": 1}
    notified = set(
        Notification.objects.filter(kind="resumption.overdue").values_list(
            "user__username", flat=True
        )
    )
    assert notified == {district_officer.username, command_centre.username}
    assert other_district.username not in notified
    assert escalate_overdue(today="2020-03-06") == {"escalated": 0}


def test_an_inspection_with_a_failed_item_opens_an_order_that_can_suspend(
    world, enterprise_admin, township_officer, other_township_officer, login, clock
):
    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())  # commitment route
    assert Application.objects.get().inspection_due is not None
    client = login(township_officer)
    url = f"/resumption/enterprises/{world.enterprise.pk}/inspect/"
    assert login(other_township_officer).get(url).status_code == 404
    data = form_data(item_temperature_checks=None)
    data = {k: v for k, v in data.items() if k.startswith("item_")}
    data.update(date=MONDAY.isoformat(), notes="入口无测温")
    response = client.post(url, data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert not inspection.passed and inspection.failed_items == ["temperature_checks"]
    order = RectificationOrder.objects.get()
    assert order.deadline == dt.date(2020, 3, 5)
    assert Application.objects.get().inspected_at is not None
    listing = client.get("/resumption/inspections/")
    assert "入口" in listing.content.decode() or world.enterprise.name in listing.content.decode()
    suspended = client.post(
        f"/resumption/orders/{order.pk}/", {"action": "suspend", "reason": "逾期未整改"}
    )
    assert suspended.status_code == 302
    assert StatusChange.objects.filter(enterprise=world.enterprise).last().status == "suspended"
    assert RectificationOrder.objects.get().status == "suspended"


def test_a_suspension_needs_a_reason_and_an_officer_of_the_enterprise(
    world, enterprise_admin, township_officer, district_officer, login, clock
):
    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    url = f"/resumption/enterprises/{world.enterprise.pk}/"
    assert (
        login(district_officer).post(url, {"action": "suspend", "reason": "x"}).status_code == 404
    )
    assert login(township_officer).post(url, {"action": "suspend", "reason": ""}).status_code == 400
    assert (
        login(township_officer).post(url, {"action": "suspend", "reason": "聚集"}).status_code
        == 302
    )
    page = login(enterprise_admin).get("/resumption/")
    assert "已停工" in page.content.decode() or "Suspended" in page.content.decode()


def test_the_dashboard_shows_tables_chart_and_drill_down(
    world, enterprise_admin, command_centre, township_officer, login, clock
):
    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    client = login(command_centre)
    page = client.get("/resumption/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="trend"' in html and "禅城区" in html and "南海区" in html
    district = client.get("/resumption/dashboard/", {"division": "440604"})
    assert "祖庙街道" in district.content.decode()
    drill = client.get("/resumption/dashboard/enterprises/", {"division": "440604001"})
    assert world.enterprise.name in drill.content.decode()
    for table in ("district", "township", "industry", "scale", "trend"):
        export = client.get("/resumption/dashboard/", {"export": table})
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
        assert export.content[:2] == b"PK"
    # A township officer cannot drill into another township.
    assert (
        login(township_officer).get("/resumption/dashboard/", {"division": "440605001"}).status_code
        == 404
    )
    assert login(enterprise_admin).get("/resumption/dashboard/").status_code == 404


def test_the_dashboard_links_a_township_officer_nowhere_outside_their_township(
    world, enterprise_admin, township_officer, district_officer, login, clock
):
    import re

    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    client = login(township_officer)
    for query in ({}, {"division": "440604001"}):
        page = client.get("/resumption/dashboard/", query)
        html = page.content.decode()
        assert page.status_code == 200
        if not query:
            assert "<td>禅城区</td>" in html  # the district's row, not a link to its page
        links = set(re.findall(r'href="([^"]*division=[^"&]*)', html.replace("&amp;", "&")))
        assert links, html
        for link in links:
            url = link if link.startswith("/") else "/resumption/dashboard/" + link
            assert client.get(url).status_code == 200, url
        assert 'division=440604"' not in html.replace("&amp;", "&")
    # On their own township's page the way up is to their whole jurisdiction.
    township = client.get("/resumption/dashboard/", {"division": "440604001"}).content.decode()
    assert "← 全辖区" in township
    # A district officer goes up from a township to the district, and may open its row.
    district = login(district_officer)
    html = district.get("/resumption/dashboard/", {"division": "440604001"}).content.decode()
    assert 'division=440604">← 禅城区' in html.replace("&amp;", "&")
    html = district.get("/resumption/dashboard/").content.decode().replace("&amp;", "&")
    assert 'division=440604">禅城区</a>' in html


def test_the_briefing_reads_like_an_official_paragraph_and_downloads(
    world, enterprise_admin, command_centre, department_officer, login, clock, api
):
    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    response = api(command_centre).get("/api/v1/briefing", date="2020-03-02")
    assert response.status_code == 200
    body = response.json()
    assert body["text"].startswith("截至3月2日24时,全市")
    assert "规模以上工业企业复工1家,复工率约50.0%,比前一日增加1家" in body["text"]
    assert body["figures"]["above_industrial_resumed"] == 1
    assert body["figures"]["resumed"] == 1
    client = login(command_centre)
    page = client.get("/resumption/briefing/", {"date": "2020-03-02"})
    assert "规模以上工业企业" in page.content.decode()
    docx = client.get("/resumption/briefing/", {"date": "2020-03-02", "format": "docx"})
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "截至3月2日24时" in text
    xlsx = client.get("/resumption/briefing/", {"date": "2020-03-02", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert api(department_officer).get("/api/v1/briefing", date="2020-03-02").status_code == 404
    assert api(command_centre).get("/api/v1/briefing").status_code == 400


def test_the_dashboard_links_the_briefing_only_for_those_who_get_one(
    command_centre, township_officer, department_officer, login
):
    link = 'href="/resumption/briefing/'
    for persona in (command_centre, township_officer):
        page = login(persona).get("/resumption/dashboard/").content.decode()
        assert link in page
    officer = login(department_officer)
    page = officer.get("/resumption/dashboard/")
    assert page.status_code == 200 and link not in page.content.decode()
    assert officer.get("/resumption/briefing/").status_code == 404  # what the link led to


def test_the_briefing_includes_other_apps_sentences(world, command_centre, api, clock):
    from fugong.lib import briefing as registry

    clock(MONDAY)

    @registry.contributor(order=90)
    def extra(day, scope):
        return registry.Sentence("另有测试句子。", {"extra": 7})

    try:
        body = api(command_centre).get("/api/v1/briefing", date="2020-03-02").json()
    finally:
        registry._CONTRIBUTORS[:] = [c for c in registry._CONTRIBUTORS if c[2] is not extra]
    assert body["text"].endswith("另有测试句子。")
    assert body["figures"]["extra"] == 7


def test_the_home_page_shows_the_enterprise_status_widget_and_menu(
    world, enterprise_admin, township_officer, login
):
    html = login(enterprise_admin).get("/").content.decode()
    assert 'data-testid="resumption-widget"' in html
    officer = login(township_officer).get("/").content.decode()
    assert 'data-testid="resumption-waiting"' in officer


@pytest.mark.parametrize("path", ["/resumption/", "/resumption/apply/"])
def test_officers_have_no_enterprise_application_pages(world, township_officer, login, path):
    assert login(township_officer).get(path).status_code == 404


def test_the_api_refuses_an_attachment_that_is_not_a_pdf_or_image(world, enterprise_admin, api):
    client = api(enterprise_admin)
    response = client.client.post(
        "/api/v1/resumption/attachments",
        {"kind": "other", "file": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")},
        headers=client._headers(),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert not Attachment.objects.exists()


def test_the_api_names_the_kind_when_the_kind_of_attachment_is_unknown(
    world, enterprise_admin, api
):
    client = api(enterprise_admin)
    response = client.client.post(
        "/api/v1/resumption/attachments",
        {"kind": "photo_of_cat", "file": SimpleUploadedFile("p.pdf", PDF)},
        headers=client._headers(),
    )
    assert response.status_code == 400 and response.json()["field"] == "kind"
    assert not Attachment.objects.exists()


def test_an_upload_without_a_multipart_boundary_is_a_400_in_the_error_shape(
    world, enterprise_admin, api
):
    # Django cannot parse it: a server error once (debug), Django's HTML 400 page otherwise.
    client = api(enterprise_admin)
    response = client.client.post(
        "/api/v1/resumption/attachments",
        b"kind=other",
        content_type="multipart/form-data",
        headers=client._headers(),
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": _("The form data could not be read (multipart/form-data with a boundary)."),
        "field": "",
    }
    assert not Attachment.objects.exists()


def test_an_upload_with_more_fields_than_django_reads_is_a_400_in_the_error_shape(
    world, enterprise_admin, api, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    client = api(enterprise_admin)
    fields = {f"extra{i}": "x" for i in range(5)}
    response = client.client.post(
        "/api/v1/resumption/attachments",
        {"kind": "other", "file": SimpleUploadedFile("p.pdf", PDF), **fields},
        headers=client._headers(),
    )
    assert response.status_code == 400
    assert response.json() == {"error": _("The request has too many fields or files."), "field": ""}
    assert not Attachment.objects.exists()


def test_the_briefing_of_the_calendars_first_day_compares_it_with_itself(
    world, command_centre, login, api
):
    # 0001-01-01 has no day before: asking for its briefing was a server error.
    response = api(command_centre).get("/api/v1/briefing", date="0001-01-01")
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "0001-01-01"
    assert body["figures"]["resumed_change"] == 0 and body["figures"]["staff_at_post_change"] == 0
    page = login(command_centre).get("/resumption/briefing/", {"date": "0001-01-01"})
    assert page.status_code == 200


def test_the_briefing_is_complete_in_english(world, enterprise_admin, login, clock):
    from django.utils import translation

    from fugong.lib.briefing import BriefingScope
    from fugong.resumption.briefing import build_briefing

    clock(MONDAY)
    login(enterprise_admin).post("/resumption/apply/", form_data())
    with translation.override("en"):
        text = build_briefing(MONDAY, BriefingScope()).text
    assert text.startswith("As of 24:00 on 3/2, in the whole city: 1 above-scale industrial")
    assert "1 more than the day before" in text


def test_the_dashboard_of_the_calendars_first_days_shows_the_days_there_are(command_centre, login):
    # Its 14-day trend went back before 0001-01-01: a server error.
    response = login(command_centre).get("/resumption/dashboard/", {"date": "0001-01-05"})
    assert response.status_code == 200
    assert 'data-testid="trend"' in response.content.decode()
    first = login(command_centre).get("/resumption/dashboard/", {"date": "0001-01-01"})
    assert first.status_code == 200
