"""The organisers' assignment screens: scope, refusals shown in Chinese, idempotency, export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from courses.models import ClassCourse, CourseEnrolment, CourseProgress
from tests.courses.factories import link_class, make_course
from tests.training.factories import EnrolmentFactory, class_for_world


@pytest.fixture
def klass(world):
    return class_for_world(world)


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _refused(response) -> bool:
    """Wagtail turns a PermissionDenied in an admin view into a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin")
    )


def _follow(client, url, data=None):
    return client.post(url, data or {}, follow=True)


def test_organiser_adds_a_live_course_from_the_chooser(client, world, indexes, klass):
    live = make_course(indexes[0], lessons=1, title="先导区建设")
    draft = make_course(indexes[0], lessons=1, title="未发布课程")
    draft.unpublish()
    client.force_login(world.organiser)
    page = client.get(reverse("courses_admin:class_courses", args=[klass.pk]))
    assert page.status_code == 200
    assert [c.pk for c in page.context["choices"]] == [live.pk]

    url = reverse("courses_admin:class_course_add", args=[klass.pk])
    response = _follow(client, url, {"course": live.pk})
    assert "已添加“先导区建设”" in " ".join(_messages(response))
    response = _follow(client, url, {"course": live.pk})
    assert "本班已有这门课程。" in _messages(response)
    assert ClassCourse.objects.filter(training_class=klass).count() == 1
    assert ModelLogEntry.objects.filter(action="courses.class_course_add").count() == 1
    # Listed with its requirement once added, and no longer offered.
    page = client.get(reverse("courses_admin:class_courses", args=[klass.pk]))
    assert [row.link.course_id for row in page.context["rows"]] == [live.pk]
    assert page.context["choices"] == []
    assert "必修" in page.content.decode()


def test_a_forged_post_for_an_unpublished_course_is_refused_in_chinese(
    client, world, indexes, klass
):
    draft = make_course(indexes[0], lessons=1)
    draft.unpublish()
    client.force_login(world.organiser)
    url = reverse("courses_admin:class_course_add", args=[klass.pk])
    response = _follow(client, url, {"course": draft.pk})
    assert "这门课程尚未发布，不能分配。须先审核通过并发布。" in _messages(response)
    response = _follow(client, url, {"course": "abc"})
    assert "请从列表中选择一门课程。" in _messages(response)
    assert not ClassCourse.objects.exists()


def test_adviser_sees_the_class_courses_read_only(client, world, indexes, klass):
    course = make_course(indexes[0], lessons=1)
    link_class(klass, course)
    client.force_login(world.adviser)
    page = client.get(reverse("courses_admin:class_courses", args=[klass.pk]))
    assert page.status_code == 200
    assert not page.context["can_manage"] and "choices" not in page.context
    assert reverse("courses_admin:class_course_add", args=[klass.pk]) not in page.content.decode()
    # The adviser runs the class: they follow its progress, but cannot change its courses.
    progress = reverse("courses_admin:class_course_progress", args=[klass.pk, course.pk])
    assert client.get(progress).status_code == 200
    remove = reverse("courses_admin:class_course_remove", args=[klass.pk, course.pk])
    assert _refused(client.post(remove))
    add = reverse("courses_admin:class_course_add", args=[klass.pk])
    response = _follow(client, add, {"course": make_course(indexes[0], lessons=1).pk})
    assert "只有该班主办单位的组织员才能调整本班课程。" in _messages(response)
    assert ClassCourse.objects.count() == 1


def test_instructor_of_the_class_reads_but_does_not_follow_trainees(client, world, indexes, klass):
    from tests.training.factories import ClassSessionFactory

    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    course = make_course(indexes[0], lessons=1)
    link_class(klass, course)
    client.force_login(world.instructor)
    assert client.get(reverse("courses_admin:class_courses", args=[klass.pk])).status_code == 200
    progress = reverse("courses_admin:class_course_progress", args=[klass.pk, course.pk])
    assert _refused(client.get(progress))
    assert client.get(reverse("courses_admin:course_list")).status_code == 404


