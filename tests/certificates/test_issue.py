"""Numbers without gaps, one certificate per trainee and class, revocation and reissue."""

import pytest
from django.urls import reverse

from certificates import rendering
from certificates.errors import AlreadyRevoked, CertificateRevoked, NotCompleted, ReasonRequired
from certificates.models import Certificate, IssueBatch
from certificates.services import (
    batch_retry,
    batch_run,
    certificate_issue,
    certificate_number_next,
    certificate_reissue,
    certificate_revoke,
    certificates_issue_for_class,
    certificates_render,
)
from tests.certificates.factories import closed_class
from tests.factories import UserFactory
from tests.training.factories import EnrolmentFactory
from training.models import Enrolment


@pytest.fixture
def no_pdf(monkeypatch):
    """Issue-only tests don't need WeasyPrint; rendering is tested in test_pdf.py."""
    monkeypatch.setattr(rendering, "render_many", lambda certs: [b"%PDF-1.7 stub"] * len(certs))
    monkeypatch.setattr(rendering, "render_one", lambda cert: b"%PDF-1.7 stub")


def test_numbers_run_on_per_prefix_and_year(db):
    got = [certificate_number_next(prefix="DBS", year=2025) for _ in range(3)]
    assert got == ["DBS-2025-00001", "DBS-2025-00002", "DBS-2025-00003"]
    assert certificate_number_next(prefix="DBS", year=2026) == "DBS-2026-00001"
    assert certificate_number_next(prefix="XY", year=2025) == "XY-2025-00001"


def test_issuing_twice_returns_the_same_certificate(world):
    klass = closed_class(world, [world.trainee_a])
    first, created = certificate_issue(
        actor=world.organiser, training_class=klass, trainee=world.trainee_a
    )
    again, created_again = certificate_issue(
        actor=world.organiser, training_class=klass, trainee=world.trainee_a
    )
    assert created and not created_again and first.pk == again.pk
    assert Certificate.objects.count() == 1
    assert len(first.verification_code) >= 32
    assert first.snapshot["name"] == "学员甲"
    assert "phone" not in first.snapshot and "org_unit" not in first.snapshot


def test_only_completers_get_certificates(world):
    klass = closed_class(world, [])
    EnrolmentFactory(
        training_class=klass, trainee=world.trainee_a, status=Enrolment.Status.WITHDRAWN
    )
    with pytest.raises(NotCompleted):
        certificate_issue(actor=world.organiser, training_class=klass, trainee=world.trainee_a)


def test_revoke_needs_a_reason_and_happens_once(world, client):
    klass = closed_class(world, [world.trainee_a])
    cert, _ = certificate_issue(
        actor=world.organiser, training_class=klass, trainee=world.trainee_a
    )
    with pytest.raises(ReasonRequired):
        certificate_revoke(actor=world.organiser, certificate=cert, reason="  ")
    certificate_revoke(actor=world.organiser, certificate=cert, reason="学时记录有误")
    with pytest.raises(AlreadyRevoked):
        certificate_revoke(actor=world.organiser, certificate=cert, reason="again")
    page = client.get(reverse("certificates:verify", args=[cert.verification_code]))
    assert page.status_code == 200
    assert page.context["certificate"].is_valid is False
    assert "已撤销".encode() in page.content or b"Revoked" in page.content


def test_reissue_gives_a_new_number_and_links_the_old_one(world, no_pdf):
    klass = closed_class(world, [world.trainee_a])
    old, _ = certificate_issue(actor=world.organiser, training_class=klass, trainee=world.trainee_a)
    new = certificate_reissue(actor=world.organiser, certificate=old, reason="姓名更正")
    old.refresh_from_db()
    assert old.revoked_at and old.revoke_reason == "姓名更正"
    assert new.replaces == old and new.number != old.number and new.pdf
    assert new.number.endswith("-00002")
    # Asking again returns the replacement instead of making a third.
    assert certificate_reissue(actor=world.organiser, certificate=old, reason="x").pk == new.pk


def test_the_issue_date_belongs_to_the_class_not_the_template(world, no_pdf):
    """A template serves many classes: one class's date must not reach the next."""
    import datetime

    from certificates.services.close import completion_rule_for

    first = closed_class(world, [world.trainee_a])
    rule = completion_rule_for(training_class=first)
    rule.certificate_issue_date = datetime.date(2026, 1, 5)
    rule.save()
    second = closed_class(world, [world.trainee_a])

    a, _ = certificate_issue(actor=world.organiser, training_class=first, trainee=world.trainee_a)
    b, _ = certificate_issue(actor=world.organiser, training_class=second, trainee=world.trainee_a)

    assert a.snapshot["issue_date"] == "2026-01-05" and "-2026-" in a.number
    assert b.snapshot["issue_date"] == second.end_date.isoformat()
    assert f"-{second.end_date.year}-" in b.number


def test_a_revoked_certificate_stays_withdrawn_until_it_is_reissued(world, no_pdf):
    """ "Issue missing certificates" used to hand a revoked trainee a fresh valid one."""
    klass = closed_class(world, [world.trainee_a])
    old, _ = certificate_issue(actor=world.organiser, training_class=klass, trainee=world.trainee_a)
    certificate_revoke(actor=world.organiser, certificate=old, reason="未达结业条件，误发")

    assert certificates_issue_for_class(training_class=klass) == 0
    with pytest.raises(CertificateRevoked):
        certificate_issue(actor=world.organiser, training_class=klass, trainee=world.trainee_a)
    assert not Certificate.objects.filter(revoked_at__isnull=True).exists()

    new = certificate_reissue(actor=world.organiser, certificate=old, reason="复核后确认合格")
    assert new.is_valid and new.replaces == old
    old.refresh_from_db()
    assert old.revoke_reason == "未达结业条件，误发"  # the revocation's own reason stays


