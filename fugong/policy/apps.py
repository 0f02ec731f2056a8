from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "fugong.policy"
    verbose_name = _("Policy")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("policies")  # each app's policies.py registers its defaults
