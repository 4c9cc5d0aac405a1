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


# lms/wagtail_chinese.py: what it patches is still where it was, and says the same.


def test_patched_collection_permissions_are_upstreams_own():
    from wagtail.admin.forms.collections import GroupCollectionManagementPermissionFormSet
    from wagtail.documents.forms import GroupDocumentPermissionFormSet
    from wagtail.images.forms import GroupImagePermissionFormSet

    from lms.wagtail_chinese import COLLECTION_PERMISSION_TYPES

    codenames = [
        codename
        for formset in (
            GroupImagePermissionFormSet,
            GroupDocumentPermissionFormSet,
            GroupCollectionManagementPermissionFormSet,
        )
        for codename, _short, _long in formset.permission_types
    ]
    assert sorted(codenames) == sorted(COLLECTION_PERMISSION_TYPES)


def test_wagtail_msgids_we_reuse_are_in_wagtails_catalogues():
    """lms/wagtail_chinese.py says `wagtail_lazy("…")` for Wagtail's own msgids: Wagtail's
    catalogues must still have them, or they would show in English."""
    import ast

    from lms import wagtail_chinese

    source = (ROOT / "lms" / "wagtail_chinese.py").read_text()
    used = {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "wagtail_lazy"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    used |= {*wagtail_chinese.SNIPPET_CHOOSER_TEXTS.values(), wagtail_chinese.WHATS_NEW}
    english = {msgid for _ctxt, msgid in wagtail_zh_missing.english_entries()["django.po"]}
    assert used and used - english == set()


@pytest.mark.django_db
def test_labels_follow_the_language_of_each_request(client, world):
    """Wagtail builds some labels once per process; they must not stay in the language of
    the first request (here Chinese) for an English reader after it."""
    from django.conf import settings

    from tests.assessments.factories import quiz_with, single
    from tests.training.factories import class_for_world

    quiz = quiz_with([single()], training_class=class_for_world(world))
    client.force_login(world.admin)
    edit = reverse("wagtailsnippets_assessments_quiz:edit", args=[quiz.pk])
    assert "选择 试题" in client.get(edit).content.decode()  # the form is built in Chinese
    client.get(reverse("wagtailredirects:index"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(edit).content.decode()
    assert "首页" not in page and "选择另一个" not in page and "编辑这个" not in page
    redirects = client.get(reverse("wagtailredirects:index")).content.decode()
    assert "永久" not in redirects and "Permanent" in redirects
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "的新功能" not in home


@pytest.mark.django_db
def test_group_form_names_permissions_in_chinese(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("wagtailusers_groups:add")).content.decode()
    assert "Can add" not in page and "可以添加测验" in page
