"""结班 outcomes at their edges: 结业, 不予结业 with the rule named, 退学 for the leave and
旷课 rules and for withdrawal during the class; the organiser's override; 公假 as the class
rule says; 学时 posted for exactly the sessions attended, on their dates.

The class below ran over two days last week, four sessions of 3 学时 (12 in all), with
attendance taken by QR at each of them.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from attendance.models import AttendanceRecord, LeaveRequest
from attendance.services import policy_save
from certificates.errors import (
    ClassAlreadyClosed,
    NotEnrolled,
    OverrideInvalid,
    OverrideReasonRequired,
)
from certificates.models import Certificate, CompletionRecord
from certificates.selectors import class_completion_review
from certificates.services import class_close, completion_override_set
from ledger.models import CreditEntry
from lms.errors import PermissionDenied
from tests.attendance.factories import AttendanceRecordFactory, LeaveRequestFactory
from tests.certificates.factories import FakeAssessment
from tests.factories import trainee as make_trainee
from tests.training.factories import ClassSessionFactory, EnrolmentFactory, class_for_world
from training.models import ClassSession, Enrolment
from training.services.roster import enrolment_withdraw

S = AttendanceRecord.Status
E = Enrolment.Status
OUT = CompletionRecord.Outcome
H = ClassSession.HalfDay


def _day(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def klass(world):
    """Two days, morning and afternoon, 3 学时 each; 学员甲 plus a 'present' trainee who
    attends everything (so attendance was taken at every session)."""
    klass = class_for_world(
        world, start_date=_day(-8), end_date=_day(-7), credit_hours=Decimal("12.0")
    )
    sessions = [
        ClassSessionFactory(training_class=klass, date=day, half_day=half, title=title)
        for day, half, title in (
            (_day(-8), H.MORNING, "第一讲"),
            (_day(-8), H.AFTERNOON, "第二讲"),
            (_day(-7), H.MORNING, "第三讲"),
            (_day(-7), H.AFTERNOON, "第四讲"),
        )
    ]
    regular = make_trainee(org_unit=world.village_a, full_name="全勤学员")
    EnrolmentFactory(training_class=klass, trainee=regular)
    for session in sessions:
        AttendanceRecordFactory(session=session, trainee=regular)
    world.extra.update(sessions=sessions, regular=regular)
    return klass


def attend(trainee, session, status=S.PRESENT, leave=None):
    return AttendanceRecordFactory(
        session=session,
        trainee=trainee,
        status=status,
        source=AttendanceRecord.Source.LEAVE if leave else AttendanceRecord.Source.QR,
        checked_in_at=None if status == S.ON_LEAVE else session.starts_at,
        leave_request=leave,
    )


def on_leave(world, trainee, sessions, kind):
    leave = LeaveRequestFactory(
        trainee=trainee,
        training_class=sessions[0].training_class,
        sessions=sessions,
        kind=kind,
        status=LeaveRequest.Status.APPROVED,
        half_days=len(sessions),
        hours=sum(s.credit_hours for s in sessions),
        decided_by=world.adviser,
        decided_at=timezone.now(),
    )
    for session in sessions:
        attend(trainee, session, S.ON_LEAVE, leave=leave)
    return leave


def fake_assessments(monkeypatch, assessment: dict):
    """Real attendance, and the assessment summaries given (trainee id → summary)."""
    import certificates.selectors as sel
    from attendance.selectors import class_attendance_summary

    def summaries(*, training_class):
        return class_attendance_summary(training_class=training_class), assessment

    monkeypatch.setattr(sel, "class_summaries", summaries)


def close(world, klass, capture):
    with capture(execute=True):
        return class_close(actor=world.organiser, training_class=klass)


def record_of(klass, trainee) -> CompletionRecord:
    return CompletionRecord.objects.get(training_class=klass, trainee=trainee)


def status_of(klass, trainee) -> str:
    return Enrolment.objects.get(training_class=klass, trainee=trainee).status


# --- the three outcomes -----------------------------------------------------------------


def test_a_failed_final_exam_and_missing_written_work_mean_not_completed_and_are_named(
    world, klass, django_capture_on_commit_callbacks
):
    """Real assessments: a final exam nobody took and a required reflection nobody wrote."""
    from tests.assessments.factories import AssignmentFactory, quiz_with, single

    quiz_with([single()], training_class=klass, is_final_exam=True, is_required=True)
    AssignmentFactory(training_class=klass, is_required=True, title="学习心得")
    for session in world.extra["sessions"]:
        attend(world.trainee_a, session)
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, world.trainee_a) == E.NOT_COMPLETED
    record = record_of(klass, world.trainee_a)
    assert (record.outcome, record.completed, record.hours) == (OUT.NOT_COMPLETED, False, None)
    assert [m["code"] for m in record.missing] == ["final_exam_failed", "written_work_missing"]
    assert record.missing[1]["detail"] == "学习心得"
    assert not CreditEntry.objects.filter(person=world.trainee_a).exists()
    assert not Certificate.objects.filter(trainee=world.trainee_a).exists()


def test_leave_over_the_cap_means_withdrawal(world, klass, django_capture_on_commit_callbacks):
    sessions = world.extra["sessions"]
    on_leave(world, world.trainee_a, sessions[:2], LeaveRequest.Kind.SICK)  # 6 of 12 学时
    for session in sessions[2:]:
        attend(world.trainee_a, session)
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, world.trainee_a) == E.WITHDRAWN
    record = record_of(klass, world.trainee_a)
    assert record.outcome == OUT.WITHDRAWN
    assert [m["code"] for m in record.missing] == ["leave_over_cap"]
    assert record.missing[0]["detail"] == "50.0% > 14.3%"
    assert not CreditEntry.objects.filter(person=world.trainee_a).exists()


def test_two_days_of_unexcused_absence_mean_withdrawal(
    world, klass, django_capture_on_commit_callbacks
):
    """学员甲 missed all four sessions without leave: two days of 旷课."""
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, world.trainee_a) == E.WITHDRAWN
    record = record_of(klass, world.trainee_a)
    assert [m["code"] for m in record.missing] == ["absence_over_limit"]
    assert record.missing[0]["detail"].startswith("2.0 ≥ 2")


def test_one_and_a_half_days_of_absence_still_complete(
    world, klass, django_capture_on_commit_callbacks
):
    """Just under the limit: the rule is 2 days or more."""
    attend(world.trainee_a, world.extra["sessions"][0])
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, world.trainee_a) == E.COMPLETED


def test_a_trainee_withdrawn_during_the_class_stays_withdrawn(
    world, klass, django_capture_on_commit_callbacks
):
    regular = world.extra["regular"]
    enrolment = Enrolment.objects.get(training_class=klass, trainee=regular)
    enrolment_withdraw(actor=world.organiser, enrolment=enrolment, reason="调岗")
    for session in world.extra["sessions"]:
        attend(world.trainee_a, session)
    rows = {r.trainee.pk: r for r in class_completion_review(training_class=klass)}
    assert regular.pk not in rows  # the review's roster: those still on the class
    with_withdrawn = class_completion_review(training_class=klass, with_withdrawn=True)
    assert [(r.trainee.pk, r.outcome) for r in with_withdrawn][-1] == (regular.pk, OUT.WITHDRAWN)
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, regular) == E.WITHDRAWN
    record = record_of(klass, regular)
    assert record.outcome == OUT.WITHDRAWN
    assert [m["code"] for m in record.missing] == ["withdrawn_before_close"]
    assert record.missing[0]["detail"] == "调岗"  # the reason given when withdrawn
    assert not CreditEntry.objects.filter(person=regular).exists()  # attended, yet withdrew
    assert status_of(klass, world.trainee_a) == E.COMPLETED


# --- 公假 ----------------------------------------------------------------------------


def test_official_leave_is_not_counted_against_the_cap_when_the_class_excuses_it(
    world, klass, django_capture_on_commit_callbacks
):
    from attendance.selectors import class_attendance_summary

    sessions = world.extra["sessions"]
    on_leave(world, world.trainee_a, sessions[:2], LeaveRequest.Kind.OFFICIAL)  # 6 学时 公假
    for session in sessions[2:]:
        attend(world.trainee_a, session)
    summary = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert (summary.leave_hours, summary.official_leave_hours) == (Decimal("6"), Decimal("6"))
    assert (summary.leave_share, summary.at_risk) == (Decimal("0"), False)
    row = next(
        r for r in class_completion_review(training_class=klass) if r.trainee == world.trainee_a
    )
    assert row.outcome == OUT.COMPLETED
    assert [m.code for m in row.result.exceptions] == ["official_leave_excused"]
    close(world, klass, django_capture_on_commit_callbacks)
    record = record_of(klass, world.trainee_a)
    assert record.outcome == OUT.COMPLETED
    assert [m["code"] for m in record.exceptions] == ["official_leave_excused"]
    # The sessions on 公假 earn their 学时 too: all 12.
    assert record.hours == Decimal("12")


def test_official_leave_counts_against_the_cap_when_the_class_says_so(
    world, klass, django_capture_on_commit_callbacks
):
    from attendance.selectors import class_attendance_summary

    policy_save(
        actor=world.organiser, training_class=klass, values={"official_leave_excused": False}
    )
    sessions = world.extra["sessions"]
    on_leave(world, world.trainee_a, sessions[:2], LeaveRequest.Kind.OFFICIAL)
    for session in sessions[2:]:
        attend(world.trainee_a, session)
    summary = class_attendance_summary(training_class=klass)[world.trainee_a.pk]
    assert (summary.leave_share, summary.reasons) == (Decimal("0.5000"), ["leave_over_cap"])
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, world.trainee_a) == E.WITHDRAWN
    assert [m["code"] for m in record_of(klass, world.trainee_a).missing] == ["leave_over_cap"]


# --- 学时 per session ----------------------------------------------------------------


def test_the_ledger_holds_exactly_the_attended_sessions_on_their_dates(
    world, klass, django_capture_on_commit_callbacks
):
    """Day one: present, then late. Day two: on 公假 in the morning (excused), absent in
    the afternoon. 9 of the class's 12 学时, 6 on day one and 3 on day two."""
    s1, s2, s3, s4 = world.extra["sessions"]
    attend(world.trainee_a, s1)
    attend(world.trainee_a, s2, S.LATE)
    on_leave(world, world.trainee_a, [s3], LeaveRequest.Kind.OFFICIAL)
    regular = world.extra["regular"]
    close(world, klass, django_capture_on_commit_callbacks)
    entries = CreditEntry.objects.filter(person=world.trainee_a).order_by("earned_on")
    assert [(e.earned_on, e.hours, e.source_key) for e in entries] == [
        (_day(-8), Decimal("6.00"), f"class:{klass.pk}:{_day(-8).isoformat()}"),
        (_day(-7), Decimal("3.00"), f"class:{klass.pk}:{_day(-7).isoformat()}"),
    ]
    assert all(e.channel == CreditEntry.Channel.IN_PERSON for e in entries)
    assert "第一讲" in entries[0].note and "第二讲" in entries[0].note
    assert record_of(klass, world.trainee_a).hours == Decimal("9")
    assert sum(e.hours for e in CreditEntry.objects.filter(person=regular)) == Decimal("12")
    klass.refresh_from_db()
    assert klass.awarded_hours == Decimal("12")  # the most anyone was awarded


