from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fugong.audit.actions import record
from fugong.geo.models import Division
from fugong.geo.selectors import is_known_location
from fugong.lib.dates import business_today
from fugong.lib.errors import Conflict, FieldError, FieldErrors
from fugong.lib.identifiers import (
    InvalidIdentifier,
    half_width,
    id_birth_date,
    id_is_male,
    validate_id_number,
)
from fugong.lib.text import has_line_controls, line_controls_message

from .models import Employment, Person


def clean_id_number(value: Any, field: str = "id_number") -> str:
    if not isinstance(value, str) or not value.strip():
        raise FieldError(field, _("The ID number is required."))
    try:
        return validate_id_number(value)
    except InvalidIdentifier as exc:
        raise FieldError(field, str(exc)) from None


def clean_name(value: Any, field: str = "name") -> str:
    name = str(value or "").strip()
    if not name:
        raise FieldError(field, _("The name is required."))
    if len(name) > 50:
        raise FieldError(field, _("The name is longer than 50 characters."))
    clean_line_text(name, field)
    return name


def clean_post(value: Any, field: str = "post") -> str:
    post = str(value or "").strip()
    if len(post) > 100:
        raise FieldError(field, _("The post is longer than 100 characters."))
    clean_line_text(post, field)
    return post


# How far ahead a start date may be (a hire agreed for next month, not a year typed wrong).
START_DATE_AHEAD = dt.timedelta(days=366)


def clean_start_date(
    value: dt.date | None,
    *,
    today: dt.date,
    born: dt.date | None = None,
    field: str = "start_date",
) -> dt.date | None:
    """A start date (optional) is at most a year ahead and, when the person's birth date (in
    their ID number) is known, not before it: the add and edit forms, the API and the import
    all apply this rule."""
    if value is None:
        return value
    if value > today + START_DATE_AHEAD:
        raise FieldError(field, _("The start date cannot be more than a year ahead."))
    if born is not None and value < born:
        raise FieldError(
            field,
            _("The start date cannot be before the person's date of birth (in the ID number)."),
        )
    return value


def clean_line_text(text: str, field: str) -> None:
    """A one-line text (a name, a post) holds no control character and no invisible
    text-direction character."""
    if has_line_controls(text):
        raise FieldError(field, line_controls_message(text))


# The longest phone number a form takes as typed: spaces, dashes and +86 included (the stored
# number, without them, is at most 12 digits).
PHONE_TYPED_LENGTH = 30


def clean_phone(value: Any, field: str = "phone") -> str:
    """A mainland mobile number (11 digits from 1) or a landline: with its area code (0 and
    10 to 12 digits: 020-12345678, 0757-8123456) or without it (7 or 8 digits, not from 0).
    Spaces and dashes go; +86 goes, giving back the 0 a landline's area code drops after it."""
    phone = "".join(half_width(str(value or "")).split()).replace("-", "")
    if phone.startswith("+86"):
        phone = phone[3:]
        if phone[:1] not in ("1", "0"):
            phone = "0" + phone
    if not (phone.isascii() and phone.isdigit()):
        raise FieldError(field, _("Give a mobile number of 11 digits or a landline number."))
    if len(phone) == 11 and phone[0] not in "10":
        raise FieldError(field, _("A mobile number starts with 1."))
    mobile = len(phone) == 11 and phone[0] == "1"
    landline = 10 <= len(phone) <= 12 if phone[0] == "0" else 7 <= len(phone) <= 8
    if not (mobile or landline):
        raise FieldError(field, _("Give a mobile number of 11 digits or a landline number."))
    return phone


def clean_home_code(value: Any, field: str = "home_division") -> str:
    code = half_width(str(value or "")).strip()
    if not (code.isascii() and code.isdigit()) or not is_known_location(code):
        raise FieldError(
            field, _("Give a division code of this city or a county-level code of China.")
        )
    return code


