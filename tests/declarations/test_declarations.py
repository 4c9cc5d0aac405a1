"""学时申报: a trainee declares training taken elsewhere; an organiser of the trainee's unit
approves it into the ledger once, or refuses it with a reason; the evidence stays private."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from declarations import errors
from declarations.models import Declaration
from declarations.services import declaration_approve, declaration_refuse
from ledger.models import CreditEntry
from ledger.services import EvidenceInvalid
from tests.declarations.factories import PDF, declare, evidence

pytestmark = pytest.mark.django_db


def test_a_declaration_waits_for_the_organiser_and_nothing_is_in_the_ledger_yet(world):
    declaration = declare(world.trainee_a)
    assert declaration.status == Declaration.Status.PENDING
    assert not CreditEntry.objects.filter(person=world.trainee_a).exists()
    assert ModelLogEntry.objects.filter(action="declarations.submit").count() == 1


def test_a_resent_form_makes_one_declaration(world):
    nonce = uuid.uuid4()
    first = declare(world.trainee_a, nonce=nonce)
    again = declare(world.trainee_a, nonce=nonce)
    assert first.pk == again.pk and Declaration.objects.count() == 1


def test_evidence_is_checked_by_its_content(world):
    with pytest.raises(EvidenceInvalid):
        declare(world.trainee_a, evidence=evidence("证书.pdf", b"MZ\x90\x00 not a pdf"))
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"end_date": datetime.date(2026, 3, 1)},  # before the start
        {"end_date": datetime.date(2026, 7, 2)},  # in the future
        {"hours": Decimal("0")},
        {"hours": Decimal("500")},
        {"title": "  "},
        {"organiser": ""},
        {"kind": "holiday"},
    ],
)
def test_a_bad_declaration_writes_nothing(world, fields):
    with pytest.raises(errors.DeclarationInvalid):
        declare(world.trainee_a, **fields)
    assert not Declaration.objects.exists()


def test_staff_do_not_declare(world):
    with pytest.raises(errors.NotATrainee):
        declare(world.organiser)


def test_approval_posts_the_hours_to_the_ledger_once(world):
    declaration = declare(world.trainee_a)
    approved, changed = declaration_approve(actor=world.organiser, declaration_id=declaration.pk)
    again, changed_again = declaration_approve(actor=world.organiser, declaration_id=declaration.pk)
    assert changed and not changed_again
    entry = CreditEntry.objects.get(person=world.trainee_a)
    assert entry.source_key == f"declaration:{declaration.pk}"
    assert (entry.channel, entry.hours, entry.earned_on) == (
        "in_person",
        Decimal("40.00"),
        datetime.date(2026, 3, 6),
    )
    assert approved.entry == entry and again.status == Declaration.Status.APPROVED
    assert approved.decided_by == world.organiser
    assert ModelLogEntry.objects.filter(action="declarations.approve").count() == 1


def test_a_city_organiser_decides_for_the_counties_below(world):
    declaration = declare(world.trainee_a)
    declaration_approve(actor=world.city_organiser, declaration_id=declaration.pk)
    assert CreditEntry.objects.filter(person=world.trainee_a).count() == 1


def test_another_countys_organiser_cannot_decide(world):
    declaration = declare(world.trainee_a)
    with pytest.raises(errors.OutOfScope):
        declaration_approve(actor=world.organiser_other, declaration_id=declaration.pk)
    with pytest.raises(errors.OutOfScope):
        declaration_refuse(
            actor=world.organiser_other, declaration_id=declaration.pk, reason="不属实"
        )
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.PENDING
    assert not CreditEntry.objects.exists()


def test_trainees_and_instructors_cannot_decide(world):
    declaration = declare(world.trainee_a)
    for actor in (world.trainee_b, world.instructor, world.adviser):
        with pytest.raises(errors.OutOfScope):
            declaration_approve(actor=actor, declaration_id=declaration.pk)


def test_refusal_needs_a_reason_and_posts_nothing(world):
    declaration = declare(world.trainee_a)
    with pytest.raises(errors.ReasonRequired):
        declaration_refuse(actor=world.organiser, declaration_id=declaration.pk, reason="  ")
    refused, changed = declaration_refuse(
        actor=world.organiser, declaration_id=declaration.pk, reason="证明未写明学时"
    )
    _again, changed_again = declaration_refuse(
        actor=world.organiser, declaration_id=declaration.pk, reason="证明未写明学时"
    )
    assert changed and not changed_again
    assert refused.status == Declaration.Status.REFUSED and refused.reason == "证明未写明学时"
    assert not CreditEntry.objects.exists()
    with pytest.raises(errors.AlreadyDecided):
        declaration_approve(actor=world.organiser, declaration_id=declaration.pk)


def test_an_approved_declaration_is_not_refused_afterwards(world):
    declaration = declare(world.trainee_a)
    declaration_approve(actor=world.organiser, declaration_id=declaration.pk)
    with pytest.raises(errors.AlreadyDecided):
        declaration_refuse(actor=world.organiser, declaration_id=declaration.pk, reason="撤回")
    assert CreditEntry.objects.count() == 1


# --- the evidence is private ------------------------------------------------------------


def test_the_evidence_is_not_under_the_public_media_url(world):
    declaration = declare(world.trainee_a)
    with pytest.raises(ValueError):
        declaration.evidence.url  # noqa: B018


def test_the_owner_opens_their_evidence_and_nobody_else_through_the_front(client, world):
    declaration = declare(world.trainee_a)
    url = reverse("declarations:my_evidence", args=[declaration.pk])
    client.force_login(world.trainee_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(world.trainee_b)
    assert client.get(url).status_code == 404
    client.force_login(world.organiser)
    assert client.get(url).status_code == 404  # organisers open it in the admin


def test_organisers_open_evidence_only_in_their_units(client, world):
    declaration = declare(world.trainee_a)
    url = reverse("wagtailsnippets_declarations_declaration:evidence", args=[declaration.pk])
    client.force_login(world.organiser)
    assert client.get(url).status_code == 200
    client.force_login(world.organiser_other)
    assert client.get(url).status_code == 404


# --- screens ----------------------------------------------------------------------------


def test_a_trainee_declares_from_the_page(client, world):
    client.force_login(world.trainee_a)
    page = client.get(reverse("declarations:mine"))
    nonce = page.context["form"]["nonce"].value()
    data = {
        "kind": "in_person",
        "title": "市委党校专题培训",
        "organiser": "信阳市委党校",
        "start_date": "2026-01-05",
        "end_date": "2026-01-09",
        "hours": "24",
        "nonce": str(nonce),
    }
    for _ in range(2):  # a double tap
        response = client.post(reverse("declarations:mine"), {**data, "evidence": evidence()})
        assert response.status_code == 302
    assert Declaration.objects.filter(person=world.trainee_a).count() == 1


def test_the_organiser_approves_from_the_inspect_screen(client, world):
    declaration = declare(world.trainee_a)
    client.force_login(world.organiser)
    inspect = reverse("wagtailsnippets_declarations_declaration:inspect", args=[declaration.pk])
    html = client.get(inspect).content.decode()
    # No empty decider or decision time on a pending one (Wagtail would print "None").
    assert not re.search(r"<dd>\s*None\s*</dd>", html)
    decide = reverse("wagtailsnippets_declarations_declaration:decide", args=[declaration.pk])
    assert decide in html
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.APPROVED


def test_another_county_neither_lists_nor_opens_the_declaration(client, world):
    declaration = declare(world.trainee_a)
    client.force_login(world.organiser_other)
    listing = client.get(reverse("wagtailsnippets_declarations_declaration:list"))
    assert declaration.title not in listing.content.decode()
    for name in ("inspect", "decide"):
        url = reverse(f"wagtailsnippets_declarations_declaration:{name}", args=[declaration.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "approve"}).status_code == 404
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.PENDING
