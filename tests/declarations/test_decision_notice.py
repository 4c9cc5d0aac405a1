"""The trainee hears of the organiser's decision on a declaration (approved, or refused
with the reason), once; the organiser sees a person's declarations on their ledger page."""

import pytest
from django.urls import reverse
from django.utils import translation

from declarations.services import declaration_approve, declaration_refuse
from notifications.events import render
from notifications.models import Notification
from tests.declarations.factories import declare

pytestmark = pytest.mark.django_db


def notices(person):
    return list(Notification.objects.filter(recipient=person).order_by("pk"))


def test_an_approval_tells_the_trainee_once(world, django_capture_on_commit_callbacks):
    declaration = declare(world.trainee_a)
    with django_capture_on_commit_callbacks(execute=True):
        declaration_approve(actor=world.organiser, declaration_id=declaration.pk)
        declaration_approve(actor=world.organiser, declaration_id=declaration.pk)
    [notice] = notices(world.trainee_a)
    assert notice.event == "declaration_approved"
    assert notice.key == f"declaration:{declaration.pk}:approved"
    assert notice.url == reverse("declarations:mine")
    with translation.override("zh-hans"):
        title, body = render(notice.event, notice.context)
    assert "省委党校乡村振兴专题班" in title and "40" in body
    assert notices(world.organiser) == []


def test_a_refusal_tells_the_trainee_the_reason(world, django_capture_on_commit_callbacks):
    declaration = declare(world.trainee_a)
    with django_capture_on_commit_callbacks(execute=True):
        declaration_refuse(
            actor=world.organiser, declaration_id=declaration.pk, reason="证明未写明学时"
        )
        declaration_refuse(
            actor=world.organiser, declaration_id=declaration.pk, reason="证明未写明学时"
        )
    [notice] = notices(world.trainee_a)
    assert notice.event == "declaration_refused"
    with translation.override("zh-hans"):
        _title, body = render(notice.event, notice.context)
    assert "证明未写明学时" in body


def test_a_refused_decision_attempt_tells_nobody(world):
    declaration = declare(world.trainee_a)
    with pytest.raises(Exception):  # noqa: B017 - OutOfScope
        declaration_approve(actor=world.organiser_other, declaration_id=declaration.pk)
    assert notices(world.trainee_a) == []


def ledger_page(person):
    return reverse("ledger_admin:person", args=[person.pk])


def test_the_ledger_page_of_a_person_lists_their_declarations(client, world):
    pending = declare(world.trainee_a, title="市委党校专题培训")
    refused = declare(world.trainee_a, title="网络学院专题课")
    declaration_refuse(actor=world.organiser, declaration_id=refused.pk, reason="重复申报")
    declare(world.trainee_b, title="别人的申报")
    client.force_login(world.organiser)
    page = client.get(ledger_page(world.trainee_a)).content.decode()
    assert "市委党校专题培训" in page and "网络学院专题课" in page and "重复申报" in page
    assert "别人的申报" not in page
    inspect = reverse("wagtailsnippets_declarations_declaration:inspect", args=[pending.pk])
    assert inspect in page


def test_another_countys_organiser_sees_neither_page_nor_declarations(client, world):
    declare(world.trainee_a, title="市委党校专题培训")
    client.force_login(world.organiser_other)
    response = client.get(ledger_page(world.trainee_a))
    assert response.status_code in (403, 404)
    assert "市委党校专题培训" not in response.content.decode()
