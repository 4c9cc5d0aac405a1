"""Staff work in the Wagtail admin in Chinese: Wagtail's own strings too.

Wagtail's zh_Hans catalogues lack some of its strings; locale_wagtail/ translates them
(see scripts/wagtail_zh_missing.py). A Wagtail upgrade that adds strings fails here with
the list of what to translate.
"""

import re
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
sys.path.insert(0, str(ROOT / "scripts"))

import wagtail_zh_missing  # noqa: E402

OVERRIDES = [wagtail_zh_missing.OVERRIDES / domain for domain in wagtail_zh_missing.DOMAINS]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def test_every_wagtail_string_has_chinese():
    assert wagtail_zh_missing.missing() == []


def test_no_stale_entries_in_the_wagtail_additions():
    assert wagtail_zh_missing.stale() == []


@pytest.mark.parametrize("path", OVERRIDES, ids=lambda p: p.name)
def test_wagtail_additions_keep_placeholders_and_one_plural_form(path):
    po = polib.pofile(str(path))
    assert po.metadata["Plural-Forms"].startswith("nplurals=1;")
    for entry in po:
        expected = sorted(set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert texts and all(texts), entry.msgid
        for text in texts:
            assert sorted(set(PLACEHOLDER.findall(text))) == expected, entry.msgid


def test_wagtail_additions_are_in_locale_paths_after_ours():
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    assert paths.index(ROOT / "locale") < paths.index(ROOT / "locale_wagtail")


@pytest.mark.django_db
def test_admin_dashboard_is_chinese(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "搜索所有页面…" in page
    assert "Search all pages" not in page


@pytest.mark.django_db
def test_admin_javascript_catalogue_has_the_chinese(client, world):
    client.force_login(world.admin)
    script = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    assert '"Insert a block": "\\u63d2\\u5165\\u5757"' in script or "插入块" in script