def test_leaving_early_still_earns_the_session(world, klass, django_capture_on_commit_callbacks):
    for session in world.extra["sessions"]:
        attend(world.trainee_a, session, S.LEFT_EARLY)
    close(world, klass, django_capture_on_commit_callbacks)
    assert record_of(klass, world.trainee_a).hours == Decimal("12")


def test_the_certificate_prints_the_trainees_own_posted_hours(
    world, klass, django_capture_on_commit_callbacks
):
    s1, s2, s3, _s4 = world.extra["sessions"]
    for session in (s1, s2, s3):
        attend(world.trainee_a, session)
    close(world, klass, django_capture_on_commit_callbacks)
    posted = sum(e.hours for e in CreditEntry.objects.filter(person=world.trainee_a))
    mine = Certificate.objects.get(trainee=world.trainee_a, training_class=klass)
    theirs = Certificate.objects.get(trainee=world.extra["regular"], training_class=klass)
    assert posted == Decimal("9") and mine.snapshot["hours"] == "9"
    assert theirs.snapshot["hours"] == "12"


def test_closing_twice_posts_nothing_twice(world, klass, django_capture_on_commit_callbacks):
    for session in world.extra["sessions"]:
        attend(world.trainee_a, session)
    close(world, klass, django_capture_on_commit_callbacks)
    before = (CreditEntry.objects.count(), Certificate.objects.count())
    assert before == (4, 2)  # two dates for each of the two trainees
    assert close(world, klass, django_capture_on_commit_callbacks) is None
    assert (CreditEntry.objects.count(), Certificate.objects.count()) == before


