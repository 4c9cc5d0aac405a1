"""Quiz settings that would only fail on exam day, checked when the quiz is saved."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Question, QuestionCategory, Quiz, QuizSlot


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


def quiz_answer_key_problems(
    *, quiz_id: int | None, is_final_exam: bool, review: str, slots: list[SlotSpec]
) -> list[tuple[int, str]]:
    """(slot index, message) for each slot that would let trainees collect a final exam's
    answer key: a quiz that shows its answers taking questions from a category a final
    exam draws from at random, or a final exam drawing from a category such a quiz uses.

    Unlimited practice that shows the key after each attempt hands over, question by
    question, the key of every exam drawn from the same pool (issue 14). A category is the
    unit checked because it is the unit a draw takes from; a quiz that shows no answers
    (review "never") may share it."""
    if not slots:
        return []
    fixed = {s.question_id for s in slots if s.question_id}
    category_of = dict(Question.objects.filter(pk__in=fixed).values_list("pk", "category_id"))
    problems = []
    if not is_final_exam and review != Quiz.Review.NEVER:
        uses = {
            i: s.category_id if not s.question_id else category_of.get(s.question_id)
            for i, s in enumerate(slots)
        }
        exams = (
            QuizSlot.objects.filter(
                quiz__is_final_exam=True,
                category_id__in={c for c in uses.values() if c},
                question__isnull=True,
            )
            .exclude(quiz_id=quiz_id)
            .order_by("quiz__title")
            .values_list("category_id", "category__name", "quiz__title")
        )
        drawn = {}
        for category_id, name, title in exams:
            drawn.setdefault(category_id, (name, title))
        for i, category_id in uses.items():
            if category_id in drawn:
                name, title = drawn[category_id]
                problems.append(
                    (
                        i,
                        _(
                            "The final exam “%(exam)s” draws at random from “%(category)s”: "
                            "a quiz that shows its answers may not use that category's "
                            "questions, or trainees collect the exam's answers here. Show "
                            "answers never, or use questions of another category."
                        )
                        % {"exam": title, "category": name},
                    )
                )
    if is_final_exam:
        draws = {
            i: s.category_id for i, s in enumerate(slots) if s.category_id and not s.question_id
        }
        revealing = (
            Quiz.objects.filter(is_final_exam=False)
            .exclude(review=Quiz.Review.NEVER)
            .exclude(pk=quiz_id)
        )
        used = (
            QuizSlot.objects.filter(quiz__in=revealing)
            .filter(
                Q(category_id__in=set(draws.values()))
                | Q(question__category_id__in=set(draws.values()))
            )
            .order_by("quiz__title")
            .values_list("category_id", "question__category_id", "quiz__title")
        )
        shown = {}
        for category_id, question_category_id, title in used:
            shown.setdefault(category_id or question_category_id, title)
        names = dict(
            QuestionCategory.objects.filter(pk__in=set(draws.values())).values_list("pk", "name")
        )
        for i, category_id in draws.items():
            if category_id in shown:
                problems.append(
                    (
                        i,
                        _(
                            "The quiz “%(quiz)s” shows its answers and uses questions of "
                            "“%(category)s”: a final exam may not draw from that category at "
                            "random, or trainees collect its answers there. Draw from another "
                            "category, or set that quiz to show answers never."
                        )
                        % {"quiz": shown[category_id], "category": names.get(category_id, "")},
                    )
                )
    return sorted(problems)
