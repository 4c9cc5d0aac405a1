"""Each event comes from the service that makes it happen, once, to the right people."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Quiz
from assessments.services.attempts import attempt_start
from assessments.services.marking import submission_grade
from assessments.services.written import submission_save
from attendance.services import leave_approve, leave_reject, leave_request_create
from certificates.models import Certificate
from certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificates_issue_for_class,
)
from notifications.models import Delivery, Notification
from notifications.sweep import sweep
from people.services import person_create, person_reset_password
from tests.assessments.factories import AssignmentFactory, quiz_with, single
from tests.attendance.factories import session_around
from tests.certificates.factories import closed_class
from tests.factories import trainee
from tests.training.factories import EnrolmentFactory, class_for_world
from training.models import Enrolment
from training.services import notice_publish

pytestmark = pytest.mark.django_db


def events_of(person) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person).order_by("pk").values_list("event", flat=True)
    )


def test_a_notice_goes_to_the_classs_roster_only(world):
    klass = class_for_world(world)
    gone = trainee()
    EnrolmentFactory(training_class=klass, trainee=gone, status=Enrolment.Status.WITHDRAWN)
    notice = notice_publish(actor=world.adviser, training_class=klass, title="开班", body="8点")
    item = Notification.objects.get(recipient=world.trainee_a)
    assert (item.event, item.key, item.url) == (
        "notice_posted",
        f"notice:{notice.pk}",
        f"/classes/notices/{notice.pk}/",
    )
    assert events_of(world.trainee_b) == [] and events_of(gone) == []
    assert set(
        Delivery.objects.filter(recipient=world.trainee_a).values_list("channel", flat=True)
    ) == {"email", "sms"}


@pytest.fixture
def leave(world):
    klass = class_for_world(world)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    session = session_around(klass, start=start)
    return leave_request_create(
        trainee=world.trainee_a, training_class=klass, sessions=[session], reason="开会"
    )


def test_an_approved_leave_is_announced_once(world, leave):
    leave_approve(actor=world.adviser, leave=leave, note="同意")
    leave_approve(actor=world.adviser, leave=leave)  # approving twice changes nothing
    assert events_of(world.trainee_a) == ["leave_approved"]
    item = Notification.objects.get(recipient=world.trainee_a)
    assert item.url == f"/attendance/leave/{leave.pk}/"
    assert (
        item.context["when"]
        == timezone.localtime(leave.sessions.get().starts_at).date().isoformat()
    )


def test_a_refused_leave_says_why(world, leave):
    leave_reject(actor=world.adviser, leave=leave, note="本次课程不可请假")
    item = Notification.objects.get(recipient=world.trainee_a)
    assert item.event == "leave_rejected"
    assert "本次课程不可请假" in item.body


def test_graded_work_is_announced_and_so_is_a_regrade_but_not_a_repeat(world):
    assignment = AssignmentFactory(training_class=class_for_world(world), title="学习心得")
    sub = submission_save(assignment=assignment, trainee=world.trainee_a, text="心得")
    submission_grade(grader=world.admin, submission_id=sub.pk, grade="good")
    submission_grade(grader=world.admin, submission_id=sub.pk, grade="good")  # sent twice
    assert events_of(world.trainee_a) == ["work_graded"]
    assert Notification.objects.get(recipient=world.trainee_a).context["title"] == "学习心得"
    submission_grade(grader=world.admin, submission_id=sub.pk, grade="good", comment="补充评语")
    assert events_of(world.trainee_a) == ["work_graded"]  # a comment alone is not news
    submission_grade(grader=world.admin, submission_id=sub.pk, grade="excellent")  # regrade
    assert events_of(world.trainee_a) == ["work_graded", "work_graded"]


def test_certificates_issued_one_by_one_or_by_the_batch_are_announced_once(world):
    people = [trainee() for _ in range(3)]
    klass = closed_class(world, people)
    certificate_issue(actor=world.organiser, training_class=klass, trainee=people[0])
    certificates_issue_for_class(training_class=klass, on_behalf_of=world.organiser)
    for person in people:
        assert events_of(person) == ["certificate_issued"]


def test_a_reissued_certificate_is_announced_to_its_holder_once(world):
    people = [trainee() for _ in range(2)]
    klass = closed_class(world, people)
    certificates_issue_for_class(training_class=klass, on_behalf_of=world.organiser)
    first = Certificate.objects.get(trainee=people[0])
    new = certificate_reissue(actor=world.organiser, certificate=first, reason="姓名有误")
    certificate_reissue(actor=world.organiser, certificate=first, reason="姓名有误")  # again
    assert events_of(people[0]) == ["certificate_issued", "certificate_issued"]
    assert events_of(people[1]) == ["certificate_issued"]
    assert Notification.objects.filter(key=f"certificate:{new.pk}:reissued").count() == 1


def test_an_account_an_organiser_creates_is_told_how_to_log_in(world):
    person, password = person_create(
        actor=world.organiser, full_name="新学员", phone="139 7600 0777", org_unit=world.village_a
    )
    item = Notification.objects.get(recipient=person)
    assert item.event == "account_created"
    assert item.context["login"] == "13976000777"
    assert password not in str(item.context)
    sms = Delivery.objects.get(recipient=person, channel="sms")
    assert sms.address == "13976000777" and password not in str(sms.context)
    person_reset_password(actor=world.organiser, person=person)
    assert events_of(person) == ["account_created", "password_reset"]


# --- reminders from the sweep ---------------------------------------------------------------


def test_a_session_starting_within_the_hour_is_announced_once_not_to_those_on_leave(world):
    klass = class_for_world(world)
    away = trainee()
    EnrolmentFactory(training_class=klass, trainee=away)
    now = timezone.now().replace(microsecond=0)
    soon = session_around(klass, start=now + datetime.timedelta(minutes=50), title="开班式")
    session_around(klass, start=now + datetime.timedelta(hours=3), title="下午课")
    leave = leave_request_create(
        trainee=away, training_class=klass, sessions=[soon], reason="开会", now=now
    )
    leave_approve(actor=world.adviser, leave=leave, now=now)
    sweep(now=now)
    sweep(now=now + datetime.timedelta(minutes=5))
    item = Notification.objects.get(recipient=world.trainee_a)
    assert (item.event, item.key) == ("session_starting", f"session_start:{soon.pk}")
    assert item.url == f"/classes/{klass.pk}/"
    assert "开班式" in item.title
    assert events_of(away) == ["leave_approved"]


def test_a_quiz_that_opens_and_one_due_without_an_attempt_are_announced(world):
    klass = class_for_world(world)
    other = trainee()
    EnrolmentFactory(training_class=klass, trainee=other)
    now = timezone.now().replace(microsecond=0)
    opening = quiz_with(
        [single()],
        training_class=klass,
        title="第一单元测验",
        opens_at=now - datetime.timedelta(minutes=3),
        closes_at=now + datetime.timedelta(days=3),
    )
    closing = quiz_with(
        [single()],
        training_class=klass,
        title="结业考试",
        opens_at=now - datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(hours=20),
    )
    attempt_start(quiz=closing, trainee=other)
    sweep(now=now)
    sweep(now=now + datetime.timedelta(minutes=5))
    keys = set(Notification.objects.values_list("recipient_id", "key"))
    assert keys == {
        (world.trainee_a.pk, f"quiz_open:{opening.pk}"),
        (other.pk, f"quiz_open:{opening.pk}"),
        (world.trainee_a.pk, f"quiz_due:{closing.pk}"),  # `other` has started it
    }


def test_a_quiz_without_an_opening_time_is_announced_once_when_it_becomes_takeable(world):
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)
    klass = class_for_world(
        world,
        start_date=today - datetime.timedelta(days=3),
        end_date=today + datetime.timedelta(days=3),
    )
    fresh = quiz_with([single()], training_class=klass, title="随堂测验")
    old = quiz_with([single()], training_class=klass, title="上周的测验")
    Quiz.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=2))
    sweep(now=now)
    sweep(now=now + datetime.timedelta(minutes=5))
    assert list(Notification.objects.values_list("recipient_id", "key")) == [
        (world.trainee_a.pk, f"quiz_open:{fresh.pk}")
    ]


def test_a_quiz_set_before_the_class_began_is_announced_on_its_first_day(world):
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)
    klass = class_for_world(world, start_date=today, end_date=today + datetime.timedelta(days=5))
    early = quiz_with([single()], training_class=klass, title="结业考试")
    Quiz.objects.filter(pk=early.pk).update(created_at=now - datetime.timedelta(days=10))
    sweep(now=now)
    sweep(now=now + datetime.timedelta(hours=1))
    assert list(Notification.objects.values_list("key", flat=True)) == [f"quiz_open:{early.pk}"]
    sweep(now=now + datetime.timedelta(days=1))
    assert Notification.objects.count() == 1


def test_reporting_back_is_due_when_the_leave_has_ended(world, leave):
    leave_approve(actor=world.adviser, leave=leave)
    session = leave.sessions.get()
    sweep(now=session.ends_at - datetime.timedelta(minutes=5))
    assert events_of(world.trainee_a) == ["leave_approved"]
    sweep(now=session.ends_at + datetime.timedelta(minutes=5))
    sweep(now=session.ends_at + datetime.timedelta(minutes=10))
    assert events_of(world.trainee_a) == ["leave_approved", "leave_report_back_due"]