class _Checks:
    """Fields checked one after the other, every bad one remembered: ``check(field, clean)``
    for each (a field not among ``values`` is not checked), then ``check.cleaned()``, the
    cleaned values, or FieldErrors naming every bad field in the order they were checked."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.values_cleaned: dict[str, Any] = {}
        self.errors: list[FieldError] = []

    def __call__(self, field: str, clean: Callable[[Any], Any]) -> None:
        if field not in self.values:
            return
        try:
            self.values_cleaned[field] = clean(self.values[field])
        except FieldError as exc:
            self.errors.append(exc)

    def cleaned(self) -> dict[str, Any]:
        if self.errors:
            raise FieldErrors(self.errors)
        return self.values_cleaned


# The fields of a hire, in the order of the add form (the order its errors are reported in).
HIRE_FIELDS = ("id_number", "name", "phone", "home_division", "post", "start_date")


def check_hire(values: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The fields of a hire among ``values`` (keys of HIRE_FIELDS), each cleaned by its rule.

    The start date is checked against the birth date of a valid ID number among them. Every
    bad field is reported at once (FieldErrors, in HIRE_FIELDS order), not only the first:
    the hiring action checks all six, the add form those its own fields have read, so that
    one submit shows every problem. As a FieldError, the error is the first bad field's."""
    check = _Checks(values)
    check("id_number", clean_id_number)
    check("name", clean_name)
    check("phone", clean_phone)
    check("home_division", clean_home_code)
    check("post", clean_post)
    number = check.values_cleaned.get("id_number")
    born = id_birth_date(number) if number else None
    check("start_date", lambda value: clean_start_date(value, today=today, born=born))
    return check.cleaned()


def name_mismatch_message() -> str:
    """Why a name was refused for a registered ID number (never saying the registered name)."""
    return _("The name does not match the one registered for this ID number.")


def check_registered_name(name: str, registered: str, field: str = "name") -> None:
    """Real-name check: the cleaned ``name`` given with a registered ID number is the name
    registered with it."""
    if name != registered:
        raise FieldError(field, name_mismatch_message())


def find_person(id_number: str) -> Person | None:
    return Person.objects.filter(id_hash=Person.hash_id(id_number)).first()


def _new_person(id_number: str, name: str, phone: str, home_code: str) -> Person:
    person = Person(
        name=name,
        phone=phone,
        home_code=home_code,
        home_division=Division.objects.filter(code=home_code).first(),
        is_male=id_is_male(id_number),
        birth_date=id_birth_date(id_number),
    )
    person.set_id_number(id_number)
    return person


@transaction.atomic
def do_register_person(
    *, id_number: str, name: str, phone: str, home_code: str, actor: Any
) -> Person:
    """The person with this ID number, created if new (an existing record is not overwritten).

    Real-name check (实名核验): an existing person is given back only to who names them as
    registered, so that an ID number alone does not open someone's record."""
    id_number = clean_id_number(id_number)
    name = clean_name(name)
    existing = find_person(id_number)
    if existing is not None:
        check_registered_name(name, existing.name)
        return existing
    person = _new_person(id_number, name, clean_phone(phone), clean_home_code(home_code))
    person.save()
    record(actor, "person.created", person)
    return person


@transaction.atomic
def do_hire_employee(
    enterprise: Any,
    *,
    id_number: str,
    name: str,
    phone: str,
    home_code: str,
    post: str | None = None,
    start_date: dt.date | None = None,
    actor: Any,
) -> Employment:
    """Put a person on an enterprise's roster. Raises FieldErrors naming every bad field, and
    Conflict if the person is already on it."""
    fields = check_hire(
        {
            "id_number": id_number,
            "name": name,
            "phone": phone,
            "home_division": home_code,
            "post": post,
            "start_date": start_date,
        },
        today=business_today(),
    )
    post, start_date = fields["post"], fields["start_date"]
    person = do_register_person(
        id_number=fields["id_number"],
        name=fields["name"],
        phone=fields["phone"],
        home_code=fields["home_division"],
        actor=actor,
    )
    if Employment.objects.filter(person=person, enterprise=enterprise, active=True).exists():
        raise Conflict(_("This person is already on the roster."), field="id_number")
    try:
        with transaction.atomic():
            employment = Employment.objects.create(
                person=person, enterprise=enterprise, post=post, start_date=start_date
            )
    except IntegrityError:
        raise Conflict(_("This person is already on the roster."), field="id_number") from None
    record(actor, "employment.created", employment, details={"enterprise": enterprise.pk})
    return employment