def test_a_class_without_a_timetable_posts_its_hours_on_the_close_date(
    world, django_capture_on_commit_callbacks
):
    klass = class_for_world(
        world, start_date=_day(-3), end_date=_day(-1), credit_hours=Decimal("18.0")
    )
    close(world, klass, django_capture_on_commit_callbacks)
    entry = CreditEntry.objects.get(person=world.trainee_a)
    assert (entry.hours, entry.earned_on, entry.source_key) == (
        Decimal("18.00"),
        _day(-1),
        f"class:{klass.pk}",
    )
    assert record_of(klass, world.trainee_a).hours == Decimal("18")


def test_the_close_page_warns_of_sessions_without_attendance(client, world, klass):
    untaken = ClassSessionFactory(
        training_class=klass, date=_day(-7), half_day=H.EVENING, title="晚间研讨"
    )
    client.force_login(world.organiser)
    html = client.get(reverse("certificates_admin:class_detail", args=[klass.pk])).content.decode()
    assert 'data-code="sessions_untaken"' in html and untaken.title in html
    assert "按实际出勤课次计" in html


# --- the organiser's override -------------------------------------------------------


def test_override_allows_completion_with_a_reason_and_the_close_honours_it(
    world, klass, monkeypatch, django_capture_on_commit_callbacks
):
    for session in world.extra["sessions"]:
        attend(world.trainee_a, session)
    fake_assessments(monkeypatch, {world.trainee_a.pk: FakeAssessment(final_exam_passed=False)})
    with pytest.raises(OverrideReasonRequired):
        completion_override_set(
            actor=world.organiser,
            training_class=klass,
            trainee=world.trainee_a,
            decision="complete",
        )
    record = completion_override_set(
        actor=world.organiser,
        training_class=klass,
        trainee=world.trainee_a,
        decision="complete",
        reason="结业考试当天抗洪抢险，经研究准予结业",
    )
    assert (record.override, record.override_by) == ("complete", world.organiser)
    # Idempotent: the same decision again writes nothing new.
    completion_override_set(
        actor=world.organiser,
        training_class=klass,
        trainee=world.trainee_a,
        decision="complete",
        reason="结业考试当天抗洪抢险，经研究准予结业",
    )
    logs = ModelLogEntry.objects.filter(action="certificates.override")
    assert logs.count() == 1 and logs.get().data["decision"] == "complete"
    row = next(
        r for r in class_completion_review(training_class=klass) if r.trainee == world.trainee_a
    )
    assert (row.result.outcome, row.outcome) == (OUT.NOT_COMPLETED, OUT.COMPLETED)
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, world.trainee_a) == E.COMPLETED
    record = record_of(klass, world.trainee_a)
    assert (record.outcome, record.override, record.override_by) == (
        OUT.COMPLETED,
        "complete",
        world.organiser,
    )
    assert record.override_reason == "结业考试当天抗洪抢险，经研究准予结业"
    assert [m["code"] for m in record.missing] == ["final_exam_failed"]  # what the rules said
    assert Certificate.objects.filter(trainee=world.trainee_a, training_class=klass).exists()
    assert record.hours == Decimal("12")
    log = ModelLogEntry.objects.get(action="certificates.class_close")
    assert log.data["overrides"] == [{"trainee": world.trainee_a.pk, "decision": "complete"}]


