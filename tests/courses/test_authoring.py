"""An instructor writes a lesson in the admin, an organiser approves it, a trainee reads it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.authoring import COURSE_GROUP_PREFIX, WORKFLOW_NAME, course_authors_sync
from courses.models import CoursePage, LessonPage
from tests.courses.factories import lessons_of, make_course


def lesson_form(title, slug, text):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "",
            "min_study_minutes": 5,
            "body": streamfield([("text", {"text": rich_text(text)})]),
        }
    )


def add_lesson_url(course):
    return reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])


def test_fresh_site_has_the_organiser_approval_workflow(db):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["组织员"]


def test_catalogue_and_library_use_the_workflow(indexes):
    for index in indexes:
        assert index.get_workflow().name == WORKFLOW_NAME


def test_instructor_writes_submits_organiser_approves_trainee_reads(client, world, course):
    # 1. The instructor of the course writes a lesson and submits it for approval.
    client.force_login(world.instructor)
    data = lesson_form("第四课 乡镇如何融入片区", "joining", "<p>镇与镇组团发展。</p>")
    data["action-submit"] = "Submit"
    response = client.post(add_lesson_url(course), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(slug="joining")
    assert not lesson.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # 2. The trainee cannot see it yet.
    client.force_login(world.trainee_a)
    shown = client.get(course.url).context["status"].lessons
    assert lesson.pk not in {item.pk for item in shown}

    # 3. An organiser approves it.
    client.force_login(world.organiser)
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live

    # 4. The trainee reads it; the revision history shows the approval.
    client.force_login(world.trainee_a)
    page = client.get(lesson.url).content.decode()
    assert "镇与镇组团发展" in page and "study-meter" in page
    assert lesson.revisions.count() >= 1


def test_instructor_cannot_publish_directly(client, world, course):
    client.force_login(world.instructor)
    data = lesson_form("直接发布", "direct", "<p>正文</p>")
    data["action-publish"] = "Publish"
    client.post(add_lesson_url(course), data)
    lesson = LessonPage.objects.filter(slug="direct").first()
    assert lesson is None or not lesson.live


def test_instructor_edits_only_the_courses_given_to_them(client, world, indexes, course):
    other = make_course(indexes[0], lessons=1, instructors=[world.instructor_other])
    client.force_login(world.instructor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).status_code == 200
    lesson = lessons_of(course)[0]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).status_code == 200
    refused = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk]))
    assert refused.status_code in (302, 403)
    assert client.post(add_lesson_url(other), lesson_form("x", "x", "<p>x</p>")).status_code in (
        302,
        403,
    )
    assert not LessonPage.objects.filter(slug="x").exists()


def test_course_authors_follow_the_published_instructors(world, indexes, course):
    group = Group.objects.get(name=f"{COURSE_GROUP_PREFIX}{course.pk}")
    assert list(group.user_set.all()) == [world.instructor]
    # A draft naming another instructor grants nothing until it is published.
    course.instructors.set([world.instructor, world.instructor_other])
    course.save_revision()
    course_authors_sync(course=CoursePage.objects.get(pk=course.pk))
    assert set(group.user_set.all()) == {world.instructor}
    course.save_revision().publish()  # the page_published signal syncs the group
    assert set(group.user_set.all()) == {world.instructor, world.instructor_other}
    course.instructors.set([world.instructor_other])
    course.save_revision().publish()
    assert set(group.user_set.all()) == {world.instructor_other}


def test_preview_renders_a_draft_lesson_without_a_study_clock(client, world, course):
    client.force_login(world.instructor)
    lesson = lessons_of(course)[0]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    data = lesson_form(lesson.title, lesson.slug, "<p>预览中的新段落</p>")
    assert client.post(url, data).json()["is_valid"]
    page = client.get(url).content.decode()
    assert "预览中的新段落" in page and "study-meter" not in page


@pytest.mark.parametrize("actor", ["trainee_a", "adviser"])
def test_trainees_and_advisers_cannot_edit_courses(client, world, course, actor):
    client.force_login(getattr(world, actor))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=course.pk).specific.title == course.title


def test_a_lesson_sent_back_shows_on_its_authors_home_with_the_comment(client, world, course):
    """The reviewer's comment used to be only in the page history."""
    client.force_login(world.instructor)
    data = lesson_form("第五课 片区产业", "industry", "<p>片区产业草稿。</p>")
    data["action-submit"] = "Submit"
    assert client.post(add_lesson_url(course), data).status_code == 302
    lesson = LessonPage.objects.get(slug="industry")
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    client.force_login(world.organiser)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[lesson.pk, "reject", state.current_task_state.pk],
    )
    client.post(url, {"comment": "请补充片区产业的具体案例"})
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(world.instructor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "退回修改" in html and "请补充片区产业的具体案例" in html
    assert reverse("wagtailadmin_pages:edit", args=[lesson.pk]) in html
    client.force_login(world.instructor_other)
    assert (
        "请补充片区产业的具体案例" not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
