"""请假 / 销假: 学员甲 asks for leave; half a day the adviser approves, longer the organiser;
approval marks the sessions 请假; she reports back when she returns."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from attendance import errors
from attendance.models import AttendanceRecord, LeaveRequest
from attendance.services import (
    checkin_record,
    leave_approve,
    leave_reject,
    leave_report_back,
    leave_request_create,
    leave_withdraw,
)
from attendance.tokens import token_make
from lms.errors import PermissionDenied

from .factories import session_around

S = AttendanceRecord.Status
pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def tomorrow(klass):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    return [
        session_around(klass, start=start, title="上午课"),
        session_around(klass, start=start + datetime.timedelta(hours=6), title="下午课"),
    ]


def ask(world, klass, sessions, **kwargs):
    kwargs.setdefault("reason", "参加县委全会")
    return leave_request_create(
        trainee=world.trainee_a, training_class=klass, sessions=sessions, **kwargs
    )


def test_half_day_leave_is_approved_by_the_adviser_and_marks_the_session(world, klass, tomorrow):
    leave = ask(world, klass, tomorrow[:1])
    assert (leave.status, leave.half_days, leave.hours, leave.needs_organiser) == (
        "pending",
        1,
        tomorrow[0].credit_hours,
        False,
    )
    leave_approve(actor=world.adviser, leave=leave, note="同意")
    leave.refresh_from_db()
    assert (leave.status, leave.decided_by) == ("approved", world.adviser)
    record = AttendanceRecord.objects.get(session=tomorrow[0], trainee=world.trainee_a)
    assert (record.status, record.source, record.leave_request) == (S.ON_LEAVE, "leave", leave)
    assert ModelLogEntry.objects.filter(action="attendance.leave_approve").count() == 1
    leave_approve(actor=world.adviser, leave=leave)  # twice: nothing new
    assert AttendanceRecord.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="attendance.leave_approve").count() == 1


def test_a_day_of_leave_needs_the_organiser(world, klass, tomorrow):
    leave = ask(world, klass, tomorrow)
    assert leave.needs_organiser and leave.half_days == 2
    with pytest.raises(errors.LeaveNeedsOrganiser):
        leave_approve(actor=world.adviser, leave=leave)
    with pytest.raises(PermissionDenied):
        leave_approve(actor=world.organiser_other, leave=leave)
    assert not AttendanceRecord.objects.exists()
    leave_approve(actor=world.organiser, leave=leave)
    assert set(AttendanceRecord.objects.values_list("status", flat=True)) == {S.ON_LEAVE}
    assert AttendanceRecord.objects.count() == 2


def test_threshold_is_the_class_policy(world, klass, tomorrow):
    from attendance.services import policy_save

    policy_save(
        actor=world.organiser, training_class=klass, values={"adviser_max_leave_half_days": 2}
    )
    leave = ask(world, klass, tomorrow)
    assert not leave.needs_organiser
    leave_approve(actor=world.adviser, leave=leave)
    with pytest.raises(PermissionDenied):
        policy_save(actor=world.adviser, training_class=klass, values={"grace_minutes": 60})


def test_rejection_needs_a_reason(world, klass, tomorrow):
    leave = ask(world, klass, tomorrow[:1])
    with pytest.raises(errors.ReasonRequired):
        leave_reject(actor=world.adviser, leave=leave, note="")
    leave_reject(actor=world.adviser, leave=leave, note="培训期间原则上不准假")
    leave.refresh_from_db()
    assert leave.status == "rejected" and not AttendanceRecord.objects.exists()
    with pytest.raises(errors.LeaveNotPending):
        leave_approve(actor=world.adviser, leave=leave)


def test_request_rules(world, klass, tomorrow, live_session):
    with pytest.raises(errors.LeaveNoSessions):
        ask(world, klass, [])
    other_class_session = session_around(
        world.extra["class_b"], start=tomorrow[0].starts_at, title="别班课"
    )
    with pytest.raises(errors.LeaveNoSessions):
        ask(world, klass, [other_class_session])
    past = session_around(klass, start=timezone.now() - datetime.timedelta(hours=5))
    with pytest.raises(errors.LeaveSessionPast):
        ask(world, klass, [past])
    with pytest.raises(errors.ReasonRequired):
        ask(world, klass, tomorrow, reason="  ")
    with pytest.raises(errors.NotOnRoster):
        leave_request_create(
            trainee=world.trainee_b, training_class=klass, sessions=tomorrow, reason="x"
        )
    ask(world, klass, tomorrow[:1])
    with pytest.raises(errors.LeaveOverlap):
        ask(world, klass, tomorrow)
    ask(world, klass, [live_session])  # a running session can still be asked for
    assert LeaveRequest.objects.count() == 2


def test_attachment_is_checked_by_content(world, klass, tomorrow):
    fake = SimpleUploadedFile("假条.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(errors.LeaveBadAttachment):
        ask(world, klass, tomorrow[:1], attachment=fake)
    big = SimpleUploadedFile("big.png", PNG + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(errors.LeaveBadAttachment):
        ask(world, klass, tomorrow[:1], attachment=big)
    assert not LeaveRequest.objects.exists()
    leave = ask(world, klass, tomorrow[:1], attachment=SimpleUploadedFile("假条.png", PNG))
    assert leave.attachment.name.startswith("attendance/leave/")
    assert "假条" not in leave.attachment.name


def test_withdraw_and_report_back(world, klass, tomorrow):
    first = ask(world, klass, tomorrow[:1])
    with pytest.raises(PermissionDenied):
        leave_withdraw(trainee=world.trainee_b, leave=first)
    leave_withdraw(trainee=world.trainee_a, leave=first)
    second = ask(world, klass, tomorrow[:1])  # withdrawn leave no longer overlaps
    with pytest.raises(errors.LeaveNotApproved):
        leave_report_back(trainee=world.trainee_a, leave=second)
    leave_approve(actor=world.adviser, leave=second)
    back = leave_report_back(trainee=world.trainee_a, leave=second, note="已返回")
    assert back.reported_back_at is not None and back.report_back_note == "已返回"
    again = leave_report_back(trainee=world.trainee_a, leave=second)
    assert again.reported_back_at == back.reported_back_at


def test_approved_leave_keeps_a_check_in(world, klass, live_session):
    at = live_session.starts_at + datetime.timedelta(minutes=1)
    checkin_record(
        trainee=world.trainee_a,
        token=token_make(session_id=live_session.pk, now=at.timestamp()),
        session_id=live_session.pk,
        now=at,
    )
    leave = ask(world, klass, [live_session])
    leave_approve(actor=world.adviser, leave=leave)
    assert AttendanceRecord.objects.get().status == S.PRESENT


def test_trainee_pages(client, world, klass, tomorrow):
    client.force_login(world.trainee_a)
    url = reverse("attendance:leave_create", args=[klass.pk])
    page = client.get(url)
    assert page.status_code == 200 and "上午课" in page.content.decode()
    response = client.post(
        url,
        {
            "kind": "sick",
            "sessions": [tomorrow[0].pk],
            "reason": "发烧就医",
            "attachment": SimpleUploadedFile("病历.png", PNG),
        },
    )
    leave = LeaveRequest.objects.get()
    assert leave.kind == LeaveRequest.Kind.SICK
    assert response.status_code == 302 and response["Location"] == reverse(
        "attendance:leave_detail", args=[leave.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "发烧就医" in detail and ">病假<" in detail
    attachment = client.get(reverse("attendance:leave_attachment", args=[leave.pk]))
    assert attachment["Content-Type"] == "image/png"
    # Another trainee sees neither the request nor its attachment.
    client.force_login(world.trainee_b)
    assert client.get(reverse("attendance:leave_detail", args=[leave.pk])).status_code == 404
    assert client.get(reverse("attendance:leave_attachment", args=[leave.pk])).status_code == 404
    # The adviser approves in the admin; the trainee reports back.
    client.force_login(world.adviser)
    review = reverse("attendance_admin:leave_review", args=[leave.pk])
    assert "发烧就医" in client.get(review).content.decode()
    assert client.post(review, {"decision": "approve", "note": ""}).status_code == 302
    client.force_login(world.trainee_a)
    client.post(reverse("attendance:leave_report_back", args=[leave.pk]), {"note": "已返校"})
    leave.refresh_from_db()
    assert (leave.status, leave.report_back_note) == ("approved", "已返校")


def test_bad_attachment_shows_the_error_and_saves_nothing(client, world, klass, tomorrow):
    client.force_login(world.trainee_a)
    response = client.post(
        reverse("attendance:leave_create", args=[klass.pk]),
        {
            "kind": "personal",
            "sessions": [tomorrow[0].pk],
            "reason": "x",
            "attachment": SimpleUploadedFile("a.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 200
    assert str(errors.LeaveBadAttachment.message) in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_a_class_with_no_sessions_left_says_so_instead_of_a_form(client, world, klass):
    session_around(klass, start=timezone.now() - datetime.timedelta(days=1))
    client.force_login(world.trainee_a)
    url = reverse("attendance:leave_create", args=[klass.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-code="no_sessions_left"' in html
    assert 'name="reason"' not in html and "必需" not in html
    # A stale form posted anyway changes nothing and says the same.
    again = client.post(url, {"reason": "参加县委全会"})
    assert 'data-code="no_sessions_left"' in again.content.decode()
    assert not LeaveRequest.objects.exists()


def test_the_form_shows_the_share_already_asked_for_and_warns_past_the_cap(
    client, world, klass, tomorrow
):
    """42 学时, cap 1/7 = 6 学时; sessions of 4 学时. One asked for (4): under the cap;
    both (8): over. The page knows each session's hours to add up a new request."""
    from decimal import Decimal

    from training.models import ClassSession

    ClassSession.objects.filter(pk__in=[s.pk for s in tomorrow]).update(credit_hours=4)
    for s in tomorrow:
        s.refresh_from_db()
    assert klass.credit_hours == Decimal("42")
    ask(world, klass, tomorrow[:1])
    client.force_login(world.trainee_a)
    url = reverse("attendance:leave_create", args=[klass.pk])
    page = client.get(url)
    preview = page.context["preview"]
    assert (preview.hours_asked, preview.class_hours) == (Decimal("4"), Decimal("42"))
    assert (preview.cap_numerator, preview.cap_denominator, preview.over_cap) == (1, 7, False)
    assert page.context["preview_data"]["sessions"] == {str(s.pk): "4.0" for s in tomorrow}
    html = page.content.decode()
    assert 'id="leave-preview"' in html and "attendance/leave.js" in html
    assert "已申请请假：本班 42 学时中的 4 学时" in html
    ask(world, klass, tomorrow[1:])
    page = client.get(url)
    assert page.context["preview"].hours_asked == Decimal("8")
    assert page.context["preview"].over_cap is True
    assert 'class="leave-share__warn"' in page.content.decode()
    assert 'class="leave-share__warn" hidden' not in page.content.decode()


