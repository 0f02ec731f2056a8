"""Roster import: our path against the raw read (floor) and django-import-export.

    python bench/roster_import.py [--rows 100000] [--import-export-rows 5000]
                                  [--home /tmp/roster-bench-home]

On SQLite by default (``<home>/fugong.sqlite3``); on PostgreSQL with
``FUGONG_DATABASE_URL=postgres://user@host:port/dbname`` (use a --home of its own).

Builds a 100,000-row .xlsx with about 1% invalid rows (bad check characters, bad phone numbers,
unknown division codes, duplicated ID numbers), then times, in one run on the same database:
- the floor: reading the file with python-calamine alone;
- ours: ``fugong.people.roster.import_roster`` (the code path of the web page's job) storing the
  valid rows;
- django-import-export importing the same file into the same models, with the same checks
  (the platform's validators) in a ``Resource``.
Both imports run in a transaction that is rolled back afterwards so each starts from the same
state; each timing ends with the checks the commit would run (PostgreSQL checks Django's deferred
foreign keys at commit: ``SET CONSTRAINTS ALL IMMEDIATE`` runs them inside the timed block).
django-import-export needs several minutes for 100,000 rows on this machine, so by default it
imports the first 5,000 rows (``--import-export-rows``; give the full row count to
compare on the whole file), and ours imports that same smaller file too: the speed-up and the
accepted/rejected comparison are between the two runs on the same file (``import_export_rows``
and ``ours_same_file_s`` in the JSON line). Targets: ours ≤ 4× the floor and ≥ 5× faster than
django-import-export, with the same accepted/rejected counts. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Rollback(Exception):
    pass


def run_commit_checks() -> None:
    """What the commit would check, now (the transaction is rolled back afterwards): PostgreSQL's
    deferred foreign-key checks. SQLite checks each row as it is written."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def build_file(path: Path, rows: int, seed: int = 7) -> None:
    import xlsxwriter

    from fugong.lib.identifiers import id_check_char

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("花名册")
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, ["姓名", "身份证号", "手机号", "居住地代码", "岗位", "入职日期"])
    counties = ["440604", "440605", "440606", "420106", "450102", "510104", "430102"]
    homes = ["440604001001", "440605001001", "440604001", "440604", "440605"]
    issued: list[str] = []
    for r in range(1, rows + 1):
        first17 = (
            f"{rng.choice(counties)}{rng.randint(1960, 2001)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        )
        number = first17 + id_check_char(first17)
        phone = "1" + rng.choice("3456789") + f"{rng.randint(0, 999_999_999):09d}"
        home = rng.choice(homes)
        fault = rng.random()
        if fault < 0.003:
            number = number[:17] + ("0" if number[17] != "0" else "1")  # bad check character
        elif fault < 0.005:
            phone = "23" + phone[2:]  # not a mobile number
        elif fault < 0.007:
            home = "999999"  # unknown division
        elif fault < 0.01 and issued:
            number = rng.choice(issued)  # duplicate of an earlier row
        issued.append(number)
        sheet.write_string(r, 0, f"员工{r}")
        sheet.write_string(r, 1, number, text)
        sheet.write_string(r, 2, phone, text)
        sheet.write_string(r, 3, home, text)
        sheet.write_string(r, 4, rng.choice(["操作工", "技术员", "仓管员", "司机"]))
        sheet.write_string(r, 5, f"20{rng.randint(10, 19)}-{rng.randint(1, 12):02d}-01")
    book.close()


def setup_django(home: Path) -> None:
    os.environ.setdefault("FUGONG_HOME", str(home))
    os.environ.setdefault("FUGONG_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "fugong.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_world():
    from fugong.geo.models import Division
    from fugong.lib.testing import build_world

    if Division.objects.exists():
        from fugong.orgs.models import Enterprise

        return Enterprise.objects.order_by("pk").first()
    return build_world().enterprise


def import_export_resource(enterprise):
    """What a Django team would write: a Resource on Employment using the same validators."""
    import datetime as dt

    from django.core.exceptions import ValidationError
    from import_export import fields, resources

    from fugong.lib.errors import FieldError
    from fugong.lib.identifiers import InvalidIdentifier, validate_id_number
    from fugong.people.actions import _new_person, clean_home_code, clean_name, clean_phone
    from fugong.people.models import Employment, Person

    class EmploymentResource(resources.ModelResource):
        post = fields.Field(attribute="post", column_name="岗位")
        start_date = fields.Field(attribute="start_date", column_name="入职日期")

        class Meta:
            model = Employment
            fields = ("post", "start_date")
            import_id_fields = ()
            skip_diff = True
            use_bulk = False

        def before_import_row(self, row, **kwargs):
            try:
                number = validate_id_number(str(row.get("身份证号") or ""))
                name = clean_name(row.get("姓名"))
                phone = clean_phone(row.get("手机号"))
                home = clean_home_code(row.get("居住地代码"))
            except (InvalidIdentifier, FieldError) as exc:
                raise ValidationError(str(exc)) from None
            person = Person.objects.filter(id_hash=Person.hash_id(number)).first()
            if (
                person is not None
                and Employment.objects.filter(
                    person=person, enterprise=enterprise, active=True
                ).exists()
            ):
                raise ValidationError("already on the roster")
            if person is None:
                person = _new_person(number, name, phone, home)
                person.save()
            row["_person"] = person.pk
            value = row.get("入职日期")
            if isinstance(value, str) and value:
                row["入职日期"] = dt.date.fromisoformat(value)

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            instance.person_id = row["_person"]
            instance.enterprise = enterprise

    return EmploymentResource()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--import-export-rows", type=int, default=5_000)
    parser.add_argument("--home", default="/tmp/roster-bench-home")
    args = parser.parse_args()
    home = Path(args.home)
    home.mkdir(parents=True, exist_ok=True)
    ie_rows = min(args.import_export_rows, args.rows)
    files = {}
    for n in {args.rows, ie_rows}:
        files[n] = home / f"roster-{n}.xlsx"
        if not files[n].exists():
            started = time.monotonic()
            build_file(files[n], n)  # same seed: the smaller file is the bigger one's start
            print(f"built {files[n]} in {time.monotonic() - started:.1f}s")
    path = files[args.rows]
    data = path.read_bytes()
    ie_data = files[ie_rows].read_bytes()
    setup_django(home)
    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from fugong.lib.dates import business_today
    from fugong.people.models import Employment
    from fugong.people.roster import import_roster

    enterprise = make_world()
    print(f"database: {connection.vendor}; file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")

    started = time.perf_counter()
    raw = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    calamine_s = time.perf_counter() - started
    print(f"python-calamine read alone: {calamine_s:.2f}s ({len(raw) - 1:,} rows)")

    def ours_run(content: bytes) -> tuple[float, tuple[int, int]]:
        try:
            with transaction.atomic():
                started = time.perf_counter()
                checked, stored = import_roster(
                    content,
                    path.name,
                    enterprise,
                    actor=None,
                    valid_rows_only=True,
                    today=business_today(),
                )
                run_commit_checks()
                elapsed = time.perf_counter() - started
                assert Employment.objects.filter(enterprise=enterprise).count() == stored
                raise Rollback
        except Rollback:
            pass
        return elapsed, (stored, checked.rejected_rows)

    ours_s, ours = ours_run(data)
    print(
        f"ours (read, check, store) on {args.rows:,} rows: {ours_s:.2f}s — "
        f"accepted {ours[0]:,}, rejected {ours[1]:,}"
    )
    if ie_rows != args.rows:
        print(
            f"NOTE: django-import-export imports the first {ie_rows:,} rows only (it needs "
            "minutes for the whole file); ours is timed on that same file for the comparison."
        )
        ours_small_s, ours_small = ours_run(ie_data)
        print(
            f"ours on {ie_rows:,} rows: {ours_small_s:.2f}s — accepted {ours_small[0]:,}, "
            f"rejected {ours_small[1]:,}"
        )
    else:
        ours_small_s, ours_small = ours_s, ours

    import tablib

    resource = import_export_resource(enterprise)
    try:
        with transaction.atomic():
            started = time.perf_counter()
            dataset = tablib.Dataset().load(io.BytesIO(ie_data), format="xlsx")
            result = resource.import_data(
                dataset, dry_run=False, raise_errors=False, use_transactions=False
            )
            run_commit_checks()
            ie_s = time.perf_counter() - started
            ie_accepted = Employment.objects.filter(enterprise=enterprise).count()
            raise Rollback
    except Rollback:
        pass
    ie_rejected = len(result.invalid_rows) + len(result.row_errors())
    print(
        f"django-import-export on {ie_rows:,} rows: {ie_s:.2f}s — accepted {ie_accepted:,}, "
        f"rejected {ie_rejected:,}"
    )

    vs_floor = ours_s / calamine_s
    vs_ie = ie_s / ours_small_s
    same = ours_small == (ie_accepted, ie_rejected)
    print(
        f"ours ÷ raw read, on {args.rows:,} rows = {vs_floor:.2f} (target ≤ 4): "
        f"{'met' if vs_floor <= 4 else 'MISSED'}"
    )
    print(
        f"import-export ÷ ours, both on the same {ie_rows:,}-row file = {vs_ie:.1f} "
        f"(target ≥ 5): {'met' if vs_ie >= 5 else 'MISSED'}"
    )
    print(f"same accepted/rejected counts on the {ie_rows:,}-row file: {'yes' if same else 'NO'}")
    print(
        json.dumps(
            {
                "rows": args.rows,
                "accepted": ours[0],
                "rejected": ours[1],
                "ours_s": round(ours_s, 3),
                "calamine_s": round(calamine_s, 3),
                "import_export_s": round(ie_s, 3),
                "import_export_rows": ie_rows,
                "ours_same_file_s": round(ours_small_s, 3),
                "vs_floor": round(vs_floor, 2),
                "vs_import_export": round(vs_ie, 2),
                "same_counts": same,
                "import_export_accepted": ie_accepted,
                "import_export_rejected": ie_rejected,
                "database": connection.vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