def test_remove_asks_first_then_removes_and_keeps_progress(client, world, indexes, klass):
    course = make_course(indexes[0], lessons=2, title="组织振兴")
    link_class(klass, course)
    CourseProgress.objects.create(trainee=world.trainee_a, course=course, seconds_studied=300)
    client.force_login(world.organiser)
    url = reverse("courses_admin:class_course_remove", args=[klass.pk, course.pk])
    confirm = client.get(url)
    assert confirm.context["roster"].started_count == 1
    assert "本班已有 1 名学员开始学习这门课程。" in confirm.content.decode()
    assert ClassCourse.objects.exists()
    response = _follow(client, url)
    assert "已将“组织振兴”移出本班。" in _messages(response)
    assert not ClassCourse.objects.exists()
    assert CourseProgress.objects.filter(trainee=world.trainee_a).exists()
    response = _follow(client, url)
    assert "本班已没有这门课程。" in _messages(response)
    assert ModelLogEntry.objects.filter(action="courses.class_course_remove").count() == 1


def test_organiser_of_another_county_cannot_reach_the_class(client, world, indexes, klass):
    course = make_course(indexes[0], lessons=1)
    client.force_login(world.organiser_other)
    url = reverse("courses_admin:class_course_add", args=[klass.pk])
    assert client.post(url, {"course": course.pk}).status_code == 404
    listing = client.get(reverse("courses_admin:class_list"))
    assert klass not in list(listing.context["object_list"])
    assert not ClassCourse.objects.exists()


# ---------------------------------------------------------------------------------------
# Individual enrolment and progress


def test_search_finds_trainees_in_scope_by_name_or_phone(client, world, indexes):
    course = make_course(indexes[0], lessons=1)
    client.force_login(world.organiser)
    url = reverse("courses_admin:course_progress", args=[course.pk])
    by_name = client.get(url, {"q": "学员"}).context["found"]
    assert [p for p, *_ in by_name] == [world.trainee_a]  # not trainee_b of 息县, not staff
    phone = world.trainee_a.phone
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    assert [p for p, *_ in client.get(url, {"q": spaced}).context["found"]] == [world.trainee_a]
    assert client.get(url, {"q": world.trainee_b.phone}).context["found"] == []
    assert "没有与" in client.get(url, {"q": world.trainee_b.phone}).content.decode()


def test_enrol_from_search_results_is_idempotent(client, world, indexes):
    course = make_course(indexes[0], lessons=1, requirement="elective")
    client.force_login(world.city_organiser)
    url = reverse("courses_admin:course_enrol", args=[course.pk])
    data = {"trainee": [world.trainee_a.pk, world.trainee_b.pk], "q": "学员"}
    response = _follow(client, url, data)
    assert response.redirect_chain[-1][0].endswith("?q=%E5%AD%A6%E5%91%98")
    [message] = _messages(response)
    head, names = message.rstrip("。").split("：")
    assert head == "已分配 2 人" and set(names.split("、")) == {"学员甲", "学员乙"}
    response = _follow(client, url, data)
    [message] = _messages(response)
    assert message.startswith("已分配过：") and "学员甲" in message and "学员乙" in message
    assert CourseEnrolment.objects.filter(course=course).count() == 2
    assert ModelLogEntry.objects.filter(action="courses.course_enrol").count() == 2
    found = client.get(
        reverse("courses_admin:course_progress", args=[course.pk]), {"q": "学员甲"}
    ).context["found"]
    assert found == [(world.trainee_a, True, [])]


def test_enrolling_someone_outside_scope_writes_nothing(client, world, indexes):
    course = make_course(indexes[0], lessons=1)
    client.force_login(world.organiser)
    url = reverse("courses_admin:course_enrol", args=[course.pk])
    response = _follow(client, url, {"trainee": [world.trainee_a.pk, world.trainee_b.pk]})
    assert "该学员不存在或不在您管理的单位范围内。 本次未分配任何人。" in _messages(response)
    assert not CourseEnrolment.objects.exists()
    response = _follow(client, url, {})
    assert "请至少勾选一名学员。" in _messages(response)


