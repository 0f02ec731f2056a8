from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    ENTERPRISE_ADMIN = "enterprise_admin", _("Enterprise administrator")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    LIAISON_OFFICER = "liaison_officer", _("Liaison officer")
    COMMAND_CENTRE = "command_centre", _("Command centre")


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    # The language the user last chose with the switch: notifications to them (alerts raised by
    # someone else's request, reminders written by the worker) are written in it, and logging
    # in brings it back on another device. Blank: the platform's default (Chinese).
    language = models.CharField(_("language"), max_length=10, blank=True, default="", db_default="")

    def __str__(self) -> str:
        return self.display_name or self.username


def is_platform_language(code: str) -> bool:
    """Whether ``code`` is one of ``settings.LANGUAGES``."""
    return any(code == known for known, _name in settings.LANGUAGES)


def language_of(user: Any) -> str:
    """The language messages to a user are written in: the one they chose with the switch,
    else the platform's default."""
    chosen = getattr(user, "language", "")
    return chosen if is_platform_language(chosen) else settings.LANGUAGE_CODE


class Membership(models.Model):
    """A role a user holds, with its scope: an enterprise, a division or a department.

    employee / enterprise_admin → enterprise; community_worker → community;
    township_officer → township; district_officer → district; department_officer → department;
    liaison_officer → (their assignments); command_centre → the whole city.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role)
    enterprise = models.ForeignKey(
        "orgs.Enterprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    division = models.ForeignKey(
        "geo.Division", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["role"], name="membership_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @property
    def scope_label(self) -> str:
        target = self.enterprise or self.division or self.department
        return str(target) if target else ""


class ApiToken(models.Model):
    """A bearer token for the API; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
