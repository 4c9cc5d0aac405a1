import pytest

ADMIN = "/admin/"


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("trainee_a", False),
        ("instructor", True),
        ("adviser", True),
        ("organiser", True),
        ("admin", True),
    ],
)
def test_only_staff_roles_enter_the_wagtail_admin(client, world, actor, allowed):
    client.force_login(world.actor(actor))
    response = client.get(ADMIN)
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(ADMIN)
    assert response.status_code == 302
