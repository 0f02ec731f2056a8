"""The people list and a person's page: what they say of where a person lives."""

from __future__ import annotations

from fugong.lib.testing import hire


def test_the_people_list_labels_the_residence_居住地_not_the_home_page(
    world, township_officer, login
):
    hire(world.enterprise, name="王五", home_code="440604001001")
    response = login(township_officer).get("/people/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<th>居住地</th>" in html
    assert "<td>莲花社区</td>" in html


def test_a_persons_page_labels_the_residence_居住地(world, township_officer, login):
    person = hire(world.enterprise, name="王五", home_code="440604001001")
    response = login(township_officer).get(f"/people/{person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>居住地</dt><dd>莲花社区</dd>" in html
    assert "首页 莲花社区" not in html


def test_a_residence_outside_the_city_is_named_with_its_code(world, enterprise_admin, login):
    person = hire(world.enterprise, name="王五", home_code="420323")
    assert person.home_division is None
    client = login(enterprise_admin)
    listing = client.get("/people/").content.decode()
    page = client.get(f"/people/{person.pk}/").content.decode()
    named = '湖北省竹山县 <span class="muted">420323</span>'
    assert f"<td>{named}</td>" in listing
    assert f"<dd>{named}</dd>" in page


def test_a_residence_code_no_table_names_is_shown_as_the_code(world, enterprise_admin, login):
    person = hire(world.enterprise, name="王五", home_code="429999")
    page = login(enterprise_admin).get(f"/people/{person.pk}/").content.decode()
    assert "<dd>429999</dd>" in page


def test_on_a_phone_the_roster_shows_the_actions_right_after_the_name(
    world, enterprise_admin, login
):
    # The edit and end links were the last column, off-screen on a phone.
    person = hire(world.enterprise, name="赵六")
    html = login(enterprise_admin).get("/people/roster/").content.decode()
    row = html[html.index("赵六") :]
    row = row[: row.index("</tr>")]
    assert row.index("/edit/") < row.index("/end/") < row.index(person.phone_masked)
