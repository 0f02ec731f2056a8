"""What a one-line text (a name, a post, a note) may not hold."""

from __future__ import annotations

import pytest

from fugong.lib.text import has_line_controls, line_controls_message

CONTROL = "请删除文字中的控制字符(制表符、换行或空字符)。"
DIRECTION = "请删除文字中看不见的文字方向控制字符(如 U+202E,它使其后的文字反向显示)。"
BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize("mark", BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_text_direction_character_is_refused_and_named(mark):
    text = f"王{mark}五六"
    assert has_line_controls(text)
    assert line_controls_message(text) == DIRECTION


@pytest.mark.parametrize(
    "text", ["王五六", "阿依古丽·买买提", "John O'Neil-Smith", "操作工(夜班)", "Zoë Müller"]
)
def test_ordinary_chinese_and_english_text_and_the_middle_dot_of_minority_names_are_kept(text):
    assert not has_line_controls(text)


@pytest.mark.parametrize("text", ["a\tb", "a\nb", "a\x00b", "a\u2028b", "a\t\u202eb"])
def test_a_control_character_is_named_as_one(text):
    assert has_line_controls(text)
    assert line_controls_message(text) == CONTROL
    assert line_controls_message() == CONTROL
