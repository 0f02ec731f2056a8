"""Every page survives odd values in its query string and form: a NUL character (which
PostgreSQL cannot compare), a word where a number or a date is expected. A value a page cannot
use is a 400 with a message on the field, a 404 or simply ignored; never a server error."""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# What the pages read from the query string or from a form outside a Django form.
NAMES = ["date", "show", "division", "status", "person", "week", "enterprise", "page", "scale",
         "q", "industry", "category", "urgency", "route", "day", "kind", "next", "department",
         "action", "level", "group", "rule", "form", "flag", "comment"]  # fmt: skip
ODD = ["\x00", "abc"]


def routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every page's route (the API has its own tests)."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            found.append("/" + route)
    return sorted(p for p in found if not p.startswith(("/api/", "/i18n/")) and "logout" not in p)


def page_paths() -> list[str]:
    """The pages without a parameter in their path."""
    return [route for route in routes() if "<" not in route]


def paths_with_parameters() -> list[str]:
    """The other pages, their parameters filled with small and huge numbers or with a NUL and a
    word where the route takes text."""
    paths = []
    for route in routes():
        params = re.findall(r"<(?:(\w+):)?\w+>", route)
        if not params:
            continue
        values = [["1", "2", "99999999999"] if conv == "int" else ["%00", "abc"] for conv in params]
        for combo in itertools.product(*values):
            path = route
            for value in combo:
                path = re.sub(r"<(?:\w+:)?\w+>", value, path, count=1)
            paths.append(path)
    return paths


def server_errors(client, paths: list[str]) -> list[tuple[str, str, str, int]]:
    """Each page GET and POSTed with every name set to each odd value: those that fail."""
    client.raise_request_exception = False
    failed = []
    for path in paths:
        for odd in ODD:
            values = dict.fromkeys(NAMES, odd)
            for method in (client.get, client.post):
                status = method(path, values).status_code
                if status >= 500:
                    failed.append((method.__name__, path, odd, status))
    return failed


@pytest.mark.parametrize("persona", ["command_centre", "enterprise_admin"])
def test_no_page_fails_on_odd_query_or_form_values(db, persona, request, login):
    assert server_errors(login(request.getfixturevalue(persona)), page_paths()) == []


@pytest.mark.parametrize("persona", ["command_centre", "enterprise_admin"])
def test_no_page_with_an_object_in_its_path_fails_on_odd_values(db, persona, request, login):
    assert server_errors(login(request.getfixturevalue(persona)), paths_with_parameters()) == []


def test_a_search_with_a_nul_character_is_refused_on_the_field(
    enterprise_admin, township_officer, login
):
    for persona, path in ((township_officer, "/people/"), (enterprise_admin, "/people/roster/")):
        response = login(persona).post(path, {"q": "王\x00"})
        assert response.status_code == 400, path
        assert 'data-testid="search-error"' in response.content.decode(), path


def test_a_division_code_that_is_not_digits_is_404(command_centre, login):
    client = login(command_centre)
    for path in ("/resumption/briefing/", "/resumption/dashboard/enterprises/"):
        assert client.get(path, {"division": "44\x0006"}).status_code == 404, path
