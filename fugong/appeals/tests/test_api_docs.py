"""What /api/v1/openapi.json says the appeals endpoints answer is what they answer."""

from __future__ import annotations

from fugong.lib.testing import DocumentedAnswers

APPEALS = "/api/v1/appeals"
APPEAL = "/api/v1/appeals/{appeal_id}"
EVENTS = "/api/v1/appeals/{appeal_id}/events"


def test_every_answer_of_an_appeal_has_the_shape_the_api_description_documents(
    api, enterprise_admin, rsj_officer, jtj_officer
):
    # They were documented only as "object": a client generator got no fields.
    check = DocumentedAnswers()

    ent, rsj, jtj = api(enterprise_admin), api(rsj_officer), api(jtj_officer)
    filed = {"category": "labour", "title": "缺普工", "urgency": "urgent", "quantity": 150}
    pk = check(ent.post(APPEALS, filed), "post", APPEALS, 201)["id"]
    bare = check(ent.post(APPEALS, {"category": "other", "title": "x"}), "post", APPEALS, 201)
    check(ent.get(f"{APPEALS}/{bare['id']}"), "get", APPEAL, 200)  # no quantity, no events
    transfer = {"action": "transfer", "to_department": "jtj", "comment": "不属本部门"}
    check(rsj.post(f"{APPEALS}/{pk}/events", transfer), "post", EVENTS, 200)
    for action in ({"action": "accept"}, {"action": "answer", "comment": "已对接"}):
        check(jtj.post(f"{APPEALS}/{pk}/events", action), "post", EVENTS, 200)
    closed = {"action": "close", "rating": "satisfied"}
    check(ent.post(f"{APPEALS}/{pk}/events", closed), "post", EVENTS, 200)
    body = check(ent.get(f"{APPEALS}/{pk}"), "get", APPEAL, 200)
    assert [h["action"] for h in body["history"]] == [
        "filed",
        "transferred",
        "accepted",
        "answered",
        "closed",
    ]
    assert body["history"][1]["to_department"] == "jtj" and body["rating"] == "satisfied"
    assert check.checked == {("post", APPEALS), ("get", APPEAL), ("post", EVENTS)}
