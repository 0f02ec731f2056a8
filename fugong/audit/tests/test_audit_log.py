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


@pytest.mark.django_db
def test_the_log_filtered_by_an_action_prefix_or_an_exact_action_reads_one_index_on_postgresql():
    from django.db import connection

    from fugong.audit.selectors import audit_events

    if connection.vendor != "postgresql":
        pytest.skip("an index's operator class is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: show what it can use
        for query in (
            audit_events(action="checkin."),
            AuditEvent.objects.filter(action="checkin.submitted"),
        ):
            sql, params = query.only("id").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "audit_action" in plan, plan
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'audit_auditevent'"
            " AND indexdef LIKE '%%(action%%'"
        )
        assert cursor.fetchone()[0] == 1  # no second index on the action to write