def test_a_batch_that_cannot_issue_says_so_instead_of_running_for_ever(world, no_pdf, monkeypatch):
    from certificates.services import issue

    klass = closed_class(world, [world.trainee_a])
    batch = IssueBatch.objects.create(training_class=klass)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(issue, "certificates_issue_for_class", broken)
    batch = batch_run(batch_id=batch.pk)
    assert batch.status == IssueBatch.Status.FINISHED and "database went away" in batch.error
    assert not Certificate.objects.exists()


def test_reissue_in_the_admin_asks_for_a_reason(world, client, no_pdf):
    klass = closed_class(world, [world.trainee_a])
    old, _ = certificate_issue(actor=world.organiser, training_class=klass, trainee=world.trainee_a)
    client.force_login(world.organiser)
    url = reverse("certificates_admin:certificate_reissue", args=[old.pk])
    assert "重新颁发证书" in client.get(url).content.decode()

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and Certificate.objects.count() == 1

    done = client.post(url, {"reason": "姓名有误，已更正"})
    assert done.status_code == 302
    old.refresh_from_db()
    assert old.revoke_reason == "姓名有误，已更正" and hasattr(old, "replaced_by")
    detail = client.get(done["Location"]).content.decode()
    assert old.replaced_by.number in detail


def test_one_failed_render_does_not_stop_the_batch_and_can_be_retried(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    people = [world.trainee_a, *(UserFactory(full_name=n) for n in ("张伟", "王芳"))]
    klass = closed_class(world, people)

    def render_many(certs):
        raise RuntimeError("batch broken")

    def render_one(cert):
        if cert.snapshot["name"] == "张伟":
            raise OSError("seal image unreadable")
        return b"%PDF-1.7 ok"

    monkeypatch.setattr(rendering, "render_many", render_many)
    monkeypatch.setattr(rendering, "render_one", render_one)
    batch = IssueBatch.objects.create(training_class=klass)
    batch = batch_run(batch_id=batch.pk)
    assert (batch.total, batch.done, batch.failed, batch.status) == (3, 2, 1, "finished")
    failed = Certificate.objects.get(snapshot__name="张伟")
    assert not failed.pdf and "seal image unreadable" in failed.render_error
    # Running the same batch again (a re-delivered job) does nothing.
    assert batch_run(batch_id=batch.pk).done == 2

    monkeypatch.setattr(rendering, "render_one", lambda cert: b"%PDF-1.7 fixed")
    with django_capture_on_commit_callbacks(execute=True):
        retry = batch_retry(actor=world.organiser, training_class=klass)
    retry.refresh_from_db()
    assert (retry.total, retry.done, retry.failed) == (1, 1, 0)
    failed.refresh_from_db()
    assert failed.pdf and failed.render_error == ""
    assert Certificate.objects.count() == 3


def test_render_many_splits_the_batch_into_one_pdf_per_certificate(world):
    people = [world.trainee_a, UserFactory(full_name="欧阳明慧")]
    klass = closed_class(world, people)
    certs = [
        certificate_issue(actor=world.organiser, training_class=klass, trainee=p)[0] for p in people
    ]
    done, failed = certificates_render(certs)
    assert (done, failed) == (2, 0)
    from pypdf import PdfReader

    for cert in certs:
        cert.refresh_from_db()
        with cert.pdf.open("rb") as f:
            reader = PdfReader(f)
            assert len(reader.pages) == 1
            assert cert.snapshot["name"] in reader.pages[0].extract_text()


def test_bulk_issue_numbers_every_completer_once_and_audits_each(world):
    from wagtail.models import ModelLogEntry

    people = [UserFactory(full_name=f"学员{n}") for n in range(5)]
    klass = closed_class(world, people)
    EnrolmentFactory(training_class=klass, trainee=UserFactory(), status=Enrolment.Status.WITHDRAWN)
    # One already holds a certificate (issued by hand): skipped, not numbered again.
    held, _ = certificate_issue(actor=world.organiser, training_class=klass, trainee=people[2])

    made = certificates_issue_for_class(training_class=klass, on_behalf_of=world.organiser)

    assert made == 4
    certificates = Certificate.objects.filter(training_class=klass).order_by("number")
    year = klass.end_date.year
    assert [c.number for c in certificates] == [f"CERT-{year}-{n:05d}" for n in range(1, 6)]
    assert {c.trainee_id for c in certificates} == {p.pk for p in people}
    assert all(c.snapshot["name"] == c.trainee.full_name for c in certificates)
    assert len({c.verification_code for c in certificates}) == 5
    entries = ModelLogEntry.objects.filter(action="certificates.issue")
    assert entries.count() == 5
    assert {e.object_id for e in entries} == {str(c.pk) for c in certificates}
    assert all(e.user_id == world.organiser.pk for e in entries if e.object_id != str(held.pk))
    # Repeating the job changes nothing.
    assert certificates_issue_for_class(training_class=klass) == 0
    assert Certificate.objects.filter(training_class=klass).count() == 5


def test_bulk_issue_refuses_a_class_that_is_not_closed(world):
    from certificates.errors import ClassNotClosed

    klass = closed_class(world, [world.trainee_a])
    klass.status = klass.Status.RUNNING
    klass.save(update_fields=["status"])
    with pytest.raises(ClassNotClosed):
        certificates_issue_for_class(training_class=klass)
    assert not Certificate.objects.exists()
