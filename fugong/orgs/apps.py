from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "fugong.orgs"
    verbose_name = _("Enterprises and departments")
