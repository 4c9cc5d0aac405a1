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