# --- kinds of leave: 病假 / 事假 / 公假 ------------------------------------------------


def test_the_request_keeps_its_kind_and_official_leave_needs_the_notice(world, klass, tomorrow):
    from attendance.services.records import policy_save

    sick = ask(world, klass, tomorrow[:1], kind=LeaveRequest.Kind.SICK)
    assert sick.kind == "sick"
    log = ModelLogEntry.objects.get(action="attendance.leave_request")
    assert log.data["kind"] == "sick"
    with pytest.raises(errors.LeaveAttachmentRequired):
        ask(world, klass, tomorrow[1:], kind=LeaveRequest.Kind.OFFICIAL)
    with pytest.raises(errors.LeaveKindUnknown):
        ask(world, klass, tomorrow[1:], kind="annual")
    assert LeaveRequest.objects.count() == 1
    official = ask(
        world,
        klass,
        tomorrow[1:],
        kind=LeaveRequest.Kind.OFFICIAL,
        attachment=SimpleUploadedFile("通知.png", PNG),
    )
    assert official.kind == "official" and official.attachment
    # A class may drop the attachment rule.
    leave_withdraw(trainee=world.trainee_a, leave=official)
    policy_save(
        actor=world.organiser,
        training_class=klass,
        values={"official_leave_needs_attachment": False},
    )
    klass._attendance_policy = None
    assert ask(world, klass, tomorrow[1:], kind=LeaveRequest.Kind.OFFICIAL).attachment == ""


