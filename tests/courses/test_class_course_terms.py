"""必修/选修 and a due date per class course: set by the class's organisers, shown to its
trainees; an elective left unfinished is never counted as missing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses import selectors
from courses import selectors_assignment as sel
from courses import services_assignment as services
from courses.models import ClassCourse, CoursePage, CourseProgress
from people.roles import Role
from tests.courses.factories import link_class, make_course
from tests.factories import UserFactory
from tests.training.factories import EnrolmentFactory, class_for_world

COMPULSORY, ELECTIVE = CoursePage.Requirement.COMPULSORY, CoursePage.Requirement.ELECTIVE
TODAY = timezone.localdate()
YESTERDAY, NEXT_WEEK = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=7)


@pytest.fixture
def klass(world):
    return class_for_world(world)


def _done(trainee, course):
    return CourseProgress.objects.create(
        trainee=trainee, course=course, seconds_studied=600, completed_at=timezone.now()
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------------------------------
# The service


def test_a_course_added_to_a_class_takes_the_courses_own_requirement_unless_told(
    world, indexes, klass
):
    elective = make_course(indexes[0], lessons=1, requirement=ELECTIVE)
    compulsory = make_course(indexes[0], lessons=1)
    link, _ = services.class_course_add(
        actor=world.organiser, training_class=klass, course=elective
    )
    assert link.requirement == ELECTIVE and link.due_date is None
    link, _ = services.class_course_add(
        actor=world.organiser,
        training_class=klass,
        course=compulsory,
        requirement=ELECTIVE,
        due_date=NEXT_WEEK,
    )
    assert (link.requirement, link.due_date) == (ELECTIVE, NEXT_WEEK)
    entry = ModelLogEntry.objects.filter(action="courses.class_course_add").order_by("pk").last()
    assert entry.data["requirement"] == ELECTIVE
    assert entry.data["due_date"] == NEXT_WEEK.isoformat()


def test_changing_the_terms_is_audited_once_and_safe_to_repeat(world, indexes, klass):
    course = make_course(indexes[0], lessons=1)
    link_class(klass, course)
    kwargs = {"actor": world.organiser, "training_class": klass, "course": course}
    link, changed = services.class_course_update(**kwargs, requirement=ELECTIVE, due_date=NEXT_WEEK)
    assert changed and (link.requirement, link.due_date) == (ELECTIVE, NEXT_WEEK)
    _link, changed = services.class_course_update(
        **kwargs, requirement=ELECTIVE, due_date=NEXT_WEEK
    )
    assert not changed
    [entry] = ModelLogEntry.objects.filter(action="courses.class_course_update")
    assert entry.data["before"] == {"requirement": COMPULSORY, "due_date": None}
    assert entry.data["due_date"] == NEXT_WEEK.isoformat()


@pytest.mark.parametrize("actor", ["organiser_other", "adviser", "instructor", "trainee_a"])
def test_only_the_classs_organisers_change_its_terms(world, indexes, klass, actor):
    course = make_course(indexes[0], lessons=1)
    link_class(klass, course)
    with pytest.raises(services.ClassOutOfScope):
        services.class_course_update(
            actor=getattr(world, actor),
            training_class=klass,
            course=course,
            requirement=ELECTIVE,
            due_date=None,
        )
    assert ClassCourse.objects.get().requirement == COMPULSORY


def test_bad_terms_and_a_course_the_class_lacks_are_refused(world, indexes, klass):
    course = make_course(indexes[0], lessons=1)
    with pytest.raises(services.CourseNotInClass):
        services.class_course_update(
            actor=world.organiser,
            training_class=klass,
            course=course,
            requirement=ELECTIVE,
            due_date=None,
        )
    link_class(klass, course)
    with pytest.raises(services.BadRequirement):
        services.class_course_update(
            actor=world.organiser,
            training_class=klass,
            course=course,
            requirement="maybe",
            due_date=None,
        )


def test_finishing_every_compulsory_course_ignores_electives(world, indexes, klass):
    compulsory = make_course(indexes[0], lessons=1)
    elective = make_course(indexes[0], lessons=1)
    link_class(klass, compulsory)
    link_class(klass, elective, requirement=ELECTIVE)
    other = UserFactory(roles=[Role.TRAINEE], org_unit=world.village_a)
    EnrolmentFactory(training_class=klass, trainee=other)
    assert sel.compulsory_finished_count(training_class=klass) == 0
    _done(world.trainee_a, compulsory)  # the elective left unfinished
    _done(other, elective)  # the elective only: still short of the compulsory one
    assert sel.compulsory_finished_count(training_class=klass) == 1


# ---------------------------------------------------------------------------------------
# The class's course screen in the admin


def test_organiser_sets_elective_and_a_due_date_on_the_class_course_screen(
    client, world, indexes, klass
):
    course = make_course(indexes[0], lessons=1, title="组织振兴")
    link_class(klass, course)
    client.force_login(world.organiser)
    page = client.get(reverse("courses_admin:class_courses", args=[klass.pk]))
    terms = reverse("courses_admin:class_course_terms", args=[klass.pk, course.pk])
    assert terms in page.content.decode()
    response = client.post(
        terms, {"requirement": ELECTIVE, "due_date": NEXT_WEEK.isoformat()}, follow=True
    )
    assert "已保存“组织振兴”。" in _messages(response)
    link = ClassCourse.objects.get()
    assert (link.requirement, link.due_date) == (ELECTIVE, NEXT_WEEK)
    response = client.post(
        terms, {"requirement": ELECTIVE, "due_date": NEXT_WEEK.isoformat()}, follow=True
    )
    assert "没有改动。" in _messages(response)
    response = client.post(terms, {"requirement": "maybe", "due_date": "明天"}, follow=True)
    assert ClassCourse.objects.get().requirement == ELECTIVE
    assert len(_messages(response)) == 2  # both fields refused, in Chinese
    # Clearing the date is a change too.
    client.post(terms, {"requirement": COMPULSORY, "due_date": ""})
    assert ClassCourse.objects.get().due_date is None


def test_organiser_adds_a_course_as_elective_with_a_due_date(client, world, indexes, klass):
    course = make_course(indexes[0], lessons=1)
    client.force_login(world.organiser)
    client.post(
        reverse("courses_admin:class_course_add", args=[klass.pk]),
        {"course": course.pk, "requirement": ELECTIVE, "due_date": NEXT_WEEK.isoformat()},
    )
    link = ClassCourse.objects.get()
    assert (link.requirement, link.due_date) == (ELECTIVE, NEXT_WEEK)


def test_others_cannot_change_the_terms_through_the_admin(client, world, indexes, klass):
    course = make_course(indexes[0], lessons=1)
    link_class(klass, course)
    terms = reverse("courses_admin:class_course_terms", args=[klass.pk, course.pk])
    data = {"requirement": ELECTIVE, "due_date": ""}
    client.force_login(world.organiser_other)
    assert client.post(terms, data).status_code == 404
    client.force_login(world.adviser)
    response = client.post(terms, data, follow=True)
    assert "只有该班主办单位的组织员才能调整本班课程。" in _messages(response)
    page = client.get(reverse("courses_admin:class_courses", args=[klass.pk])).content.decode()
    assert terms not in page  # read-only for the adviser
    assert ClassCourse.objects.get().requirement == COMPULSORY


# ---------------------------------------------------------------------------------------
# The trainee's side


def test_class_page_shows_each_course_with_its_badge_due_date_and_overdue_mark(
    client, world, indexes, klass
):
    late = make_course(indexes[0], lessons=1, title="逾期必修课")
    done = make_course(indexes[0], lessons=1, title="已学完必修课")
    elective = make_course(indexes[0], lessons=1, title="过期选修课")
    link_class(klass, late, due_date=YESTERDAY)
    link_class(klass, done, due_date=YESTERDAY)
    link_class(klass, elective, requirement=ELECTIVE, due_date=YESTERDAY)
    _done(world.trainee_a, done)
    client.force_login(world.trainee_a)
    response = client.get(reverse("training:class_detail", args=[klass.pk]))
    page = response.content.decode()
    section = page[page.index('id="courses"') :]
    assert "网络课程" in page
    assert "必修课已学完 1 / 2 门" in section
    assert "1 门已逾期" in section
    item = section[section.index("逾期必修课") - 200 : section.index("逾期必修课") + 400]
    assert "必修" in item and "已逾期" in item
    item = section[section.index("过期选修课") - 200 : section.index("过期选修课") + 400]
    assert "选修" in item and "已逾期" not in item and "已过截止日期（选修）" in item
    assert f"截止 {YESTERDAY.year}年{YESTERDAY.month}月{YESTERDAY.day}日" in section


def test_an_unfinished_elective_is_not_missing_on_the_class_page(world, indexes, klass):
    compulsory = make_course(indexes[0], lessons=1)
    elective = make_course(indexes[0], lessons=1)
    link_class(klass, compulsory, due_date=YESTERDAY)
    link_class(klass, elective, requirement=ELECTIVE, due_date=YESTERDAY)
    _done(world.trainee_a, compulsory)
    courses = selectors.class_courses_for_trainee(training_class=klass, trainee=world.trainee_a)
    assert courses.compulsory_missing == 0 and courses.overdue == 0
    assert [s.course.pk for s in courses.statuses] == [compulsory.pk, elective.pk]


def test_a_class_without_courses_shows_no_course_section(client, world, klass):
    client.force_login(world.trainee_a)
    page = client.get(reverse("training:class_detail", args=[klass.pk])).content.decode()
    assert 'id="courses"' not in page


def test_my_learning_follows_the_class_terms(world, indexes, klass):
    """A course elective by its own setting but compulsory in the trainee's class reads 必修,
    with the class's due date; the next course to study is the compulsory one."""
    elective_here = make_course(indexes[0], lessons=1, title="本班选修")
    compulsory_here = make_course(indexes[0], lessons=1, title="本班必修", requirement=ELECTIVE)
    link_class(klass, elective_here, requirement=ELECTIVE)
    link_class(klass, compulsory_here, requirement=COMPULSORY, due_date=YESTERDAY)
    learning = selectors.my_learning(trainee=world.trainee_a)
    by_title = {s.course.title: s for s in learning["statuses"]}
    assert by_title["本班必修"].is_compulsory and by_title["本班必修"].is_overdue
    assert not by_title["本班选修"].is_compulsory and not by_title["本班选修"].is_overdue
    assert learning["next_up"].course.title == "本班必修"


