"""The base template's `{% chrome %}` fragments (lms/chrome.py) are drawn once per process
and language: a page drawn from them must be exactly the page drawn without them, for
another person, in another language, on another section of the site."""

import re

import pytest
from django.conf import settings
from django.test import override_settings

from lms.chrome import chrome_clear
from tests.factories import trainee

pytestmark = pytest.mark.django_db

# Per response, not per person or page: the masked CSRF token.
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(client, path, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_drawn_from_the_fragments_are_the_pages_drawn_without(client, language):
    chrome_clear()
    first, second = trainee(full_name="甲"), trainee(full_name="乙")
    # The fragments are filled by the first person, in the other language too, on
    # another section of the site.
    client.force_login(first)
    for lang in ("zh-hans", "en"):
        page(client, "/learning/", lang)
        page(client, "/classes/", lang)
    client.force_login(second)
    cached = {path: page(client, path, language) for path in ("/learning/", "/me/")}
    with override_settings(DEBUG=True):  # no fragments kept or used
        chrome_clear()
        for path, html in cached.items():
            assert html == page(client, path, language)
    assert "乙" in cached["/me/"] and "甲" not in cached["/me/"]
    assert 'href="/learning/" aria-current="page"' in cached["/learning/"]
    assert 'aria-current="page"' not in cached["/me/"].split("</nav>")[0].split("<nav")[1]
    label = "My learning" if language == "en" else "我的学习"
    assert f">{label}</a>" in cached["/me/"]


def test_a_fragment_knows_only_its_name_the_language_and_what_it_names():
    from django.template import Context, Template
    from django.utils import translation

    chrome_clear()
    tpl = Template('{% load chrome %}{% chrome "t" which %}{{ which }}{{ other }}{% endchrome %}')
    with translation.override("zh-hans"):
        assert tpl.render(Context({"which": "a", "other": 1})) == "a1"
        assert tpl.render(Context({"which": "a", "other": 2})) == "a1"  # `other` is no key
        assert tpl.render(Context({"which": "b", "other": 2})) == "b2"
    with translation.override("en"):
        assert tpl.render(Context({"which": "a", "other": 3})) == "a3"
