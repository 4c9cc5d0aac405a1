"""Issue 14, reproduction A: work placed on a course (no training class) was open to every
grader. Now a course's work is its instructors' to grade, and an organiser's only for the
trainees of the units it manages; out of scope answers 404 and the services refuse it."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.errors import GradingOutOfScope
from assessments.models import GradeChange
from assessments.selectors import (
    assignment_list_for_staff,
    graded_recently_answers,
    grading_queue_answers,
    grading_queue_submissions,
    quiz_list_for_staff,
)
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.marking import answer_grade, submission_grade
from assessments.services.written import submission_save
from courses.gradebook import gradebook_for_course
from tests.assessments.factories import AssignmentFactory, essay, quiz_with
from tests.courses.factories import enrol, lessons_of, make_course, site_indexes

pytestmark = pytest.mark.django_db


def _essay_answer(quiz, trainee, text):
    attempt = attempt_start(quiz=quiz, trainee=trainee)
    attempt_answer_save(attempt_id=attempt.pk, trainee=trainee, position=1, answer=text, seq=1)
    attempt_submit(attempt_id=attempt.pk, trainee=trainee)
    return attempt.questions.get(position=1)


@pytest.fixture
def course_work(world, settings, tmp_path):
    """A city course taught by `instructor`, given directly to trainee_a (罗山县) and
    trainee_b (息县); both answered its course-level essay quiz and handed in a file."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    courses, _cases = site_indexes()
    course = make_course(courses, lessons=1, instructors=[world.instructor])
    enrol(world.trainee_a, course)
    enrol(world.trainee_b, course)
    quiz = quiz_with([essay()], course_page=course, title="课程论述题")
    assignment = AssignmentFactory(course_page=course, title="课程心得")
    work = {"course": course, "quiz": quiz, "assignment": assignment}
    for key, trainee in (("a", world.trainee_a), ("b", world.trainee_b)):
        work[f"answer_{key}"] = _essay_answer(quiz, trainee, f"{trainee.full_name}的论述")
        work[f"sub_{key}"] = submission_save(
            assignment=assignment,
            trainee=trainee,
            text="心得",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
    return work


def _get(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(name, args=[pk]))


def test_county_organiser_cannot_see_or_grade_other_county_trainee_essay_on_course_quiz(
    world, course_work, client
):
    answer_a, answer_b = course_work["answer_a"], course_work["answer_b"]
    organiser = world.organiser  # 罗山县
    assert list(grading_queue_answers(viewer=organiser)) == [answer_a]
    assert list(grading_queue_submissions(viewer=organiser)) == [course_work["sub_a"]]
    client.force_login(organiser)
    queue = client.get(reverse("assessments_admin:grading_queue")).content.decode()
    assert "学员甲" in queue and "学员乙" not in queue
    for name, pk in (
        ("assessments_admin:grade_answer", answer_b.pk),
        ("assessments_admin:grade_submission", course_work["sub_b"].pk),
        ("assessments:submission_file", course_work["sub_b"].pk),
    ):
        assert _get(client, organiser, name, pk).status_code == 404, name
    with pytest.raises(GradingOutOfScope) as refused:
        answer_grade(grader=organiser, answer_id=answer_b.pk, score=Decimal("1"))
    assert refused.value.code == "grading_out_of_scope"
    with pytest.raises(GradingOutOfScope):
        submission_grade(grader=organiser, submission_id=course_work["sub_b"].pk, grade="pass")
    assert not GradeChange.objects.exists()

    # Her own trainee's essay and file stay hers to grade; 息县's organiser has trainee_b's.
    assert _get(client, organiser, "assessments_admin:grade_answer", answer_a.pk).status_code == 200
    answer_grade(grader=organiser, answer_id=answer_a.pk, score=Decimal("5"))
    answer_grade(grader=world.organiser_other, answer_id=answer_b.pk, score=Decimal("6"))
    assert list(graded_recently_answers(viewer=organiser)) == [answer_a]
    assert list(graded_recently_answers(viewer=world.city_organiser)) == [answer_b, answer_a]


def test_instructor_not_teaching_course_cannot_grade_or_download(world, course_work, client):
    outsider, course = world.instructor_other, course_work["course"]
    assert not quiz_list_for_staff(viewer=outsider).filter(pk=course_work["quiz"].pk).exists()
    assert not assignment_list_for_staff(viewer=outsider).exists()
    assert not grading_queue_answers(viewer=outsider).exists()
    assert not grading_queue_submissions(viewer=outsider).exists()
    for name, pk in (
        ("assessments_admin:grade_answer", course_work["answer_b"].pk),
        ("assessments_admin:grade_submission", course_work["sub_b"].pk),
        ("assessments:submission_file", course_work["sub_b"].pk),
        ("gradebooks:course", course.pk),
        ("gradebooks:course_export", course.pk),
    ):
        assert _get(client, outsider, name, pk).status_code == 404, name
    index = client.get(reverse("gradebooks:index")).content.decode()
    assert reverse("gradebooks:course", args=[course.pk]) not in index
    with pytest.raises(GradingOutOfScope):
        answer_grade(grader=outsider, answer_id=course_work["answer_b"].pk, score=Decimal("1"))
    with pytest.raises(GradingOutOfScope):
        submission_grade(grader=outsider, submission_id=course_work["sub_b"].pk, grade="pass")
    assert not GradeChange.objects.exists()

    # The course's own instructor grades and downloads the work of every trainee.
    teacher = world.instructor
    for name, pk in (
        ("assessments_admin:grade_answer", course_work["answer_b"].pk),
        ("assessments_admin:grade_submission", course_work["sub_b"].pk),
        ("assessments:submission_file", course_work["sub_b"].pk),
        ("gradebooks:course", course.pk),
    ):
        assert _get(client, teacher, name, pk).status_code == 200, name
    submission_grade(grader=teacher, submission_id=course_work["sub_b"].pk, grade="good")


def test_course_gradebook_export_lists_only_trainees_in_scope(world, course_work, client):
    course = course_work["course"]

    def exported(user):
        response = _get(client, user, "gradebooks:course_export", course.pk)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
        return {row[:3] for row in sheet.iter_rows(min_row=2, values_only=True)}

    a, b = world.trainee_a, world.trainee_b
    row_a = (a.full_name, a.phone, a.org_unit.name)
    row_b = (b.full_name, b.phone, b.org_unit.name)
    assert exported(world.organiser) == {row_a}
    assert exported(world.organiser_other) == {row_b}
    assert exported(world.city_organiser) == {row_a, row_b}
    assert exported(world.instructor) == {row_a, row_b}
    names = [
        r.trainee.full_name
        for r in gradebook_for_course(viewer=world.organiser, page_id=course.pk).rows
    ]
    assert names == ["学员甲"]


def test_quiz_placed_in_a_lesson_is_graded_by_the_course_instructors_only(world, client):
    courses, _cases = site_indexes()
    course = make_course(courses, lessons=1, instructors=[world.instructor])
    quiz = quiz_with([essay()], title="课中论述")
    lesson = lessons_of(course)[0]
    lesson.body.append(("quiz", {"quiz": quiz, "heading": ""}))
    lesson.save_revision().publish()
    answer = _essay_answer(quiz, world.trainee_b, "论述")

    assert list(grading_queue_answers(viewer=world.instructor)) == [answer]
    assert not grading_queue_answers(viewer=world.instructor_other).exists()
    assert not grading_queue_answers(viewer=world.organiser).exists()
    answer_grade(grader=world.instructor, answer_id=answer.pk, score=Decimal("3"))
    with pytest.raises(GradingOutOfScope):
        answer_grade(grader=world.instructor_other, answer_id=answer.pk, score=Decimal("1"))
