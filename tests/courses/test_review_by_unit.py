"""Issue 16: lesson approval goes to the reviewers of the course's owning unit.

A county organiser used to be asked to approve the city's lessons: Wagtail's group approval
asks every organiser. Now a course has an owning unit, and its pages are reviewed by the
organisers who manage that unit or a unit above it (the city reviews its counties' courses
too); the others neither see them in "awaiting your review", nor get the e-mail, nor may
approve them, nor publish them directly. Pages outside any course and courses without an
owning unit keep the plain group rule (tests/courses/test_authoring.py).
"""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowState, WorkflowTask

from courses.authoring import TASK_NAME, WORKFLOW_NAME, authoring_workflow_ensure
from courses.models import CourseApprovalTask, CoursePage, LessonPage
from tests.courses.factories import lessons_of, make_course
from tests.courses.test_authoring import add_lesson_url, lesson_form


@pytest.fixture
def reviewers(world):
    for user in (world.organiser, world.organiser_other, world.city_organiser, world.admin):
        user.email = f"{user.pk}@example.org"
        user.save(update_fields=["email"])
    return world


@pytest.fixture
def city_course(indexes, world):
    return make_course(
        indexes[0], lessons=1, instructors=[world.instructor], owning_unit=world.city
    )


@pytest.fixture
def county_course(indexes, world):
    return make_course(
        indexes[0], lessons=1, instructors=[world.instructor], owning_unit=world.county_a
    )


