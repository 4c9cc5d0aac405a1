import pytest
from django.core.management import call_command


@pytest.fixture
def site(db):
    from demo import portal as demo

    demo.seed({})


def test_home_page_welcomes_visitors_in_chinese(client, site):
    page = client.get("/").content.decode()
    assert "用手机号登录" in page
    assert 'lang="zh-hans"' in page


def test_signed_in_trainee_sees_name_role_and_navigation(client, site, world):
    client.force_login(world.trainee_a)
    page = client.get("/").content.decode()
    assert "学员甲" in page and "学员" in page
    for label in ["我的学习", "课程", "案例库", "我的培训班", "我的证书", "我的学时"]:
        assert label in page
    assert "管理后台" not in page


def test_staff_see_a_link_to_the_admin(client, site, world):
    client.force_login(world.organiser)
    assert "管理后台" in client.get("/").content.decode()


def test_profile_shows_the_persons_unit(client, world):
    client.force_login(world.trainee_a)
    page = client.get("/me/").content.decode()
    assert "东湾村" in page


def test_makemigrations_is_clean(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
