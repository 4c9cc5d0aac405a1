"""A quiz's preview for its editors: the trainee's quiz page, at phone width, with questions
drawn as a trainee's attempt would draw them. No attempt is made and nothing is recorded.

Both views are URLs of the quiz snippet viewset taking `pk`, so `ScopedSnippetViewSet`
answers 404 for a quiz outside the editor's scope before they run (docs/permissions.md).
"""

import secrets

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from .models import Quiz
from .preview import quiz_preview

# Phone-sized frame: what most trainees take quizzes on.
PHONE_WIDTH, PHONE_HEIGHT = 390, 780


def _number(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def _seed(request) -> int:
    seed = _number(request.GET.get("seed", ""))
    return secrets.randbelow(10**9) if seed is None else seed


@require_GET
def quiz_preview_page(request, pk):
    quiz = get_object_or_404(Quiz, pk=pk)
    seed = _seed(request)
    frame_url = reverse("wagtailsnippets_assessments_quiz:preview_frame", args=[quiz.pk])
    return render(
        request,
        "assessments/admin/quiz_preview.html",
        {
            "quiz": quiz,
            "seed": seed,
            "frame_url": f"{frame_url}?seed={seed}",
            "redraw_url": f"?seed={secrets.randbelow(10**9)}",
            "edit_url": reverse("wagtailsnippets_assessments_quiz:edit", args=[quiz.pk]),
            "phone_width": PHONE_WIDTH,
            "phone_height": PHONE_HEIGHT,
        },
    )


@require_GET
@xframe_options_sameorigin
def quiz_preview_frame(request, pk):
    """The trainee's page (assessments/attempt_take.html) in preview mode: no form target,
    no autosave script, a note saying so."""
    quiz = get_object_or_404(Quiz, pk=pk)
    preview = quiz_preview(quiz=quiz, seed=_seed(request))
    questions = preview.questions
    total = len(questions)
    per_question = quiz.layout == Quiz.Layout.PER_QUESTION and total > 0
    page = 1
    if per_question:
        page = min(max(_number(request.GET.get("q", "")) or 1, 1), total)
    return render(
        request,
        "assessments/attempt_take.html",
        {
            "preview": True,
            # As a trainee sees it: no Wagtail user bar, no link to the admin.
            "is_staff_role": False,
            "preview_problem": (
                _(
                    "Trainees cannot start this quiz as it is: it draws more questions from "
                    "a category than the category has active questions."
                )
                if preview.misconfigured
                else ""
            ),
            "page_query": f"seed={preview.seed}&",
            "preview_time_left": (
                f"{quiz.time_limit_minutes}:00" if quiz.time_limit_minutes else ""
            ),
            "attempt": None,
            "quiz": quiz,
            "questions": [questions[page - 1]] if per_question else questions,
            "all_questions": questions,
            "answered_count": 0,
            "total": total,
            "per_question": per_question,
            "page": page,
            "prev_page": page - 1 if per_question and page > 1 else None,
            "next_page": page + 1 if per_question and page < total else None,
        },
    )
