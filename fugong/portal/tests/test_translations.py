"""Every user-facing string has a Chinese translation, compiled and extracted up to date."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]  # the fugong package
PO_FILES = sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def _catalog(entries) -> dict[tuple[str | None, str], str]:
    """(context, English text) → its translation."""
    return {
        (e.msgctxt, e.msgid): e.msgstr
        or "|".join(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
        for e in entries
        if not e.obsolete and e.msgid
    }


def test_there_is_a_chinese_catalogue_for_the_core_and_the_apps():
    names = {p.relative_to(ROOT).parts[0] for p in PO_FILES}
    assert {"locale", "portal", "accounts", "people", "orgs"} <= names


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated_and_the_compiled_catalogue_matches(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == [], f"{po_path}: translate these"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run `make compile-messages` for {po_path}"
    assert _catalog(polib.mofile(str(mo_path))) == _catalog(po), (
        f"{mo_path} is stale: run `make compile-messages`"
    )


def test_an_english_text_reads_the_same_in_every_catalogue():
    """Django merges the apps' catalogues and the app listed first wins: one English text with
    two translations shows only one of them everywhere. A word with two senses (a person's
    name, an enterprise's name) takes a context: pgettext("person", "Name")."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in PO_FILES:
        for key, text in _catalog(polib.pofile(str(po_path))).items():
            seen.setdefault(key, {})[str(po_path.relative_to(ROOT).parts[0])] = text
    differing = {key: by_app for key, by_app in seen.items() if len(set(by_app.values())) > 1}
    assert differing == {}


def test_a_persons_name_reads_姓名_and_an_enterprises_name_名称(
    enterprise_admin, command_centre, login
):
    import io

    from python_calamine import CalamineWorkbook

    client = login(enterprise_admin)
    for page in ("/health/board/", "/people/roster/", "/health/travel/"):
        html = client.get(page).content.decode()
        assert "<th>姓名</th>" in html and "<th>名称</th>" not in html, page
    export = client.get("/health/board/", {"format": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
    assert book.get_sheet_by_index(0).to_python()[0][0] == "姓名"
    assert "<th>名称</th>" in login(command_centre).get("/enterprises/").content.decode()


def test_an_appeal_about_policy_reads_政策_and_a_count_of_enterprises_企业数(
    enterprise_admin, command_centre, login
):
    form = login(enterprise_admin).get("/appeals/new/").content.decode()
    assert '<option value="policy">政策</option>' in form
    dashboard = login(command_centre).get("/resumption/dashboard/").content.decode()
    assert '<th class="num">企业数</th>' in dashboard


def _app_dirs(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/apps.py"))


@pytest.mark.skipif(
    shutil.which("xgettext") is None and os.environ.get("CI") != "true",
    reason="gettext (xgettext) is not installed: extraction check skipped",
)
def test_no_translatable_string_is_missing_from_the_catalogues(tmp_path):
    """Extract strings from a copy of the code and compare with the committed catalogues."""
    copy = tmp_path / "fugong"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "var", "*.mo", "static")
    )
    env = dict(
        os.environ, PYTHONPATH=str(tmp_path), FUGONG_DEBUG="1", FUGONG_HOME=str(tmp_path / "home")
    )
    env.pop("FUGONG_TEST_DATABASE_URL", None)
    # -P: do not put the working directory (an app folder with its own selectors.py…) on sys.path
    command = [
        sys.executable,
        "-P",
        "-m",
        "fugong.cli",
        "makemessages",
        "-l",
        "zh_Hans",
        "--no-obsolete",
        "--no-location",
        "-v0",
        "-i",
        "tests/*",
    ]

    def extract(args: list[str], cwd: Path) -> None:
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr

    for app in _app_dirs(copy):
        (app / "locale").mkdir(exist_ok=True)
        extract(command, app)
    ignores = [arg for app in _app_dirs(copy) for arg in ("-i", f"{app.name}/*")]
    extract([*command, *ignores, "-i", "locale/*"], copy)
    missing = {}
    for fresh in sorted(copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        committed = ROOT / fresh.relative_to(copy)
        known = set(_catalog(polib.pofile(str(committed)))) if committed.exists() else set()
        new = set(_catalog(polib.pofile(str(fresh)))) - known
        if new:
            missing[str(fresh.relative_to(copy))] = sorted(new)
    assert missing == {}, "run `make messages` and translate"
