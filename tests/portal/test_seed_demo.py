import pytest
from django.core.management import call_command

from people.models import OrgUnit, User
from people.roles import Role


def _snapshot():
    from wagtail.models import Page

    return (
        list(OrgUnit.objects.order_by("code").values_list("code", "name", "path")),
        list(
            User.objects.order_by("username").values_list(
                "username", "password", "phone", "position", "org_unit__code"
            )
        ),
        list(Page.objects.order_by("path").values_list("path", "title", "live")),
    )


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first


@pytest.mark.django_db
def test_demo_has_every_role_and_xinyang_counties():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counties = set(
        OrgUnit.objects.filter(
            level="county", path__startswith=OrgUnit.objects.get(name="信阳市").path
        ).values_list("name", flat=True)
    )
    assert counties == {
        "浉河区",
        "平桥区",
        "罗山县",
        "光山县",
        "新县",
        "商城县",
        "固始县",
        "潢川县",
        "淮滨县",
        "息县",
    }
    assert OrgUnit.objects.filter(name__in=["沁阳市", "孟州市"]).count() == 2
    for role in Role:
        assert User.objects.filter(groups__name=str(role)).exists(), role
    assert User.objects.filter(groups__name=str(Role.TRAINEE)).count() == 60
    # Every 信阳市 township secretary is in the class: one per township, all in 信阳市.
    secretaries = User.objects.filter(position=User.Position.TOWNSHIP_SECRETARY)
    assert secretaries.count() == 30
    xinyang = OrgUnit.objects.get(name="信阳市")
    assert all(p.org_unit.path.startswith(xinyang.path) for p in secretaries)


@pytest.mark.django_db
def test_every_demo_account_logs_in(client):
    from demo.people import DEMO_PASSWORD

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for username in [
        "admin",
        "xy_organiser",
        "ls_organiser",
        "teacher_li",
        "teacher_wang",
        "adviser_zhao",
        "13976000001",
    ]:
        client.logout()
        response = client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
