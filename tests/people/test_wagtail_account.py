"""Staff see and edit their own full name in the Wagtail admin, not a phone number or a
first/last-name split (people/wagtail_account.py)."""

import json
import re

from django.urls import reverse

from people.models import User


def _sidebar_account_name(html: str) -> str:
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    return json.dumps(json.loads(props), ensure_ascii=False)


def test_the_sidebar_shows_the_full_name_not_the_phone(world, client):
    client.force_login(world.organiser)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = _sidebar_account_name(html)
    assert world.organiser.full_name in props
    assert f'"name": "{world.organiser.get_username()}"' not in props


def test_the_account_page_edits_the_full_name(world, client):
    client.force_login(world.instructor)
    url = reverse("wagtailadmin_account")
    page = client.get(url).content.decode()
    assert 'name="name_email-full_name"' in page and "name_email-last_name" not in page
    data = {"name_email-full_name": "李文博老师"}
    data.update(
        {
            "locale-preferred_language": "zh-hans",
            "locale-current_time_zone": "Asia/Shanghai",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=world.instructor.pk).full_name == "李文博老师"
