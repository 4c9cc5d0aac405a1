"""A quiz as a trainee would be given it, for the staff who edit it: nothing is recorded.

The questions come from the very draw an attempt makes (`services.attempts._draw`), with
the same random generator used in the same order, so a preview with seed S shows what
`attempt_start(seed=S)` would give a trainee: the same questions, in the same order, with
the same options shuffled the same way. The draw may make the first version of a question
that never had one; it runs in a transaction that is rolled back, so a preview leaves the
database as it found it, attempt or no attempt.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction

from .errors import QuizMisconfigured
from .models import AttemptQuestion, QuestionVersion, Quiz
from .option_tokens import CHOICE_TYPES
from .presenters import question_view
from .services.attempts import _draw


@dataclass
class QuizPreview:
    seed: int
    questions: list[dict] = field(default_factory=list)
    # The draw fails as the trainee's start would: the quiz asks for more than its bank holds.
    misconfigured: bool = False


def quiz_preview(*, quiz: Quiz, seed: int) -> QuizPreview:
    rng = random.Random(seed)
    with transaction.atomic():
        try:
            drawn = _draw(quiz, rng)
        except QuizMisconfigured:
            drawn = None
        versions = QuestionVersion.objects.in_bulk([vid for vid, _h, _p in drawn or []])
        transaction.set_rollback(True)
    if drawn is None:
        return QuizPreview(seed=seed, misconfigured=True)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    questions = []
    for position, (vid, _digest, points) in enumerate(drawn, start=1):
        version = versions[vid]
        keys = [option["key"] for option in version.data["options"]]
        if quiz.shuffle_options and version.data["type"] in CHOICE_TYPES:
            rng.shuffle(keys)
        placed = AttemptQuestion(
            position=position, version=version, points=points, option_order=keys
        )
        questions.append(question_view(placed, reveal=False))
    return QuizPreview(seed=seed, questions=questions)
