"""The enterprise admin's roster: list, add, edit, end, import, export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fugong.accounts.access import administered_enterprise_or_404
from fugong.audit.actions import record
from fugong.lib.dates import business_today
from fugong.lib.errors import Conflict, FieldError
from fugong.lib.excel import XLSX, xlsx_response
from fugong.lib.forms import DateInput, add_field_error
from fugong.lib.paging import paginate
from fugong.lib.tasks import enqueue

from .actions import (
    HIRE_FIELDS,
    PHONE_TYPED_LENGTH,
    check_hire,
    clean_phone,
    do_change_employment,
    do_end_employment,
    do_hire_employee,
)
from .forms import search_of
from .models import Employment, Person
from .roster import EXCEL_SUFFIXES, EXPORT_HEADER, roster_export_rows, roster_template_bytes

MAX_UPLOAD = 20 * 1024 * 1024


class HireForm(forms.Form):
    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=PHONE_TYPED_LENGTH)
    home_division = forms.CharField(label=gettext_lazy("Home division code"), max_length=12)
    post = forms.CharField(label=gettext_lazy("Post"), max_length=100, required=False)
    start_date = forms.DateField(
        label=gettext_lazy("Start date"),
        required=False,
        widget=DateInput(),
    )

    def clean(self) -> dict[str, Any]:
        """Every field the form has read is checked by the hiring rules (actions.check_hire), so
        that one submit shows every problem: a wrong ID number beside an empty name, a wrong
        phone number beside a wrong division code."""
        data = super().clean()
        try:
            check_hire({k: v for k, v in data.items() if k in HIRE_FIELDS}, today=business_today())
        except FieldError as exc:
            add_field_error(self, exc)
        return data


class EditForm(forms.Form):
    post = forms.CharField(label=gettext_lazy("Post"), max_length=100, required=False)
    start_date = forms.DateField(
        label=gettext_lazy("Start date"),
        required=False,
        widget=DateInput(),
    )
    phone = forms.CharField(
        label=gettext_lazy("New phone number"), max_length=PHONE_TYPED_LENGTH, required=False
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _(
            "Registered: %(phone)s. Leave empty to keep it. The check-in link identifies the "
            "person by this number, at every employer."
        ) % {"phone": person.phone_masked}


class EndForm(forms.Form):
    """The last day of an employment: today, or an earlier day for a departure recorded late.

    An employment that has not started (its start date is still ahead) ends too: the hire did
    not happen, and its last day is before its start, so it counts on no day."""

    end_date = forms.DateField(
        label=gettext_lazy("Last day of employment"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args: Any, employment: Employment, today: dt.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.employment = employment
        self.today = today
        self.fields["end_date"].initial = today
        self.fields["end_date"].widget.attrs["max"] = today.isoformat()
        start = employment.start_date
        self.not_started = bool(start and start > today)
        if start and not self.not_started:
            self.fields["end_date"].widget.attrs["min"] = start.isoformat()

    def clean_end_date(self) -> dt.date:
        day = self.cleaned_data["end_date"] or self.today
        if day > self.today:
            raise forms.ValidationError(_("The last day cannot be in the future."))
        start = self.employment.start_date
        if start and not self.not_started and day < start:
            raise forms.ValidationError(
                _("The last day cannot be before the start date (%(date)s).")
                % {"date": start.isoformat()}
            )
        return day


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Roster file (.xlsx, .xls, .ods or .csv)"))
    valid_rows_only = forms.BooleanField(
        label=gettext_lazy("If some rows are wrong, import the valid rows anyway"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((*EXCEL_SUFFIXES, ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    enterprise = administered_enterprise_or_404(request.user)
    if request.GET.get("format") == "xlsx":
        record(request.user, "roster.exported", enterprise)
        return xlsx_response("roster.xlsx", EXPORT_HEADER, roster_export_rows(enterprise))
    form, q, status = search_of(request)
    qs = (
        Employment.objects.filter(enterprise=enterprise, active=True)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    if q:
        qs = qs.filter(person__name__startswith=q)
    return render(
        request,
        "people/roster.html",
        {
            "enterprise": enterprise,
            "page": paginate(request, qs),
            "q": q,
            "search": q,
            "search_form": form,
            "hire_form": HireForm(),
            "import_form": ImportForm(),
        },
        status=status,
    )


@login_required
def roster_add(request: HttpRequest) -> HttpResponse:
    enterprise = administered_enterprise_or_404(request.user)
    form = HireForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                employment = do_hire_employee(
                    enterprise,
                    id_number=d["id_number"],
                    name=d["name"],
                    phone=d["phone"],
                    home_code=d["home_division"],
                    post=d["post"],
                    start_date=d["start_date"],
                    actor=request.user,
                )
            except (FieldError, Conflict) as exc:
                add_field_error(form, exc)
            else:
                messages.success(request, _("Added to the roster."))
                _say_what_the_register_kept(request, employment.person, d)
                return redirect("people:roster")
        status = 400
    return render(request, "people/roster_add.html", {"form": form}, status=status)


def _say_what_the_register_kept(request: HttpRequest, person: Any, typed: dict[str, Any]) -> None:
    """Someone already registered keeps their registered phone (the check-in link identifies
    them by it): say so when another one was typed, instead of dropping it without a word."""
    try:
        phone = clean_phone(typed["phone"])
    except FieldError:
        return
    if phone != person.phone:
        messages.info(
            request,
            _(
                "This person was already registered: their registered phone number "
                "%(phone)s was kept (the check-in link identifies them by it), not the one typed. "
                "If it is out of date, correct it with Edit on their roster line."
            )
            % {"phone": person.phone_masked},
        )


def _employment_or_404(request: HttpRequest, pk: int) -> Employment:
    enterprise = administered_enterprise_or_404(request.user)
    return get_object_or_404(
        Employment.objects.select_related("person"), pk=pk, enterprise=enterprise, active=True
    )


@login_required
def roster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employment = _employment_or_404(request, pk)
    form = EditForm(
        request.POST or None,
        initial={"post": employment.post, "start_date": employment.start_date},
        person=employment.person,
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_change_employment(
                employment,
                post=form.cleaned_data["post"],
                start_date=form.cleaned_data["start_date"],
                phone=form.cleaned_data["phone"],
                actor=request.user,
            )
        except FieldError as exc:
            add_field_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:roster")
    return render(
        request,
        "people/roster_edit.html",
        {"form": form, "employment": employment},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_end(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what ending this employment means, with its last day (today by default); POST: end
    it. Sent twice (a double tap, a page sent again), it ends once and says so."""
    enterprise = administered_enterprise_or_404(request.user)
    employment = get_object_or_404(
        Employment.objects.select_related("person"), pk=pk, enterprise=enterprise
    )
    if not employment.active:
        messages.info(request, _("This employment has already ended."))
        return redirect("people:roster")
    form = EndForm(
        request.POST if request.method == "POST" else None,
        employment=employment,
        today=business_today(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_end_employment(
                employment, end_date=form.cleaned_data["end_date"], actor=request.user
            )
        except Conflict as exc:
            messages.info(request, exc.message)
        else:
            messages.success(
                request,
                _("The hire is called off; its record is kept.")
                if form.not_started
                else _("The employment has ended; its history is kept."),
            )
        return redirect("people:roster")
    return render(
        request,
        "people/roster_end.html",
        {"form": form, "employment": employment},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form on a page of its own (its address opened from a bookmark, or from
    the address bar after a refused file); POST: a job checks the file."""
    from fugong.health.models import RosterImport

    enterprise = administered_enterprise_or_404(request.user)
    if request.method == "GET":
        return render(request, "people/roster_import_form.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "people/roster_import_form.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    with transaction.atomic():
        row = RosterImport.objects.create(
            enterprise=enterprise,
            owner=request.user,
            filename=upload.name[:200],
            data=upload.read(),
            valid_rows_only=form.cleaned_data["valid_rows_only"],
        )
        job = enqueue(
            "health.import_roster",
            owner=request.user,
            label=_("Roster import: %(name)s") % {"name": upload.name[:100]},
            import_id=row.pk,
        )
    return redirect(_follow(job))


@login_required
def roster_import_template(request: HttpRequest) -> HttpResponse:
    administered_enterprise_or_404(request.user)
    response = HttpResponse(roster_template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename=roster-template.xlsx"
    return response


def _follow(job: Any) -> str:
    """The job's page, which takes the admin to the import report as soon as the job is done."""
    return reverse("jobs:detail", args=[job.pk]) + "?follow=1"


def _import_or_404(request: HttpRequest, pk: int):
    from fugong.health.models import RosterImport

    enterprise = administered_enterprise_or_404(request.user)
    return get_object_or_404(RosterImport, pk=pk, enterprise=enterprise)


@login_required
def roster_import_report(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's report, its reasons in the language of the page (``?format=xlsx``: every
    rejected cell as a workbook)."""
    upload = _import_or_404(request, pk)
    errors = upload.shown_errors
    if request.GET.get("format") == "xlsx":
        return xlsx_response("roster-errors.xlsx", [_("Row"), _("Column"), _("Reason")], errors)
    return render(
        request,
        "people/roster_import_report.html",
        {
            "upload": upload,
            "errors": errors[:500],
            "offer_valid_rows": _offers_valid_rows(upload),
        },
    )


def _offers_valid_rows(upload: Any) -> bool:
    """Whether an import can still store its valid rows: it was rejected for its bad rows, some
    rows are valid (every row read is either valid or rejected), and they were not stored."""
    from fugong.health.models import RosterImport

    return (
        upload.status == RosterImport.Status.REJECTED
        and not upload.valid_rows_only
        and upload.rows > upload.rejected
    )


@login_required
@require_POST
def roster_import_valid_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a rejected import again, this time storing the valid rows; its report becomes the
    report of that run. Sent again (a double tap, an old report's button), it runs nothing
    and shows the report."""
    from fugong.health.models import RosterImport

    upload = _import_or_404(request, pk)
    with transaction.atomic():
        upload = RosterImport.objects.select_for_update().get(pk=upload.pk)
        if not _offers_valid_rows(upload):
            return redirect("people:roster_import_report", upload.pk)
        upload.valid_rows_only = True
        upload.status = RosterImport.Status.PENDING
        upload.owner = request.user
        upload.save(update_fields=["valid_rows_only", "status", "owner"])
        job = enqueue(
            "health.import_roster",
            owner=request.user,
            label=_("Roster import: %(name)s") % {"name": upload.filename[:100]},
            import_id=upload.pk,
        )
    return redirect(_follow(job))
