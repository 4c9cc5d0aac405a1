"""The demo seeder of certificates: a closed class with certificates, ledgers, twice alike."""

import pytest

from certificates import rendering
from certificates.models import Certificate, CompletionRecord
from demo import certificates as demo
from ledger.models import CreditEntry, CreditEvidence
from tests.factories import UserFactory


@pytest.fixture
def context(world, monkeypatch):
    monkeypatch.setattr(rendering, "render_many", lambda certs: [b"%PDF stub"] * len(certs))
    monkeypatch.setattr(demo, "_record_pdf", lambda text: b"%PDF proof")
    trainees = [UserFactory(org_unit=world.village_a) for _ in range(45)]
    return {
        "org": {"信阳市": world.city},
        "staff": {"admin": world.admin, "organiser": world.city_organiser},
        "trainees": trainees,
    }


def _counts():
    return (
        Certificate.objects.count(),
        CompletionRecord.objects.count(),
        CreditEntry.objects.count(),
        CreditEvidence.objects.count(),
    )


def test_the_demo_closes_a_2025_class_with_certificates_and_runs_twice_alike(context):
    demo.seed(context)
    klass = context["closed_class"]
    certificates = Certificate.objects.filter(training_class=klass)
    assert certificates.count() == 5  # trainees 40-44 completed
    assert all(c.pdf and c.number.startswith("XYDX-2025-") for c in certificates)
    assert CreditEntry.objects.filter(source_key=f"class:{klass.pk}").count() == 5
    assert CreditEvidence.objects.count() == 3
    before = _counts()
    demo.seed(context)
    assert _counts() == before


def test_the_demo_template_belongs_to_the_city_and_stays_one(context, world):
    from certificates.models import CertificateTemplate

    demo.seed(context)
    demo.seed(context)
    template = CertificateTemplate.objects.get(name="中共信阳市委党校结业证书")
    assert template.org_unit == world.city
    assert CertificateTemplate.objects.filter(org_unit__isnull=True, is_default=False).count() == 0
