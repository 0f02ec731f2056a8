import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from fugong.lib.identifiers import (
    USCC_ALPHABET,
    InvalidIdentifier,
    id_check_char,
    mask_id_number,
    mask_name,
    mask_phone,
    national_counties,
    uscc_check_char,
    validate_credit_code,
    validate_id_number,
)

COUNTIES = sorted(national_counties())


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


id_numbers = st.builds(
    lambda county, birth, seq: f"{county}{birth:%Y%m%d}{seq:03d}",
    st.sampled_from(COUNTIES),
    st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.integers(min_value=0, max_value=999),
).map(lambda first17: first17 + id_check_char(first17))


@given(id_numbers)
def test_every_well_formed_id_number_is_accepted(number):
    assert validate_id_number(number) == number


@given(id_numbers, st.sampled_from("0123456789X"))
def test_an_id_number_with_another_check_character_is_rejected(number, other):
    if other == number[-1]:
        return
    with pytest.raises(InvalidIdentifier, match="check character"):
        validate_id_number(number[:-1] + other)


@given(id_numbers)
def test_lower_case_x_and_spaces_are_normalised(number):
    spaced = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    assert validate_id_number(spaced) == number


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@given(id_numbers)
def test_full_width_digits_typed_with_a_chinese_input_method_are_read_as_digits(number):
    assert validate_id_number(number.translate(FULL_WIDTH)) == number
    assert validate_id_number(f"{number[:6]}\u3000{number[6:]}".translate(FULL_WIDTH)) == number


def test_digits_of_other_scripts_are_not_an_id_number():
    arabic_indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    number = "11010519491231002X"
    with pytest.raises(InvalidIdentifier, match="17 digits"):
        validate_id_number(number.translate(arabic_indic))
    for not_digits in (number[:17].translate(arabic_indic), "1101051949123100A"):
        with pytest.raises(ValueError):
            id_check_char(not_digits)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_the_check_character_is_iso_7064_mod_11_2(first17):
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    assert id_check_char(first17) == "10X98765432"[total % 11]


@pytest.mark.parametrize("number", ["11010519491231002X", "440604199003070014"])
def test_known_good_id_numbers_are_accepted(number):
    assert validate_id_number(number) == number


def test_an_old_person_from_a_county_created_later_is_accepted():
    # 130529 巨鹿县 has this code since 1993; people born before got numbers with it later.
    first17 = "13052919340408009"
    assert validate_id_number(first17 + id_check_char(first17))


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1101051949123100", "18 characters"),
        ("11010519491231002Y", "17 digits"),
        ("110105194912310021", "check character"),
        ("110105194902300023", "impossible"),  # 30 February
        ("999999199001010011", "not a known place"),
        ("", "18 characters"),
    ],
)
def test_known_bad_id_numbers_are_rejected_with_a_reason(number, message):
    if message in ("impossible", "not a known place"):
        number = number[:17] + id_check_char(number[:17])
    with pytest.raises(InvalidIdentifier, match=message):
        validate_id_number(number)


def test_an_id_number_born_in_the_future_is_rejected():
    first17 = "44060420991231001"
    with pytest.raises(InvalidIdentifier, match="future"):
        validate_id_number(first17 + id_check_char(first17), today=dt.date(2026, 1, 1))


def test_masking_keeps_the_first_and_last_four_characters():
    assert mask_id_number("44060419900101123X") == "4406**********123X"
    assert mask_phone("13912345678") == "139*****678"
    assert mask_name("张三丰") == "张**"


credit_bodies = st.builds(
    lambda authority, kind, division, org: authority + kind + division + org,
    st.sampled_from("123456789ANY"),
    st.sampled_from("123459"),
    st.sampled_from(COUNTIES),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)


@given(credit_bodies)
def test_every_well_formed_credit_code_is_accepted(body):
    code = body + uscc_check_char(body)
    assert validate_credit_code(code) == code


@given(credit_bodies)
def test_a_credit_code_typed_in_full_width_characters_is_read_as_ascii(body):
    code = body + uscc_check_char(body)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert validate_credit_code(full_width) == code


@given(credit_bodies.filter(lambda b: b[0].isdigit()))
def test_our_credit_code_check_agrees_with_stdnum_where_stdnum_is_right(body):
    code = body + uscc_check_char(body)
    assert stdnum_uscc.is_valid(code)
    assert validate_credit_code(code) == code


def test_credit_codes_of_farmers_cooperatives_starting_with_n_are_accepted():
    body = "N2440604MA4W8K3A1"  # a farmers' specialised cooperative (农民专业合作社)
    code = body + uscc_check_char(body)
    assert validate_credit_code(code) == code
    assert not stdnum_uscc.is_valid(code)  # the library bug we work around


def test_credit_codes_of_other_authorities_starting_with_y_are_accepted():
    body = "Y1440604MA4W8K3A1"
    assert validate_credit_code(body + uscc_check_char(body))


@given(credit_bodies, st.sampled_from(USCC_ALPHABET))
def test_a_credit_code_with_another_check_character_is_rejected(body, other):
    if other == uscc_check_char(body):
        return
    with pytest.raises(InvalidIdentifier, match="check character"):
        validate_credit_code(body + other)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100YI3", "cannot contain"),
        ("Z1350100M000100Y43", "cannot contain"),
        ("B1350100M000100Y43", "first character"),
        ("9135A100M000100Y43", "division code"),
    ],
)
def test_known_bad_credit_codes_are_rejected_with_a_reason(code, message):
    with pytest.raises(InvalidIdentifier, match=message):
        validate_credit_code(code)


def test_a_published_credit_code_is_accepted():
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_national_county_table_knows_the_city_and_drops_abolished_codes():
    counties = national_counties()
    assert counties["440604"].endswith("禅城区")
    assert "110103" not in counties  # 崇文区, merged in 2010


def test_the_county_set_agrees_with_python_stdnums_table_code_by_code():
    import random

    from stdnum import numdb

    from fugong.lib.identifiers import _ever_counties

    def in_table(code: str) -> bool:
        parts = numdb.get("cn/loc").info(code)
        return len(parts) == 2 and bool(parts[1][1].get("county")) and not code.endswith("00")

    counties = _ever_counties()
    rng = random.Random(2020)
    sample = [str(rng.randint(100000, 829999)) for _ in range(600)]
    sample += rng.sample(sorted(counties), 600) + ["130529", "110100", "440604", "440600"]
    assert [code for code in sample if in_table(code) != (code in counties)] == []
    assert "130529" in counties and "440604" in counties and "440600" not in counties
