"""What trainees, organisers and the public see."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from tests.certificates.factories import closed_class
from tests.factories import UserFactory


@pytest.fixture
def issued(world):
    other = UserFactory(org_unit=world.village_a, full_name="张伟")
    klass = closed_class(world, [world.trainee_a, other])
    certs = []
    for person in (world.trainee_a, other):
        cert, _ = certificate_issue(actor=world.organiser, training_class=klass, trainee=person)
        cert.pdf.save(f"{cert.number}.pdf", ContentFile(f"%PDF {person.pk}".encode()))
        certs.append(cert)
    return klass, certs


def test_my_certificates_lists_only_mine(world, client, issued):
    _klass, (mine, theirs) = issued
    client.force_login(world.trainee_a)
    page = client.get(reverse("certificates:my_certificates"))
    assert list(page.context["certificates"]) == [mine]
    assert client.get(reverse("certificates:download", args=[mine.pk])).status_code == 200
    assert client.get(reverse("certificates:download", args=[theirs.pk])).status_code == 404


def test_certificate_files_are_private(issued, settings):
    """A number like CERT-2025-00001 is easy to guess: the file must not be reachable by it."""
    _klass, (cert, _) = issued
    assert cert.pdf.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not cert.pdf.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="private"):
        cert.pdf.url  # noqa: B018 - no public URL to link to


def test_the_verification_page_shows_only_what_the_paper_shows(world, client, issued):
    _klass, (cert, _) = issued
    world.trainee_a.phone = "13912345678"
    world.trainee_a.save()
    page = client.get(reverse("certificates:verify", args=[cert.verification_code]))
    body = page.content.decode()
    assert page.status_code == 200 and "学员甲" in body and cert.number in body
    assert "13912345678" not in body and "东湾村" not in body


def test_unknown_codes_say_not_found_and_nothing_else(client, issued):
    a = client.get(reverse("certificates:verify", args=["x" * 32]))
    b = client.get(reverse("certificates:verify", args=["y"]))
    assert a.status_code == b.status_code == 404

    def main(response):  # the page around it repeats the URL (language switcher)
        body = response.content.decode()
        return body[body.index("<main") : body.index("</main>")]

    assert main(a) == main(b)
    assert "未找到" in main(a)


def test_the_verification_page_is_rate_limited_per_ip(client, issued, settings):
    from certificates import views

    _klass, (cert, _) = issued
    url = reverse("certificates:verify", args=[cert.verification_code])
    limit = views.VERIFY_RATE[0]
    codes = [client.get(url).status_code for _ in range(limit)]
    assert set(codes) == {200}
    blocked = client.get(url)
    assert blocked.status_code == 429 and "学员甲" not in blocked.content.decode()
    other_ip = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 200


def test_a_revoked_certificate_cannot_be_downloaded_by_its_trainee(world, client, issued):
    _klass, (cert, _) = issued
    certificate_revoke(actor=world.organiser, certificate=cert, reason="重复发放")
    client.force_login(world.trainee_a)
    assert client.get(reverse("certificates:download", args=[cert.pk])).status_code == 404


def test_a_revoked_certificate_says_so(world, client, issued):
    _klass, (cert, _) = issued
    certificate_revoke(actor=world.organiser, certificate=cert, reason="重复发放")
    page = client.get(reverse("certificates:verify", args=[cert.verification_code]))
    assert page.context["certificate"].is_valid is False
    assert "已撤销" in page.content.decode()


def test_the_class_zip_holds_every_valid_certificate(world, client, issued):
    klass, (first, second) = issued
    certificate_revoke(actor=world.organiser, certificate=second, reason="重复发放")
    client.force_login(world.organiser)
    response = client.get(reverse("certificates_admin:class_zip", args=[klass.pk]))
    assert response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{first.number}-学员甲.pdf"]
    assert archive.read(archive.namelist()[0]) == f"%PDF {world.trainee_a.pk}".encode()


def test_the_review_page_lists_what_is_missing(world, client, monkeypatch):
    from decimal import Decimal

    from tests.certificates.factories import FakeAssessment, FakeAttendance, stub_summaries
    from tests.training.factories import class_for_world

    klass = class_for_world(world)
    stub_summaries(
        monkeypatch,
        attendance={
            world.trainee_a.pk: FakeAttendance(absent_days=Decimal("2.5"), absence_over_limit=True)
        },
        assessment={world.trainee_a.pk: FakeAssessment()},
    )
    client.force_login(world.organiser)
    page = client.get(reverse("certificates_admin:class_detail", args=[klass.pk]))
    assert page.status_code == 200
    assert 'data-code="absence_over_limit"' in page.content.decode()
    assert page.context["complete_count"] == 0


def test_closing_from_the_admin_needs_the_confirmation_box(
    world, client, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.certificates.factories import FakeAssessment, FakeAttendance, stub_summaries
    from tests.training.factories import class_for_world
    from training.models import TrainingClass

    klass = class_for_world(world)
    stub_summaries(
        monkeypatch,
        attendance={world.trainee_a.pk: FakeAttendance()},
        assessment={world.trainee_a.pk: FakeAssessment()},
    )
    monkeypatch.setattr(
        "certificates.rendering.render_many", lambda certs: [b"%PDF stub"] * len(certs)
    )
    client.force_login(world.organiser)
    url = reverse("certificates_admin:class_close", args=[klass.pk])
    client.post(url, {})
    klass.refresh_from_db()
    assert klass.status != TrainingClass.Status.CLOSED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "yes", f"appraisal-{world.trainee_a.pk}": "优秀"})
    klass.refresh_from_db()
    assert klass.status == TrainingClass.Status.CLOSED
    assert Certificate.objects.filter(training_class=klass).count() == 1
    progress = client.get(
        reverse("certificates_admin:batch_progress", args=[klass.certificate_batches.get().pk])
    ).json()
    assert progress == {"status": "finished", "total": 1, "done": 1, "failed": 0, "percent": 100}


def test_an_unknown_code_explains_itself_and_offers_the_number_lookup(client, issued):
    page = client.get(reverse("certificates:verify", args=["x" * 32]))
    body = page.content.decode()
    assert page.status_code == 404
    assert 'data-result="unknown-code"' in body
    assert reverse("certificates:verify_lookup") in body and 'name="number"' in body


def test_a_certificate_is_checked_by_its_number_and_the_holders_name(client, issued):
    _klass, (cert, other) = issued
    url = reverse("certificates:verify_lookup")
    assert client.get(url).status_code == 200  # the form
    # Typed as people type: lower case, full-width digits, spaces in the name.
    number = cert.number.lower().replace("0", "０")
    found = client.get(url, {"number": f" {number} ", "name": "学员 甲"})
    assert found.status_code == 200 and found.context["certificate"] == cert
    assert cert.number in found.content.decode()
    # Someone else's name with this number, or this name with the next number: the
    # same "no match", and nothing of the holder shows.
    for query in (
        {"number": cert.number, "name": "张伟"},
        {"number": other.number, "name": "学员甲"},
    ):
        miss = client.get(url, query)
        body = miss.content.decode()
        assert miss.status_code == 404 and 'data-result="no-match"' in body
        assert "certificate" not in miss.context or miss.context["certificate"] is None
        assert cert.snapshot["class_name"] not in body
    half = client.get(url, {"number": cert.number})
    assert half.status_code == 400 and 'data-result="incomplete"' in half.content.decode()


def test_number_lookups_share_the_verification_rate_limit(client, issued):
    from certificates import views

    _klass, (cert, _) = issued
    url = reverse("certificates:verify_lookup")
    for _ in range(views.VERIFY_RATE[0]):
        assert client.get(url, {"number": "NOPE-1", "name": "某某"}).status_code == 404
    blocked = client.get(url, {"number": cert.number, "name": "学员甲"})
    assert blocked.status_code == 429 and "学员甲" not in blocked.content.decode()
