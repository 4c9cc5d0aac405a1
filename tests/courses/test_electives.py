"""自主选学: trainees enrol themselves in catalogue courses and earn online 学时 on finishing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses import services
from courses.models import CourseEnrolment, Theme
from courses.selectors import elective_catalogue
from courses.services_assignment import CourseNotSelfSelectable, NotATrainee
from ledger.models import CreditEntry
from ledger.selectors import ledger_summary
from tests.courses.factories import lessons_of, make_course
from tests.courses.test_study_clock import at, beat, open_view

pytestmark = pytest.mark.django_db


@pytest.fixture
def elective(indexes):
    course = make_course(indexes[0], lessons=2, minutes=15, self_selectable=True, title="乡村产业")
    course.themes.set([Theme.objects.get(code=Theme.Code.INDUSTRY)])
    course.save()
    return course


def test_a_trainee_enrols_once_however_often_they_tap(world, elective):
    first, created = services.course_self_enrol(trainee=world.trainee_a, course=elective)
    again, created_again = services.course_self_enrol(trainee=world.trainee_a, course=elective)
    assert created and not created_again and first.pk == again.pk
    assert first.assigned_by == world.trainee_a
    assert CourseEnrolment.objects.filter(trainee=world.trainee_a, course=elective).count() == 1
    logs = ModelLogEntry.objects.filter(action="courses.course_self_enrol")
    assert logs.count() == 1


def test_a_course_not_in_the_catalogue_cannot_be_self_enrolled(world, indexes):
    course = make_course(indexes[0], lessons=1)
    with pytest.raises(CourseNotSelfSelectable):
        services.course_self_enrol(trainee=world.trainee_a, course=course)
    assert not CourseEnrolment.objects.filter(course=course).exists()


def test_an_unpublished_catalogue_course_cannot_be_self_enrolled(world, elective):
    elective.unpublish()
    with pytest.raises(CourseNotSelfSelectable):
        services.course_self_enrol(trainee=world.trainee_a, course=elective)


def test_staff_do_not_self_enrol(world, elective):
    with pytest.raises(NotATrainee):
        services.course_self_enrol(trainee=world.organiser, course=elective)


def test_the_catalogue_lists_electives_by_theme_with_their_hours(world, indexes, elective):
    unthemed = make_course(indexes[0], lessons=1, minutes=10, self_selectable=True, title="其他")
    make_course(indexes[0], lessons=1, title="不开放")
    services.course_self_enrol(trainee=world.trainee_a, course=elective)
    shelves = elective_catalogue(trainee=world.trainee_a)
    assert [s.theme.code if s.theme else None for s in shelves] == ["industry", None]
    (status,) = shelves[0].statuses
    # Two lessons of 15 min: 30 min, the ≥30 min tier.
    assert status.course == elective and status.credit_hours == Decimal("1")
    assert status.enrolled
    assert shelves[1].statuses[0].course == unthemed
    assert shelves[1].statuses[0].credit_hours == Decimal("0.25")
    assert not shelves[1].statuses[0].enrolled


def test_completing_an_elective_posts_online_hours_once(world, elective):
    services.course_self_enrol(trainee=world.trainee_a, course=elective)
    clock = 0
    for lesson in lessons_of(elective):
        view = open_view(world.trainee_a, elective, lesson, opened=at(clock))
        for seq in range(1, 61):  # 60 beats × 15 s = 15 min
            clock += 15
            result = beat(world.trainee_a, view, seq, clock)
    assert result.course_complete
    services.course_progress_refresh(trainee=world.trainee_a, course_id=elective.pk)
    entries = CreditEntry.objects.filter(person=world.trainee_a)
    assert [(e.source_key, e.channel, e.hours) for e in entries] == [
        (f"course:{elective.pk}", CreditEntry.Channel.ONLINE, Decimal("1.00"))
    ]
    summary = ledger_summary(person=world.trainee_a, today=datetime.date(2026, 7, 2))
    assert summary.online_this_year == Decimal("1") and summary.online_target == Decimal("50")
    assert summary.online_percent == 2


def test_a_trainee_reads_an_elective_course_page_before_enrolling_but_not_its_lessons(
    client, world, elective
):
    client.force_login(world.trainee_a)
    page = client.get(elective.url)
    assert page.status_code == 200
    assert reverse("courses:self_enrol", args=[elective.pk]) in page.content.decode()
    assert client.get(lessons_of(elective)[0].url).status_code == 403
    response = client.post(reverse("courses:self_enrol", args=[elective.pk]))
    assert response.status_code == 302
    assert client.get(lessons_of(elective)[0].url).status_code == 200


def test_the_catalogue_page_shows_the_enrol_button(client, world, elective):
    client.force_login(world.trainee_a)
    html = client.get(reverse("courses:electives")).content.decode()
    assert elective.title in html and reverse("courses:self_enrol", args=[elective.pk]) in html


def test_self_enrol_of_a_course_outside_the_catalogue_is_a_404(client, world, indexes):
    course = make_course(indexes[0], lessons=1)
    client.force_login(world.trainee_a)
    assert client.post(reverse("courses:self_enrol", args=[course.pk])).status_code == 404
