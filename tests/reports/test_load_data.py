import pytest
from django.core.management import CommandError, call_command

from people.models import OrgUnit, User
from tests.factories import UserFactory
from training.models import Enrolment, TrainingClass

SMALL = {"persons": 600, "villages": 2400, "classes": 12, "attempts": 500}


def _generate(**extra):
    call_command("generate_load_data", **SMALL, **extra, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _fingerprint():
    return (
        list(OrgUnit.objects.order_by("path").values_list("path", "name", "level")[:400]),
        list(
            User.objects.order_by("username").values_list(
                "username", "full_name", "position", "org_unit__path"
            )
        ),
        list(TrainingClass.objects.order_by("code").values_list("code", "level", "start_date")),
        Enrolment.objects.count(),
    )


@pytest.mark.django_db
def test_builds_a_province_reproducibly():
    _generate(seed=7)
    assert OrgUnit.objects.filter(level="city").count() == 18
    assert OrgUnit.objects.filter(level="county").count() == 160
    assert OrgUnit.objects.filter(level="township").count() == 2400
    assert OrgUnit.objects.filter(level="village").count() == 2400
    assert User.objects.count() == 600
    assert TrainingClass.objects.count() == 12
    # The hand-built paths are a valid treebeard tree.
    province = OrgUnit.objects.get(level="province")
    assert province.get_children_count() == 18
    village = OrgUnit.objects.filter(level="village").first()
    assert [u.level for u in village.get_ancestors()] == ["province", "city", "county", "township"]
    first = _fingerprint()
    with pytest.raises(CommandError):
        _generate(seed=7)  # already there
    _generate(seed=7, reset=True)
    assert _fingerprint() == first


@pytest.mark.django_db
def test_refuses_a_database_with_real_data():
    UserFactory(username="13900000001")
    with pytest.raises(CommandError, match="not load data"):
        _generate()
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_bench_runs_on_the_generated_data(capsys):
    _generate(seed=3)
    call_command("bench_reports", runs=1)
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("reports: overview p50 ")
    assert "export" in last and "peak memory" in last
