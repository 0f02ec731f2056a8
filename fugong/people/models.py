from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fugong.lib import crypto
from fugong.lib.identifiers import (
    mask_id_number,
    mask_name,
    mask_phone,
    national_division_name,
)


class Person(models.Model):
    """A resident. The ID number is stored only encrypted, with a keyed hash for look-ups."""

    id_cipher = models.TextField()
    # Unique by a constraint, not unique=True: on PostgreSQL that would add a second
    # (pattern-matching) index that no query uses and every insert maintains.
    id_hash = models.CharField(max_length=64)
    id_masked = models.CharField(_("ID number"), max_length=18)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    is_male = models.BooleanField(_("male"))
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20)
    # Where the person lives: a division of the city, or (for people from elsewhere) only the
    # county-level GB/T 2260 code in home_code.
    home_division = models.ForeignKey(
        "geo.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="residents"
    )
    home_code = models.CharField(_("home division code"), max_length=12)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["id_hash"], name="person_id_hash_unique")]
        # No index on home_code: no query filters on it, and a roster import would maintain it
        # for every new person (scoping by residence goes through home_division).

    def __str__(self) -> str:
        return f"{mask_name(self.name)} {self.id_masked}"

    @property
    def id_number(self) -> str:
        """The full ID number. Show it only through an audited reveal."""
        return crypto.decrypt(self.id_cipher)

    @property
    def home_name(self) -> str | None:
        """Where the person lives, named: the city's division, else the county of China its
        GB/T 2260 code names ("湖北省竹山县"); None for a code no table names."""
        if self.home_division_id is not None:
            return self.home_division.name
        return national_division_name(self.home_code)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @staticmethod
    def hash_id(number: str) -> str:
        return crypto.lookup_hash(number)

    def set_id_number(self, number: str) -> None:
        self.id_cipher = crypto.encrypt(number)
        self.id_hash = crypto.lookup_hash(number)
        self.id_masked = mask_id_number(number)


class Employment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    enterprise = models.ForeignKey(  # indexed by employment_ent_active, which leads with it
        "orgs.Enterprise", on_delete=models.CASCADE, related_name="employments", db_index=False
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "enterprise"],
                condition=models.Q(active=True),
                name="one_active_employment_per_enterprise",
            )
        ]
        indexes = [models.Index(fields=["enterprise", "active"], name="employment_ent_active")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.enterprise}"
