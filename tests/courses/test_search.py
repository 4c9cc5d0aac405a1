"""Chinese search: words found inside Chinese text, on SQLite and on PostgreSQL.

Each test runs twice: plainly (SQLite, the fast phase) and as a `postgres`-marked copy
that `make test` runs against a real server, where Wagtail's backend uses tsvector.
"""

import pytest
from django.urls import reverse

from courses.search import query_terms, segment_for_index
from tests.courses.factories import enrol, make_case, make_course


def build_library(world):
    from tests.courses.factories import site_indexes

    courses, cases = site_indexes()
    library = {
        "qinyang": make_case(
            cases,
            title="沁阳市：“区域党委+特色产业”带动联村抱团发展",
            summary="沁阳设立4个区域党委，主导产业产值25.7亿元。",
            background="<p>沁阳市辖11个乡镇（街道）、339个村（社区），村集体经济不均衡。</p>",
            practices=[
                {
                    "type": "practice",
                    "value": {"title": "按产业设区域党委", "text": "<p>统筹15个村的资源。</p>"},
                }
            ],
        ),
        "mengzhou": make_case(
            cases,
            title="孟州市：五个区域化党委带动五个特色片区",
            summary="5个示范型区域化党委覆盖25个行政村、4500余户农户。",
            background="<p>3个片区村集体经济增收103万元。</p>",
        ),
        "plan": make_case(
            cases,
            title="河南省乡村组织振兴五年行动计划",
            summary="每名村党组织书记至少参加一次省级或市级培训。",
            background="<p>三项工程、三项行动、三项建设。</p>",
        ),
    }
    course = make_course(
        courses, lessons=0, title="宜居宜业和美乡村先导区建设", summary="片区化组团式发展"
    )
    from courses.models import LessonPage

    for slug, title, text in [
        ("what", "什么是先导区", "先导区是破解碎片化振兴的平台。"),
        ("organise", "组织起来", "党支部领办合作社，壮大村集体经济。"),
        ("elements", "五大要素", "空间、产业、人才、组织、生态。"),
    ]:
        lesson = LessonPage(
            title=title,
            slug=slug,
            body=[{"type": "text", "value": {"text": f"<p>{text}</p>"}}],
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    enrol(world.trainee_a, course)
    library["course"] = course
    return library


def search(client, query):
    response = client.get(reverse("courses:search"), {"q": query})
    assert response.status_code == 200
    return response.context


def titles(pages):
    return [p.title for p in pages]


def check_area_party_committee(client, world):
    library = build_library(world)
    client.force_login(world.trainee_a)
    found = search(client, "区域党委")
    cases = titles(found["cases"])
    assert cases[0] == library["qinyang"].title  # the exact phrase ranks first
    assert library["mengzhou"].title in cases  # 区域化党委: related, ranked lower
    assert library["plan"].title not in cases


def check_pilot_zone(client, world):
    library = build_library(world)
    client.force_login(world.trainee_a)
    found = search(client, "先导区")
    assert "什么是先导区" in titles(found["lessons"])
    assert titles(found["courses"]) == [library["course"].title]
    assert found["cases"] == []


def check_mengzhou(client, world):
    library = build_library(world)
    client.force_login(world.trainee_a)
    found = search(client, "孟州")
    assert titles(found["cases"]) == [library["mengzhou"].title]  # found inside 孟州市


def check_collective_economy(client, world):
    library = build_library(world)
    client.force_login(world.trainee_a)
    found = search(client, "集体经济")
    cases = titles(found["cases"])
    assert set(cases) >= {library["qinyang"].title, library["mengzhou"].title}
    assert library["plan"].title not in cases
    assert "组织起来" in titles(found["lessons"])


def check_lessons_of_unassigned_courses_stay_hidden(client, world):
    build_library(world)
    client.force_login(world.trainee_b)
    found = search(client, "先导区")
    assert found["lessons"] == [] and found["courses"] == []


CHECKS = [
    check_area_party_committee,
    check_pilot_zone,
    check_mengzhou,
    check_collective_economy,
    check_lessons_of_unassigned_courses_stay_hidden,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
def test_search(client, world, check):
    check(client, world)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
def test_search_on_postgres(client, world, postgres_only, check):
    check(client, world)


def test_segmentation_splits_chinese_into_words():
    indexed = segment_for_index("沁阳市区域党委+特色产业", "<p>村集体经济增收</p>").split()
    assert {"沁阳", "区域党委", "集体经济", "特色产业"} <= set(indexed)
    assert "<p>" not in indexed
    assert query_terms("孟州") == ["孟州"]
    assert "区" not in query_terms("先导区")  # one-character words only as a last resort


def test_empty_query_shows_the_form_only(client, world):
    client.force_login(world.trainee_a)
    found = search(client, "   ")
    assert found["cases"] == [] and found["terms"] == []
