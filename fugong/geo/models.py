from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """A node of the city's tree: city → district (区县) → township (乡镇街道) → community (社区村).

    Codes follow GB/T 2260 for the city (4 digits + "00") and districts (6 digits), and the
    statistical extension for townships (9) and communities (12), so a division's code is a
    prefix of every code below it.
    """

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        TOWNSHIP = "township", _("Township / street")
        COMMUNITY = "community", _("Community / village")

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=Level)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="division_level_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The code prefix every division below this one shares."""
        if self.level == self.Level.CITY:
            return self.code[:4]
        return self.code

    def contains(self, other: Division) -> bool:
        return other.code.startswith(self.prefix)
