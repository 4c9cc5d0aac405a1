"""Chinese must be right everywhere: every catalogue complete, compiled and in use."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_there_are_catalogues_for_the_project_and_its_apps():
    owners = {p.parents[3].name for p in CATALOGUES}
    assert {"people", "portal", "training", "main"} & owners or len(CATALOGUES) >= 3


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_has_a_chinese_translation(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert missing == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_placeholders_survive_translation(path):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for entry in polib.pofile(str(path)).translated_entries():
        expected = sorted(set(pattern.findall(entry.msgid_plural or entry.msgid)))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(pattern.findall(text))) == expected, entry.msgid


def test_catalogues_are_compiled():
    for path in CATALOGUES:
        assert path.with_suffix(".mo").exists(), f"{path} not compiled (make compile-messages)"


def test_default_language_is_simplified_chinese_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_request(client):
    page = client.get("/accounts/login/").content.decode()
    assert "手机号或用户名" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Mobile number or username" in page


def test_translation_is_used_for_model_labels():
    from people.models import User

    with translation.override("zh-hans"):
        assert str(User.Position.VILLAGE_SECRETARY.label) == "村（社区）党组织书记"
    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        assert str(User.Position.VILLAGE_SECRETARY.label) == "Village Party secretary"


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_chinese_until_the_person_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "手机号或用户名" in page


def test_no_two_catalogues_translate_one_msgid_differently():
    """Django merges the apps' catalogues and the first app wins: a shared msgid with two
    meanings shows one app's word in the other's screens (ledger's 撤销 read 退学)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("po_conflicts", ROOT / "scripts/po_conflicts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.conflicts("zh_Hans") == []


@pytest.mark.parametrize(
    ("context", "msgid", "expected"),
    [
        ("quiz", "Start", "开始作答"),
        ("learning", "Continue", "继续学习"),
        ("question", "Next", "下一题"),
        ("pagination", "Next", "下一页"),
        ("ledger entry", "Withdraw", "撤销"),
        ("enrolment", "Withdraw", "退学"),
        ("course assignment", "Withdraw", "取消分配"),
        ("training class", "Name", "名称"),
        ("person", "Name", "姓名"),
    ],
)
def test_words_with_two_meanings_read_right_in_each_place(context, msgid, expected):
    with translation.override("zh-hans"):
        assert translation.pgettext(context, msgid) == expected


def test_our_catalogues_leave_wagtails_own_words_alone():
    with translation.override("zh-hans"):
        # Wagtail's page editor tab and page status, not a training evaluation's 课程内容.
        assert translation.gettext("Content") == "内容"
        assert translation.gettext("Published") == "已发布"
        assert translation.gettext("Type") == "类型"