def test_enrol_error_does_not_name_person_out_of_scope(client, world, indexes):
    """Issue 14, B: enrolling 息县's trainee_b by id named her to 罗山县's organiser. The
    answer is now the one an id nobody has gets, and names nobody."""
    course = make_course(indexes[0], lessons=1)
    client.force_login(world.organiser)
    url = reverse("courses_admin:course_enrol", args=[course.pk])
    other_county = _messages(_follow(client, url, {"trainee": [world.trainee_b.pk]}))
    nobody = _messages(_follow(client, url, {"trainee": [999999]}))
    assert other_county == nobody
    shown = " ".join(other_county)
    assert shown and world.trainee_b.full_name not in shown
    assert world.trainee_b.phone not in shown and str(world.trainee_b.pk) not in shown
    assert not CourseEnrolment.objects.exists()

    from courses.services_assignment import TraineeOutOfScope, trainees_for_enrolment

    codes = set()
    for ids in ([world.trainee_b.pk], [999999], [world.trainee_a.pk, world.trainee_b.pk]):
        with pytest.raises(TraineeOutOfScope) as refused:
            trainees_for_enrolment(actor=world.organiser, ids=ids)
        codes.add((refused.value.code, refused.value.detail))
    assert codes == {("trainee_out_of_scope", "")}
    assert trainees_for_enrolment(actor=world.organiser, ids=[str(world.trainee_a.pk)]) == [
        world.trainee_a
    ]


def test_an_unpublished_course_offers_no_enrolment(client, world, indexes):
    course = make_course(indexes[0], lessons=1)
    course.unpublish()
    client.force_login(world.organiser)
    page = client.get(reverse("courses_admin:course_progress", args=[course.pk]), {"q": "学员"})
    assert not page.context["can_enrol"]
    assert "这门课程尚未发布" in page.content.decode()
    response = _follow(
        client,
        reverse("courses_admin:course_enrol", args=[course.pk]),
        {"trainee": world.trainee_a.pk},
    )
    assert "这门课程尚未发布，不能分配。须先审核通过并发布。 本次未分配任何人。" in " ".join(
        _messages(response)
    )


def test_progress_lists_direct_and_class_trainees_in_scope(client, world, indexes, klass):
    from decimal import Decimal

    from django.utils import timezone

    course = make_course(indexes[0], lessons=2)
    link_class(klass, course)
    CourseEnrolment.objects.create(trainee=world.trainee_a, course=course)
    CourseEnrolment.objects.create(trainee=world.trainee_b, course=course)
    CourseProgress.objects.create(
        trainee=world.trainee_a,
        course=course,
        seconds_studied=1830,
        lessons_completed=2,
        completed_at=timezone.now(),
        credit_hours=Decimal("1.00"),
    )
    client.force_login(world.organiser)
    roster = client.get(reverse("courses_admin:course_progress", args=[course.pk])).context[
        "roster"
    ]
    [row] = roster.rows  # trainee_b (息县) is not the 罗山县 organiser's to see
    assert row.trainee == world.trainee_a and row.direct and row.classes == [klass]
    assert (row.lessons_completed, row.minutes_studied, row.credit_hours) == (2, 30, Decimal("1"))
    assert roster.completed_count == 1 and roster.lesson_count == 2

    client.force_login(world.organiser_other)
    roster = client.get(reverse("courses_admin:course_progress", args=[course.pk])).context[
        "roster"
    ]
    assert [r.trainee for r in roster.rows] == [world.trainee_b]


