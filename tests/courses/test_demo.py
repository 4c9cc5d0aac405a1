import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import (
    CaseStudyPage,
    ClassCourse,
    CourseEnrolment,
    CoursePage,
    CourseProgress,
    LessonPage,
)


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def snapshot():
    return (
        list(CoursePage.objects.values_list("pk", "title", "live", "latest_revision_id")),
        list(LessonPage.objects.values_list("pk", "title", "live", "latest_revision_id")),
        list(CaseStudyPage.objects.values_list("pk", "title", "latest_revision_id")),
        list(ClassCourse.objects.values_list("pk", "course_id")),
        list(CourseEnrolment.objects.values_list("pk", "trainee_id")),
    )


@pytest.mark.django_db
def test_demo_course_and_cases_and_a_second_run_changes_nothing():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first

    course = CoursePage.objects.get(title="宜居宜业和美乡村先导区建设：片区化组团式发展")
    assert course.live and course.url == "/courses/pilot-zone-cluster-development/"
    lessons = LessonPage.objects.live().child_of(course)
    assert lessons.count() >= 5
    cases = {c.slug: c for c in CaseStudyPage.objects.live()}
    assert len(cases) >= 4
    qinyang = cases["qinyang-regional-committee"]
    figures = {b.value["label"]: b.value for b in qinyang.figures}
    assert str(figures["主导产业生产总值"]["value"]) in ("25.7", "25.70")
    assert figures["主导产业生产总值"]["unit"] == "亿元"
    assert qinyang.place.name == "沁阳市" and qinyang.source_name
    assert cases["mengzhou-five-clusters"].place.name == "孟州市"
    assert all(c.source_name for c in cases.values())
    assert set(course.case_studies.values_list("slug", flat=True)) == set(cases)


@pytest.mark.django_db
def test_demo_trainee_studies_and_finds_the_qinyang_case(client):
    seed()
    course = CoursePage.objects.get(slug="pilot-zone-cluster-development")
    link = ClassCourse.objects.filter(course=course).first()
    if link is not None:
        trainee = link.training_class.enrolments.first().trainee
    else:
        trainee = CourseEnrolment.objects.filter(course=course).first().trainee
    client.force_login(trainee)
    assert client.get("/courses/").status_code == 200
    assert client.get("/cases/").status_code == 200
    lesson = LessonPage.objects.live().child_of(course).first()
    assert client.get(lesson.url).status_code == 200
    assert CourseProgress.objects.filter(trainee=trainee, course=course).exists()
    found = client.get(reverse("courses:search"), {"q": "区域党委"}).context["cases"]
    assert found[0].slug == "qinyang-regional-committee"