def test_compulsory_in_any_class_wins_with_its_earliest_due_date(world, indexes, klass):
    from tests.training.factories import TrainingClassFactory

    course = make_course(indexes[0], lessons=1)
    second = TrainingClassFactory(organising_unit=world.county_a)
    third = TrainingClassFactory(organising_unit=world.county_a)
    for k in (second, third):
        EnrolmentFactory(training_class=k, trainee=world.trainee_a)
    link_class(klass, course, requirement=ELECTIVE, due_date=YESTERDAY)
    link_class(
        second, course, requirement=COMPULSORY, due_date=NEXT_WEEK + datetime.timedelta(days=3)
    )
    link_class(third, course, requirement=COMPULSORY, due_date=NEXT_WEEK)
    assert selectors.class_terms(trainee=world.trainee_a) == {course.pk: (COMPULSORY, NEXT_WEEK)}


def test_links_made_before_the_migration_keep_the_courses_own_requirement(world, indexes, klass):
    from importlib import import_module

    from django.apps import apps

    elective = make_course(indexes[0], lessons=1, requirement=ELECTIVE)
    compulsory = make_course(indexes[0], lessons=1)
    link_class(klass, elective)  # made as the old schema did: compulsory by default
    link_class(klass, compulsory)
    migration = import_module("courses.migrations.0004_class_course_requirement_due_date")
    migration.requirement_from_course(apps, None)
    assert dict(ClassCourse.objects.values_list("course_id", "requirement")) == {
        elective.pk: ELECTIVE,
        compulsory.pk: COMPULSORY,
    }
