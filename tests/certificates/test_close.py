"""结班: the organiser reviews, closes once, hours are posted and certificates issued."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CompletionRecord, IssueBatch
from certificates.selectors import class_completion_review
from certificates.services import class_close, completion_appraisal_save
from ledger.models import CreditEntry
from lms.errors import PermissionDenied
from tests.certificates.factories import FakeAssessment, FakeAttendance, stub_summaries
from tests.factories import UserFactory
from tests.training.factories import EnrolmentFactory, class_for_world
from training.models import Enrolment, TrainingClass


@pytest.fixture
def klass(world, monkeypatch):
    """trainee_a completes; 学员丙 took too much leave and failed a quiz."""
    klass = class_for_world(world, credit_hours=Decimal("42.0"))
    dropout = UserFactory(org_unit=world.village_a, full_name="学员丙")
    EnrolmentFactory(training_class=klass, trainee=dropout)
    stub_summaries(
        monkeypatch,
        attendance={
            world.trainee_a.pk: FakeAttendance(),
            dropout.pk: FakeAttendance(leave_share=Decimal("0.2"), leave_over_cap=True),
        },
        assessment={
            world.trainee_a.pk: FakeAssessment(),
            dropout.pk: FakeAssessment(failed_quizzes=["乡村振兴政策测验"]),
        },
    )
    world.extra["dropout"] = dropout
    return klass


def test_the_review_says_who_is_complete_and_what_is_missing(world, klass):
    rows = {r.trainee.full_name: r.result for r in class_completion_review(training_class=klass)}
    assert rows["学员甲"].complete
    assert rows["学员丙"].codes == ["leave_over_cap", "quiz_not_passed"]


def test_closing_marks_completers_posts_hours_and_issues_certificates(
    world, klass, django_capture_on_commit_callbacks
):
    dropout = world.extra["dropout"]
    with django_capture_on_commit_callbacks(execute=True):
        batch = class_close(
            actor=world.organiser,
            training_class=klass,
            appraisals={world.trainee_a.pk: "学习认真，积极参与研讨。"},
        )
    klass.refresh_from_db()
    assert klass.status == TrainingClass.Status.CLOSED
    statuses = dict(Enrolment.objects.filter(training_class=klass).values_list("trainee", "status"))
    assert statuses == {
        world.trainee_a.pk: Enrolment.Status.COMPLETED,
        dropout.pk: Enrolment.Status.WITHDRAWN,
    }
    entry = CreditEntry.objects.get(person=world.trainee_a)
    assert (entry.channel, entry.hours, entry.source_key) == (
        CreditEntry.Channel.IN_PERSON,
        Decimal("42.0"),
        f"class:{klass.pk}",
    )
    assert not CreditEntry.objects.filter(person=dropout).exists()
    record = CompletionRecord.objects.get(training_class=klass, trainee=world.trainee_a)
    assert record.completed and record.appraisal == "学习认真，积极参与研讨。"
    missing = CompletionRecord.objects.get(training_class=klass, trainee=dropout).missing
    assert [m["code"] for m in missing] == ["leave_over_cap", "quiz_not_passed"]
    # The background job ran (immediate backend) and drew the one certificate.
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.failed) == ("finished", 1, 1, 0)
    certificate = Certificate.objects.get(training_class=klass)
    assert certificate.trainee == world.trainee_a and certificate.pdf
    assert certificate.snapshot["hours"] == "42" and certificate.snapshot["name"] == "学员甲"
    assert ModelLogEntry.objects.filter(action="certificates.class_close").count() == 1


def test_an_online_thematic_class_posts_online_hours(world, klass):
    """Not in-person ones: they count towards the 50 学时 online, not the 90 in person."""
    TrainingClass.objects.filter(pk=klass.pk).update(kind=TrainingClass.Kind.ONLINE)
    klass.refresh_from_db()
    class_close(actor=world.organiser, training_class=klass)
    entry = CreditEntry.objects.get(person=world.trainee_a)
    assert (entry.channel, entry.hours) == (CreditEntry.Channel.ONLINE, Decimal("42.0"))


def test_closing_twice_changes_nothing(world, klass, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        class_close(actor=world.organiser, training_class=klass)
    before = (
        CreditEntry.objects.count(),
        Certificate.objects.count(),
        IssueBatch.objects.count(),
        ModelLogEntry.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = class_close(actor=world.city_organiser, training_class=klass)
    assert again is None
    after = (
        CreditEntry.objects.count(),
        Certificate.objects.count(),
        IssueBatch.objects.count(),
        ModelLogEntry.objects.count(),
    )
    assert after == before


def test_organisers_of_another_county_cannot_close(world, klass):
    with pytest.raises(PermissionDenied):
        class_close(actor=world.organiser_other, training_class=klass)
    with pytest.raises(PermissionDenied):
        class_close(actor=world.adviser, training_class=klass)
    klass.refresh_from_db()
    assert klass.status == TrainingClass.Status.RUNNING


def test_appraisals_are_saved_before_close_and_frozen_after(world, klass):
    from certificates.errors import ClassAlreadyClosed

    completion_appraisal_save(
        actor=world.organiser, training_class=klass, trainee=world.trainee_a, text="表现优秀"
    )
    assert CompletionRecord.objects.get(trainee=world.trainee_a).appraisal == "表现优秀"
    klass.status = TrainingClass.Status.CLOSED
    klass.save()
    with pytest.raises(ClassAlreadyClosed):
        completion_appraisal_save(
            actor=world.organiser, training_class=klass, trainee=world.trainee_a, text="改写"
        )


def test_the_training_record_pdf_lists_classes_with_certificate_and_appraisal(
    world, klass, django_capture_on_commit_callbacks
):
    import io

    from pypdf import PdfReader

    from ledger.pdf import training_record_pdf

    with django_capture_on_commit_callbacks(execute=True):
        class_close(
            actor=world.organiser,
            training_class=klass,
            appraisals={world.trainee_a.pk: "学习认真，积极参与研讨。"},
        )
    number = Certificate.objects.get(trainee=world.trainee_a).number
    pdf = training_record_pdf(person=world.trainee_a)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    compact = text.replace("\n", "").replace(" ", "")
    assert "参加培训班情况" in compact and klass.name.replace(" ", "") in compact
    assert "结业" in compact and number in compact
    assert "学习认真，积极参与研讨。" in compact
    dropout_text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(training_record_pdf(person=world.extra["dropout"]))).pages
    )
    assert "退学" in dropout_text and number not in dropout_text
