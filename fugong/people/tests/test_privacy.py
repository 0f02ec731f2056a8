"""Raw ID numbers never leave the database in clear text, except through an audited reveal."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fugong.audit.models import AuditEvent
from fugong.lib.identifiers import id_check_char
from fugong.lib.testing import hire
from fugong.people.models import Person

RAW = "44060419850612003X"


@pytest.fixture
def worker(world):
    number = RAW[:17] + id_check_char(RAW[:17])
    return hire(world.enterprise, name="王小明", id_number=number), number


def test_the_database_row_holds_no_clear_id_number(worker):
    person, number = worker
    row = Person.objects.filter(pk=person.pk).values().get()
    assert number not in json.dumps(row, default=str)
    assert row["id_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert Person.objects.get(pk=person.pk).id_number == number


@pytest.mark.parametrize("persona", ["enterprise_admin", "township_officer", "district_officer"])
def test_pages_show_only_the_masked_number_to_roles_without_need(persona, worker, request, login):
    person, number = worker
    client = login(request.getfixturevalue(persona))
    for url in ("/", "/people/", f"/people/{person.pk}/", "/enterprises/"):
        response = client.get(url)
        assert number not in response.content.decode(), url
    detail = client.get(f"/people/{person.pk}/").content.decode()
    if persona != "enterprise_admin":
        assert person.id_masked in detail


def test_a_search_by_full_number_finds_the_person_without_putting_it_in_the_url(
    worker, township_officer, login
):
    person, number = worker
    response = login(township_officer).post("/people/", {"q": number})
    assert response.status_code == 200
    page = response.content.decode()
    assert person.name in page
    assert f'value="{number}"' in page  # the search box keeps what was typed…
    assert page.count(number) == 1  # …and nothing else shows it


def test_reading_a_person_is_audited(worker, township_officer, login):
    person, _ = worker
    login(township_officer).get(f"/people/{person.pk}/")
    event = AuditEvent.objects.get(action="person.viewed", object_id=str(person.pk))
    assert event.actor == township_officer


def test_a_community_worker_may_reveal_the_full_number_and_it_is_audited(
    worker, community_worker, login
):
    person, number = worker
    response = login(community_worker).post(f"/people/{person.pk}/reveal/")
    assert response.status_code == 200
    assert number in response.content.decode()
    assert AuditEvent.objects.filter(
        action="person.id_revealed", object_id=str(person.pk), actor=community_worker
    ).exists()
    assert number not in json.dumps(list(AuditEvent.objects.values("details", "object_label")))


def test_an_enterprise_admin_cannot_reveal_a_full_number(worker, enterprise_admin, login):
    person, number = worker
    response = login(enterprise_admin).post(f"/people/{person.pk}/reveal/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="person.id_revealed").exists()


def test_the_seeded_database_file_contains_no_raw_id_number(tmp_path):
    """Seed a tiny city into a real SQLite file and look for every number in its bytes."""
    key = "a-test-secret-key-that-is-long-enough-to-be-accepted-0123456789"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUGONG_")}
    env.update(FUGONG_HOME=str(tmp_path), FUGONG_SECRET_KEY=key, FUGONG_DEBUG="0")
    for args in (["migrate", "-v0"], ["seed", "--scale", "tiny", "--quiet"]):
        subprocess.run(
            [sys.executable, "-m", "fugong.cli", *args],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    db = tmp_path / "fugong.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
        ciphers = [row[0] for row in conn.execute("SELECT id_cipher FROM people_person")]
    assert len(ciphers) > 100
    from django.test import override_settings

    from fugong.lib import crypto

    with override_settings(FIELD_KEY=key):
        numbers = [crypto.decrypt(c) for c in ciphers]
    blob = b"".join(p.read_bytes() for p in Path(tmp_path).glob("fugong.sqlite3*"))
    leaked = [n for n in numbers if n.encode() in blob]
    assert leaked == []
