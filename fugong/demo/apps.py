from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "fugong.demo"
    verbose_name = _("Synthetic city")
