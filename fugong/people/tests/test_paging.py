"""Long lists searched by POST (names and ID numbers stay out of URLs) keep the search on every
page."""

from __future__ import annotations

import re

from fugong.lib.testing import hire


def _names(html: str) -> set[str]:
    return set(re.findall(r'<a href="/people/\d+/">([^<]+)</a>', html))


def test_the_people_search_keeps_its_words_on_the_next_page(world, township_officer, login):
    for i in range(55):
        hire(world.enterprise, name=f"王{i:02d}")
    for i in range(5):
        hire(world.enterprise, name=f"李{i:02d}")
    client = login(township_officer)
    first = client.post("/people/", {"q": "王"}).content.decode()
    assert "第 1 页,共 2 页" in first
    assert '<input type="hidden" name="q" value="王">' in first
    assert 'name="page" value="2"' in first
    second = client.post("/people/", {"q": "王", "page": "2"}).content.decode()
    shown = _names(second)
    assert len(shown) == 5 and all(name.startswith("王") for name in shown)
    # Without a search the list pages by links, as before.
    everyone = client.get("/people/").content.decode()
    assert 'href="?page=2"' in everyone and 'type="hidden" name="q"' not in everyone


def test_the_roster_search_keeps_its_words_on_the_next_page(world, enterprise_admin, login):
    for i in range(52):
        hire(world.enterprise, name=f"赵{i:02d}")
    hire(world.enterprise, name="钱一")
    client = login(enterprise_admin)
    first = client.post("/people/roster/", {"q": "赵"}).content.decode()
    assert '<input type="hidden" name="q" value="赵">' in first
    second = client.post("/people/roster/", {"q": "赵", "page": "2"}).content.decode()
    assert "赵51" in second and "钱一" not in second
