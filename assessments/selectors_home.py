"""What the admin home shows a grader: the work waiting, by quiz and by written assignment.
A fixed number of queries however much is waiting (tests/lms/test_admin_home.py)."""

from dataclasses import dataclass

from django.db.models import Count

from .selectors import grading_queue_answers, grading_queue_submissions


@dataclass(frozen=True)
class WaitingItem:
    kind: str  # "quiz" (answers to hand-grade) or "assignment" (written work)
    title: str
    class_name: str  # "" for course-level work
    count: int


def grading_waiting(*, viewer) -> tuple[list[WaitingItem], int, int]:
    """Each quiz with answers to grade and each assignment with work to grade, the most
    waiting first, and the totals (answers, submissions). Two grouped queries, plus one
    for an instructor's course paths (`_quizzes_placed_in_taught_courses`)."""
    answers = (
        grading_queue_answers(viewer=viewer)
        .order_by()
        .values("attempt__quiz_id", "attempt__quiz__title", "attempt__quiz__training_class__name")
        .annotate(n=Count("pk"))
    )
    submissions = (
        grading_queue_submissions(viewer=viewer)
        .order_by()
        .values("assignment_id", "assignment__title", "assignment__training_class__name")
        .annotate(n=Count("pk"))
    )
    items = [
        WaitingItem(
            "quiz",
            row["attempt__quiz__title"],
            row["attempt__quiz__training_class__name"] or "",
            row["n"],
        )
        for row in answers
    ] + [
        WaitingItem(
            "assignment",
            row["assignment__title"],
            row["assignment__training_class__name"] or "",
            row["n"],
        )
        for row in submissions
    ]
    items.sort(key=lambda i: (-i.count, i.title))
    total_answers = sum(i.count for i in items if i.kind == "quiz")
    return items, total_answers, sum(i.count for i in items) - total_answers
