"""An import's report is read in the language of its page, whoever ran the import and in
whichever language: a reader who switches to English reads the reasons in English."""

from __future__ import annotations

import io

import openpyxl

from fugong.health.models import RosterImport
from fugong.lib.testing import hire, valid_id_number

from .test_roster import good_rows, upload, xlsx


def bad_file(world) -> bytes:
    """Two good rows, then one bad row of each kind the check words (row numbers 4 to 8; the
    reasons found once the rows are checked, rows 4 and 8, sort among the others)."""
    mine, elsewhere = valid_id_number(seq=700), valid_id_number(seq=701)
    hire(world.enterprise, id_number=mine, name="在册")
    hire(world.other_enterprise, id_number=elsewhere, name="董磊")
    rows = good_rows(2)
    rows += [
        ["在册", mine, "13912340002", "440604001001", "", ""],
        ["坏行", "440604199003071230", "13912340000", "440604001001", "", ""],
        ["重复", rows[0][1], "13912340001", "440604001001", "", ""],
        ["", valid_id_number(seq=900), "2345", "440604001001", "", ""],  # two bad cells
        ["假名", elsewhere, "13912340003", "440604001001", "", ""],
    ]
    return xlsx(rows)


ENGLISH = [
    [4, "身份证号", "This person is already on the roster."],
    [5, "身份证号", "The check character of this ID number is wrong."],
    [6, "身份证号", "The same ID number is already on row 2."],
    [7, "姓名", "The name is required."],
    [7, "手机号", "Give a mobile number of 11 digits or a landline number."],
    [8, "姓名", "The name does not match the one registered for this ID number."],
]
CHINESE = [
    [4, "身份证号", "此人已在花名册中。"],
    [5, "身份证号", "该身份证号码的校验码错误。"],
    [6, "身份证号", "相同的身份证号已出现在第 2 行。"],
    [7, "姓名", "姓名为必填项。"],
    [7, "手机号", "请填写 11 位手机号码或固定电话号码。"],
    [8, "姓名", "姓名与该身份证号码登记的姓名不一致。"],
]


def report_rows(client, pk: int) -> list[list]:
    response = client.get(f"/people/roster/import/{pk}/")
    assert response.status_code == 200
    return [list(e) for e in response.context["errors"]]


def xlsx_rows(client, pk: int) -> list[list]:
    response = client.get(f"/people/roster/import/{pk}/?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_an_import_checked_in_chinese_shows_its_reasons_in_english_once_the_admin_switches(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    client = login(enterprise_admin)
    upload(client, bad_file(world), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert (imported.status, imported.rejected) == ("rejected", 5)
    assert imported.errors == CHINESE  # as checked, in the admin's language
    assert imported.texts["en"]["errors"] == [reason for _row, _column, reason in ENGLISH]
    assert report_rows(client, imported.pk) == CHINESE

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert "The check character of this ID number is wrong." in page
    assert "The same ID number is already on row 2." in page
    assert "校验码" not in page and "此人已在花名册中" not in page
    assert report_rows(client, imported.pk) == ENGLISH
    assert xlsx_rows(client, imported.pk) == [["Row", "Column", "Reason"], *ENGLISH]

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get(f"/people/roster/import/{imported.pk}/").content.decode()
    assert "该身份证号码的校验码错误。" in page and "check character" not in page
    assert xlsx_rows(client, imported.pk) == [["行号", "列", "原因"], *CHINESE]


def test_an_import_checked_in_english_shows_its_reasons_in_chinese_to_a_chinese_page(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    client = login(enterprise_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    upload(client, bad_file(world), capture=django_capture_on_commit_callbacks)
    imported = RosterImport.objects.get()
    assert imported.errors == ENGLISH
    assert report_rows(client, imported.pk) == ENGLISH
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert report_rows(client, imported.pk) == CHINESE


def test_a_file_refused_as_a_whole_says_why_in_the_language_the_admin_switches_to(
    world, enterprise_admin, login, django_capture_on_commit_callbacks
):
    client = login(enterprise_admin)
    missing = xlsx(good_rows(1), header=["名字", "号码", "电话", "地址"])
    upload(client, missing, capture=django_capture_on_commit_callbacks)
    upload(client, b"not a spreadsheet", capture=django_capture_on_commit_callbacks)
    lacking, unreadable = RosterImport.objects.order_by("pk")
    assert (lacking.status, unreadable.status) == ("failed", "failed")
    assert "缺少列" in lacking.message and "无法读取" in unreadable.message
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/people/roster/import/{lacking.pk}/").content.decode()
    assert "Row 1 lacks the column(s) 身份证号、居住地代码. Expected headers:" in page
    assert "缺少列" not in page
    page = client.get(f"/people/roster/import/{unreadable.pk}/").content.decode()
    assert "This is not a readable spreadsheet" in page and "无法读取" not in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get(f"/people/roster/import/{unreadable.pk}/").content.decode()
    assert "无法读取" in page and "readable" not in page


def test_a_report_stored_before_reasons_were_kept_in_every_language_shows_its_stored_reasons(
    world, enterprise_admin, login
):
    rows = RosterImport.objects.create(
        enterprise=world.enterprise,
        owner=enterprise_admin,
        filename="old.xlsx",
        status=RosterImport.Status.REJECTED,
        rows=3,
        rejected=1,
        errors=[[2, "身份证号", "该身份证号码的校验码错误。"]],
    )
    file = RosterImport.objects.create(
        enterprise=world.enterprise,
        owner=enterprise_admin,
        filename="old.xls",
        status=RosterImport.Status.FAILED,
        message="这不是可读取的表格。",
    )
    assert rows.texts == {} and file.texts == {}
    client = login(enterprise_admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/people/roster/import/{rows.pk}/").content.decode()
    assert "该身份证号码的校验码错误。" in page and "1 rejected" in page
    assert xlsx_rows(client, rows.pk)[1] == [2, "身份证号", "该身份证号码的校验码错误。"]
    page = client.get(f"/people/roster/import/{file.pk}/").content.decode()
    assert "这不是可读取的表格。" in page
