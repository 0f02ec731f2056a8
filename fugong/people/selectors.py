from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fugong.accounts.access import people_for
from fugong.lib.identifiers import InvalidIdentifier, validate_id_number

from .models import Person


def search_people(user: Any, q: str = "") -> QuerySet[Person]:
    """People in the user's scope; ``q`` is a full ID number (exact, by keyed hash) or a name."""
    qs = people_for(user).select_related("home_division")
    q = q.strip()
    if q:
        try:
            number = validate_id_number(q)
        except InvalidIdentifier:
            qs = qs.filter(name__startswith=q)
        else:
            qs = qs.filter(id_hash=Person.hash_id(number))
    return qs.order_by("name", "pk")
