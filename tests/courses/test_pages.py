"""What trainees and staff see: the catalogue, a course, a lesson, 我的学习, the case library."""

import re

import pytest
from django.urls import reverse

from courses.models import CourseProgress, LessonProgress, StudyView
from people.models import OrgUnit
from tests.courses.factories import enrol, lessons_of, link_class, make_case, make_course
from tests.training.factories import class_for_world


def test_anonymous_visitors_are_sent_to_log_in(client, course, indexes):
    for url in ["/courses/", course.url, lessons_of(course)[0].url, "/cases/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_trainee_sees_only_assigned_courses_in_the_catalogue(client, world, course, indexes):
    other = make_course(indexes[0], title="未分配的课程")
    client.force_login(world.trainee_a)
    page = client.get("/courses/").content.decode()
    assert course.title in page and other.title not in page


def test_unassigned_trainee_cannot_open_course_or_lesson(client, world, course):
    client.force_login(world.trainee_b)
    assert client.get(course.url).status_code == 403
    assert client.get(lessons_of(course)[0].url).status_code == 403
    assert not StudyView.objects.filter(trainee=world.trainee_b).exists()


def test_course_through_the_trainees_class(client, world, indexes):
    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=2)
    link_class(klass, course)
    client.force_login(world.trainee_a)
    assert client.get(course.url).status_code == 200
    client.force_login(world.trainee_b)
    assert client.get(course.url).status_code == 403


def test_withdrawn_trainee_loses_the_class_courses(client, world, indexes):
    from training.models import Enrolment

    klass = class_for_world(world)
    course = make_course(indexes[0], lessons=1)
    link_class(klass, course)
    Enrolment.objects.filter(trainee=world.trainee_a).update(status=Enrolment.Status.WITHDRAWN)
    client.force_login(world.trainee_a)
    assert client.get(course.url).status_code == 403


def test_staff_read_every_course_without_a_study_clock(client, world, course):
    for person in [world.instructor_other, world.adviser, world.organiser_other]:
        client.force_login(person)
        assert client.get(course.url).status_code == 200
        response = client.get(lessons_of(course)[0].url)
        assert response.status_code == 200
        assert "study-meter" not in response.content.decode()
    assert not StudyView.objects.exists()


def test_lesson_page_issues_a_study_token_and_shows_the_prompt(client, world, course):
    client.force_login(world.trainee_a)
    lesson = lessons_of(course)[0]
    page = client.get(lesson.url).content.decode()
    view = StudyView.objects.get(trainee=world.trainee_a, lesson=lesson)
    assert f'data-token="{view.token}"' in page
    assert "还在学习吗" in page and "courses/study.js" in page
    assert LessonProgress.objects.filter(trainee=world.trainee_a, lesson=lesson).exists()


def test_course_page_lists_lessons_in_order_with_progress(client, world, course):
    lessons = lessons_of(course)
    LessonProgress.objects.create(
        trainee=world.trainee_a,
        lesson=lessons[0],
        course=course,
        seconds_studied=300,
        completed_at="2026-07-02T09:00:00Z",
    )
    client.force_login(world.trainee_a)
    page = client.get(course.url).content.decode()
    outline = page[page.index('class="lesson-list"') :]
    positions = [outline.index(lesson.title) for lesson in lessons]
    assert positions == sorted(positions)
    assert "完成 1/3 课时" in page
    assert f'href="{lessons[1].url}"' in page  # next lesson offered


def test_my_learning_shows_progress_and_next_step(client, world, course, indexes):
    second = make_course(indexes[0], lessons=2, title="第二门课")
    enrol(world.trainee_a, second)
    lessons = lessons_of(course)
    LessonProgress.objects.create(
        trainee=world.trainee_a,
        lesson=lessons[0],
        course=course,
        seconds_studied=300,
        completed_at="2026-07-02T09:00:00Z",
    )
    CourseProgress.objects.create(
        trainee=world.trainee_a,
        course=course,
        seconds_studied=300,
        last_studied_at="2026-07-02T09:00:00Z",
    )
    client.force_login(world.trainee_a)
    response = client.get(reverse("courses:my_learning"))
    page = response.content.decode()
    assert response.status_code == 200
    assert course.title in page and second.title in page
    next_up = response.context["next_up"]
    assert next_up.course.pk == course.pk and next_up.next_lesson.pk == lessons[1].pk
    assert next_up.percent == 33


