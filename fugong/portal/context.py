from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fugong.accounts.access import memberships

from .menu import entries_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "account_entries": [], "my_memberships": []}
    from fugong.notifications.models import Notification

    return {
        "nav_entries": entries_for(user),
        "account_entries": entries_for(user, account=True),
        "my_memberships": memberships(user),
        "unread_count": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }
