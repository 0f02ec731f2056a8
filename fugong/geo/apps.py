from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "fugong.geo"
    verbose_name = _("Administrative divisions")
