"""Every assessments URL × every visitor. Trainee URLs hide others' work as 404."""

from assessments.services.attempts import attempt_start
from assessments.services.written import submission_save
from tests.assessments.factories import AssignmentFactory, essay, quiz_with, single
from tests.permissions.harness import (
    ADMIN_DENIED,
    DENIED,
    LOGIN,
    OK,
    Rule,
    everyone_signed_in,
    only,
)
from tests.training.factories import ClassSessionFactory, class_for_world


def setup(world):
    from django.conf import settings

    settings.PRIVATE_MEDIA_ROOT = settings.BASE_DIR / "var" / "test-uploads"
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    quiz = quiz_with([single(), essay()], training_class=klass, attempts_allowed=0)
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    from assessments.services.attempts import attempt_submit

    done = attempt_start(quiz=quiz_with([essay()], training_class=klass), trainee=world.trainee_a)
    attempt_submit(attempt_id=done.pk, trainee=world.trainee_a)
    # The final exam, failed by trainee_a (handed in blank): eligible for a make-up.
    final = quiz_with([single()], training_class=klass, is_final_exam=True)
    failed = attempt_start(quiz=final, trainee=world.trainee_a)
    attempt_submit(attempt_id=failed.pk, trainee=world.trainee_a)
    assignment = AssignmentFactory(training_class=klass)
    from django.core.files.uploadedfile import SimpleUploadedFile

    sub = submission_save(
        assignment=assignment,
        trainee=world.trainee_a,
        text="心得",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {
        "klass": klass,
        "quiz": quiz,
        "attempt": attempt,
        "done": done,
        "essay_answer": done.questions.get(),
        "assignment": assignment,
        "sub": sub,
    }


OWNER_ONLY = {
    "anonymous": LOGIN,
    "trainee_a": OK,
    "trainee_b": DENIED,
    "instructor_other": DENIED,
    "adviser_other": DENIED,
    "organiser_other": DENIED,
    "organiser": DENIED,
}
CLASS_ONLY = OWNER_ONLY  # the class's trainees only (trainee_a); staff use the admin
STAFF_OF_CLASS = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,
    "trainee_b": LOGIN,
    "instructor_other": DENIED,
    "adviser_other": DENIED,
    "organiser_other": DENIED,
    "organiser": OK,
}
GRADERS = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,
    "trainee_b": LOGIN,
    "instructor_other": OK,
    "adviser_other": ADMIN_DENIED,
    "organiser_other": OK,
    "organiser": OK,
}
STAFF = {**GRADERS, "adviser_other": OK}
NO_SUCH_COURSE = {
    **STAFF,
    **dict.fromkeys(["instructor_other", "adviser_other", "organiser_other", "organiser"], DENIED),
}


def _pk(key):
    return lambda world, ctx: {"pk": ctx[key].pk}


RULES = {
    "assessments:my_work": Rule(expect=everyone_signed_in(OK)),
    "assessments:quiz_detail": Rule(kwargs=_pk("quiz"), expect=CLASS_ONLY),
    "assessments:attempt_start": Rule(
        kwargs=_pk("quiz"), method="post", expect=only({"trainee_a": "redirect"})
    ),
    "assessments:attempt_take": Rule(kwargs=_pk("attempt"), expect=OWNER_ONLY),
    "assessments:attempt_answer": Rule(
        kwargs=_pk("attempt"),
        method="post",
        data=lambda w, c: {"q1": ""},
        expect=only({"trainee_a": "redirect"}),
    ),
    "assessments:attempt_submit": Rule(
        kwargs=_pk("attempt"), method="post", expect=only({"trainee_a": "redirect"})
    ),
    "assessments:attempt_result": Rule(kwargs=_pk("done"), expect=OWNER_ONLY),
    "assessments:assignment_detail": Rule(kwargs=_pk("assignment"), expect=CLASS_ONLY),
    "assessments:submission_file": Rule(kwargs=_pk("sub"), expect={**OWNER_ONLY, "organiser": OK}),
    # Admin: import/export and grading for instructors and organisers.
    "assessments_admin:questions_import": Rule(expect=GRADERS),
    "assessments_admin:questions_import_preview": Rule(
        kwargs=lambda w, c: {"token": "00000000-0000-0000-0000-000000000000"},
        expect={
            **GRADERS,
            "instructor_other": DENIED,
            "organiser_other": DENIED,
            "organiser": DENIED,
        },
    ),
    "assessments_admin:questions_template": Rule(expect=GRADERS),
    "assessments_admin:questions_export": Rule(expect=GRADERS),
    "assessments_admin:grading_queue": Rule(expect=GRADERS),
    "assessments_admin:grade_answer": Rule(
        kwargs=_pk("essay_answer"), expect={**STAFF_OF_CLASS, "adviser_other": ADMIN_DENIED}
    ),
    "assessments_admin:grade_submission": Rule(
        kwargs=_pk("sub"), expect={**STAFF_OF_CLASS, "adviser_other": ADMIN_DENIED}
    ),
    "gradebooks:index": Rule(expect=STAFF),
    "assessments_admin:gradebook_class": Rule(kwargs=_pk("klass"), expect=STAFF_OF_CLASS),
    "assessments_admin:gradebook_class_export": Rule(kwargs=_pk("klass"), expect=STAFF_OF_CLASS),
    # 补考: organisers of the class's unit only; the class's adviser and instructors too
    # get 404, as for a class that does not exist (docs/permissions.md).
    "assessments_admin:makeup_grant": Rule(
        kwargs=lambda w, c: {"pk": c["klass"].pk, "trainee_id": w.trainee_a.pk},
        expect=STAFF_OF_CLASS,
    ),
    # A course that does not exist: every staff member gets 404, trainees the login page.
    "gradebooks:course": Rule(kwargs=lambda w, c: {"pk": 999999}, expect=NO_SUCH_COURSE),
    "gradebooks:course_export": Rule(kwargs=lambda w, c: {"pk": 999999}, expect=NO_SUCH_COURSE),
    # Snippet add/edit views (subclassed here to version questions and record the author).
    "wagtailsnippets_assessments_question:add": Rule(expect=GRADERS),
    # A question is changed by its author or by whoever may change a quiz it is placed in
    # (docs/permissions.md); anyone else is told it does not exist.
    "wagtailsnippets_assessments_question:edit": Rule(
        kwargs=lambda w, c: {"pk": c["quiz"].slots.first().question_id}, expect=STAFF_OF_CLASS
    ),
    "wagtailsnippets_assessments_quiz:add": Rule(expect=GRADERS),
    # The quiz builder and list (subclassed here for the preview buttons), and the preview
    # as a trainee sees it: scoped like editing the quiz, 404 outside it.
    "wagtailsnippets_assessments_quiz:list": Rule(expect=GRADERS),
    "wagtailsnippets_assessments_quiz:list_results": Rule(expect=GRADERS),
    "wagtailsnippets_assessments_quiz:edit": Rule(kwargs=_pk("quiz"), expect=STAFF_OF_CLASS),
    "wagtailsnippets_assessments_quiz:preview_as_trainee": Rule(
        kwargs=_pk("quiz"), expect=STAFF_OF_CLASS
    ),
    "wagtailsnippets_assessments_quiz:preview_frame": Rule(
        kwargs=_pk("quiz"), expect=STAFF_OF_CLASS
    ),
    "wagtailsnippets_assessments_assignment:add": Rule(expect=GRADERS),
}