def _submit_lesson(client, world, course, slug):
    client.force_login(world.instructor)
    data = lesson_form(f"新课时 {slug}", slug, "<p>待审核的正文。</p>")
    data["action-submit"] = "Submit"
    response = client.post(add_lesson_url(course), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(response["Location"])  # the "submitted" message, shown once
    lesson = LessonPage.objects.get(slug=slug)
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    return lesson, state.current_task_state


def _awaiting(user):
    return {ts.workflow_state.object_id for ts in TaskState.objects.reviewable_by(user)}


def _refused(response) -> bool:
    """Wagtail's refusal: 403, or back to the dashboard with "no permission"."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def _approve(client, user, lesson, task_state):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "同意"})


def test_a_city_lesson_goes_to_the_city_reviewers_not_a_county_organiser(
    client, reviewers, city_course
):
    world = reviewers
    mail.outbox.clear()
    lesson, task_state = _submit_lesson(client, world, city_course, "city-lesson")
    assert isinstance(task_state.task.specific, CourseApprovalTask)

    # Awaiting review: the city organiser (and the administrator), no county organiser.
    assert str(lesson.pk) in _awaiting(world.city_organiser)
    assert str(lesson.pk) in _awaiting(world.admin)
    assert str(lesson.pk) not in _awaiting(world.organiser)
    assert str(lesson.pk) not in _awaiting(world.organiser_other)
    client.force_login(world.organiser)
    assert lesson.title not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert lesson.title not in client.get(reverse("courses_approvals:list")).content.decode()
    client.force_login(world.city_organiser)
    assert lesson.title in client.get(reverse("wagtailadmin_home")).content.decode()
    assert lesson.title in client.get(reverse("courses_approvals:list")).content.decode()
    from courses.selectors_home import approvals_waiting

    waiting = {s.page_id for s in approvals_waiting(viewer=world.city_organiser)}
    assert lesson.pk in waiting
    assert lesson.pk not in {s.page_id for s in approvals_waiting(viewer=world.organiser)}

    # The e-mail asking for review goes to the city's reviewers only.
    told = {address for message in mail.outbox for address in message.to}
    assert world.city_organiser.email in told
    assert world.organiser.email not in told and world.organiser_other.email not in told

    # A county organiser may not approve it, even by posting the action.
    assert _refused(_approve(client, world.organiser, lesson, task_state))
    lesson.refresh_from_db()
    assert not lesson.live
    # The city organiser may.
    assert _approve(client, world.city_organiser, lesson, task_state).status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live


def test_a_county_lesson_goes_to_its_county_and_the_city_sees_it_too(
    client, reviewers, county_course
):
    world = reviewers
    mail.outbox.clear()
    lesson, task_state = _submit_lesson(client, world, county_course, "county-lesson")
    assert str(lesson.pk) in _awaiting(world.organiser)  # 罗山县: its own
    assert str(lesson.pk) in _awaiting(world.city_organiser)  # 信阳市: a county below it
    assert str(lesson.pk) not in _awaiting(world.organiser_other)  # 息县: a sibling
    from courses.selectors_home import approvals_waiting

    for user, sees in ((world.organiser, True), (world.city_organiser, True)):
        assert (lesson.pk in {s.page_id for s in approvals_waiting(viewer=user)}) is sees
    assert not approvals_waiting(viewer=world.organiser_other).filter(
        workflow_state__object_id=str(lesson.pk)
    )
    # The nearest reviewers are told: the county's, not the city's.
    told = {address for message in mail.outbox for address in message.to}
    assert world.organiser.email in told
    assert world.city_organiser.email not in told and world.organiser_other.email not in told
    assert _refused(_approve(client, world.organiser_other, lesson, task_state))
    lesson.refresh_from_db()
    assert not lesson.live
    assert _approve(client, world.organiser, lesson, task_state).status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live


def test_a_county_organiser_cannot_publish_a_city_lesson_directly(client, world, city_course):
    lesson = lessons_of(city_course)[0]
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert not lesson.permissions_for_user(world.organiser).can_publish()
    assert not lesson.permissions_for_user(world.organiser).can_unpublish()
    assert not city_course.permissions_for_user(world.organiser).can_publish_subpage()
    assert not lesson.permissions_for_user(world.organiser).can_delete()
    client.force_login(world.organiser)
    page = client.get(edit).content.decode()
    assert 'name="action-publish"' not in page
    data = lesson_form("县里改的标题", lesson.slug, "<p>未经市里审核。</p>")
    data["action-publish"] = "Publish"
    client.post(edit, data)
    assert LessonPage.objects.get(pk=lesson.pk).title != "县里改的标题"
    # The city's organiser publishes it.
    assert lesson.permissions_for_user(world.city_organiser).can_publish()
    client.force_login(world.city_organiser)
    data = lesson_form("市里改的标题", lesson.slug, "<p>市里发布。</p>")
    data["action-publish"] = "Publish"
    client.post(edit, data)
    assert LessonPage.objects.get(pk=lesson.pk).title == "市里改的标题"


def _course_form(client, user, url):
    client.force_login(user)
    return client.get(url).context["form"].fields["owning_unit"]


def test_the_owning_unit_is_chosen_among_the_editors_units(client, world, indexes, city_course):
    add = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", indexes[0].pk])
    field = _course_form(client, world.organiser, add)
    assert set(field.queryset.values_list("name", flat=True)) == {"罗山县", "周党镇"}  # no 村
    assert field.required and not field.disabled
    assert client.get(add).context["form"].initial.get("owning_unit") == world.county_a.pk
    field = _course_form(client, world.city_organiser, add)
    assert {"信阳市", "罗山县", "息县"} <= set(field.queryset.values_list("name", flat=True))
    # The city's course: its instructor and a county organiser see the unit, cannot change it.
    edit = reverse("wagtailadmin_pages:edit", args=[city_course.pk])
    for user in (world.instructor, world.organiser):
        field = _course_form(client, user, edit)
        assert field.disabled, user
        assert list(field.queryset) == [world.city]
    assert not _course_form(client, world.city_organiser, edit).disabled


def test_an_organiser_files_a_new_course_under_their_unit(client, world, indexes):
    client.force_login(world.organiser)
    add = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", indexes[0].pk])
    data = {
        "title": "罗山县的课程",
        "slug": "luoshan-course",
        "summary": "县里的课程",
        "requirement": "compulsory",
        "estimated_minutes": "30",
        "owning_unit": str(world.county_b.pk),  # a sibling county: refused
        "tags": "",
        "action-publish": "Publish",
    }
    client.post(add, data)
    assert not CoursePage.objects.filter(slug="luoshan-course").exists()
    data["owning_unit"] = str(world.county_a.pk)
    assert client.post(add, data).status_code == 302
    assert CoursePage.objects.get(slug="luoshan-course").owning_unit == world.county_a


def test_a_site_made_before_keeps_its_pages_awaiting_review(world, indexes, city_course):
    """Sites made before had Wagtail's GroupApprovalTask: the workflow is switched over,
    and a page awaiting the old task now awaits the scoped one."""
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    new_task = workflow.tasks.get().specific
    WorkflowTask.objects.filter(workflow=workflow).delete()
    old = GroupApprovalTask.objects.create(name=TASK_NAME)
    old.groups.add(*new_task.groups.all())
    WorkflowTask.objects.create(workflow=workflow, task=old.task_ptr, sort_order=0)
    lesson = lessons_of(city_course)[0]
    state = workflow.start(lesson, world.instructor)
    assert state.current_task_state.task.specific == old
    assert str(lesson.pk) in _awaiting(world.organiser)  # the old rule: every organiser

    authoring_workflow_ensure()
    authoring_workflow_ensure()  # safe to repeat

    assert [t.specific.__class__ for t in workflow.tasks.all()] == [CourseApprovalTask]
    state.refresh_from_db()
    assert isinstance(state.current_task_state.task.specific, CourseApprovalTask)
    old.refresh_from_db()
    assert not old.active
    assert str(lesson.pk) not in _awaiting(world.organiser)
    assert str(lesson.pk) in _awaiting(world.city_organiser)


def test_existing_courses_get_the_unit_of_their_creator_or_their_classes(world, indexes):
    from importlib import import_module

    from django.apps import apps

    from courses.models import ClassCourse
    from tests.training.factories import TrainingClassFactory

    made_by_county = make_course(indexes[0], lessons=0, owner=world.organiser)
    used_by_xi = make_course(indexes[0], lessons=0)
    ClassCourse.objects.create(
        training_class=TrainingClassFactory(organising_unit=world.county_b), course=used_by_xi
    )
    unknown = make_course(indexes[0], lessons=0)
    import_module("courses.migrations.0005_course_owning_unit_and_approval_task").owning_units_set(
        apps, None
    )
    made_by_county.refresh_from_db()
    used_by_xi.refresh_from_db()
    unknown.refresh_from_db()
    assert made_by_county.owning_unit == world.county_a
    assert used_by_xi.owning_unit == world.county_b
    assert unknown.owning_unit is None