@transaction.atomic
def do_change_employment(
    employment: Employment,
    *,
    post: str | None,
    start_date: dt.date | None,
    phone: str = "",
    actor: Any,
) -> Employment:
    """Change the post and start date of an employment, checked as when hiring, and, when
    ``phone`` is given, correct the person's phone number (what the check-in link identifies
    them by, at every employer: a person.changed row says so). Raises FieldErrors naming every
    bad field."""
    check = _Checks({"post": post, "start_date": start_date, "phone": phone})
    check("post", clean_post)
    check(
        "start_date",
        lambda value: clean_start_date(
            value, today=business_today(), born=employment.person.birth_date
        ),
    )
    check("phone", lambda value: clean_phone(value) if value.strip() else "")
    post, start_date, phone = itemgetter("post", "start_date", "phone")(check.cleaned())
    employment.post, employment.start_date = post, start_date
    employment.save(update_fields=["post", "start_date"])
    fields = ["post", "start_date"]
    if phone and _set_phone(employment.person, phone, actor=actor):
        fields.append("phone")
    record(actor, "employment.changed", employment, details={"fields": fields})
    return employment


def _set_phone(person: Person, phone: str, *, actor: Any) -> bool:
    """Store a cleaned phone number as the person's (the check-in link identifies them by it,
    at every employer: identify() matches the stored column) with a person.changed row; False,
    and nothing written, when it is already theirs. Every change of a phone number goes
    through here: the admin's correction and the person's own."""
    if phone == person.phone:
        return False
    person.phone = phone
    person.save(update_fields=["phone"])
    # The new number masked, as on every page; never in full in the log.
    record(actor, "person.changed", person, details={"phone": person.phone_masked})
    return True


@transaction.atomic
def do_change_own_phone(person: Person, phone: str, *, actor: Any) -> bool:
    """The person, logged in, changes their own phone number (checked by clean_phone; their
    password was checked by the page). Raises FieldError for a number that is not one, Http404
    if ``actor`` is not the person's login. Returns whether the number changed."""
    if person.user_id is None or person.user_id != getattr(actor, "pk", None):
        from django.http import Http404

        raise Http404
    return _set_phone(person, clean_phone(phone), actor=actor)


@transaction.atomic
def do_end_employment(employment: Employment, *, end_date: dt.date, actor: Any) -> Employment:
    # Locked and read again: of two requests ending one employment, the second finds it ended.
    active = Employment.objects.select_for_update().filter(pk=employment.pk, active=True).exists()
    if not active:
        raise Conflict(_("This employment has already ended."))
    employment.active = False
    employment.end_date = end_date
    employment.save(update_fields=["active", "end_date"])
    details: dict[str, Any] = {"end_date": end_date.isoformat()}
    if employment.start_date and employment.start_date > end_date:
        details["not_started"] = True  # a hire called off before its start date
    record(actor, "employment.ended", employment, details=details)
    return employment


def do_view_person(person: Person, *, actor: Any) -> None:
    """Record that a person's record was opened (every read of a person is audited)."""
    record(actor, "person.viewed", person)


def do_reveal_id_number(person: Person, *, actor: Any) -> str:
    """The full ID number, for roles allowed to see it; the reveal is audited."""
    from fugong.accounts.access import can_view_full_id

    if not can_view_full_id(actor):
        from django.http import Http404

        raise Http404
    record(actor, "person.id_revealed", person)
    return person.id_number
