from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fugong.geo.models import Division


class IndustrySection(models.Model):
    """A section (门类) of GB/T 4754-2017, A to T."""

    code = models.CharField(max_length=1, unique=True)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return localized_name(self)


class Industry(models.Model):
    """A division (大类) of GB/T 4754-2017, two digits."""

    code = models.CharField(max_length=2, unique=True)
    section = models.ForeignKey(IndustrySection, on_delete=models.PROTECT, related_name="divisions")
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "industries"

    def __str__(self) -> str:
        return f"{self.code} {localized_name(self)}"


def localized_name(obj: IndustrySection | Industry | Department) -> str:
    return obj.name_en if (get_language() or "").startswith("en") else obj.name_zh


class Department(models.Model):
    """An industry authority or functional department of the city (工信, 商务, 住建, …)."""

    code = models.CharField(max_length=30, unique=True)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200)
    industries = models.ManyToManyField(Industry, blank=True, related_name="departments")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return localized_name(self)

    @property
    def name(self) -> str:
        return localized_name(self)


class Enterprise(models.Model):
    class Scale(models.TextChoices):
        ABOVE_INDUSTRIAL = "above_industrial", _("Above-scale industrial (规模以上工业)")
        ABOVE_TRADE = "above_trade", _("Above-quota trade and catering (限额以上)")
        OTHER = "other", _("Other")

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    township = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("township")
    )
    # Denormalised from the township so scoping and statistics by district need no join.
    district = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("industry"))
    annual_revenue = models.DecimalField(
        _("annual main revenue (10,000 yuan)"), max_digits=14, decimal_places=2, default=0
    )
    scale = models.CharField(_("scale class"), max_length=20, choices=Scale, default=Scale.OTHER)
    is_key = models.BooleanField(_("key enterprise"), default=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("competent department"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["district", "scale"], name="enterprise_district_scale"),
            models.Index(fields=["township", "scale"], name="enterprise_township_scale"),
        ]

    def __str__(self) -> str:
        return self.name


class LiaisonAssignment(models.Model):
    """A liaison officer (联络员) assigned to a key enterprise."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison_assignments"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="liaison_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "enterprise"],
                condition=models.Q(active=True),
                name="one_active_liaison_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} → {self.enterprise}"
