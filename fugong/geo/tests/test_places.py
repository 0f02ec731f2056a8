"""Places found by the names people type (most do not know the division codes)."""

from __future__ import annotations

import pytest
from django import forms

from fugong.geo.forms import PlaceField
from fugong.geo.selectors import find_places
from fugong.lib.identifiers import national_places


def codes(text: str, **kwargs) -> list[str]:
    return [place.code for place in find_places(text, **kwargs)]


def test_the_national_table_names_each_place_under_its_province_and_prefecture():
    places = national_places()
    assert places["420106"] == ("湖北省", "武汉市", "武昌区")
    assert places["420100"] == ("湖北省", "武汉市")
    assert places["420000"] == ("湖北省",)
    # Placeholders (市辖区, 省直辖县级行政单位) name nothing: a municipality's districts and the
    # county-level cities under a province come straight under it.
    assert places["110105"] == ("北京市", "朝阳区")
    assert places["429004"] == ("湖北省", "仙桃市")
    assert "110100" not in places and "429000" not in places
    assert "110103" not in places  # 崇文区, merged into 东城区 in 2010


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["武昌区", "武昌", "武汉武昌", "湖北省武昌区", " 武汉市 武昌区 "])
def test_a_county_is_found_by_its_name_with_or_without_the_places_above_and_the_kinds(typed):
    assert codes(typed) == ["420106"]


@pytest.mark.django_db
def test_a_name_of_several_places_finds_them_all_and_a_fuller_one_finds_one():
    assert {"110105", "220104"} <= set(codes("朝阳区"))
    assert codes("北京朝阳") == ["110105"]
    assert codes("长春朝阳区") == ["220104"]


@pytest.mark.django_db
def test_a_prefecture_finds_its_counties_unless_areas_are_asked_for():
    wuhan = codes("武汉")
    assert len(wuhan) == 13 and all(c.startswith("4201") and c != "420100" for c in wuhan)
    assert codes("武汉", areas=True) == ["420100"]
    assert codes("湖北省", areas=True) == ["420000"]


def test_the_citys_own_divisions_are_found_under_their_district_and_province(world):
    assert codes("祖庙街道") == ["440604001"]
    assert codes("禅城祖庙") == ["440604001"]
    assert codes("广东省佛山市禅城区祖庙街道") == ["440604001"]
    [place] = find_places("祖庙")
    assert place.name == "广东省佛山市禅城区祖庙街道"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["", "  ", "市", "省市区县", "火星基地"])
def test_nothing_is_found_for_no_name_kinds_alone_or_a_place_that_is_not_in_china(typed):
    assert codes(typed) == []


@pytest.mark.django_db
def test_the_place_field_cleans_a_name_to_its_code_and_keeps_a_code_as_typed():
    field = PlaceField()
    assert field.clean("武汉市武昌区") == "420106"
    assert field.clean("420106") == "420106"
    assert field.clean("４２０１０６") == "420106"  # full-width digits, from a Chinese keyboard
    assert field.clean("999999") == "999999"  # checked where it is stored, as the API's


@pytest.mark.django_db
def test_the_place_field_names_the_places_a_name_may_mean_with_their_codes():
    with pytest.raises(forms.ValidationError) as error:
        PlaceField().clean("朝阳区")
    message = error.value.messages[0]
    assert "北京市朝阳区 (110105)" in message and "吉林省长春市朝阳区 (220104)" in message
    assert "…" not in message
    with pytest.raises(forms.ValidationError) as error:
        PlaceField().clean("武汉")
    message = error.value.messages[0]
    assert "13" in message and message.count("(4201") == 8 and "…" in message


@pytest.mark.django_db
def test_the_place_field_says_when_no_place_has_the_name():
    with pytest.raises(forms.ValidationError) as error:
        PlaceField().clean("火星基地")
    assert "火星基地" in error.value.messages[0]
    with pytest.raises(forms.ValidationError):
        PlaceField(required=True).clean("")