def test_progress_export_is_a_sheet_of_plain_values(client, world, indexes, klass):
    from decimal import Decimal

    course = make_course(indexes[0], lessons=2, title="集体经济")
    link_class(klass, course)
    CourseProgress.objects.create(
        trainee=world.trainee_a, course=course, seconds_studied=600, lessons_completed=1
    )
    client.force_login(world.organiser)
    response = client.get(reverse("courses_admin:course_export", args=[course.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("姓名", "手机号", "单位", "分配方式", "完成课时（共2）", "学习分钟")
    assert rows[1][:7] == (
        "学员甲",
        world.trainee_a.phone,
        "东湾村",
        klass.name,
        1,
        10,
        None,
    )
    assert len(rows) == 2
    # The class's own export, for the adviser who runs it.
    client.force_login(world.adviser)
    response = client.get(reverse("courses_admin:class_course_export", args=[klass.pk, course.pk]))
    assert len(list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows())) == 2
    assert Decimal  # keeps the import honest for readers of the rows above


def test_unenrol_button_withdraws_a_direct_enrolment(client, world, indexes):
    course = make_course(indexes[0], lessons=1)
    CourseEnrolment.objects.create(trainee=world.trainee_a, course=course)
    client.force_login(world.organiser)
    url = reverse("courses_admin:course_unenrol", args=[course.pk, world.trainee_a.pk])
    response = _follow(client, url)
    assert "已取消学员甲的这门课程（学习进度保留）。" in _messages(response)
    assert not CourseEnrolment.objects.exists()
    response = _follow(client, url)
    assert "此人未被单独分配这门课程。" in _messages(response)


def test_progress_screen_runs_a_fixed_number_of_queries(
    client, world, indexes, klass, django_assert_num_queries
):
    from tests.factories import UserFactory

    course = make_course(indexes[0], lessons=2)
    link_class(klass, course)
    client.force_login(world.organiser)
    url = reverse("courses_admin:course_progress", args=[course.pk])
    client.get(url)  # warm caches (site, locale) outside the count
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        trainee = UserFactory(roles=["学员"], org_unit=world.village_a, full_name=f"新学员{n}")
        EnrolmentFactory(training_class=klass, trainee=trainee)
        CourseEnrolment.objects.create(trainee=trainee, course=course)
        CourseProgress.objects.create(trainee=trainee, course=course, seconds_studied=60)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["roster"].rows) == 9


def test_menu_and_class_tab_follow_the_roles(rf, world, klass):
    from wagtail import hooks

    from courses.wagtail_hooks import register_assignment_menu

    menu = register_assignment_menu()

    def shown(user):
        request = rf.get("/admin/")
        request.user = user
        if not menu.is_shown(request):
            return []
        return [item.name for item in menu.menu.menu_items_for_request(request)]

    assert shown(world.organiser) == ["class-courses", "course-progress"]
    assert shown(world.adviser) == ["class-courses"]
    assert shown(world.trainee_a) == []
    # The tab training's class screens will show once they ask for hooked tabs.
    request = rf.get("/admin/")
    request.user = world.organiser
    tabs = [t for fn in hooks.get_hooks("training_class_admin_tabs") for t in fn(request, klass)]
    assert tabs[0]["url"] == reverse("courses_admin:class_courses", args=[klass.pk])


def test_course_lists_search_and_page_on_wagtails_listing(client, world, indexes, klass):
    """Issue 18: both lists are Wagtail's IndexView (search, pages) over the same selectors."""
    make_course(indexes[0], lessons=1, title="组织振兴")
    make_course(indexes[0], lessons=1, title="产业发展")
    client.force_login(world.organiser)
    found = client.get(reverse("courses_admin:course_list"), {"q": "振兴"})
    assert [c.title for c in found.context["object_list"]] == ["组织振兴"]
    classes = client.get(reverse("courses_admin:class_list"), {"q": klass.code})
    assert list(classes.context["object_list"]) == [klass]
    html = client.get(reverse("courses_admin:class_list")).content.decode()
    assert reverse("courses_admin:class_courses", args=[klass.pk]) in html
