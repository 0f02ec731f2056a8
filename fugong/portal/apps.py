from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "fugong.portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("nav")  # each app's nav.py registers its menu entries and widgets
