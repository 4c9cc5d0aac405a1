"""The trainee home page section: open quizzes and unfinished written work."""

from django.utils import timezone

from .models import Attempt, ExamMakeup, Submission
from .selectors import assignment_list_for_trainee, quiz_list_for_trainee, quiz_result


def home_section(request):
    user = request.user
    # A closed final exam stays while a make-up (补考) of it is open to the trainee.
    now = timezone.now()
    makeups = set(
        ExamMakeup.objects.filter(
            trainee=user, attempt__isnull=True, granted_at__lte=now, closes_at__gt=now
        ).values_list("quiz_id", flat=True)
    )
    quizzes = [
        q for q in quiz_list_for_trainee(trainee=user) if not q.is_closed(now) or q.pk in makeups
    ][:5]
    assignments = list(assignment_list_for_trainee(trainee=user)[:5])
    if not quizzes and not assignments:
        return None
    attempts = {}
    for a in Attempt.objects.filter(trainee=user, quiz__in=quizzes):
        attempts.setdefault(a.quiz_id, []).append(a)
    subs = {
        s.assignment_id: s
        for s in Submission.objects.filter(trainee=user, assignment__in=assignments)
    }
    return {
        "template": "assessments/home_section.html",
        "quiz_rows": [(q, quiz_result(quiz=q, attempts=attempts.get(q.pk, []))) for q in quizzes],
        "assignment_rows": [(a, subs.get(a.pk)) for a in assignments],
    }
