"""core/text.py: what counts as showing nothing, and the form repeats are compared in."""

import pytest

from core import text


@pytest.mark.parametrize(
    "value", ["", "  \n\t", "\u200b", "\u2060\ufeff", "\u200c \u200d", "\u3164", "\u2800", "\u00ad"]
)
def test_text_that_shows_nothing_is_blank(value):
    assert text.is_blank(value)


@pytest.mark.parametrize("value", ["a", ".", "\u200bx", "👩\u200d💻", "\u0600"])
def test_text_with_anything_visible_is_not_blank(value):
    assert not text.is_blank(value)


def test_stored_text_that_shows_nothing_comes_out_empty():
    """As a reader could no longer send it: an old blank row is cleaned to nothing."""
    assert text.stored_body(" \u200b\n\u3164 ") == ""
    assert text.stored_name("\u3164\u200d") == ""
    assert text.stored_body("\u200bWords") == "\u200bWords"


def test_comparable_form_ignores_case_unicode_form_spacing_and_invisibles():
    said = text.comparable("Same words, café and Straße.")
    for again in [
        "SAME WORDS, CAFÉ AND STRASSE.",
        "Same  words,\n\tcafé and Straße.",
        "Same words, cafe\u0301 and Straße.",
        "Ｓａｍｅ words, café and Straße.",
        "\u200bSame words,\u2060 café and Straße.\ufeff",
    ]:
        assert text.comparable(again) == said, again
    assert text.comparable("Same words, cafe and Strasse.") != said
