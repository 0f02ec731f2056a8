"""What /api/v1/openapi.json says the resumption endpoints answer is what they answer."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from fugong.lib.testing import DocumentedAnswers

from .conftest import payload
from .test_pages import PDF

MONDAY = dt.date(2020, 3, 2)
APPS = "/api/v1/resumption/applications"
APPLICATION = "/api/v1/resumption/applications/{application_id}"
DECISIONS = "/api/v1/resumption/applications/{application_id}/decisions"


def test_every_answer_of_the_resumption_endpoints_has_the_shape_the_api_description_documents(
    world,
    enterprise_admin,
    township_officer,
    department_officer,
    command_centre,
    standard_route,
    clock,
    api,
):
    # They were documented only as "object", or without a body: a client generator got no fields.
    check = DocumentedAnswers()

    clock(MONDAY)
    ent = api(enterprise_admin)
    check(ent.get("/api/v1/resumption/checklist"), "get", "/api/v1/resumption/checklist")
    check(ent.get("/api/v1/resumption/status"), "get", "/api/v1/resumption/status")
    upload = ent.client.post(
        "/api/v1/resumption/attachments",
        {"kind": "prevention_plan", "file": SimpleUploadedFile("p.pdf", PDF)},
        headers=ent._headers(),
    )
    check(upload, "post", "/api/v1/resumption/attachments", 201)  # for the next application
    pk = check(ent.post(APPS, payload(MONDAY + dt.timedelta(days=1))), "post", APPS, 201)["id"]
    check(ent.get(f"{APPS}/{pk}"), "get", APPLICATION)
    upload = ent.client.post(
        "/api/v1/resumption/attachments",
        {"kind": "prevention_plan", "file": SimpleUploadedFile("q.pdf", PDF)},
        headers=ent._headers(),
    )
    assert check(upload, "post", "/api/v1/resumption/attachments", 201)["application"] == pk
    check(ent.get("/api/v1/resumption/status"), "get", "/api/v1/resumption/status")
    reasons = {"decision": "approve", "comment": "同意", "item_reasons": {}}
    check(api(township_officer).post(f"{APPS}/{pk}/decisions", reasons), "post", DECISIONS)
    body = check(
        api(department_officer).post(f"{APPS}/{pk}/decisions", {"decision": "approve"}),
        "post",
        DECISIONS,
    )
    assert body["status"] == "approved" and len(body["decisions"]) == 2
    assert body["effective_date"] == "2020-03-03" and len(body["attachments"]) == 2
    clock(MONDAY + dt.timedelta(days=1))
    status = check(ent.get("/api/v1/resumption/status"), "get", "/api/v1/resumption/status")
    assert status["status"] == "resumed" and status["since"] == "2020-03-03"
    centre = api(command_centre)
    for by in ("district", "township", "industry", "scale"):
        stats = centre.get("/api/v1/stats/resumption", date="2020-03-03", by=by)
        assert check(stats, "get", "/api/v1/stats/resumption")["rows"]
    briefing = check(centre.get("/api/v1/briefing", date="2020-03-03"), "get", "/api/v1/briefing")
    assert briefing["figures"]
    assert check.checked == {
        ("get", "/api/v1/resumption/checklist"),
        ("get", "/api/v1/resumption/status"),
        ("post", "/api/v1/resumption/attachments"),
        ("post", APPS),
        ("get", APPLICATION),
        ("post", DECISIONS),
        ("get", "/api/v1/stats/resumption"),
        ("get", "/api/v1/briefing"),
    }
