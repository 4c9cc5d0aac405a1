"""The organiser's class page states the completion rule as people read it."""

from decimal import Decimal

from django.urls import reverse

from certificates.services import completion_rule_update
from tests.training.factories import class_for_world


def test_the_leave_cap_reads_as_a_percentage(world, client):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    body = client.get(reverse("certificates_admin:class_detail", args=[klass.pk])).content.decode()
    assert "请假不超过总学时的 14.3%" in body  # the default 1/7, stored as 0.1429
    assert "0.1429" not in body
    completion_rule_update(
        actor=world.organiser, training_class=klass, max_leave_share=Decimal("0.2")
    )
    body = client.get(reverse("certificates_admin:class_detail", args=[klass.pk])).content.decode()
    assert "请假不超过总学时的 20.0%" in body
