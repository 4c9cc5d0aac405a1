"""Class life by the calendar: a class past its last session ends by itself, reads as
ended to everyone, and is closed early only with a reason, counting only what was held."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.errors import ClassNotOver
from certificates.models import Certificate
from certificates.services import class_close
from certificates.services.issue import certificate_issue_date
from ledger.models import CreditEntry
from tests.certificates.factories import FakeAssessment, FakeAttendance, stub_summaries
from tests.training.factories import ClassSessionFactory, class_for_world
from training.models import TrainingClass
from training.services import classes_end_past

S = TrainingClass.Status


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _session(klass, day: datetime.date, half_day="morning", hours="4.0"):
    return ClassSessionFactory(
        training_class=klass, date=day, half_day=half_day, credit_hours=Decimal(hours)
    )


@pytest.fixture
def past_class(world):
    """Ran last week, still marked 进行中 (nobody closed it)."""
    klass = class_for_world(world, start_date=_days(-9), end_date=_days(-7))
    _session(klass, _days(-9))
    _session(klass, _days(-7))
    return klass


def test_the_sweep_ends_a_class_past_its_last_session(world, past_class):
    running = class_for_world(world, start_date=_days(-1), end_date=_days(1))
    closed = class_for_world(world, end_date=_days(-30), status=S.CLOSED)
    moved = classes_end_past()
    statuses = dict(TrainingClass.objects.values_list("pk", "status"))
    assert statuses[past_class.pk] == S.ENDED
    assert statuses[running.pk] == S.RUNNING
    assert statuses[closed.pk] == S.CLOSED
    ended = ModelLogEntry.objects.filter(action="training.class_ended")
    assert moved == ended.count() and str(past_class.pk) in {e.object_id for e in ended}
    assert classes_end_past() == 0  # safe to repeat
    assert ModelLogEntry.objects.filter(action="training.class_ended").count() == moved


def test_the_sweep_waits_for_a_session_held_after_the_end_date(world, past_class):
    """A session moved past the planned end date keeps the class running until it ends."""
    _session(past_class, _days(1))
    classes_end_past()
    past_class.refresh_from_db()
    assert past_class.status == S.RUNNING


def test_a_trainee_sees_a_past_class_as_ended_even_before_the_sweep(client, world, past_class):
    client.force_login(world.trainee_a)
    html = client.get(reverse("training:my_classes")).content.decode()
    assert 'data-phase="ended"' in html
    assert 'data-phase="running"' not in html
    assert ">进行中<" not in html and ">已结束待结班<" in html
    # The empty message does not claim the trainee is on no roster at all.
    assert "不在任何培训班的花名册中" not in html
    detail = client.get(reverse("training:class_detail", args=[past_class.pk])).content.decode()
    assert 'data-phase="ended"' in detail


@pytest.fixture
def first_day_class(world, monkeypatch):
    """Today is its first day: the morning session is over, two more are to come."""
    klass = class_for_world(
        world, start_date=_days(0), end_date=_days(2), credit_hours=Decimal("16.0")
    )
    now = timezone.now()
    held = ClassSessionFactory(
        training_class=klass,
        date=_days(0),
        starts_at=now - datetime.timedelta(hours=4),
        ends_at=now - datetime.timedelta(hours=1),
        credit_hours=Decimal("4.0"),
    )
    _session(klass, _days(1))
    _session(klass, _days(2))
    stub_summaries(
        monkeypatch,
        attendance={world.trainee_a.pk: FakeAttendance(credited_sessions=frozenset({held.pk}))},
        assessment={world.trainee_a.pk: FakeAssessment()},
    )
    world.extra["held"] = held
    return klass


def test_closing_on_the_first_day_is_refused_without_a_reason(world, first_day_class):
    with pytest.raises(ClassNotOver) as error:
        class_close(actor=world.organiser, training_class=first_day_class)
    assert error.value.code == "class_not_over"
    assert "2" in str(error.value.message)  # two sessions not held yet
    first_day_class.refresh_from_db()
    assert first_day_class.status == S.RUNNING
    assert not CreditEntry.objects.exists()
    with pytest.raises(ClassNotOver):
        class_close(actor=world.organiser, training_class=first_day_class, early_reason="   ")


def test_closing_early_with_a_reason_counts_only_the_sessions_held(
    world, first_day_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        class_close(
            actor=world.organiser,
            training_class=first_day_class,
            early_reason="疫情防控要求提前结束集中培训",
        )
    klass = TrainingClass.objects.get(pk=first_day_class.pk)
    today = timezone.localdate()
    assert (klass.status, klass.closed_on, klass.awarded_hours) == (S.CLOSED, today, Decimal("4"))
    entry = CreditEntry.objects.get(person=world.trainee_a)
    assert (entry.hours, entry.earned_on) == (Decimal("4.0"), today)  # not 16, not the end date
    log = ModelLogEntry.objects.get(action="certificates.class_close")
    assert log.data["early"] is True
    assert log.data["reason"] == "疫情防控要求提前结束集中培训"
    assert len(log.data["sessions_not_held"]) == 2
    certificate = Certificate.objects.get(trainee=world.trainee_a)
    assert certificate.snapshot["issue_date"] == today.isoformat()  # not the planned end
    assert certificate.snapshot["end"] == today.isoformat()
    assert certificate.snapshot["hours"] == "4"


def test_a_class_closed_after_its_end_is_dated_on_its_close_day(
    world, past_class, monkeypatch, django_capture_on_commit_callbacks
):
    sessions = frozenset(past_class.sessions.values_list("pk", flat=True))
    stub_summaries(
        monkeypatch,
        attendance={world.trainee_a.pk: FakeAttendance(credited_sessions=sessions)},
        assessment={world.trainee_a.pk: FakeAssessment()},
    )
    classes_end_past()
    with django_capture_on_commit_callbacks(execute=True):
        class_close(actor=world.organiser, training_class=past_class)
    past_class.refresh_from_db()
    # The whole timetable was held: its 8 学时 (the class's most) were all earned.
    assert past_class.awarded_hours == Decimal("8.0")
    assert certificate_issue_date(past_class) == timezone.localdate()
    entries = CreditEntry.objects.filter(person=world.trainee_a).order_by("earned_on")
    # Dated on the sessions' days, the last one the end date: not the close day.
    assert [e.earned_on for e in entries] == [past_class.start_date, past_class.end_date]


def test_the_close_page_asks_for_a_reason_when_the_class_is_not_over(
    client, world, first_day_class
):
    client.force_login(world.organiser)
    url = reverse("certificates_admin:class_detail", args=[first_day_class.pk])
    html = client.get(url).content.decode()
    assert 'data-code="class_not_over"' in html and 'name="early_reason"' in html
    close = reverse("certificates_admin:class_close", args=[first_day_class.pk])
    response = client.post(close, {"confirm": "yes"}, follow=True)
    assert "提前结班" in response.content.decode() or "原因" in response.content.decode()
    first_day_class.refresh_from_db()
    assert first_day_class.status == S.RUNNING
    client.post(close, {"confirm": "yes", "early_reason": "改期"})
    first_day_class.refresh_from_db()
    assert first_day_class.status == S.CLOSED


def test_class_list_counts_roster_completed_and_withdrawn(client, world, past_class):
    from training.models import Enrolment

    Enrolment.objects.filter(training_class=past_class).update(status=Enrolment.Status.COMPLETED)
    client.force_login(world.organiser)
    html = client.get(reverse("training_class:index")).content.decode()
    assert 'data-counts="0 1 0 0"' in html


def test_class_list_and_overview_count_not_completed_apart(client, world, past_class):
    """在册 · 结业 · 不予结业 · 退学: a trainee refused completion is neither completed nor
    withdrawn."""
    from tests.factories import trainee
    from tests.training.factories import EnrolmentFactory
    from training.models import Enrolment

    E = Enrolment.Status
    Enrolment.objects.filter(training_class=past_class).update(status=E.COMPLETED)
    for status in (E.NOT_COMPLETED, E.NOT_COMPLETED, E.WITHDRAWN, E.ENROLLED):
        EnrolmentFactory(training_class=past_class, trainee=trainee(), status=status)
    client.force_login(world.organiser)
    html = client.get(reverse("training_class:index")).content.decode()
    assert 'data-counts="1 1 2 1"' in html
    assert "在册 · 结业 · 不予结业 · 退学" in html
    overview = client.get(
        reverse("training_admin:class_overview", args=[past_class.pk])
    ).content.decode()
    assert "结业 1 人" in overview and "不予结业 2 人" in overview and "退学 1 人" in overview


def test_the_close_page_states_the_hours_the_close_would_post(client, world, first_day_class):
    """The page and the service agree: 4 学时 held, not the class's 16."""
    client.force_login(world.organiser)
    html = client.get(
        reverse("certificates_admin:class_detail", args=[first_day_class.pk])
    ).content.decode()
    assert "按实际出勤课次计" in html
    assert "每人至多 4.0 学时" in html and "至多 16.0" not in html
