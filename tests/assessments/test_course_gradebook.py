"""A course's gradebook: its quizzes and written work beside how far each trainee has
studied it, for everyone the course is given to — also those who never opened a quiz."""

import io

import pytest
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from courses.gradebook import gradebook_for_course
from courses.models import CourseProgress
from tests.assessments.factories import AssignmentFactory, quiz_with, single
from tests.courses.factories import enrol, lessons_of, link_class, make_course, site_indexes
from tests.training.factories import class_for_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    """Taught by `instructor`; on 罗山's class (trainee_a) and given directly to trainee_b
    of 息县, with one quiz and one reflection. trainee_a has passed the quiz."""
    courses, _cases = site_indexes()
    course = make_course(courses, lessons=3, minutes=5, instructors=[world.instructor])
    link_class(class_for_world(world), course)
    enrol(world.trainee_b, course)
    quiz = quiz_with([single()], course_page=course, title="随堂测验")
    AssignmentFactory(course_page=course, title="学习心得")
    attempt = attempt_start(quiz=quiz, trainee=world.trainee_a)
    question = attempt.questions.select_related("version").get()
    right = next(o["key"] for o in question.version.data["options"] if o["correct"])
    attempt_answer_save(
        attempt_id=attempt.pk,
        trainee=world.trainee_a,
        position=question.position,
        answer=right,
        seq=1,
    )
    attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    CourseProgress.objects.create(
        trainee=world.trainee_a, course=course, seconds_studied=25 * 60 + 59, lessons_completed=2
    )
    return course


def names(book):
    return sorted(row.trainee.full_name for row in book.rows)


def test_instructor_sees_every_trainee_the_course_is_given_to(world, course):
    book = gradebook_for_course(viewer=world.instructor, page_id=course.pk)
    assert names(book) == ["学员乙", "学员甲"]  # trainee_b never opened the quiz
    assert book.lesson_count == 3
    rows = {row.trainee.full_name: row for row in book.rows}
    first, second = rows["学员甲"], rows["学员乙"]
    assert first.quiz_results[0].passed is True and first.quiz_results[0].attempts == 1
    assert (first.lessons_completed, first.minutes_studied) == (2, 25)
    assert second.quiz_results[0].attempts == 0 and second.submissions == [None]
    assert (second.lessons_completed, second.minutes_studied) == (0, 0)


def test_an_organiser_sees_the_roster_of_its_units_and_the_work_it_may_grade(world, course):
    # 罗山's organiser: its class's trainee_a; trainee_b (息县, given directly) is not theirs.
    assert names(gradebook_for_course(viewer=world.organiser, page_id=course.pk)) == ["学员甲"]
    # 息县's organiser: its own trainee_b only. trainee_a's answers to the course's quiz are
    # 罗山's and the course instructors' to see (issue 14), no longer every grader's.
    other = gradebook_for_course(viewer=world.organiser_other, page_id=course.pk)
    assert names(other) == ["学员乙"]
    # An instructor who does not teach the course has no gradebook of it at all.
    with pytest.raises(Http404):
        gradebook_for_course(viewer=world.instructor_other, page_id=course.pk)


def test_page_and_xlsx_show_study_beside_the_scores(world, course, client):
    client.force_login(world.instructor)
    page = client.get(reverse("gradebooks:course", args=[course.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "已完成课时" in html and "2 / 3" in html and "学员乙" in html
    export = client.get(reverse("gradebooks:course_export", args=[course.pk]))
    sheet = load_workbook(io.BytesIO(export.getvalue())).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["姓名", "手机号", "单位", "完成课时（共3）", "学习分钟", "课程完成时间"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["学员甲"][3:6] == (2, 25, None)
    assert "通过" in rows["学员甲"]
    assert rows["学员乙"][3:5] == (0, 0) and "未参加" in rows["学员乙"]
    assert "未提交" in rows["学员乙"]


def test_a_trainee_cannot_open_a_course_gradebook(world, course, client):
    client.force_login(world.trainee_a)
    page = client.get(reverse("gradebooks:course", args=[course.pk]))
    assert page.status_code in (302, 403, 404)


def test_a_quiz_placed_in_a_lesson_is_in_the_course_gradebook_and_its_index(world, client):
    courses, _cases = site_indexes()
    course = make_course(courses, lessons=2, minutes=5, instructors=[world.instructor])
    quiz = quiz_with([single()], title="第二课随堂测验", created_by=world.instructor)
    lesson = lessons_of(course)[1]
    lesson.body.append(("quiz", {"quiz": quiz, "heading": ""}))
    lesson.save_revision().publish()

    book = gradebook_for_course(viewer=world.instructor, page_id=course.pk)
    assert [q.title for q in book.quizzes] == ["第二课随堂测验"]
    client.force_login(world.instructor)
    index = client.get(reverse("gradebooks:index")).content.decode()
    assert reverse("gradebooks:course", args=[course.pk]) in index

    lesson.unpublish()  # an unpublished lesson's quiz is no longer the course's
    assert gradebook_for_course(viewer=world.instructor, page_id=course.pk).quizzes == []
    index = client.get(reverse("gradebooks:index")).content.decode()
    assert reverse("gradebooks:course", args=[course.pk]) not in index