def test_the_preview_leaves_official_leave_out_of_the_share_when_the_class_excuses_it(
    client, world, klass, tomorrow
):
    from decimal import Decimal

    from attendance.services import policy_save

    ask(world, klass, tomorrow[:1], kind=LeaveRequest.Kind.SICK)
    ask(
        world,
        klass,
        tomorrow[1:],
        kind=LeaveRequest.Kind.OFFICIAL,
        attachment=SimpleUploadedFile("通知.png", PNG),
    )
    client.force_login(world.trainee_a)
    url = reverse("attendance:leave_create", args=[klass.pk])
    preview = client.get(url).context["preview"]
    hours = tomorrow[0].credit_hours
    assert (preview.hours_asked, preview.official_hours_asked) == (hours, hours)
    assert preview.official_excused and not preview.counts(LeaveRequest.Kind.OFFICIAL)
    html = client.get(url).content.decode()
    assert "本班公假不计入请假比例" in html and 'name="kind"' in html
    assert '"officialExcused": true' in html
    policy_save(
        actor=world.organiser, training_class=klass, values={"official_leave_excused": False}
    )
    page = client.get(url)
    preview = page.context["preview"]
    assert (preview.hours_asked, preview.official_excused) == (hours * 2, False)
    assert preview.counts(LeaveRequest.Kind.OFFICIAL)
    assert "本班公假与其他请假一样计入请假比例" in page.content.decode()
    assert preview.hours_asked == Decimal("6.0")


