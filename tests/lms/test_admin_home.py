"""The admin home shows each role its day: an adviser today's sessions, leave to decide and
trainees at risk; an instructor what waits for grading, pages sent back and the sessions
to teach; an organiser the week's classes, approvals, coverage gaps and certificates.

Each panel is one selector whose number of queries does not grow with the rows behind it:
the tests below run every selector with one row and with many, and count.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceRecord, LeaveRequest
from people.roles import role_names
from people.selectors import managed_unit_paths
from tests.attendance.factories import AttendanceRecordFactory, LeaveRequestFactory, session_around
from tests.factories import UserFactory
from tests.training.factories import EnrolmentFactory, TrainingClassFactory, class_for_world
from training.models import Enrolment, TrainingClass

pytestmark = pytest.mark.django_db

S = TrainingClass.Status


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def _panel(html: str, panel_id: str) -> str:
    """The HTML of one panel of the home page ("" when it is not there)."""
    start = html.find(f'id="{panel_id}-section"')
    if start < 0:
        return ""
    return html[start : html.find("</section>", start)]


def _queries(fn) -> tuple[int, object]:
    """How many queries `fn()` runs, and its answer. The viewer's roles and units are read
    once per request and cached on the user: warm them first, so only the panel counts.
    Savepoints (a transaction block inside the test's transaction) and PostgreSQL's
    `SET LOCAL jit = off` (see reports.coverage.status_counts) are not queries."""
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    statements = [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SET LOCAL"))
    ]
    return len(statements), result


def _warm(user):
    role_names(user)
    managed_unit_paths(user)
    return user


def _at_risk(klass, trainee, now):
    """Four sessions marked 旷课 by staff on four dates: past the two-day limit."""
    for days in (5, 4, 3, 2):
        held = session_around(klass, start=now - datetime.timedelta(days=days))
        AttendanceRecordFactory(
            session=held,
            trainee=trainee,
            status=AttendanceRecord.Status.ABSENT,
            source=AttendanceRecord.Source.ADVISER,
            checked_in_at=None,
        )


def _advised_class(world, n: int, now, *, trainees: int = 2) -> TrainingClass:
    """A running 罗山县 class advised by `adviser`, with a session today, a pending leave
    request and a trainee at risk."""
    klass = TrainingClassFactory(
        organising_unit=world.county_a,
        advisers=[world.adviser],
        name=f"第{n}期村党组织书记培训班",
        start_date=timezone.localdate() - datetime.timedelta(days=6),
        end_date=timezone.localdate() + datetime.timedelta(days=2),
    )
    people = [UserFactory(org_unit=world.village_a) for _ in range(trainees)]
    for person in people:
        EnrolmentFactory(training_class=klass, trainee=person)
    today = session_around(klass, start=now.replace(microsecond=0), title=f"第{n}期专题课")
    AttendanceRecordFactory(session=today, trainee=people[0])
    later = session_around(klass, start=now + datetime.timedelta(days=1))
    LeaveRequestFactory(trainee=people[1], training_class=klass, sessions=[later], status="pending")
    _at_risk(klass, people[0], now)
    return klass


# --- the adviser ----------------------------------------------------------------------------


def test_adviser_panels_read_a_fixed_number_of_queries_however_many_classes(world):
    from attendance import selectors_home as sel

    now = timezone.now()
    adviser = _warm(world.adviser)
    _advised_class(world, 1, now)
    counts_one = [
        _queries(lambda: sel.sessions_today(viewer=adviser)),
        _queries(lambda: sel.leave_awaiting(viewer=adviser)),
        _queries(lambda: sel.classes_at_risk(viewer=adviser, now=now)),
    ]
    for n in range(2, 6):
        _advised_class(world, n, now)
    counts_many = [
        _queries(lambda: sel.sessions_today(viewer=adviser)),
        _queries(lambda: sel.leave_awaiting(viewer=adviser)),
        _queries(lambda: sel.classes_at_risk(viewer=adviser, now=now)),
    ]
    # At risk: classes (with their attendance policies, which say whether 公假 is
    # excused), timetables, enrolments, records, names.
    assert [n for n, _ in counts_one] == [1, 1, 5]
    assert [n for n, _ in counts_many] == [1, 1, 5]
    (_, (sessions, total)), (_, (leave, pending)), (_, at_risk) = counts_many
    assert total == 5 and len(sessions) == 5
    assert pending == 5 and len(leave) == 5
    # Both trainees missed the four held sessions (one marked absent, one with no record).
    assert len(at_risk) == 5 and all(row.count == 2 for row in at_risk)


def test_the_at_risk_summaries_of_many_classes_agree_with_each_class_alone(world):
    """The bulk read gives every class the summary `class_attendance_summary` gives it."""
    from attendance.selectors import class_attendance_summaries, class_attendance_summary

    now = timezone.now()
    classes = [_advised_class(world, n, now, trainees=3) for n in range(1, 4)]
    bulk = class_attendance_summaries(
        classes=TrainingClass.objects.filter(pk__in=[k.pk for k in classes]), now=now
    )
    assert {k.pk for k, _ in bulk} == {k.pk for k in classes}
    for klass, summaries in bulk:
        assert summaries == class_attendance_summary(training_class=klass, now=now)


def test_each_role_finds_its_work_on_the_admin_home(client, world):
    from attendance.services import leave_request_create

    klass = class_for_world(world, end_date=timezone.localdate() + datetime.timedelta(days=3))
    now = timezone.now()
    today = session_around(
        klass, start=now.replace(microsecond=0), title="今日专题课", instructor=world.instructor
    )
    later = session_around(
        klass, start=now + datetime.timedelta(days=1), title="明日课", instructor=world.instructor
    )
    leave_request_create(
        trainee=world.trainee_a, training_class=klass, sessions=[later], reason="参加县委全会"
    )
    html = _home(client, world.adviser)
    panel = _panel(html, "attendance-today")
    assert "今日课程" in panel and "今日专题课" in panel and "0/1 人已签到" in panel
    assert reverse("attendance:display", args=[today.pk]) in panel
    assert "签到大屏" in panel
    panel = _panel(html, "attendance-leave")
    assert "学员甲" in panel and "1 个半天" in panel
    assert reverse("attendance_admin:leave_list") in panel
    assert "您负责的培训班暂无预警学员。" in _panel(html, "attendance-at-risk")
    _at_risk(klass, world.trainee_a, now)
    panel = _panel(_home(client, world.adviser), "attendance-at-risk")
    assert 'data-at-risk="1"' in panel and klass.name in panel and "1 名学员预警" in panel
    assert "学员甲" in panel
    # Another county's adviser sees none of it, in Chinese.
    html = _home(client, world.adviser_other)
    assert "今日专题课" not in html and "学员甲" not in html
    assert "您负责的培训班今天没有课次。" in _panel(html, "attendance-today")
    assert "没有待审批的请假申请。" in _panel(html, "attendance-leave")

    html = _home(client, world.instructor)
    assert "暂无待评阅的作答。" in _panel(html, "grading-waiting")
    panel = _panel(html, "sessions-upcoming")
    assert "今日专题课" in panel and "明日课" in panel
    assert reverse("training_admin:timetable", args=[klass.pk]) in panel
    assert "您没有即将讲授的课次。" in _panel(
        _home(client, world.instructor_other), "sessions-upcoming"
    )
    from assessments.services.written import submission_save
    from tests.assessments.factories import AssignmentFactory

    submission_save(
        assignment=AssignmentFactory(training_class=klass, title="调研报告"),
        trainee=world.trainee_a,
        text="心得",
    )
    panel = _panel(_home(client, world.instructor), "grading-waiting")
    assert 'data-waiting="0 1"' in panel and "调研报告" in panel and "1 份待评阅" in panel
    assert "暂无待评阅的作答。" in _panel(_home(client, world.instructor_other), "grading-waiting")

    ended = class_for_world(
        world,
        name="已经结束的示范班",
        start_date=timezone.localdate() - datetime.timedelta(days=10),
        end_date=timezone.localdate() - datetime.timedelta(days=8),
    )
    html = _home(client, world.organiser)
    panel = _panel(html, "certificates-to-issue")
    assert "待发证" in panel and ended.name in panel and "已结束待结班" in panel
    assert reverse("certificates_admin:class_detail", args=[ended.pk]) in panel
    panel = _panel(html, "classes-this-week")
    assert klass.name in panel and ended.name not in panel
    assert reverse("training_admin:class_overview", args=[klass.pk]) in panel
    # The organiser decides longer leave only; this one is the adviser's.
    assert "没有待审批的请假申请。" in _panel(html, "attendance-leave")
    html = _home(client, world.organiser_other)
    assert ended.name not in html and klass.name not in html


def test_empty_panels_say_so_in_chinese_and_link_to_the_full_page(client, world):
    # 罗山县's one village secretary left the post: nobody is left to train.
    world.trainee_a.position = ""
    world.trainee_a.save()
    html = _home(client, world.organiser)
    for panel_id, empty, full in (
        ("classes-this-week", "本周没有进行中或结束的培训班。", "training_class:index"),
        ("approvals-waiting", "没有等待您审核的页面。", "courses_approvals:list"),
        ("certificates-to-issue", "没有待结班或待发证的培训班。", "certificates_admin:index"),
        ("coverage-gaps", "本周期内所辖单位没有未参训的人员。", "reports_admin:coverage"),
        ("attendance-leave", "没有待审批的请假申请。", "attendance_admin:leave_list"),
    ):
        panel = _panel(html, panel_id)
        assert empty in panel, panel_id
        assert f'href="{reverse(full)}" data-full-page' in panel, panel_id
    html = _home(client, world.instructor)
    assert "没有被退回修改的页面。" in _panel(html, "pages-sent-back")
    assert "您没有即将讲授的课次。" in _panel(html, "sessions-upcoming")


def test_the_home_page_costs_the_same_with_one_class_or_five(client, world):
    """Counted over the whole page: no panel asks the database once per class or row."""
    now = timezone.now()
    _advised_class(world, 1, now)
    client.force_login(world.adviser)
    url = reverse("wagtailadmin_home")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2, 6):
        _advised_class(world, n, now)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url).content.decode()
    assert html.count("data-at-risk=") == 5
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]

    client.force_login(world.organiser)
    client.get(url)
    with CaptureQueriesContext(connection) as organiser_five:
        assert client.get(url).status_code == 200
    for _ in range(3):
        TrainingClassFactory(
            organising_unit=world.county_a,
            status=S.ENDED,
            end_date=timezone.localdate() - datetime.timedelta(days=1),
            start_date=timezone.localdate() - datetime.timedelta(days=3),
        )
    with CaptureQueriesContext(connection) as organiser_eight:
        html = client.get(url).content.decode()
    assert _panel(html, "certificates-to-issue").count("data-class=") == 3
    assert len(organiser_eight) == len(organiser_five)


# --- the instructor -------------------------------------------------------------------------


def test_instructor_sees_the_sessions_they_teach_soonest_first(world):
    from training.selectors_home import sessions_upcoming

    now = timezone.now()
    klass = class_for_world(world)
    instructor = _warm(world.instructor)
    session_around(klass, start=now - datetime.timedelta(days=1), instructor=instructor)
    session_around(klass, start=now + datetime.timedelta(days=2), instructor=instructor)
    n, (rows, total) = _queries(lambda: sessions_upcoming(viewer=instructor, now=now))
    assert n == 1 and total == 1
    for days in range(3, 15):
        session_around(
            klass, start=now + datetime.timedelta(days=days), instructor=instructor, title=f"{days}"
        )
    session_around(
        klass, start=now + datetime.timedelta(hours=2), instructor=world.instructor_other
    )
    n, (rows, total) = _queries(lambda: sessions_upcoming(viewer=instructor, now=now))
    assert n == 1 and total == 13 and len(rows) == 8
    assert [r.starts_at for r in rows] == sorted(r.starts_at for r in rows)
    assert all(r.instructor_id == instructor.pk for r in rows)
    # A class closed early holds none of its remaining sessions.
    TrainingClass.objects.filter(pk=klass.pk).update(status=S.CLOSED)
    assert sessions_upcoming(viewer=instructor, now=now) == ([], 0)


def test_grading_panel_reads_a_fixed_number_of_queries_however_much_waits(world):
    from assessments.selectors_home import grading_waiting
    from assessments.services.written import submission_save
    from tests.assessments.factories import AssignmentFactory

    klass = class_for_world(world)
    instructor = _warm(world.instructor)
    session_around(klass, start=timezone.now(), instructor=instructor)
    submission_save(
        assignment=AssignmentFactory(training_class=klass), trainee=world.trainee_a, text="一"
    )
    n_one, (items, answers, submissions) = _queries(lambda: grading_waiting(viewer=instructor))
    assert (len(items), answers, submissions) == (1, 0, 1)
    for i in range(4):
        person = UserFactory(org_unit=world.village_a)
        EnrolmentFactory(training_class=klass, trainee=person)
        submission_save(
            assignment=AssignmentFactory(training_class=klass, title=f"作业{i}"),
            trainee=person,
            text="心得",
        )
    n_many, (items, answers, submissions) = _queries(lambda: grading_waiting(viewer=instructor))
    assert (len(items), submissions) == (5, 5)
    assert n_many == n_one <= 3


def _submit(page, user):
    """Submit a page for approval through its workflow, as the author's Submit does."""
    revision = page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return revision


def test_pages_sent_back_and_approvals_waiting_are_one_query_each(world):
    from courses.selectors_home import approvals_waiting, pages_sent_back
    from tests.courses.factories import lessons_of, make_course, site_indexes

    indexes = site_indexes()
    course = make_course(indexes[0], lessons=6, instructors=[world.instructor])
    lessons = lessons_of(course)
    instructor, organiser = _warm(world.instructor), _warm(world.organiser)

    def send_back(lesson, comment):
        _submit(lesson, instructor)
        state = lesson.current_workflow_state
        state.current_task_state.reject(user=organiser, comment=comment)

    send_back(lessons[0], "请补充案例")
    _submit(lessons[1], instructor)
    n_back, (back, back_total) = _queries(lambda: pages_sent_back(viewer=instructor))
    n_wait, (waiting, wait_total) = _queries(lambda: _first(approvals_waiting(viewer=organiser)))
    assert (n_back, back_total, n_wait, wait_total) == (1, 1, 1, 1)
    assert back[0].current_task_state.comment == "请补充案例"
    assert back[0].page_title == lessons[0].draft_title
    for lesson in lessons[2:4]:
        send_back(lesson, "再改改")
    for lesson in lessons[4:]:
        _submit(lesson, instructor)
    n_back, (back, back_total) = _queries(lambda: pages_sent_back(viewer=instructor))
    n_wait, (waiting, wait_total) = _queries(lambda: _first(approvals_waiting(viewer=organiser)))
    assert (n_back, back_total, n_wait, wait_total) == (1, 3, 1, 3)
    assert {s.page_id for s in waiting} == {lessons[1].pk, lessons[4].pk, lessons[5].pk}
    # Only reviewers: the instructor approves nothing; another author got nothing back.
    assert approvals_waiting(viewer=instructor).count() == 0
    assert pages_sent_back(viewer=world.instructor_other) == ([], 0)
    assert approvals_waiting(viewer=world.admin).count() == 3


def _first(queryset):
    from lms.admin_home import first_rows

    return first_rows(queryset)


def test_reviewers_find_pages_waiting_on_their_home_and_the_full_list(client, world):
    from tests.courses.factories import lessons_of, make_course, site_indexes

    course = make_course(site_indexes()[0], lessons=2, instructors=[world.instructor])
    lesson = lessons_of(course)[0]
    _submit(lesson, world.instructor)
    panel = _panel(_home(client, world.organiser), "approvals-waiting")
    assert lesson.title in panel and "教师甲" in panel
    assert reverse("wagtailadmin_pages:edit", args=[lesson.pk]) in panel
    page = client.get(reverse("courses_approvals:list")).content.decode()
    assert lesson.title in page and "教师甲" in page
    # Wagtail's listing: its results refresh on their own URL, with the same rows.
    results = client.get(reverse("courses_approvals:list_results")).content.decode()
    assert lesson.title in results and "<table" in results and "<html" not in results
    # Wagtail's own "awaiting your review" panel is replaced, not shown twice.
    assert "workflow-objects-to-moderate" not in _home(client, world.organiser)
    client.force_login(world.instructor)
    assert lesson.title not in client.get(reverse("courses_approvals:list")).content.decode()
    assert "approvals-waiting" not in _home(client, world.instructor)


# --- the organiser --------------------------------------------------------------------------


def test_organiser_sees_its_units_classes_of_the_week_in_one_query(world):
    from training.selectors_home import classes_this_week, week_of

    today = timezone.localdate()
    monday, sunday = week_of(today)
    organiser = _warm(world.organiser)

    def klass(unit, start, end, status=S.RUNNING):
        return TrainingClassFactory(
            organising_unit=unit, start_date=start, end_date=end, status=status
        )

    running = klass(world.township_a, monday - datetime.timedelta(days=20), sunday)
    n, (rows, total) = _queries(lambda: classes_this_week(viewer=organiser, today=today))
    assert (n, total, [r.pk for r in rows]) == (1, 1, [running.pk])
    ending = klass(world.county_a, monday - datetime.timedelta(days=3), monday)
    for i in range(8):
        klass(world.county_a, monday, sunday + datetime.timedelta(days=i + 1))
    klass(world.county_a, monday - datetime.timedelta(days=9), monday - datetime.timedelta(days=1))
    klass(world.county_a, monday, sunday, status=S.CLOSED)
    klass(world.county_a, sunday + datetime.timedelta(days=1), sunday + datetime.timedelta(days=3))
    other = klass(world.county_b, monday, sunday)
    n, (rows, total) = _queries(lambda: classes_this_week(viewer=organiser, today=today))
    assert (n, total, len(rows)) == (1, 10, 8)
    assert rows[0].pk == ending.pk and rows[0].ends_this_week
    assert other.pk not in {r.pk for r in rows}
    assert classes_this_week(viewer=world.city_organiser, today=today)[1] == 11


def test_certificates_to_issue_one_query_and_only_the_organisers_units(world):
    from certificates.models import Certificate, IssueBatch
    from certificates.selectors_home import classes_to_certify

    today = timezone.localdate()
    organiser = _warm(world.organiser)
    past = {
        "start_date": today - datetime.timedelta(days=9),
        "end_date": today - datetime.timedelta(days=5),
    }
    awaiting = TrainingClassFactory(organising_unit=world.county_a, status=S.ENDED, **past)
    n, (rows, total) = _queries(lambda: classes_to_certify(viewer=organiser, today=today))
    assert (n, total, [r.pk for r in rows]) == (1, 1, [awaiting.pk])

    def closed(batch_status, *, completers=1, certified=1, drawn=True, unit=None):
        k = TrainingClassFactory(organising_unit=unit or world.county_a, status=S.CLOSED, **past)
        people = [UserFactory(org_unit=world.village_a) for _ in range(completers)]
        for person in people:
            EnrolmentFactory(training_class=k, trainee=person, status=Enrolment.Status.COMPLETED)
        for i, person in enumerate(people[:certified]):
            Certificate.objects.create(
                training_class=k,
                trainee=person,
                template=_template(),
                number=f"T{k.pk}-{i}",
                verification_code=f"v{k.pk}-{i}",
                pdf="certificates/x.pdf" if drawn else "",
            )
        if batch_status:
            IssueBatch.objects.create(training_class=k, status=batch_status)
        return k

    done = closed(IssueBatch.Status.FINISHED)
    running = closed(IssueBatch.Status.RUNNING, certified=0)
    failed = closed(IssueBatch.Status.FINISHED, completers=3, certified=1)
    undrawn = closed(IssueBatch.Status.FINISHED, drawn=False)
    no_one = closed(IssueBatch.Status.FINISHED, completers=0, certified=0)
    other = closed(IssueBatch.Status.QUEUED, certified=0, unit=world.county_b)
    n, (rows, total) = _queries(lambda: classes_to_certify(viewer=organiser, today=today))
    assert n == 1
    found = {r.pk: r for r in rows}
    assert set(found) == {awaiting.pk, running.pk, failed.pk, undrawn.pk}
    assert done.pk not in found and no_one.pk not in found and other.pk not in found
    assert found[failed.pk].uncertified == 2 and found[undrawn.pk].unrendered == 1
    assert found[running.pk].batch_status == IssueBatch.Status.RUNNING


def _template():
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.first()
    if template is None:
        template = CertificateTemplate.objects.create(name="测试模板", body="{{ name }}")
    return template


def test_certificates_panel_names_what_is_left_to_do(client, world):
    from certificates.models import IssueBatch

    past = timezone.localdate() - datetime.timedelta(days=5)
    klass = TrainingClassFactory(
        organising_unit=world.county_a,
        status=S.CLOSED,
        name="证书未发完的班",
        start_date=past - datetime.timedelta(days=3),
        end_date=past,
    )
    EnrolmentFactory(training_class=klass, trainee=world.trainee_a, status="completed")
    IssueBatch.objects.create(training_class=klass, status=IssueBatch.Status.FINISHED, error="x")
    panel = _panel(_home(client, world.organiser), "certificates-to-issue")
    assert "证书未发完的班" in panel and "1 名结业学员尚无证书" in panel
    assert "证书未发完的班" not in _home(client, world.organiser_other)


def test_coverage_gaps_count_once_and_stay_inside_the_organisers_units(world):
    from people.models import User
    from reports.coverage import coverage_gaps
    from reports.params import current_cycle, scope_top_units
    from tests.reports.factories import city_class, enrol

    cycle = current_cycle()
    organiser = _warm(world.organiser)
    tops = scope_top_units(viewer=organiser)
    n, gaps = _queries(lambda: coverage_gaps(viewer=organiser, period=cycle, top_units=tops))
    assert n == 2
    assert [r.unit.name for r in gaps.rows] == ["周党镇"]
    assert (gaps.rows[0].village_total, gaps.rows[0].village_missing) == (1, 1)
    # More townships and people: the same number of queries.
    for i in range(5):
        township = world.county_a.add_child(name=f"镇{i}", level="township", code=f"t{i}")
        for _ in range(3):
            UserFactory(org_unit=township, position=User.Position.TOWNSHIP_SECRETARY)
    n_many, gaps = _queries(lambda: coverage_gaps(viewer=organiser, period=cycle, top_units=tops))
    assert n_many == n and gaps.total == 6
    assert {r.unit.name for r in gaps.rows} == {"周党镇", *(f"镇{i}" for i in range(5))}
    assert "项店镇" not in {r.unit.name for r in gaps.rows}  # 息县's
    # Trained at city level, a rotation class, in this cycle: 周党镇 has no gap left.
    klass = city_class(
        world,
        start_date=cycle.start.replace(month=3),
        end_date=cycle.start.replace(month=3, day=9),
        is_rotation=True,
    )
    enrol(klass, world.trainee_a)
    gaps = coverage_gaps(viewer=organiser, period=cycle, top_units=tops)
    assert "周党镇" not in {r.unit.name for r in gaps.rows}
    # The city organiser sees its counties.
    city = world.city_organiser
    gaps = coverage_gaps(viewer=city, period=cycle, top_units=scope_top_units(viewer=city))
    assert {r.unit.name for r in gaps.rows} == {"罗山县", "息县"}


def test_coverage_panel_links_each_unit_to_its_coverage_and_missing_list(client, world):
    panel = _panel(_home(client, world.organiser), "coverage-gaps")
    assert "周党镇" in panel and "村党组织书记：1 人中 1 人未参训" in panel
    url = reverse("reports_admin:missing")
    assert f"{url}?unit={world.township_a.pk}&amp;list=village" in panel
    assert "项店镇" not in panel
    assert "项店镇" in _panel(_home(client, world.organiser_other), "coverage-gaps")


def test_leave_goes_to_whoever_decides_it(world):
    """Half a day: the adviser. Longer: an organiser of the class's unit."""
    from attendance.selectors_home import leave_awaiting

    now = timezone.now()
    klass = class_for_world(world)
    later = session_around(klass, start=now + datetime.timedelta(days=1))
    short = LeaveRequestFactory(
        trainee=world.trainee_a, training_class=klass, sessions=[later], status="pending"
    )
    long = LeaveRequestFactory(
        trainee=world.trainee_a,
        training_class=klass,
        sessions=[later],
        status="pending",
        needs_organiser=True,
        half_days=4,
        hours=Decimal("12"),
    )
    LeaveRequestFactory(
        trainee=world.trainee_a,
        training_class=klass,
        sessions=[later],
        status=LeaveRequest.Status.APPROVED,
    )

    def ids(user):
        return [r.pk for r in leave_awaiting(viewer=user)[0]]

    assert ids(world.adviser) == [short.pk]
    assert ids(world.organiser) == [long.pk]
    assert ids(world.city_organiser) == [long.pk]
    assert ids(world.organiser_other) == [] and ids(world.adviser_other) == []