def test_override_refuses_completion_to_someone_the_rules_would_pass(
    world, klass, django_capture_on_commit_callbacks
):
    for session in world.extra["sessions"]:
        attend(world.trainee_a, session)
    completion_override_set(
        actor=world.organiser,
        training_class=klass,
        trainee=world.trainee_a,
        decision="not_complete",
        reason="培训期间严重违反学习纪律",
    )
    close(world, klass, django_capture_on_commit_callbacks)
    assert status_of(klass, world.trainee_a) == E.NOT_COMPLETED
    record = record_of(klass, world.trainee_a)
    assert (record.outcome, record.override_reason) == (
        OUT.NOT_COMPLETED,
        "培训期间严重违反学习纪律",
    )
    assert not CreditEntry.objects.filter(person=world.trainee_a).exists()
    assert not Certificate.objects.filter(trainee=world.trainee_a).exists()


def test_override_can_be_taken_back_and_is_refused_after_close(
    world, klass, django_capture_on_commit_callbacks
):
    args = {"actor": world.organiser, "training_class": klass, "trainee": world.trainee_a}
    completion_override_set(**args, decision="not_complete", reason="违纪")
    record = completion_override_set(**args, decision="")
    assert (record.override, record.override_reason, record.override_by) == ("", "", None)
    assert ModelLogEntry.objects.filter(action="certificates.override").count() == 2
    with pytest.raises(OverrideInvalid):
        completion_override_set(**args, decision="maybe", reason="?")
    close(world, klass, django_capture_on_commit_callbacks)
    with pytest.raises(ClassAlreadyClosed):
        completion_override_set(**args, decision="complete", reason="补办")


