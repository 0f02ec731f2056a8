import pytest

from fugong.audit.actions import record
from fugong.audit.models import AppendOnlyError, AuditEvent


def test_audit_events_cannot_be_changed_or_deleted(world, command_centre):
    event = record(command_centre, "enterprise.viewed", world.enterprise)
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "enterprise.viewed"


def test_the_command_centre_reads_the_audit_log_with_filters(world, command_centre, login):
    record(command_centre, "policy.changed", None, details={"key": "health"})
    record(command_centre, "enterprise.created", world.enterprise)
    client = login(command_centre)
    page = client.get("/audit/", {"action": "policy."}).content.decode()
    assert "policy.changed" in page
    assert "enterprise.created" not in page


def test_the_audit_log_exports_to_excel(world, command_centre, login):
    record(command_centre, "enterprise.created", world.enterprise)
    response = login(command_centre).get(
        "/audit/", {"format": "xlsx", "action": "enterprise.created"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
    # The export names whose records were read: it is itself in the log, with its filter.
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.actor_id == command_centre.pk
    assert exported.details == {"action": "enterprise.created", "rows": 1}


@pytest.mark.parametrize(
    "persona", ["enterprise_admin", "township_officer", "department_officer", "outsider"]
)
def test_nobody_but_the_command_centre_sees_the_audit_log(persona, request, login):
    assert login(request.getfixturevalue(persona)).get("/audit/").status_code == 404