def test_home_page_offers_to_continue_learning(client, world, course):
    client.force_login(world.trainee_a)
    page = client.get("/").content.decode()
    assert "继续学习" in page and lessons_of(course)[0].url in page


def test_staff_home_has_no_learning_section(client, world, course):
    client.force_login(world.organiser)
    assert "继续学习" not in client.get("/").content.decode()


# --- fixed query counts ---------------------------------------------------------------


def _count(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [2, 8])
def test_course_page_queries_do_not_grow(
    client, world, indexes, size, django_assert_max_num_queries
):
    course = make_course(indexes[0], lessons=size)
    enrol(world.trainee_a, course)
    for i in range(size):
        make_case(indexes[1], title=f"案例{i}").related_courses.add(course)
    client.force_login(world.trainee_a)
    client.get(course.url)
    assert _count(django_assert_max_num_queries, client, course.url, 24) <= 24


@pytest.mark.parametrize("size", [2, 8])
def test_lesson_page_queries_do_not_grow(
    client, world, indexes, size, django_assert_max_num_queries
):
    course = make_course(indexes[0], lessons=size)
    enrol(world.trainee_a, course)
    client.force_login(world.trainee_a)
    url = lessons_of(course)[-1].url
    client.get(url)
    # Routing looks the page up by its URL path (portal.models.HomePage.route): one query
    # once its type is known, not two per level of the tree; the course comes with the
    # trainee's assignment, the progress rows in one read, the navigation in one
    # (test_lesson_page_shared.py tells each query).
    assert _count(django_assert_max_num_queries, client, url, 12) <= 12


def test_page_query_counts_are_equal_for_small_and_large(
    client, world, indexes, django_assert_max_num_queries
):
    """Same number of queries for 1 course of 2 lessons and 6 courses of 8 lessons."""
    counts = {}
    for label, courses, lessons in [("small", 1, 2), ("large", 6, 8)]:
        trainee = __import__("tests.factories", fromlist=["trainee"]).trainee(
            org_unit=world.village_a
        )
        made = [make_course(indexes[0], lessons=lessons) for _ in range(courses)]
        for c in made:
            enrol(trainee, c)
        client.force_login(trainee)
        urls = {
            "my_learning": reverse("courses:my_learning"),
            "course": made[0].url,
            "lesson": lessons_of(made[0])[-1].url,
            "catalogue": "/courses/",
        }
        for name, url in urls.items():
            client.get(url)  # warm up: first view creates the progress rows
            counts[(label, name)] = _count(django_assert_max_num_queries, client, url, 26)
    for name in ["my_learning", "course", "lesson", "catalogue"]:
        assert counts[("small", name)] == counts[("large", name)], name


# --- case library ---------------------------------------------------------------------


@pytest.fixture
def library(indexes, world):
    _, cases = indexes
    jiaozuo = OrgUnit.objects.get(code="410000").add_child(
        name="焦作市", level="city", code="410800"
    )
    qinyang = jiaozuo.add_child(name="沁阳市", level="county", code="410882")
    mengzhou = jiaozuo.add_child(name="孟州市", level="county", code="410883")
    return {
        "qinyang": make_case(
            cases,
            title="沁阳区域党委",
            place=qinyang,
            approach="区域党委+特色产业",
            themes=["organisation", "industry"],
        ),
        "mengzhou": make_case(
            cases,
            title="孟州五个片区",
            place=mengzhou,
            approach="片区化组团式",
            themes=["industry"],
        ),
        "luoshan": make_case(
            cases,
            title="罗山生态村",
            place=world.county_a,
            approach="片区化组团式",
            themes=["ecology"],
        ),
        "region": jiaozuo,
    }


