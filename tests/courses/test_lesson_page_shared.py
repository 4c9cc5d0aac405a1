"""The lesson page keeps what every trainee sees alike (the rendered body) and reads the rest
on each view: what an author publishes, moves or unpublishes shows at once, and what one
trainee did never shows to another."""

import re

import pytest
from wagtail.models import Page, PageViewRestriction

from courses import lesson_body
from courses.models import LessonPage, LessonProgress, StudyView
from portal import models as portal_models
from tests.courses.factories import enrol, lessons_of, make_case, make_course
from tests.factories import trainee as make_trainee
from tests.lectures.factories import ready_lecture


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _nav(page):
    nav = page[page.index('class="lesson-nav"') :]
    return re.findall(r'href="([^"]+)"', nav[: nav.index("</nav>")])


def test_a_published_revision_shows_at_once(client, world, course):
    lesson = lessons_of(course)[0]
    client.force_login(world.trainee_a)
    assert "课时1的正文" in _page(client, lesson.url)
    lesson.body = [{"type": "text", "value": {"text": "<p>修订后的正文。</p>"}}]
    lesson.save_revision().publish()
    page = _page(client, lesson.url)
    assert "修订后的正文" in page and "课时1的正文" not in page


def test_the_kept_body_is_the_one_wagtail_renders(client, world, course):
    lesson = lessons_of(course)[0]
    lesson.body = [
        {"type": "heading", "value": {"text": "一、先导区", "level": "h2"}},
        {"type": "text", "value": {"text": "<p>组团式<b>发展</b>。</p>"}},
        {"type": "key_points", "value": {"title": "要点", "points": ["一", "二"]}},
        {"type": "quotation", "value": {"quote": "引文", "source": "来源", "source_date": None}},
    ]
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    expected = "".join(child.render() for child in lesson.body)
    client.force_login(world.trainee_a)
    first = _page(client, lesson.url)
    second = _page(client, lesson.url)  # from the kept rendering
    assert expected in first and expected in second


def test_the_body_is_kept_once_for_every_trainee(client, world, course):
    lesson = lessons_of(course)[0]
    other = make_trainee(org_unit=world.village_a)
    enrol(other, course)
    client.force_login(world.trainee_a)
    _page(client, lesson.url)
    kept = len(lesson_body._kept)
    client.force_login(other)
    _page(client, lesson.url)
    assert kept == 1 and len(lesson_body._kept) == 1


def test_blocks_that_show_other_rows_are_rendered_on_every_view(client, world, course, indexes):
    case = make_case(indexes[1], title="沁阳区域党委")
    lesson = lessons_of(course)[0]
    lesson.body = [
        {"type": "text", "value": {"text": "<p>正文</p>"}},
        {"type": "case_study", "value": {"case_study": case.pk, "note": ""}},
    ]
    lesson.save_revision().publish()
    client.force_login(world.trainee_a)
    assert "沁阳区域党委" in _page(client, lesson.url)
    case.title = "沁阳市区域党委"
    case.save_revision().publish()
    assert "沁阳市区域党委" in _page(client, lesson.url)
    case.unpublish()
    page = _page(client, lesson.url)
    assert "沁阳市区域党委" not in page and "正文" in page


