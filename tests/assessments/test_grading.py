from decimal import Decimal

import pytest

from assessments.errors import InvalidAnswer
from assessments.grading import answer_clean, normalise_text, score_answer


def _choice(qtype, correct, scoring="all"):
    return {
        "type": qtype,
        "scoring": scoring,
        "options": [{"key": k, "text": k, "correct": k in correct} for k in ("a", "b", "c", "d")],
        "accepted": [],
        "true_false": None,
    }


@pytest.mark.parametrize(
    "given",
    ["片区化组团式", " 片区化、组团式 ", "片区化，组团式", "片区化,组团式。", "「片区化」组团式"],
)
def test_fill_in_ignores_width_spaces_and_punctuation(given):
    data = {"type": "fill_in", "accepted": ["片区化、组团式"], "options": []}
    assert score_answer(data, given, Decimal("2")) == Decimal("2.00")


def test_fill_in_full_width_digits_and_letters_match():
    data = {"type": "fill_in", "accepted": ["4", "ABC"], "options": []}
    assert score_answer(data, "４", Decimal(1)) == 1
    assert score_answer(data, "ａｂｃ", Decimal(1)) == 1
    assert normalise_text("1.5") != normalise_text("15")
    assert score_answer(data, "5", Decimal(1)) == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [("-5", "5"), ("50%", "50"), ("x>y", "x<y"), ("+3", "3"), ("$5", "5"), ("5‰", "5")],
)
def test_fill_in_keeps_signs_and_symbols(a, b):
    assert normalise_text(a) != normalise_text(b)
    data = {"type": "fill_in", "accepted": [a], "options": []}
    assert score_answer(data, a, Decimal(1)) == 1
    assert score_answer(data, b, Decimal(1)) == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("-5", "－5"),  # full-width minus
        ("-5", "−5"),  # U+2212 minus sign
        ("50%", "５０％"),
        ("x > y", "x>y"),
        ("片区化-组团式", "片区化组团式"),  # a dash between words is punctuation
        ("3-5", "3 5"),
    ],
)
def test_fill_in_still_folds_widths_dashes_and_spaces(a, b):
    assert normalise_text(a) == normalise_text(b)


def test_multiple_all_or_nothing_and_partial():
    strict = _choice("multiple", {"a", "b"})
    partial = _choice("multiple", {"a", "b"}, scoring="partial")
    assert score_answer(strict, ["a", "b"], Decimal(4)) == 4
    assert score_answer(strict, ["a"], Decimal(4)) == 0
    assert score_answer(partial, ["a"], Decimal(4)) == 2
    assert score_answer(partial, ["a", "c"], Decimal(4)) == 0  # a wrong pick earns nothing
    assert score_answer(partial, None, Decimal(4)) == 0


def test_single_true_false_and_essay():
    assert score_answer(_choice("single", {"c"}), "c", Decimal(2)) == 2
    assert score_answer(_choice("single", {"c"}), "a", Decimal(2)) == 0
    tf = {"type": "true_false", "true_false": False, "options": []}
    assert score_answer(tf, False, Decimal(1)) == 1
    assert score_answer(tf, True, Decimal(1)) == 0
    essay = {"type": "essay", "options": []}
    assert score_answer(essay, "文字", Decimal(10)) is None  # a person grades it
    assert score_answer(essay, None, Decimal(10)) == 0


def test_forged_and_malformed_answers_are_refused():
    data = _choice("multiple", {"a"})
    with pytest.raises(InvalidAnswer):
        answer_clean(data, ["a", "zzz"])
    with pytest.raises(InvalidAnswer):
        answer_clean(_choice("single", {"a"}), ["a"])
    with pytest.raises(InvalidAnswer):
        answer_clean({"type": "true_false", "options": []}, "maybe")
    with pytest.raises(InvalidAnswer):
        answer_clean({"type": "fill_in", "options": []}, "x" * 501)
    assert answer_clean(data, ["a", "a"]) == ["a"]
    assert answer_clean(data, []) is None