def _titles(client, query=""):
    response = client.get("/cases/" + query)
    assert response.status_code == 200
    return {c.title for c in response.context["cases"]}


def test_every_signed_in_person_sees_the_whole_library(client, world, library):
    client.force_login(world.trainee_b)
    assert _titles(client) == {"沁阳区域党委", "孟州五个片区", "罗山生态村"}


def test_library_filters_by_theme_region_and_approach(client, world, library):
    client.force_login(world.trainee_a)
    assert _titles(client, "?theme=industry") == {"沁阳区域党委", "孟州五个片区"}
    assert _titles(client, f"?region={library['region'].pk}") == {"沁阳区域党委", "孟州五个片区"}
    approach = library["mengzhou"].approach.slug
    assert _titles(client, f"?approach={approach}") == {"孟州五个片区", "罗山生态村"}
    assert _titles(client, f"?approach={approach}&region={library['region'].pk}") == {
        "孟州五个片区"
    }
    assert _titles(client, "?theme=nonsense") == {"沁阳区域党委", "孟州五个片区", "罗山生态村"}


def test_library_offers_the_regions_and_approaches_of_every_live_case(client, world, library):
    """Filtered or not, the filters offer the same choices (unfiltered, they come from the
    case list itself; filtered, from a query of their own)."""
    client.force_login(world.trainee_a)
    offered = {}
    for query in ["", "?theme=ecology", f"?region={library['region'].pk}"]:
        context = client.get("/cases/" + query).context
        offered[query] = (
            [u.name for u in context["regions"]],
            [a.name for a in context["approaches"]],
            [str(t) for t in context["themes"]],
        )
    assert set(offered[""][0]) == {"河南省", "信阳市", "罗山县", "焦作市", "沁阳市", "孟州市"}
    assert sorted(offered[""][1]) == ["区域党委+特色产业", "片区化组团式"]
    assert offered[""][2][0] == "产业振兴"
    assert all(choices == offered[""] for choices in offered.values())


@pytest.mark.parametrize("size", [2, 8])
def test_case_library_query_count(client, world, indexes, size, django_assert_num_queries):
    """Session, user, the index (routing, with whether any page has a view restriction:
    lms.page_tree), then the cases, their themes, the regions, all themes and the
    approaches in use: the same for any number of cases (the site and home page are kept
    per process, the header's figures are on the user's row)."""
    for i in range(size):
        make_case(indexes[1], title=f"案例{i}", place=world.county_a, approach=f"模式{i % 2}",
                  themes=["industry"])  # fmt: skip
    client.force_login(world.trainee_a)
    client.get("/cases/")
    with django_assert_num_queries(8):
        assert client.get("/cases/").status_code == 200


def test_case_page_shows_figures_as_a_visual_summary(client, world, indexes):
    case = make_case(
        indexes[1],
        title="沁阳",
        figures=[
            {
                "type": "figure",
                "value": {
                    "label": "主导产业生产总值",
                    "value": "25.7",
                    "unit": "亿元",
                    "year": 2024,
                },
            },
            {
                "type": "figure",
                "value": {"label": "涵盖农户", "value": "4500", "unit": "户", "year": None},
            },
        ],
        lessons_learnt=[{"type": "lesson", "value": {"title": "以强带弱", "text": "打破村界"}}],
        practices=[
            {"type": "practice", "value": {"title": "设区域党委", "text": "<p>整合15个村</p>"}}
        ],
    )
    client.force_login(world.trainee_a)
    page = client.get(case.url).content.decode()
    tiles = re.findall(r'class="figure-tile__value">([^<]+)<small>([^<]*)</small>', page)
    assert ("25.7", "亿元") in tiles and ("4500", "户") in tiles
    assert "2024" in page and "以强带弱" in page and "设区域党委" in page and "测试来源" in page


def test_search_query_is_escaped(client, world, indexes):
    client.force_login(world.trainee_a)
    page = client.get(
        reverse("courses:search"), {"q": "<script>alert(1)</script>"}
    ).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
