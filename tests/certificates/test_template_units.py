"""Migration 0006: templates in use get the unit of the classes using them, no NULL left
behind except system templates (the default, and ones no class uses)."""

from importlib import import_module

import pytest
from django.apps import apps

from certificates.models import CertificateTemplate, CompletionRule
from tests.training.factories import TrainingClassFactory

pytestmark = pytest.mark.django_db

migration = import_module("certificates.migrations.0006_template_owning_unit")


def _used_by(template, *units):
    for unit in units:
        klass = TrainingClassFactory(organising_unit=unit)
        CompletionRule.objects.create(training_class=klass, certificate_template=template)


def test_templates_in_use_belong_to_the_unit_of_their_classes(world):
    county = CertificateTemplate.objects.create(name="罗山县证书")
    _used_by(county, world.county_a, world.township_a)
    shared = CertificateTemplate.objects.create(name="两县共用证书")
    _used_by(shared, world.county_a, world.county_b)
    unused = CertificateTemplate.objects.create(name="没人用的证书")
    default = CertificateTemplate.objects.create(name="默认证书", is_default=True)
    _used_by(default, world.county_a)

    migration.owning_units_set(apps, None)

    units = dict(CertificateTemplate.objects.values_list("name", "org_unit__name"))
    assert units == {
        "罗山县证书": "罗山县",
        "两县共用证书": "信阳市",
        "没人用的证书": None,
        "默认证书": None,
    }
    assert unused.pk and default.pk


def test_the_common_unit_path_stops_at_a_whole_unit():
    assert migration._common_unit_path(["000100010001", "000100010002"]) == "00010001"
    assert migration._common_unit_path(["000100010001"]) == "000100010001"
    assert migration._common_unit_path(["00010001", "00020001"]) == ""
