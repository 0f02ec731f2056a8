import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fugong.audit.models import AuditEvent
from fugong.orgs.policies import SCALE
from fugong.policy.actions import do_save_policy_version
from fugong.policy.models import PolicyVersion


def test_defaults_apply_until_a_version_is_saved(db):
    assert SCALE.current()["industrial_min_revenue"] == 2000
    assert SCALE.current_version() is None


def test_changing_the_dict_one_caller_got_does_not_change_the_policy_for_the_next(db):
    for _ in range(2):  # the first from the database, the second from the cache
        policy = SCALE.current()
        policy["industrial_min_revenue"] = 1
    assert SCALE.current()["industrial_min_revenue"] == 2000


def test_a_version_saved_by_another_worker_is_in_force_here_within_the_cache_time(
    db, monkeypatch, settings
):
    from django.core.cache.backends import locmem

    assert SCALE.current()["industrial_min_revenue"] == 2000  # now cached in this worker
    # Another process saves a version: its cache clearing does not reach this one.
    PolicyVersion.objects.create(
        key=SCALE.key, version=1, data=SCALE.current() | {"industrial_min_revenue": 2500}
    )
    assert SCALE.current()["industrial_min_revenue"] == 2000
    later = locmem.time.time() + settings.POLICY_CACHE_SECONDS + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert SCALE.current()["industrial_min_revenue"] == 2500


def test_saving_a_version_changes_the_policy_in_force_and_is_audited(command_centre):
    data = SCALE.current() | {"industrial_min_revenue": 2500}
    version = do_save_policy_version(SCALE, data, note="new threshold", actor=command_centre)
    assert version.version == 1
    assert SCALE.current()["industrial_min_revenue"] == 2500
    event = AuditEvent.objects.get(action="policy.changed")
    assert event.details["changed"] == {"industrial_min_revenue": [2000, 2500]}


def test_versions_accumulate_and_the_past_stays_explainable(command_centre):
    do_save_policy_version(SCALE, SCALE.current(), note="v1", actor=command_centre)
    first = PolicyVersion.objects.get()
    between = timezone.now()
    do_save_policy_version(
        SCALE, SCALE.current() | {"retail_min_revenue": 800}, note="v2", actor=command_centre
    )
    assert list(PolicyVersion.objects.values_list("version", flat=True)) == [2, 1]
    assert SCALE.as_of(between)["retail_min_revenue"] == 500
    assert SCALE.as_of(first.created_at - dt.timedelta(seconds=1))["retail_min_revenue"] == 500
    assert SCALE.current()["retail_min_revenue"] == 800


def test_a_value_of_the_wrong_type_is_refused_naming_the_field(command_centre):
    with pytest.raises(ValidationError) as error:
        do_save_policy_version(
            SCALE, SCALE.current() | {"industrial_min_revenue": "a lot"}, actor=command_centre
        )
    assert "industrial_min_revenue" in error.value.message_dict
    assert not PolicyVersion.objects.exists()


def test_the_command_centre_edits_policy_from_the_page(command_centre, login):
    client = login(command_centre)
    form = client.get("/policy/scale/")
    assert form.status_code == 200
    data = {k: v for k, v in SCALE.current().items()}
    post = {
        k: (str(v).replace("'", '"') if isinstance(v, list) else v) for k, v in data.items()
    } | {"industrial_min_revenue": 3000, "note": "raise the bar"}
    response = client.post("/policy/scale/", post)
    assert response.status_code == 302
    assert SCALE.current()["industrial_min_revenue"] == 3000
    assert "raise the bar" in client.get("/policy/scale/").content.decode()


def test_a_township_officer_reads_policy_but_cannot_change_it(township_officer, login):
    client = login(township_officer)
    assert client.get("/policy/scale/").status_code == 200
    response = client.post("/policy/scale/", {"industrial_min_revenue": 1, "note": "x"})
    assert response.status_code == 404
    assert not PolicyVersion.objects.exists()


def test_enterprises_and_outsiders_do_not_see_policy_pages(enterprise_admin, outsider, login):
    assert login(enterprise_admin).get("/policy/").status_code == 404
    assert login(outsider).get("/policy/scale/").status_code == 404


def _versions(page) -> str:
    html = page.content.decode()
    return html[html.index('data-testid="policy-version"') :]


def test_each_version_shows_what_it_changed_with_the_forms_labels_in_both_languages(
    command_centre, login
):
    from fugong.health.policies import HEALTH

    do_save_policy_version(
        HEALTH,
        HEALTH.current() | {"fever_threshold": 37.0, "fever_at_threshold": False},
        note="stricter",
        actor=command_centre,
    )
    do_save_policy_version(
        HEALTH, HEALTH.current() | {"quarantine_days": 21}, note="longer", actor=command_centre
    )
    client = login(command_centre)
    versions = _versions(client.get("/policy/health/"))
    assert versions.count('data-testid="policy-version"') == 2
    newest, first = versions.split('data-testid="policy-version"')[1:]
    assert "v2" in newest and "longer" in newest and "14 → <strong>21</strong>" in newest
    assert "发热阈值" not in newest  # only what changed
    assert "发热阈值(°C)" in first and "体温等于阈值即视为发热" in first
    assert "37.3 → <strong>37.0</strong>" in first and "是 → <strong>否</strong>" in first
    for raw in ("fever_threshold", "True", "False", "{", "quarantine_days"):
        assert raw not in versions
    client.cookies["django_language"] = "en"
    english = _versions(client.get("/policy/health/"))
    assert "Fever threshold (°C)" in english and "Yes → <strong>No</strong>" in english


def test_a_version_that_changed_nothing_says_so(command_centre, login):
    do_save_policy_version(SCALE, SCALE.current(), note="confirmed", actor=command_centre)
    assert "未改动任何参数。" in _versions(login(command_centre).get("/policy/scale/"))


def test_an_invalid_policy_form_answers_400_naming_the_field_and_saves_nothing(
    command_centre, login
):
    post = {k: v for k, v in SCALE.current().items() if not isinstance(v, list)}
    response = login(command_centre).post(
        "/policy/scale/", post | {"industrial_min_revenue": "a lot", "note": "x"}
    )
    assert response.status_code == 400
    assert "industrial_min_revenue" in response.context["form"].errors
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize("threshold", ["35.0", "36.9", "38.6", "42.0"])
def test_an_implausible_fever_threshold_is_refused_with_the_range(threshold, command_centre, login):
    from fugong.health.policies import HEALTH

    post = {k: v for k, v in HEALTH.current().items() if not isinstance(v, bool)}
    response = login(command_centre).post(
        "/policy/health/", post | {"fever_threshold": threshold, "note": "typo"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["fever_threshold"] == [
        "请填写 37.0 至 38.5 之间的数值。"
    ]
    assert "请填写 37.0 至 38.5 之间的数值。" in response.content.decode()
    assert not PolicyVersion.objects.exists()


def test_a_fever_threshold_within_the_range_is_saved(command_centre, login):
    from fugong.health.policies import HEALTH

    post = {k: v for k, v in HEALTH.current().items() if not isinstance(v, bool)}
    response = login(command_centre).post(
        "/policy/health/", post | {"fever_threshold": "37.0", "note": "stricter"}
    )
    assert response.status_code == 302
    assert HEALTH.current()["fever_threshold"] == 37.0
