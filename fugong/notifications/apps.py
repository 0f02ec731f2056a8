from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "fugong.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.conf import settings

        from .channels import check_channels

        check_channels(settings.NOTIFY_CHANNELS)
