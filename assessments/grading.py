"""Pure answer checking and scoring: no database access, so a 100-question attempt grades
in well under a millisecond per question and the same rules serve preview and review."""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .errors import InvalidAnswer

TWO_PLACES = Decimal("0.01")
# What the answer box takes (the page's maxlength and the autosave check).
FILL_IN_MAX_LENGTH = 500
ESSAY_MAX_LENGTH = 20000


# Punctuation that carries meaning in an answer: percentages, per mille, primes.
KEPT_PUNCTUATION = frozenset("%‰‱′″")
MINUS_SIGNS = frozenset("-−")  # hyphen-minus (after NFKC also the full-width one), U+2212


def normalise_text(value: str) -> str:
    """Comparable form of a fill-in answer.

    NFKC folds full-width letters, digits and punctuation onto their half-width forms;
    punctuation (P*) and spaces (Z*) become one separator, dropped next to Chinese
    characters and symbols, so 「片区化、组团式」, "片区化，组团式" and " 片区化组团式 "
    compare equal, while 1.5 and 15 differ. Symbols (math, currency: < > + = $ ¥ °) are
    kept, and so are %, ‰ and a minus sign before a number: -5, 5 and 50% are three
    different answers.
    """
    text = unicodedata.normalize("NFKC", value or "").casefold()
    out = []
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if ch in MINUS_SIGNS and _is_sign(text, i):
            out.append("-")
        elif ch in KEPT_PUNCTUATION:
            out.append(ch)
        elif ch.isspace() or cat[0] in "PZ":
            out.append(" ")
        else:
            out.append(ch)
    words = "".join(out).split()
    result = ""
    for word in words:
        if result and (_joins(result[-1]) or _joins(word[0])):
            result += word
        elif result:
            result += " " + word
        else:
            result = word
    return result


def _is_sign(text: str, i: int) -> bool:
    """A minus before a digit that does not follow a letter or digit (5-3 is a dash)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else ""
    return after.isdigit() and not before.isalnum()


def _joins(ch: str) -> bool:
    """Chinese characters and symbols need no space beside them: x>y is x > y."""
    return not ch.isascii() or not ch.isalnum()


def answer_clean(data: dict, raw, *, option_keys=None):
    """Validate a raw answer from the client against a question version.

    Returns the value to store (None for "no answer"); raises InvalidAnswer for anything
    the question could not have offered (a forged option key, a wrong shape, huge text).
    """
    qtype = data["type"]
    keys = set(option_keys if option_keys is not None else (o["key"] for o in data["options"]))
    if raw is None or raw == "" or raw == []:
        return None
    if qtype == "single":
        if not isinstance(raw, str) or raw not in keys:
            raise InvalidAnswer("unknown option")
        return raw
    if qtype == "multiple":
        if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
            raise InvalidAnswer("multiple expects a list")
        chosen = set(raw)
        if not chosen <= keys:
            raise InvalidAnswer("unknown option")
        return sorted(chosen)
    if qtype == "true_false":
        if raw in (True, "true", "1", 1):
            return True
        if raw in (False, "false", "0", 0):
            return False
        raise InvalidAnswer("true/false expected")
    if qtype in ("fill_in", "essay"):
        if not isinstance(raw, str):
            raise InvalidAnswer("text expected")
        limit = FILL_IN_MAX_LENGTH if qtype == "fill_in" else ESSAY_MAX_LENGTH
        if len(raw) > limit:
            raise InvalidAnswer("too long")
        return raw if raw.strip() else None
    raise InvalidAnswer("unknown question type")


def fraction_correct(data: dict, answer) -> Decimal | None:
    """Share of the points earned (0..1), or None when a person must grade it."""
    qtype = data["type"]
    if qtype == "essay":
        return Decimal(0) if answer is None else None
    if answer is None:
        return Decimal(0)
    if qtype == "single":
        correct = {o["key"] for o in data["options"] if o["correct"]}
        return Decimal(1) if answer in correct else Decimal(0)
    if qtype == "multiple":
        correct = {o["key"] for o in data["options"] if o["correct"]}
        chosen = set(answer)
        if chosen == correct:
            return Decimal(1)
        if data.get("scoring") == "partial" and correct and chosen <= correct:
            return Decimal(len(chosen)) / Decimal(len(correct))
        return Decimal(0)
    if qtype == "true_false":
        return Decimal(1) if answer == data["true_false"] else Decimal(0)
    if qtype == "fill_in":
        given = normalise_text(answer)
        # From the accepted answers with today's rule, never a stored normalised form:
        # an older version's would have been made by an older rule.
        accepted = data.get("accepted_match")
        if accepted is None:
            accepted = {normalise_text(a) for a in data["accepted"]}
        return Decimal(1) if given and given in accepted else Decimal(0)
    return Decimal(0)


def score_answer(data: dict, answer, points: Decimal) -> Decimal | None:
    fraction = fraction_correct(data, answer)
    if fraction is None:
        return None
    return (fraction * Decimal(points)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def correct_answer_display(data: dict, option_order: list[str]) -> str:
    """The key as a trainee reads it in review ("A、C", "正确", the accepted answers)."""
    qtype = data["type"]
    if qtype in ("single", "multiple"):
        order = option_order or [o["key"] for o in data["options"]]
        correct = {o["key"] for o in data["options"] if o["correct"]}
        return "、".join(chr(65 + i) for i, k in enumerate(order) if k in correct)
    if qtype == "true_false":
        return _("True") if data["true_false"] else _("False")
    if qtype == "fill_in":
        return " / ".join(data["accepted"])
    return ""