def test_only_the_class_organisers_override_and_only_for_the_roster(world, klass):
    for actor in (world.organiser_other, world.adviser, world.trainee_a):
        with pytest.raises(PermissionDenied):
            completion_override_set(
                actor=actor,
                training_class=klass,
                trainee=world.trainee_a,
                decision="complete",
                reason="x",
            )
    with pytest.raises(NotEnrolled):
        completion_override_set(
            actor=world.organiser,
            training_class=klass,
            trainee=world.trainee_b,
            decision="complete",
            reason="x",
        )
    assert not CompletionRecord.objects.exclude(override="").exists()


def test_the_review_page_shows_outcomes_and_the_override_before_and_after_close(
    client, world, klass, django_capture_on_commit_callbacks
):
    completion_override_set(
        actor=world.organiser,
        training_class=klass,
        trainee=world.trainee_a,
        decision="complete",
        reason="因公务缺课，经研究准予结业",
    )
    client.force_login(world.organiser)
    url = reverse("certificates_admin:class_detail", args=[klass.pk])
    html = client.get(url).content.decode()
    assert 'data-code="override_complete"' in html and "因公务缺课，经研究准予结业" in html
    assert "罗山组织员" in html  # who decided
    assert 'data-code="absence_over_limit"' in html  # what the rules say, still shown
    assert '<span class="cert-count" data-outcome="completed">已结业 <strong>2</strong>' in html
    close(world, klass, django_capture_on_commit_callbacks)
    html = client.get(url).content.decode()
    assert 'data-code="override_complete"' in html and "因公务缺课，经研究准予结业" in html
    assert '<tr data-outcome="completed">' in html


def test_the_override_page_saves_the_decision(client, world, klass):
    client.force_login(world.organiser)
    url = reverse("certificates_admin:completion_override", args=[klass.pk, world.trainee_a.pk])
    page = client.get(url).content.decode()
    assert "准予结业" in page and "不予结业" in page
    response = client.post(url, {"decision": "not_complete", "reason": ""})
    assert response.status_code == 200 and not CompletionRecord.objects.exclude(override="")
    response = client.post(url, {"decision": "not_complete", "reason": "考核弄虚作假"})
    assert response.status_code == 302
    assert record_of(klass, world.trainee_a).override_reason == "考核弄虚作假"
    client.force_login(world.organiser_other)
    assert client.get(url).status_code == 404


def test_the_trainee_sees_the_outcome_and_the_reason_on_the_class_page_and_record(
    client, world, klass, django_capture_on_commit_callbacks
):
    import io

    from pypdf import PdfReader

    from ledger.pdf import training_record_pdf

    completion_override_set(
        actor=world.organiser,
        training_class=klass,
        trainee=world.trainee_a,
        decision="not_complete",
        reason="培训期间严重违反学习纪律",
    )
    for session in world.extra["sessions"]:
        attend(world.trainee_a, session)
    client.force_login(world.trainee_a)
    page = reverse("training:class_detail", args=[klass.pk])
    assert "我的结业结果" not in client.get(page).content.decode()  # nothing decided yet
    close(world, klass, django_capture_on_commit_callbacks)
    html = client.get(page).content.decode()
    assert 'data-outcome="not_completed"' in html and "不予结业" in html
    assert "培训期间严重违反学习纪律" in html
    pdf = training_record_pdf(person=world.trainee_a)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = text.replace("\n", "").replace(" ", "")
    assert "不予结业" in text and "培训期间严重违反学习纪律" in text


def test_a_withdrawn_trainee_reads_why_in_my_certificates_and_the_record(
    client, world, klass, django_capture_on_commit_callbacks
):
    """退学 takes the class's pages away; the trainee still reads the outcome and why."""
    import io

    from pypdf import PdfReader

    from ledger.pdf import training_record_pdf

    close(world, klass, django_capture_on_commit_callbacks)
    client.force_login(world.trainee_a)
    assert client.get(reverse("training:class_detail", args=[klass.pk])).status_code == 404
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert klass.name in html and 'data-outcome="withdrawn"' in html
    assert 'data-code="absence_over_limit"' in html
    pdf = training_record_pdf(person=world.trainee_a)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = text.replace("\n", "").replace(" ", "")
    assert "退学" in text and "旷课" in text


def test_the_override_page_of_a_closed_class_sends_the_organiser_back(
    client, world, klass, django_capture_on_commit_callbacks
):
    close(world, klass, django_capture_on_commit_callbacks)
    client.force_login(world.organiser)
    url = reverse("certificates_admin:completion_override", args=[klass.pk, world.trainee_a.pk])
    response = client.post(url, {"decision": "complete", "reason": "补办"}, follow=True)
    assert "结业结论不能再修改" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "certificates_admin:class_detail", args=[klass.pk]
    )
    assert not CompletionRecord.objects.exclude(override="").exists()
