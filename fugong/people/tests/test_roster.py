from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from fugong.audit.models import AuditEvent
from fugong.health.models import RosterImport
from fugong.jobs.models import Job
from fugong.lib import crypto
from fugong.lib.dates import business_today
from fugong.lib.testing import hire, valid_id_number
from fugong.people.models import Employment, Person
from fugong.people.roster import encrypt_many, fast_id_number

DATA = Path(__file__).parent / "data"
HEADER = ["姓名", "身份证号", "手机号", "居住地代码", "岗位", "入职日期"]


def xlsx(rows, header=HEADER) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def good_rows(n: int, start: int = 100):
    return [
        [
            f"员工{i}",
            valid_id_number(seq=start + i),
            f"1391234{i:04d}",
            "440604001001",
            "操作工",
            "2019-03-01",
        ]
        for i in range(n)
    ]


def upload(
    client, data: bytes, name: str = "roster.xlsx", valid_rows_only: bool = False, capture=None
):
    payload = {"file": SimpleUploadedFile(name, data)}
    if valid_rows_only:
        payload["valid_rows_only"] = "on"
    with capture(execute=True):
        response = client.post("/people/roster/import/", payload)
    return response


def test_a_clean_xlsx_is_imported_with_a_progress_job(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    client = login(enterprise_admin)
    response = upload(client, xlsx(good_rows(5)), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/?follow=1"
    assert job.status == "done" and job.percent == 100
    # Done already: following the job leads straight to the import report.
    assert client.get(response["Location"])["Location"] == job.result["next"]
    assert job.message == "正在保存 5 条有效记录"  # the last stage announced (not "checking")
    assert Employment.objects.filter(enterprise=world.enterprise, active=True).count() == 5
    imported = RosterImport.objects.get()
    assert (imported.status, imported.accepted, imported.rejected) == ("done", 5, 0)
    person = Person.objects.get(name="员工0")
    assert person.id_number == valid_id_number(seq=100)
    assert person.id_masked.startswith("4406") and person.home_division == world.community
    assert AuditEvent.objects.filter(action="roster.imported").exists()
    report = client.get(job.result["next"])
    assert "导入 5 行" in report.content.decode()


def test_a_row_typed_in_full_width_digits_is_imported_as_digits(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    rows = good_rows(2)
    rows[0][1:4] = [cell.translate(full_width) for cell in rows[0][1:4]]  # ID, phone, division
    client = login(enterprise_admin)
    upload(client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    assert RosterImport.objects.get().accepted == 2
    person = Person.objects.get(name="员工0")
    assert person.id_number == valid_id_number(seq=100) and person.phone == "13912340000"
    assert person.home_code == "440604001001" and person.home_division == world.community


def test_a_file_with_bad_rows_imports_nothing_and_reports_each_row(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    rows = good_rows(3)
    rows.append(["坏行", "440604199003071230", "13912340000", "440604001001", "", ""])
    rows.append(["重复", rows[0][1], "13912340001", "440604001001", "", ""])
    rows.append(["", valid_id_number(seq=900), "13912340002", "440604001001", "", ""])
    rows.append(["电话错", valid_id_number(seq=901), "2345", "440604001001", "", ""])
    rows.append(["地址错", valid_id_number(seq=902), "13912340003", "999999", "", ""])
    client = login(enterprise_admin)
    upload(client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.status == "rejected" and imported.accepted == 0 and imported.rejected == 5
    assert [(e[0], e[1]) for e in imported.errors] == [
        (5, "身份证号"),
        (6, "身份证号"),
        (7, "姓名"),
        (8, "手机号"),
        (9, "居住地代码"),
    ]
    assert "第 2 行" in imported.errors[1][2]
    assert Employment.objects.count() == 0 and Person.objects.count() == 0
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert "导入正确的行" in page and "校验码" in page
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/people/roster/import/{imported.pk}/valid-rows/")
    assert again.status_code == 302
    assert Employment.objects.filter(enterprise=world.enterprise).count() == 3
    assert RosterImport.objects.latest("pk").accepted == 3


def test_a_row_with_several_bad_cells_reports_each_of_them(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    # Before, only the first bad cell of a row was reported: the admin corrected the ID number,
    # uploaded again, and only then learnt that the phone and the division were wrong too.
    rows = good_rows(1)
    rows.append(["", "123", "2345", "999999", "", "2020-13-01"])
    upload(login(enterprise_admin), xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.rejected == 1 and imported.accepted == 0
    assert [(e[0], e[1]) for e in imported.errors] == [
        (3, "身份证号"),
        (3, "姓名"),
        (3, "手机号"),
        (3, "居住地代码"),
        (3, "入职日期"),
    ]


def test_a_row_whose_start_date_is_before_the_persons_birth_is_rejected(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    rows = good_rows(1)
    born_1985 = valid_id_number(birth=dt.date(1985, 6, 12))
    rows.append(["早到", born_1985, "13912340000", "440604001001", "", "1900-01-01"])
    upload(login(enterprise_admin), xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert (imported.status, imported.accepted, imported.rejected) == ("rejected", 0, 1)
    assert imported.errors == [[3, "入职日期", "入职日期不能早于本人的出生日期(见身份证号码)。"]]
    assert not Person.objects.exists()


def test_a_row_whose_name_holds_an_invisible_text_direction_character_is_rejected(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    rows = good_rows(1)
    rows.append(["王\u202e五六", valid_id_number(), "13912340000", "440604001001", "", ""])
    upload(login(enterprise_admin), xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert (imported.status, imported.accepted, imported.rejected) == ("rejected", 0, 1)
    assert [e[:2] for e in imported.errors] == [[3, "姓名"]]
    assert "U+202E" in imported.errors[0][2]
    assert not Person.objects.exists()


def test_choosing_import_the_valid_rows_up_front_stores_them(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    rows = good_rows(2) + [["坏行", "123", "13912340000", "440604001001", "", ""]]
    upload(
        login(enterprise_admin),
        xlsx(rows),
        valid_rows_only=True,
        capture=django_capture_on_commit_callbacks,
    )
    imported = RosterImport.objects.get()
    assert (imported.status, imported.accepted, imported.rejected) == ("done", 2, 1)


def test_someone_already_on_the_roster_is_rejected_and_someone_known_elsewhere_is_hired(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    mine = valid_id_number()
    elsewhere = valid_id_number()
    hire(world.enterprise, id_number=mine)
    hire(world.other_enterprise, id_number=elsewhere, name="乙")
    rows = [
        ["甲", mine, "13912340000", "440604001001", "", ""],
        ["乙", elsewhere, "13912340001", "440604001001", "", ""],
    ]
    upload(
        login(enterprise_admin),
        xlsx(rows),
        valid_rows_only=True,
        capture=django_capture_on_commit_callbacks,
    )
    imported = RosterImport.objects.get()
    assert imported.accepted == 1 and "已在花名册" in imported.errors[0][2]
    assert Person.objects.count() == 2
    assert Employment.objects.filter(enterprise=world.enterprise, active=True).count() == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"this is not a spreadsheet at all", "roster.xlsx", "无法读取"),
        (xlsx([], header=HEADER), "roster.xlsx", "没有可导入"),
        (xlsx(good_rows(1), header=["名字", "号码", "电话", "地址"]), "roster.xlsx", "缺少列"),
        (xlsx([])[:0] + b"\x00\x01\x02", "roster.xls", "无法读取"),
        # Encrypted by Excel's "Encrypt with Password" (password: secret): calamine only
        # said it could not tell the format.
        ((DATA / "password-secret.xlsx").read_bytes(), "roster.xlsx", "此文件设有打开密码"),
    ],
)
def test_broken_files_are_refused_with_a_clear_reason(
    world, enterprise_admin, login, django_capture_on_commit_callbacks, data, name, message
):
    client = login(enterprise_admin)
    upload(client, data, name=name, capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.status == "failed"
    assert message in imported.message and imported.errors == []
    assert Employment.objects.count() == 0
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert message in page and 'data-testid="import-errors"' not in page  # no row to blame


def far_cell_xlsx(row: int, column: int) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, good_rows(1)[0])
    sheet.write(row, column, "x")  # a stray value far from the table
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (far_cell_xlsx(99_999, 99), "第一个工作表的范围为 100000 行 × 100 列"),
        (far_cell_xlsx(1_048_575, 16_383), "文件过大,无法读取"),
    ],
)
def test_a_stray_value_far_from_the_table_is_refused_naming_the_sheets_size(
    world, enterprise_admin, login, django_capture_on_commit_callbacks, data, message
):
    # Read as it was, the last one asked the reader for 550 GB and ended the server's process.
    client = login(enterprise_admin)
    upload(client, data, capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.status == "failed"
    assert message in imported.message and imported.errors == []
    assert Employment.objects.count() == 0
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert message in page and 'data-testid="import-errors"' not in page  # no row to blame


def test_a_0_byte_file_is_refused_by_the_form(world, enterprise_admin, login):
    response = login(enterprise_admin).post(
        "/people/roster/import/", {"file": SimpleUploadedFile("roster.xlsx", b"")}
    )
    assert response.status_code == 400
    assert "空" in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_reading_a_0_byte_file_says_it_is_empty():
    from fugong.people.roster import UnreadableFile, read_table

    with pytest.raises(UnreadableFile, match="0"):
        read_table(b"", "roster.xlsx")


def test_a_gbk_csv_saved_by_excel_is_read(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    lines = [",".join(HEADER)] + [",".join(r) for r in good_rows(3)]
    data = "\r\n".join(lines).encode("gbk")
    upload(
        login(enterprise_admin), data, name="名单.csv", capture=django_capture_on_commit_callbacks
    )
    assert RosterImport.objects.get().accepted == 3
    assert Person.objects.filter(name="员工1").exists()


def test_a_utf8_csv_with_bom_and_english_headers_is_read(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    header = "name,id_number,phone,home_division"
    lines = [header] + [",".join(r[:4]) for r in good_rows(2)]
    data = b"\xef\xbb\xbf" + "\n".join(lines).encode()
    upload(
        login(enterprise_admin), data, name="roster.csv", capture=django_capture_on_commit_callbacks
    )
    assert RosterImport.objects.get().accepted == 2


def test_a_csv_with_carriage_returns_only_is_read(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    # Excel for the old Mac ("CSV (Macintosh)") ends lines with a lone \r.
    lines = [",".join(HEADER)] + [",".join(r) for r in good_rows(2)]
    data = "\r".join(lines).encode()
    upload(
        login(enterprise_admin), data, name="roster.csv", capture=django_capture_on_commit_callbacks
    )
    assert RosterImport.objects.get().accepted == 2


def test_a_csv_the_csv_module_cannot_read_is_reported_as_unreadable():
    from fugong.people.roster import UnreadableFile, read_table

    with pytest.raises(UnreadableFile, match=r"\.xlsx"):
        read_table(b'name,id\n"' + b"x" * 200_000 + b'",1\n', "roster.csv")


def test_an_id_number_stored_as_a_number_is_rejected_with_advice(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    rows = [["甲", 440604199003071234, "13912340000", "440604001001", "", ""]]
    upload(login(enterprise_admin), xlsx(rows), capture=django_capture_on_commit_callbacks)
    assert "文本格式" in RosterImport.objects.get().errors[0][2]


def test_a_wrong_extension_is_refused_by_the_form(world, enterprise_admin, login):
    response = login(enterprise_admin).post(
        "/people/roster/import/", {"file": SimpleUploadedFile("roster.pdf", b"%PDF")}
    )
    assert response.status_code == 400 and RosterImport.objects.count() == 0


def test_only_an_enterprise_admin_can_import(township_officer, login):
    response = login(township_officer).post(
        "/people/roster/import/", {"file": SimpleUploadedFile("r.xlsx", xlsx(good_rows(1)))}
    )
    assert response.status_code == 404 and RosterImport.objects.count() == 0


def test_the_import_address_opened_directly_shows_the_upload_form(world, enterprise_admin, login):
    response = login(enterprise_admin).get("/people/roster/import/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入花名册" in html and 'enctype="multipart/form-data"' in html
    assert RosterImport.objects.count() == 0


def test_the_import_form_page_is_404_for_anyone_but_an_enterprise_admin(township_officer, login):
    assert login(township_officer).get("/people/roster/import/").status_code == 404


def test_another_enterprises_import_report_is_404(
    world, enterprise_admin, other_enterprise_admin, login, django_capture_on_commit_callbacks
):
    upload(login(enterprise_admin), xlsx(good_rows(1)), capture=django_capture_on_commit_callbacks)
    pk = RosterImport.objects.get().pk
    assert login(other_enterprise_admin).get(f"/people/roster/import/{pk}/").status_code == 404


def test_the_roster_page_adds_edits_ends_and_exports(world, enterprise_admin, login):
    client = login(enterprise_admin)
    number = valid_id_number()
    response = client.post(
        "/people/roster/add/",
        {
            "id_number": number,
            "name": "孙八",
            "phone": "13900001111",
            "home_division": "440604001001",
            "post": "司机",
            "start_date": "2020-02-01",
        },
    )
    assert response.status_code == 302
    employment = Employment.objects.get(person__name="孙八")
    html = client.get("/people/roster/").content.decode()
    assert "孙八" in html and number not in html
    assert (
        client.post(
            f"/people/roster/{employment.pk}/edit/", {"post": "主管", "start_date": ""}
        ).status_code
        == 302
    )
    employment.refresh_from_db()
    assert employment.post == "主管"
    export = client.get("/people/roster/", {"format": "xlsx"})
    assert export.status_code == 200 and number.encode() not in export.content
    assert client.post(f"/people/roster/{employment.pk}/end/").status_code == 302
    employment.refresh_from_db()
    assert employment.active is False and employment.end_date is not None
    again = client.post(
        "/people/roster/add/",
        {"id_number": "123", "name": "x", "phone": "13900001111", "home_division": "440604"},
    )
    assert again.status_code == 400


def test_ending_an_employment_asks_first_and_records_the_chosen_last_day(
    world, enterprise_admin, login
):
    # The roster ended an employment at one tap of a button beside "Edit", with today as its
    # last day; it now asks on a page of its own, where the last day can be an earlier one.
    person = hire(world.enterprise, name="周九")
    employment = person.employments.get()
    client = login(enterprise_admin)
    roster = client.get("/people/roster/").content.decode()
    assert f'href="/people/roster/{employment.pk}/end/"' in roster
    page = client.get(f"/people/roster/{employment.pk}/end/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "周九" in html and person.id_masked in html
    assert f'name="end_date" value="{business_today().isoformat()}"' in html
    assert person.id_number not in html
    employment.refresh_from_db()
    assert employment.active  # asking changed nothing
    yesterday = business_today() - dt.timedelta(days=1)
    response = client.post(
        f"/people/roster/{employment.pk}/end/", {"end_date": yesterday.isoformat()}, follow=True
    )
    assert response.status_code == 200
    assert "已终止雇佣关系,历史记录保留。" in response.content.decode()
    employment.refresh_from_db()
    assert (employment.active, employment.end_date) == (False, yesterday)
    event = AuditEvent.objects.get(action="employment.ended", object_id=str(employment.pk))
    assert event.details["end_date"] == yesterday.isoformat()
    assert "周九" not in client.get("/people/roster/").content.decode()


@pytest.mark.parametrize(
    ("days_from_today", "message"),
    [(1, "最后工作日不能晚于今天。"), (-30, "最后工作日不能早于入职日期")],
)
def test_a_last_day_in_the_future_or_before_the_start_date_is_refused(
    world, enterprise_admin, login, days_from_today, message
):
    person = hire(world.enterprise)
    employment = person.employments.get()
    Employment.objects.filter(pk=employment.pk).update(
        start_date=business_today() - dt.timedelta(days=10)
    )
    client = login(enterprise_admin)
    day = business_today() + dt.timedelta(days=days_from_today)
    response = client.post(f"/people/roster/{employment.pk}/end/", {"end_date": day.isoformat()})
    assert response.status_code == 400
    assert message in response.content.decode()
    employment.refresh_from_db()
    assert employment.active and employment.end_date is None
    assert not AuditEvent.objects.filter(action="employment.ended").exists()


def test_ending_an_employment_sent_twice_ends_it_once(world, enterprise_admin, login):
    person = hire(world.enterprise)
    employment = person.employments.get()
    client = login(enterprise_admin)
    assert client.post(f"/people/roster/{employment.pk}/end/").status_code == 302
    again = client.post(f"/people/roster/{employment.pk}/end/", follow=True)
    assert again.status_code == 200
    assert "该任职已经结束。" in again.content.decode()
    employment.refresh_from_db()
    assert employment.end_date == business_today()  # no last day given: today
    assert AuditEvent.objects.filter(action="employment.ended").count() == 1


def test_the_roster_of_another_enterprise_cannot_be_edited(
    world, enterprise_admin, other_enterprise_admin, employee, login
):
    person = hire(world.enterprise)
    employment = person.employments.get()
    client = login(other_enterprise_admin)
    assert client.get(f"/people/roster/{employment.pk}/end/").status_code == 404
    assert client.post(f"/people/roster/{employment.pk}/end/").status_code == 404
    assert login(employee).get(f"/people/roster/{employment.pk}/end/").status_code == 404
    assert login(employee).post(f"/people/roster/{employment.pk}/end/").status_code == 404
    assert client.get(f"/people/roster/{employment.pk}/edit/").status_code == 404
    employment.refresh_from_db()
    assert employment.active


def test_batch_encryption_is_readable_by_the_platforms_decrypt(db):
    values = [valid_id_number(seq=i) for i in range(50)] + ["x", "a" * 40]
    tokens = encrypt_many(values)
    assert [crypto.decrypt(t) for t in tokens] == values
    assert len(set(tokens)) == len(tokens)


def test_the_fast_id_check_agrees_with_the_platforms_validator(db):
    import datetime as dt

    from fugong.lib.identifiers import InvalidIdentifier, validate_id_number

    today = dt.date(2026, 1, 1)
    samples = [valid_id_number(seq=i) for i in range(20)]
    samples += [s[:17] + ("0" if s[17] != "0" else "1") for s in samples[:5]]
    samples += ["999999199003071234", "440604209903071234", "44060419900230123X", "12"]
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    samples += [s.translate(full_width) for s in samples[:3]] + ["٤٤٠٦٠٤١٩٩٠٠٣٠٧١٢٣٤"]
    for s in samples:
        try:
            expected = validate_id_number(s, today=today)
        except InvalidIdentifier:
            expected = None
        try:
            got = fast_id_number(s, today)
        except InvalidIdentifier:
            got = None
        assert got == expected, s


def test_the_fast_row_check_never_disagrees_with_the_reference_check(db, world):
    import datetime as dt

    from fugong.people.roster import _check_row, _city_codes, _fast_checker, _RejectedRow

    today = dt.date(2026, 1, 1)
    cols = {"name": 0, "id_number": 1, "phone": 2, "home_division": 3, "post": 4, "start_date": 5}
    number = valid_id_number(seq=5)
    good = ["甲", number, "13912345678", "440604001001", "操作工", "2019-03-01"]
    variants = [
        good,
        good[:4],  # a short row (a CSV without the optional columns)
        [" 甲 ", f" {number} ", " 13912345678 ", " 440604 ", " 司机 ", " 2019/3/1 "],
        ["甲", number[:17] + "x" if number[17] == "X" else number, *good[2:]],
        ["甲", number.replace("4", "４", 1), *good[2:]],  # a full-width digit
        ["甲", float(number[:17]), *good[2:]],
        ["甲", int(number[:17]), *good[2:]],
        ["甲", number[:17] + ("0" if number[17] != "0" else "1"), *good[2:]],
        ["甲", valid_id_number(birth=dt.date(2027, 1, 1)), *good[2:]],
        ["甲", valid_id_number(county="999999"), *good[2:]],
        ["甲", "44060419900230123X", *good[2:]],
        [None, number, *good[2:]],
        ["", number, *good[2:]],
        ["名" * 51, number, *good[2:]],
        ["甲", number, "+86 139-1234-5678", *good[3:]],
        ["甲", number, "0750-3221234", *good[3:]],
        ["甲", number, "23912345678", *good[3:]],
        ["甲", number, 13912345678.0, *good[3:]],
        ["甲", number, "13912345678", "420106", *good[4:]],  # a county elsewhere in China
        ["甲", number, "13912345678", "999999", *good[4:]],
        ["甲", number, "１３９１２３４５６７８", "４４０６０４", *good[4:]],  # full-width digits
        ["甲", number, "13912345678", 440604.0, *good[4:]],
        ["甲", number, "13912345678", "440604001001", "岗" * 101, "2019-03-01"],
        ["甲", number, "13912345678", "440604001001", "", ""],
        ["甲", number, "13912345678", "440604001001", "", None],
        ["甲", number, "13912345678", "440604001001", "", dt.date(2019, 3, 1)],
        ["甲", number, "13912345678", "440604001001", "", dt.datetime(2019, 3, 1, 8)],
        ["甲", number, "13912345678", "440604001001", "", "2028-01-01"],
        ["甲", number, "13912345678", "440604001001", "", "2019-02-30"],
        ["甲", number, "13912345678", "440604001001", "", "2019年3月1日"],
        ["王\u202e五六", number, *good[2:]],  # a text-direction override
        ["阿依古丽·买买提", number, *good[2:]],
        ["甲", number, "13912345678", "440604001001", "", "1990-03-06"],  # before the birth
        ["甲", number, "13912345678", "440604001001", "", "1990-03-07"],  # the day of birth
        ["甲", number, "13912345678", "440604001001", "", dt.date(1900, 1, 1)],
    ]
    city = _city_codes()
    fast = _fast_checker(cols, city, today)
    accepted = 0
    for cells in variants * 2:  # twice: the second pass reads the remembered look-ups
        try:
            expected = _check_row(cells, cols, city, today)
        except _RejectedRow:
            expected = None
        got = fast(cells)
        assert got is None or got == expected, cells
        accepted += got is not None
    assert accepted >= 2 * 8  # the usual rows do take the fast path


def test_new_and_known_people_in_one_file_each_get_their_own_row(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    known = [valid_id_number(seq=700 + i) for i in range(3)]
    for i, number in enumerate(known):
        hire(world.other_enterprise, id_number=number, name=f"熟人{i}")
    rows = good_rows(6, start=300)
    rows[1][5] = ""  # no start date
    rows[2][4] = "叉车司机"
    rows += [
        [f"熟人{i}", n, f"1380000000{i}", "440604001001", "老员工", ""] for i, n in enumerate(known)
    ]
    upload(login(enterprise_admin), xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert (imported.status, imported.accepted, imported.rejected) == ("done", 9, 0)
    mine = Employment.objects.filter(enterprise=world.enterprise, active=True).select_related(
        "person"
    )
    by_number = {e.person.id_number: e for e in mine}
    assert set(by_number) == {r[1] for r in rows}
    for name, number, phone, _home, post, start in rows:
        employment = by_number[number]
        assert employment.post == post
        assert (employment.start_date.isoformat() if employment.start_date else "") == start
        if number not in known:
            assert (employment.person.name, employment.person.phone) == (name, phone)
    assert Person.objects.count() == 9  # the known people were not created again
    assert by_number[rows[0][1]].person.birth_date.isoformat() == "1990-03-07"
    assert by_number[rows[0][1]].person.id_masked == rows[0][1][:4] + "*" * 10 + rows[0][1][-4:]


def test_the_ids_of_people_just_stored_are_found_by_their_hashes_when_the_run_is_not_theirs(
    world,
):
    from django.db import connection

    from fugong.people.roster import _inserted_ids

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL takes the ids from the sequence first")
    people = [hire(world.enterprise) for _ in range(3)]
    hashes = [p.id_hash for p in reversed(people)]  # not the order they were stored in
    assert _inserted_ids(hashes) == [p.pk for p in reversed(people)]


def test_the_cycle_collector_is_paused_during_an_import_and_resumed_after(world, monkeypatch):
    import datetime as dt
    import gc

    from fugong.lib.testing import gc_state_during
    from fugong.people import roster

    seen = gc_state_during(monkeypatch, roster, "check_rows")
    assert gc.isenabled()
    checked, stored = roster.import_roster(
        xlsx(good_rows(2)),
        "r.xlsx",
        world.enterprise,
        actor=None,
        valid_rows_only=False,
        today=dt.date(2026, 1, 1),
    )
    assert stored == 2 and seen == [False] and gc.isenabled()
    with pytest.raises(roster.UnreadableFile):
        roster.import_roster(
            b"not a spreadsheet",
            "r.xlsx",
            world.enterprise,
            actor=None,
            valid_rows_only=False,
            today=dt.date(2026, 1, 1),
        )
    assert gc.isenabled()


def test_the_blank_template_keeps_id_numbers_as_text_and_imports_once_filled(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    import openpyxl

    client = login(enterprise_admin)
    page = client.get("/people/roster/").content.decode()
    assert 'href="/people/roster/import/template.xlsx"' in page and "下载空白模板" in page
    response = client.get("/people/roster/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    roster, notes = book.worksheets
    assert [c.value for c in roster[1]] == HEADER
    # Typed into this sheet, an 18-digit number stays text (Excel would make it 4.40604E+17).
    assert roster.column_dimensions["B"].number_format == "@"
    assert notes.title == "填写说明" and notes["C3"].value.startswith("18位居民身份证号码")
    for r, row in enumerate(good_rows(3), start=2):
        for c, value in enumerate(row, start=1):
            roster.cell(r, c, value)
    filled = io.BytesIO()
    book.save(filled)
    upload(client, filled.getvalue(), capture=django_capture_on_commit_callbacks)
    assert RosterImport.objects.get().accepted == 3
    assert Employment.objects.filter(enterprise=world.enterprise, active=True).count() == 3


def test_the_template_is_404_for_someone_who_administers_no_enterprise(
    world, township_officer, login
):
    response = login(township_officer).get("/people/roster/import/template.xlsx")
    assert response.status_code == 404


def test_an_import_run_by_the_worker_reports_in_the_language_its_admin_chose(
    world, enterprise_admin, login, settings, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from fugong.accounts.actions import do_set_user_language
    from fugong.jobs import worker

    settings.TASKS_BACKEND = "db"  # the job waits for the worker, which runs in Chinese
    do_set_user_language(enterprise_admin, "en", actor=enterprise_admin)
    rows = [*good_rows(1), ["坏行", "440604199003071230", "13912340000", "440604001001", "", ""]]
    client = login(enterprise_admin)
    client.cookies["django_language"] = "en"
    upload(client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    assert Job.objects.get().status == "queued"
    with translation.override("zh-hans"):
        assert worker.run_queued() == 1
    imported = RosterImport.objects.get()
    assert imported.status == "rejected" and imported.rejected == 1
    assert imported.errors[0][2] == "The check character of this ID number is wrong."
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert "The check character of this ID number is wrong." in page


def test_an_import_of_an_admin_who_chose_no_language_reports_in_chinese(
    world, enterprise_admin, login, settings, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from fugong.jobs import worker

    settings.TASKS_BACKEND = "db"
    rows = [["坏行", "440604199003071230", "13912340000", "440604001001", "", ""]]
    upload(login(enterprise_admin), xlsx(rows), capture=django_capture_on_commit_callbacks)
    with translation.override("en"):  # a worker started in another language
        worker.run_queued()
    assert "校验码" in RosterImport.objects.get().errors[0][2]


def test_the_import_report_counts_one_row_in_the_singular(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    client = login(enterprise_admin)
    rows = [["坏行", "440604199003071230", "13912340000", "440604001001", "", ""]]
    upload(client, xlsx(rows), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert (imported.rows, imported.accepted, imported.rejected) == (1, 0, 1)
    report = f"/people/roster/import/{imported.pk}/"
    assert "共读取 1 行,导入 0 行,拒绝 1 行。" in client.get(report).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(report).content.decode()
    assert "1 row read, 0 imported, 1 rejected." in page and "rows read" not in page


def test_the_import_report_counts_several_rows_in_the_plural(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    client = login(enterprise_admin)
    upload(client, xlsx(good_rows(2)), capture=django_capture_on_commit_callbacks)
    client.cookies["django_language"] = "en"
    page = client.get(f"/people/roster/import/{RosterImport.objects.get().pk}/").content.decode()
    assert "2 rows read, 2 imported, 0 rejected." in page


def test_the_english_import_help_names_english_headers_the_import_accepts(
    world, enterprise_admin, login
):
    import re

    from fugong.people.roster import COLUMNS, _match_columns

    client = login(enterprise_admin)
    client.cookies["django_language"] = "en"
    for url in ("/people/roster/", "/people/roster/import/"):
        page = client.get(url).content.decode()
        help_text = re.search(r"Columns \(first row.*?\.", page)
        assert help_text is not None, url
        for key, names in COLUMNS.items():
            english = [n for n in names if n.isascii() and n in help_text.group()]
            assert english, (url, key)
            assert _match_columns([english[0]]) == {key: 0}
    chinese = login(enterprise_admin).get("/people/roster/").content.decode()
    assert "第一行为表头:姓名、身份证号、手机号、居住地代码,可选岗位、入职日期。" in chinese


def test_the_import_job_announces_saving_one_valid_row_in_the_singular(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    from fugong.accounts.actions import do_set_user_language

    do_set_user_language(enterprise_admin, "en", actor=enterprise_admin)
    client = login(enterprise_admin)
    client.cookies["django_language"] = "en"
    upload(client, xlsx(good_rows(1)), capture=django_capture_on_commit_callbacks)
    assert Job.objects.get().message == "Saving 1 valid row"
    assert Employment.objects.filter(enterprise=world.enterprise).count() == 1
