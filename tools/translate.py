"""Fill empty msgstr entries of .po files from a JSON glossary, then report what is left.

.venv/bin/python tools/translate.py tools/zh_core.json fugong/portal fugong/orgs …
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def main(glossary_path: str, *app_dirs: str) -> int:
    glossary = json.loads(Path(glossary_path).read_text(encoding="utf-8"))
    missing = 0
    for app in app_dirs:
        path = Path(app) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
            if entry.msgid_plural:
                if not all(entry.msgstr_plural.values()) and entry.msgid in glossary:
                    entry.msgstr_plural = {0: glossary[entry.msgid]}
            elif not entry.msgstr and entry.msgid in glossary:
                entry.msgstr = glossary[entry.msgid]
            if not (entry.msgstr or any(entry.msgstr_plural.values())):
                print(f"{path}: untranslated: {entry.msgid!r}")
                missing += 1
        po.save()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
