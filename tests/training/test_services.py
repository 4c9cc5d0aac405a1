"""Class life cycle, timetable, groups, notices and evaluations through their services."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.errors import PermissionDenied
from training.models import ClassSession, NoticeReceipt, SessionEvaluation, TrainingClass
from training.services import (
    AlreadyEvaluated,
    ClassStatusError,
    EvaluationNotOpen,
    class_create,
    class_status_change,
    class_update,
    committee_role_set,
    evaluation_submit,
    group_save,
    notice_mark_read,
    notice_publish,
    session_save,
    status_change_allowed,
    timetable_import_confirm,
    timetable_import_preview,
)
from training.services.classes import CloseThroughCompletion
from training.services.groups import LeaderNotInGroup, RoleTaken
from training.services.roster import enrolment_add, enrolment_withdraw
from training.services.timetable import (
    TIMETABLE_COLUMNS,
    SessionInUse,
    SessionOutsideClass,
    SessionOverlaps,
    session_delete,
    timetable_export,
)
from training.spreadsheets import read_rows

from .factories import (
    SHANGHAI,
    ClassSessionFactory,
    EnrolmentFactory,
    class_for_world,
    xlsx,
)

S = TrainingClass.Status


def _fields(world, **extra):
    return {
        "name": "罗山县村党组织书记轮训班",
        "code": "ls-2026-01",
        "organising_unit": world.county_a,
        "provider": "罗山县委党校",
        "start_date": datetime.date(2026, 12, 1),
        "end_date": datetime.date(2026, 12, 3),
        "credit_hours": Decimal("18"),
        **extra,
    }


def test_organiser_creates_a_class_in_their_units_only(world):
    klass = class_create(actor=world.organiser, advisers=[world.adviser], **_fields(world))
    assert klass.status == S.PLANNING
    assert list(klass.advisers.all()) == [world.adviser]
    with pytest.raises(PermissionDenied) as exc:
        class_create(
            actor=world.organiser, **_fields(world, code="x2", organising_unit=world.county_b)
        )
    assert exc.value.code == "unit_out_of_scope"


def test_other_organisers_and_advisers_cannot_edit(world):
    klass = class_for_world(world)
    for actor in (world.organiser_other, world.adviser):
        with pytest.raises(PermissionDenied):
            class_update(actor=actor, training_class=klass, name="改名")
    class_update(actor=world.organiser, training_class=klass, name="改名")
    klass.refresh_from_db()
    assert klass.name == "改名"


def test_life_cycle_moves_step_by_step_and_is_audited(world):
    from wagtail.models import ModelLogEntry

    klass = class_create(actor=world.organiser, **_fields(world))
    with pytest.raises(ClassStatusError):
        class_status_change(actor=world.organiser, training_class=klass, status=S.RUNNING)
    class_status_change(actor=world.organiser, training_class=klass, status=S.ENROLLING)
    class_status_change(actor=world.organiser, training_class=klass, status=S.RUNNING)
    # Repeating is harmless; closing belongs to the completion service.
    class_status_change(actor=world.organiser, training_class=klass, status=S.RUNNING)
    with pytest.raises(CloseThroughCompletion):
        class_status_change(actor=world.organiser, training_class=klass, status=S.CLOSED)
    klass.refresh_from_db()
    assert klass.status == S.RUNNING
    assert status_change_allowed(klass, S.CLOSED)
    entries = ModelLogEntry.objects.filter(action="training.class_status", object_id=str(klass.pk))
    assert entries.count() == 2
    with pytest.raises(PermissionDenied):
        class_status_change(actor=world.adviser, training_class=klass, status=S.ENROLLING)


def test_closed_is_final(world):
    klass = class_for_world(world, status=S.CLOSED)
    for status in (S.PLANNING, S.ENROLLING, S.RUNNING):
        assert not status_change_allowed(klass, status)


def test_hand_enrolment_respects_capacity_and_scope(world):
    from people.roles import Role
    from tests.factories import UserFactory

    klass = class_for_world(world, capacity=2)
    extra = UserFactory(roles=[Role.TRAINEE], org_unit=world.village_a)
    enrolment_add(actor=world.organiser, training_class=klass, trainee=extra)
    third = UserFactory(roles=[Role.TRAINEE], org_unit=world.village_a)
    with pytest.raises(Exception) as exc:
        enrolment_add(actor=world.organiser, training_class=klass, trainee=third)
    assert exc.value.code == "capacity_reached"
    with pytest.raises(Exception) as exc:
        enrolment_add(actor=world.organiser, training_class=klass, trainee=extra)
    assert exc.value.code == "already_enrolled"
    klass.capacity = 10
    klass.save()
    with pytest.raises(PermissionDenied):
        enrolment_add(actor=world.organiser, training_class=klass, trainee=world.trainee_b)
    e = enrolment_withdraw(
        actor=world.organiser, enrolment=extra.enrolments.get(), reason="病假超限"
    )
    assert e.status == "withdrawn"
    again = enrolment_add(actor=world.organiser, training_class=klass, trainee=extra)
    assert again.pk == e.pk and again.status == "enrolled"


def test_groups_leaders_and_committee(world):
    klass = class_for_world(world)
    group = group_save(
        actor=world.adviser, training_class=klass, name="第一组", leader=world.trainee_a
    )
    enrolment = klass.enrolments.get(trainee=world.trainee_a)
    assert enrolment.group == group and group.leader == world.trainee_a
    with pytest.raises(LeaderNotInGroup):
        group_save(actor=world.adviser, training_class=klass, name="第二组", leader=world.trainee_b)
    with pytest.raises(PermissionDenied):
        group_save(actor=world.adviser_other, training_class=klass, name="第三组")
    committee_role_set(actor=world.adviser, enrolment=enrolment, role="monitor")
    other = EnrolmentFactory(training_class=klass, trainee=world.instructor)
    with pytest.raises(RoleTaken):
        committee_role_set(actor=world.adviser, enrolment=other, role="monitor")
    committee_role_set(actor=world.adviser, enrolment=other, role="study")
    other.refresh_from_db()
    assert other.committee_role == "study"


def test_sessions_stay_inside_the_class_and_do_not_overlap(world):
    klass = class_for_world(world)
    start = datetime.datetime(2026, 7, 2, 8, 30, tzinfo=SHANGHAI)
    fields = {
        "half_day": "morning",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=3),
        "title": "先导区建设",
        "method": "lecture",
        "credit_hours": Decimal("3"),
    }
    session = session_save(actor=world.organiser, training_class=klass, **fields)
    assert session.date == datetime.date(2026, 7, 2)
    with pytest.raises(SessionOverlaps):
        session_save(actor=world.organiser, training_class=klass, **{**fields, "title": "另一课"})
    late = start + datetime.timedelta(days=30)
    with pytest.raises(SessionOutsideClass):
        session_save(
            actor=world.organiser,
            training_class=klass,
            **{**fields, "starts_at": late, "ends_at": late + datetime.timedelta(hours=3)},
        )
    with pytest.raises(PermissionDenied):
        session_save(actor=world.adviser, training_class=klass, **fields)


TT_HEADERS = [
    "日期",
    "时段",
    "开始时间",
    "结束时间",
    "课程名称",
    "授课教师",
    "教学地点",
    "教学方式",
    "学时",
]


def test_timetable_import_previews_then_writes_once(world):
    klass = class_for_world(world)
    rows = [
        [
            "2026-07-02",
            "上午",
            "08:30",
            "11:30",
            "先导区建设专题",
            world.instructor.full_name,
            "报告厅",
            "讲授",
            3,
        ],
        [
            "2026/7/2",
            "下午",
            "14:30",
            "17:30",
            "案例教学：沁阳",
            "杨建国",
            "第一教室",
            "案例教学",
            "3",
        ],
    ]
    batch, check = timetable_import_preview(
        actor=world.organiser, training_class=klass, upload=xlsx(TT_HEADERS, rows)
    )
    assert check.is_valid, [r.problems for r in check.rows]
    assert not klass.sessions.exists()
    assert timetable_import_confirm(actor=world.organiser, batch=batch) == 2
    first, second = klass.sessions.order_by("starts_at")
    assert first.instructor == world.instructor and first.half_day == "morning"
    assert second.instructor is None and second.instructor_name == "杨建国"
    assert second.method == "case"
    assert second.starts_at == datetime.datetime(2026, 7, 2, 14, 30, tzinfo=SHANGHAI)
    # Again: everything already present, nothing written.
    again, check = timetable_import_preview(
        actor=world.organiser, training_class=klass, upload=xlsx(TT_HEADERS, rows)
    )
    assert check.n_skip == 2 and check.is_valid
    assert timetable_import_confirm(actor=world.organiser, batch=again) == 0
    assert klass.sessions.count() == 2
    # The export reads back as the same timetable.
    import io

    exported = read_rows(
        io.BytesIO(timetable_export(training_class=klass).getvalue()), TIMETABLE_COLUMNS
    )
    assert [r["课程名称"] for _n, r in exported] == ["先导区建设专题", "案例教学：沁阳"]


def test_timetable_import_reports_every_bad_row(world):
    klass = class_for_world(world)
    rows = [
        ["2026-13-40", "上午", "08:30", "11:30", "坏日期", "", "", "讲授", 3],
        ["2026-08-01", "上午", "08:30", "11:30", "班外日期", "", "", "讲授", 3],
        ["2026-07-03", "中午", "08:30", "11:30", "坏时段", "", "", "讲授", 3],
        ["2026-07-03", "上午", "11:30", "08:30", "倒序", "", "", "讲授", 3],
        ["2026-07-03", "下午", "14:30", "17:30", "", "", "", "讲授", 3],
        ["2026-07-04", "上午", "08:30", "11:30", "坏方式", "", "", "唱歌", 3],
        ["2026-07-04", "下午", "14:30", "17:30", "坏学时", "", "", "讲授", "三"],
        ["2026-07-05", "上午", "08:30", "11:30", "好的", "", "", "讲授", 3],
        ["2026-07-05", "上午", "09:00", "10:00", "重叠", "", "", "讲授", 1],
    ]
    batch, check = timetable_import_preview(
        actor=world.organiser, training_class=klass, upload=xlsx(TT_HEADERS, rows)
    )
    problems = {r.row: r.problems for r in check.rows}
    assert problems == {
        2: ["bad_date"],
        3: ["date_outside_class"],
        4: ["bad_half_day"],
        5: ["end_before_start"],
        6: ["missing_title"],
        7: ["bad_method"],
        8: ["bad_hours"],
        9: [],
        10: ["overlaps_row"],
    }
    from training.services import ImportInvalid

    with pytest.raises(ImportInvalid):
        timetable_import_confirm(actor=world.organiser, batch=batch)
    assert not ClassSession.objects.filter(training_class=klass).exists()


def test_notices_and_read_receipts(world):
    klass = class_for_world(world)
    notice = notice_publish(
        actor=world.adviser, training_class=klass, title="集合时间", body="7:30"
    )
    with pytest.raises(PermissionDenied):
        notice_publish(actor=world.adviser_other, training_class=klass, title="x", body="y")
    notice_mark_read(reader=world.trainee_a, notice=notice)
    notice_mark_read(reader=world.trainee_a, notice=notice)
    assert notice_mark_read(reader=world.adviser, notice=notice) is None
    assert NoticeReceipt.objects.filter(notice=notice).count() == 1
    from training.selectors import notice_list_for_trainee, notice_readers

    assert [n.is_read for n in notice_list_for_trainee(trainee=world.trainee_a)] == [True]
    assert not notice_list_for_trainee(trainee=world.trainee_b).exists()
    readers = notice_readers(notice=notice)
    assert [(e.trainee, bool(at)) for e, at in readers] == [(world.trainee_a, True)]


def test_a_session_is_rated_once_after_it_ends(world):
    klass = class_for_world(world)
    session = ClassSessionFactory(training_class=klass, instructor=world.instructor)
    before_end = session.ends_at - datetime.timedelta(minutes=1)
    scores = {"content": 5, "teaching": 4, "usefulness": 5}
    with pytest.raises(EvaluationNotOpen):
        evaluation_submit(trainee=world.trainee_a, session=session, now=before_end, **scores)
    evaluation_submit(trainee=world.trainee_a, session=session, comment="很实用", **scores)
    with pytest.raises(AlreadyEvaluated):
        evaluation_submit(trainee=world.trainee_a, session=session, **scores)
    with pytest.raises(PermissionDenied):
        evaluation_submit(trainee=world.trainee_b, session=session, **scores)
    with pytest.raises(Exception) as exc:
        evaluation_submit(
            trainee=world.trainee_a,
            session=ClassSessionFactory(training_class=klass, half_day="afternoon"),
            content=6,
            teaching=1,
            usefulness=1,
        )
    assert exc.value.code == "bad_score"
    assert SessionEvaluation.objects.filter(session=session).count() == 1


def test_evaluation_scores_are_held_by_the_database_too(world):
    from django.db import IntegrityError

    klass = class_for_world(world)
    session = ClassSessionFactory(training_class=klass)
    with pytest.raises(IntegrityError):
        SessionEvaluation.objects.create(
            session=session, trainee=world.trainee_a, content=0, teaching=3, usefulness=3
        )


def test_evaluation_averages_for_the_instructor(world):
    from training.selectors import session_list_for_instructor

    klass = class_for_world(world)
    session = ClassSessionFactory(training_class=klass, instructor=world.instructor)
    EnrolmentFactory(training_class=klass, trainee=world.trainee_b)
    evaluation_submit(trainee=world.trainee_a, session=session, content=5, teaching=4, usefulness=3)
    evaluation_submit(trainee=world.trainee_b, session=session, content=3, teaching=4, usefulness=5)
    (row,) = session_list_for_instructor(viewer=world.instructor)
    assert (row.eval_count, row.avg_content, row.avg_teaching, row.avg_usefulness) == (2, 4, 4, 4)
    assert not session_list_for_instructor(viewer=world.instructor_other).exists()


def test_ics_lists_the_sessions_in_utc(world):
    from training import ical

    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, title="先导区建设,片区化;组团式", venue="报告厅")
    text = ical.calendar(name=klass.name, sessions=klass.sessions.all(), host="example.org")
    assert "BEGIN:VCALENDAR\r\n" in text and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260702T003000Z" in text  # 08:30 in Shanghai
    assert "SUMMARY:先导区建设\\,片区化\\;组团式" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_today_section_shows_the_trainees_sessions(world, rf):
    from training.home import today_section

    klass = class_for_world(world)
    today = timezone.localdate()
    ClassSessionFactory(training_class=klass, date=today, half_day="morning")
    ClassSessionFactory(training_class=world.extra["class_b"], date=today, half_day="morning")
    request = rf.get("/")
    request.user = world.trainee_a
    section = today_section(request)
    assert section["template"] == "training/home_today.html"
    assert [s.training_class for s in section["sessions"]] == [klass]
    request.user = world.organiser
    assert today_section(request) is None


def test_notices_section_counts_unread(world, rf):
    from training.home import notices_section
    from training.services import notice_mark_read

    klass = class_for_world(world)
    first = notice_publish(actor=world.adviser, training_class=klass, title="一", body="x")
    notice_publish(actor=world.adviser, training_class=klass, title="二", body="y")
    notice_mark_read(reader=world.trainee_a, notice=first)
    request = rf.get("/")
    request.user = world.trainee_a
    section = notices_section(request)
    assert section["unread"] == 1 and len(section["notices"]) == 2
    request.user = world.trainee_b
    assert notices_section(request) is None


def test_a_session_with_attendance_or_leave_is_not_deleted(world, client):
    from attendance.models import AttendanceRecord, CheckinAttempt, LeaveRequest
    from tests.attendance.factories import AttendanceRecordFactory, LeaveRequestFactory

    klass = class_for_world(world)
    checked, on_leave, scanned, bare = (
        ClassSessionFactory(training_class=klass, date=datetime.date(2026, 7, day))
        for day in (2, 3, 4, 5)
    )
    AttendanceRecordFactory(session=checked, trainee=world.trainee_a)
    leave = LeaveRequestFactory(trainee=world.trainee_a, training_class=klass, sessions=[on_leave])
    CheckinAttempt.objects.create(session=scanned, trainee=world.trainee_a, reason="token_expired")
    for session in (checked, on_leave, scanned):
        with pytest.raises(SessionInUse) as exc:
            session_delete(actor=world.organiser, session=session)
        assert exc.value.code == "session_in_use"
    assert AttendanceRecord.objects.filter(session=checked).exists()
    assert list(LeaveRequest.objects.get(pk=leave.pk).sessions.all()) == [on_leave]
    assert CheckinAttempt.objects.filter(session=scanned).exists()
    session_delete(actor=world.organiser, session=bare)
    assert not ClassSession.objects.filter(pk=bare.pk).exists()

    client.force_login(world.organiser)
    url = reverse("training_admin:session_delete", args=[klass.pk, checked.pk])
    html = client.post(url, follow=True).content.decode()
    assert "已有考勤记录" in html
    assert ClassSession.objects.filter(pk=checked.pk).exists()


def test_only_trainees_who_attended_rate_a_session(world, client):
    from attendance.models import AttendanceRecord
    from tests.attendance.factories import AttendanceRecordFactory
    from tests.factories import trainee as make_trainee
    from training.services import NotAttended

    klass = class_for_world(world)
    absent, on_leave, no_record, came = (make_trainee() for _ in range(4))
    for t in (absent, on_leave, no_record, came):
        EnrolmentFactory(training_class=klass, trainee=t)
    session = ClassSessionFactory(training_class=klass, instructor=world.instructor)
    S_ = AttendanceRecord.Status
    AttendanceRecordFactory(session=session, trainee=absent, status=S_.ABSENT, source="auto")
    AttendanceRecordFactory(session=session, trainee=on_leave, status=S_.ON_LEAVE, source="leave")
    AttendanceRecordFactory(session=session, trainee=came, status=S_.LATE)
    scores = {"content": 5, "teaching": 4, "usefulness": 5}
    for trainee in (absent, on_leave, no_record):  # no record, scans taken: 旷课 too
        with pytest.raises(NotAttended) as exc:
            evaluation_submit(trainee=trainee, session=session, **scores)
        assert exc.value.code == "evaluation_not_attended"
    evaluation_submit(trainee=came, session=session, **scores)
    assert list(SessionEvaluation.objects.values_list("trainee", flat=True)) == [came.pk]

    url = reverse("training:session_evaluate", args=[session.pk])
    client.force_login(on_leave)
    html = client.get(url).content.decode()
    assert "只有出勤的学员才能评教" in html and "eval-form" not in html
    html = client.get(reverse("training:class_detail", args=[klass.pk])).content.decode()
    assert url not in html


def test_thank_you_after_rating_says_the_instructor_will_not_see_the_name(world, client):
    klass = class_for_world(world)
    session = ClassSessionFactory(training_class=klass)
    client.force_login(world.trainee_a)
    url = reverse("training:session_evaluate", args=[session.pk])
    data = {"content": "5", "teaching": "4", "usefulness": "5"}
    html = client.post(url, data, follow=True).content.decode()
    assert "授课教师不会看到您的姓名" in html
    assert "匿名" not in html
