"""The organiser's class page states the completion rule as people read it."""

from django.urls import reverse

from attendance.services import policy_save
from tests.training.factories import class_for_world


def test_the_leave_cap_reads_as_a_percentage(world, client):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    body = client.get(reverse("certificates_admin:class_detail", args=[klass.pk])).content.decode()
    assert "请假不超过总学时的 14.3%" in body  # the default 1/7, stored as 0.1429
    assert "0.1429" not in body
    # The cap is the class's attendance policy's: changed there, it is the one stated here.
    policy_save(actor=world.organiser, training_class=klass, values={"leave_cap_denominator": 5})
    body = client.get(reverse("certificates_admin:class_detail", args=[klass.pk])).content.decode()
    assert "请假不超过总学时的 20.0%" in body
    rule_form = client.get(reverse("certificates_admin:class_rule", args=[klass.pk]))
    assert "max_leave_share" not in rule_form.content.decode()
    assert reverse("attendance_admin:class_policy", args=[klass.pk]) in rule_form.content.decode()
