""" "Import the valid rows" (导入正确的行) is offered only while a report has valid rows that
were not stored."""

from __future__ import annotations

from fugong.health.models import RosterImport
from fugong.jobs.models import Job
from fugong.lib.testing import hire
from fugong.people.models import Employment

from .test_roster import good_rows, upload, xlsx

NONE_VALID = "未导入:没有可导入的行。请修改文件后重新上传。"


def test_a_report_whose_rows_are_all_wrong_offers_no_import_of_valid_rows(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    # Every row "此人已在花名册中": the button ran the same check again and offered itself again.
    rows = good_rows(2)
    for name, number, *_rest in rows:
        hire(world.enterprise, name=name, id_number=number)
    client = login(enterprise_admin)
    upload(client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert (imported.status, imported.rows, imported.rejected) == ("rejected", 2, 2)
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert 'data-testid="import-valid"' not in page and "导入正确的行" not in page
    assert NONE_VALID in page and "此人已在花名册中。" in page
    response = client.post(f"/people/roster/import/{imported.pk}/valid-rows/")
    assert response["Location"] == f"/people/roster/import/{imported.pk}/"
    assert Job.objects.count() == 1  # the upload's check alone: nothing ran again


def test_importing_the_valid_rows_turns_the_report_into_that_import_and_offers_it_no_more(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    rows = good_rows(2)
    rows.append(["坏行", "123", "13912340000", "440604001001", "", ""])
    client = login(enterprise_admin)
    upload(client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert 'data-testid="import-valid"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/people/roster/import/{imported.pk}/valid-rows/")
    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.status, imported.accepted, imported.rejected) == ("done", 2, 1)
    assert RosterImport.objects.count() == 1
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert 'data-testid="import-valid"' not in page and NONE_VALID not in page
    assert "读取 3 行,导入 2 行,拒绝 1 行" in page
    # The button pressed again (an old tab) stores nothing twice.
    again = client.post(f"/people/roster/import/{imported.pk}/valid-rows/")
    assert again["Location"] == f"/people/roster/import/{imported.pk}/"
    assert Employment.objects.filter(enterprise=world.enterprise).count() == 2


def test_another_enterprise_cannot_import_the_valid_rows_of_a_report(
    world, enterprise_admin, other_enterprise_admin, login, django_capture_on_commit_callbacks
):
    rows = good_rows(1)
    rows.append(["坏行", "123", "13912340000", "440604001001", "", ""])
    upload(login(enterprise_admin), xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    other = login(other_enterprise_admin)
    assert other.post(f"/people/roster/import/{imported.pk}/valid-rows/").status_code == 404
    assert other.get(f"/people/roster/import/{imported.pk}/").status_code == 404
    imported.refresh_from_db()
    assert imported.status == "rejected" and not Employment.objects.exists()
