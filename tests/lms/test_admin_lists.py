"""Admin lists speak Chinese: a tick or a cross, not True/False; no "Updated at"."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _cells(html: str) -> list[str]:
    table = html[html.index('<table class="listing') :]
    table = table[: table.index("</table>")]
    return re.findall(r"<td[^>]*>(.*?)</td>", table, flags=re.S)


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_snippet_lists_show_ticks_and_chinese_headers_not_raw_booleans(client, world):
    from certificates.models import CertificateTemplate
    from tests.assessments.factories import quiz_with, single
    from tests.training.factories import class_for_world

    quiz_with([single()], is_final_exam=True, training_class=class_for_world(world))
    CertificateTemplate.objects.create(name="信阳市证书", is_default=True)
    client.force_login(world.admin)
    for name in (
        "wagtailsnippets_assessments_question:list",
        "wagtailsnippets_assessments_quiz:list",
        "wagtailsnippets_certificates_certificatetemplate:list",
    ):
        html = client.get(reverse(name)).content.decode()
        cells = _cells(html)
        assert cells, name
        texts = {_text(c) for c in cells}
        assert not {"True", "False"} & texts, name
        assert "是" in texts and any("icon-check" in c for c in cells), name  # the tick
        assert "Updated at" not in html, name


def test_staff_menus_leave_out_wagtails_own_reports_and_snippets(world):
    """Organisers see 培训统计 and 证书模板, not Wagtail's reports or its 片段 list."""
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu, reports_menu

    request = RequestFactory().get("/admin/")
    for actor in ("organiser", "city_organiser", "instructor", "adviser"):
        request.user = getattr(world, actor)
        names = {item.name for item in admin_menu.menu_items_for_request(request)}
        assert "snippets" not in names and "reports" not in names, actor
        assert reports_menu.menu_items_for_request(request) == [], actor
    request.user = world.city_organiser
    labels = [str(item.label) for item in admin_menu.menu_items_for_request(request)]
    assert "证书模板" in labels and "结业与证书" in labels
    request.user = world.admin
    names = {item.name for item in admin_menu.menu_items_for_request(request)}
    assert {"snippets", "reports"} <= names


def test_the_question_bank_adds_a_question_not_a_question_stem(client, world):
    """The model is 试题; its text field is 题干 (one msgid had served both)."""
    client.force_login(world.admin)
    html = client.get(reverse("wagtailsnippets_assessments_question:add")).content.decode()
    assert "添加 题干" not in html and "题干" in html
    html = client.get(reverse("wagtailsnippets_assessments_question:list")).content.decode()
    assert "添加 试题" in html or "添加试题" in html


def test_wagtails_install_time_rows_read_in_chinese():
    """Wagtail's migrations name a root page, two groups and a workflow in English; the
    admin shows them in breadcrumbs, group lists and workflow history."""
    from django.contrib.auth.models import Group
    from wagtail.models import Page, Task, Workflow

    assert Page.objects.get(depth=1).title == "根目录"
    names = set(Group.objects.values_list("name", flat=True))
    assert {"编辑", "审核员"} <= names and not {"Editors", "Moderators"} & names
    assert Workflow.objects.filter(name="审核员审批").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()


def test_wagtails_own_user_list_says_yes_not_true(client, world):
    client.force_login(world.admin)
    cells = _cells(client.get(reverse("wagtailusers_users:index")).content.decode())
    texts = {_text(c) for c in cells}
    assert "True" not in texts and "是" in texts
