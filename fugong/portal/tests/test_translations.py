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


def _catalog(entries) -> dict[str, str]:
    return {
        e.msgid: e.msgstr or "|".join(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
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