def test_a_lecture_is_signed_for_each_trainee(client, world, course, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    lesson = lessons_of(course)[0]
    lecture = ready_lecture()
    lesson.body = [
        {"type": "lecture", "value": {"lecture": lecture.pk, "required_percent": 90,
                                      "skip_forbidden": True, "caption": ""}},
    ]  # fmt: skip
    lesson.save_revision().publish()
    other = make_trainee(org_unit=world.village_a)
    enrol(other, course)
    policies = []
    for person in [world.trainee_a, other]:
        client.force_login(person)
        policies.append(re.search(r'data-policy="([^"]+)"', _page(client, lesson.url))[1])
    from lectures.blocks import policy_read

    assert [policy_read(p)["u"] for p in policies] == [world.trainee_a.pk, other.pk]


def test_one_trainees_progress_never_shows_to_another(client, world, course):
    lesson = lessons_of(course)[0]
    other = make_trainee(org_unit=world.village_a)
    enrol(other, course)
    LessonProgress.objects.create(
        trainee=world.trainee_a,
        lesson=lesson,
        course=course,
        seconds_studied=420,
        completed_at="2026-07-02T09:00:00Z",
    )
    client.force_login(world.trainee_a)
    mine = _page(client, lesson.url)
    client.force_login(other)
    theirs = _page(client, lesson.url)
    assert 'data-studied="420"' in mine and "本课时已完成" in mine
    assert 'data-studied="0"' in theirs and "本课时已完成" not in theirs
    tokens = {v.trainee_id: str(v.token) for v in StudyView.objects.filter(lesson=lesson)}
    assert tokens[world.trainee_a.pk] in mine and tokens[world.trainee_a.pk] not in theirs
    assert tokens[other.pk] in theirs


def test_navigation_follows_unpublishing_moving_and_adding_lessons(client, world, course):
    first, second, third = lessons_of(course)
    client.force_login(world.trainee_a)
    assert _nav(_page(client, second.url)) == [first.url, third.url]

    first.unpublish()
    assert _nav(_page(client, second.url)) == [third.url]  # first lesson: no "previous"

    third.move(course, pos="first-child")
    second, third = (LessonPage.objects.get(pk=p.pk) for p in (second, third))  # paths moved
    assert _nav(_page(client, second.url)) == [third.url, course.url]  # now the last

    added = LessonPage(title="第四课", slug="lesson-4", min_study_minutes=5, body=[])
    Page.objects.get(pk=course.pk).specific.add_child(instance=added)
    added.save_revision().publish()
    assert _nav(_page(client, second.url)) == [third.url, added.url]

    second.title = "改名后的第二课"
    second.save_revision().publish()
    assert "改名后的第二课" in _page(client, third.url)


def test_view_restrictions_are_still_enforced(client, world, course):
    lesson = lessons_of(course)[0]
    client.force_login(world.trainee_a)
    assert "课时1的正文" in _page(client, lesson.url)
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(lesson.url)
    assert "课时1的正文" not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_an_alias_takes_its_source_pages_restrictions(world, course, indexes):
    lesson = lessons_of(course)[0]
    other = make_course(indexes[0], lessons=0)
    alias = lesson.create_alias(parent=other, update_slug="alias-of-lesson")
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.LOGIN
    )
    assert list(alias.specific.get_view_restrictions()) == [restriction]
    assert list(lesson.get_view_restrictions()) == [restriction]
    own = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=other.pk), restriction_type=PageViewRestriction.LOGIN
    )
    assert set(alias.specific.get_view_restrictions()) == {restriction, own}


def test_routing_by_a_remembered_page_type_falls_back_when_it_changed(client, world, course):
    lesson = lessons_of(course)[0]
    client.force_login(world.trainee_a)
    _page(client, lesson.url)
    url_path = LessonPage.objects.get(pk=lesson.pk).url_path
    assert portal_models._page_types[url_path] is LessonPage
    portal_models._page_types[url_path] = portal_models.HomePage  # a page of another type
    assert "课时1的正文" in _page(client, lesson.url)
    assert portal_models._page_types[url_path] is LessonPage


@pytest.mark.parametrize("size", [2, 8])
def test_lesson_page_query_count(client, world, indexes, size, django_assert_num_queries):
    """Session, user, the lesson (routing by its remembered type, with the page log's
    version and whether any page has a view restriction: lms.page_tree), the course with
    the trainee's assignment, the trainee's progress and the study view. The navigation
    comes from the course's outline; the site and home page are kept per process
    (lms.sites); the header's roles and badge are on the user's row."""
    course = make_course(indexes[0], lessons=size)
    enrol(world.trainee_a, course)
    client.force_login(world.trainee_a)
    url = lessons_of(course)[-1].url
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_a_restriction_anywhere_brings_back_the_check(
    client, world, indexes, django_assert_num_queries
):
    """Once some page has a view restriction, every page view asks for its own and its
    ancestors' (one more query); an unrelated restriction keeps nothing from the trainee."""
    course = make_course(indexes[0], lessons=2)
    elsewhere = make_course(indexes[0], lessons=0)
    PageViewRestriction.objects.create(
        page=elsewhere, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    enrol(world.trainee_a, course)
    client.force_login(world.trainee_a)
    url = lessons_of(course)[0].url
    client.get(url)
    with django_assert_num_queries(7):
        assert "课时1的正文" in _page(client, url)
