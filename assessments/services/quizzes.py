"""Quiz settings that would only fail on exam day, checked when the quiz is saved."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Question, QuestionCategory, Quiz


@dataclass(frozen=True)
class SlotSpec:
    """One slot as the editor has it: a fixed question, or `draw_count` from a category."""

    question_id: int | None
    category_id: int | None
    draw_count: int = 1


def quiz_review_problem(*, review: str, closes_at) -> str | None:
    """Answers shown "after the quiz closes" need a closing time, or they never show."""
    if review == Quiz.Review.AFTER_CLOSE and closes_at is None:
        return _("Answers can be shown after the quiz closes only if it has a closing time.")
    return None


def quiz_draw_problems(*, slots: list[SlotSpec]) -> list[tuple[int, str]]:
    """(slot index, message) for each random draw its category cannot fill.

    As an attempt draws: only active questions, none that a fixed slot of the quiz
    already uses, and slots of the same category share its questions."""
    wanted = Counter()
    for slot in slots:
        if slot.category_id and not slot.question_id:
            wanted[slot.category_id] += slot.draw_count or 0
    if not wanted:
        return []
    fixed = {s.question_id for s in slots if s.question_id}
    available = Counter(
        Question.objects.filter(category_id__in=wanted, is_active=True)
        .exclude(pk__in=fixed)
        .values_list("category_id", flat=True)
    )
    names = dict(QuestionCategory.objects.filter(pk__in=wanted).values_list("pk", "name"))
    problems = []
    last = {s.category_id: i for i, s in enumerate(slots) if s.category_id and not s.question_id}
    for category_id, count in wanted.items():
        if count > available[category_id]:
            problems.append(
                (
                    last[category_id],
                    _(
                        "The quiz draws %(want)d questions from “%(category)s”, which has "
                        "%(n)d active questions not already placed in the quiz."
                    )
                    % {
                        "want": count,
                        "category": names.get(category_id, ""),
                        "n": available[category_id],
                    },
                )
            )
    return sorted(problems)