def test_the_form_requires_a_kind(client, world, klass, tomorrow):
    client.force_login(world.trainee_a)
    response = client.post(
        reverse("attendance:leave_create", args=[klass.pk]),
        {"sessions": [tomorrow[0].pk], "reason": "家中有事"},
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert not LeaveRequest.objects.exists()


def test_staff_see_the_kind_in_the_list_the_review_and_the_workbook(client, world, klass, tomorrow):
    import io

    from openpyxl import load_workbook

    leave = ask(
        world,
        klass,
        tomorrow[:1],
        kind=LeaveRequest.Kind.OFFICIAL,
        attachment=SimpleUploadedFile("通知.png", PNG),
    )
    client.force_login(world.adviser)
    listing = client.get(reverse("attendance_admin:leave_list")).content.decode()
    assert "公假" in listing and "学员甲" in listing
    review = client.get(reverse("attendance_admin:leave_review", args=[leave.pk])).content.decode()
    assert 'data-kind="official"' in review and "本班不计入请假比例" in review
    client.force_login(world.organiser)
    response = client.get(reverse("attendance_admin:class_report", args=[klass.pk]))
    _sessions, trainees, leaves = load_workbook(io.BytesIO(response.getvalue())).worksheets
    assert [c.value for c in leaves[3]] == ["姓名", "请假类别", "课次", "学时", "原因", "状态"]
    assert [c.value for c in leaves[4]][:2] == ["学员甲", "公假"]
    assert "公假学时" in [c.value for c in trainees[3]]


def test_the_leave_list_shows_waiting_requests_first_filters_by_status_and_keeps_to_scope(
    client, world, klass, tomorrow
):
    waiting = ask(world, klass, tomorrow[:1], reason="家中有事")
    decided = ask(world, klass, tomorrow[1:], reason="参加县委全会")
    leave_approve(actor=world.adviser, leave=decided, note="同意")
    url = reverse("attendance_admin:leave_list")
    client.force_login(world.adviser)
    unasked = client.get(url).content.decode()
    assert "家中有事" in unasked and "参加县委全会" not in unasked
    assert reverse("attendance_admin:leave_review", args=[waiting.pk]) in unasked
    approved = client.get(url, {"status": LeaveRequest.Status.APPROVED}).content.decode()
    assert "参加县委全会" in approved and "家中有事" not in approved
    every = client.get(reverse("attendance_admin:leave_list_results"), {"status": ""})
    assert "家中有事" in every.content.decode() and "参加县委全会" in every.content.decode()
    # Another county's organiser and adviser run other classes: none of these rows.
    for outsider in (world.organiser_other, world.adviser_other):
        client.force_login(outsider)
        page = client.get(url, {"status": ""}).content.decode()
        assert "家中有事" not in page and "参加县委全会" not in page
        assert "暂无请假申请。" in page
