import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments.errors import ImportExpired, ImportInvalid
from assessments.models import Question, QuestionCategory, QuestionVersion
from assessments.services.questions import (
    HEADERS,
    question_create,
    question_import_confirm,
    question_import_stage,
    question_workbook,
)
from training.models import ImportBatch

pytestmark = pytest.mark.django_db


def _row(**values):
    row = dict.fromkeys(HEADERS, "")
    row.update(values)
    return [row[h] for h in HEADERS]


GOOD = [
    _row(
        分类="先导区",
        题型="单选",
        题干="培训地点？",
        选项A="大别山干部学院",
        选项B="党校",
        正确答案="A",
    ),
    _row(
        分类="先导区",
        题型="多选",
        题干="五大振兴？",
        选项A="产业",
        选项B="人才",
        选项C="城镇",
        正确答案="AB",
        多选计分="部分得分",
        分值="4",
    ),
    _row(分类="组织", 题型="判断", 题干="孟州有5个区域化党委。", 正确答案="正确"),
    _row(
        分类="组织", 题型="填空", 题干="____、组团式", 正确答案="片区化|片区化发展", 解析="见报道"
    ),
    _row(分类="组织", 题型="简答", 题干="谈谈体会。", 分值="10", 标签="简答,心得"),
]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows, encoding="utf-8-sig") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def test_valid_xlsx_previews_then_confirm_creates_everything(world):
    pending = question_import_stage(
        content=_xlsx(GOOD), file_name="题库.xlsx", actor=world.instructor
    )
    assert Question.objects.count() == 0 and len(pending.rows) == 5
    created = question_import_confirm(token=pending.pk, actor=world.instructor)
    assert len(created) == 5 == QuestionVersion.objects.count()
    multi = Question.objects.get(type="multiple")
    assert multi.scoring == "partial" and [o.is_correct for o in multi.options.all()] == [
        True,
        True,
        False,
    ]
    assert Question.objects.get(type="fill_in").accepted_answers == "片区化\n片区化发展"
    assert set(Question.objects.get(type="essay").tags.names()) == {"简答", "心得"}
    with pytest.raises(ImportExpired):  # confirming twice imports nothing more
        question_import_confirm(token=pending.pk, actor=world.instructor)
    assert Question.objects.count() == 5


def test_gbk_csv_is_read(world):
    pending = question_import_stage(
        content=_csv(GOOD[:1], encoding="gb18030"), file_name="q.csv", actor=world.instructor
    )
    assert pending.rows[0]["stem"] == "培训地点？"


def test_every_bad_row_is_reported_with_its_number_and_nothing_kept(world):
    bad = [
        GOOD[0],
        _row(分类="先导区", 题型="单选", 题干="没有正确答案", 选项A="甲", 选项B="乙", 正确答案=""),
        _row(分类="先导区", 题型="问答", 题干="未知题型"),
        _row(分类="先导区", 题型="多选", 题干="答案越界", 选项A="甲", 选项B="乙", 正确答案="AD"),
        _row(分类="", 题型="判断", 题干="无分类", 正确答案="也许"),
        _row(分类="先导区", 题型="填空", 题干="无答案"),
        _row(
            分类="先导区",
            题型="单选",
            题干="分值错",
            选项A="甲",
            选项B="乙",
            正确答案="A",
            分值="abc",
        ),
    ]
    with pytest.raises(ImportInvalid) as exc:
        question_import_stage(content=_xlsx(bad), file_name="q.xlsx", actor=world.instructor)
    rows_with_problems = {row for row, _msg in exc.value.problems}
    assert rows_with_problems == {3, 4, 5, 6, 7, 8}
    assert not ImportBatch.objects.exists() and not Question.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"garbage", "q.xlsx"), (b"\x00\x01", "q.txt"), ("题干,答案\n".encode(), "q.csv")],
)
def test_malformed_files_are_refused(world, content, name):
    with pytest.raises(ImportInvalid):
        question_import_stage(content=content, file_name=name, actor=world.instructor)
    assert not ImportBatch.objects.exists()


def test_export_round_trips_through_import(world):
    pending = question_import_stage(content=_xlsx(GOOD), file_name="q.xlsx", actor=world.instructor)
    question_import_confirm(token=pending.pk, actor=world.instructor)
    exported = question_workbook(Question.objects.all()).getvalue()
    sheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    Question.objects.all().delete()
    again = question_import_stage(content=exported, file_name="export.xlsx", actor=world.instructor)
    assert [r["stem"] for r in again.rows] == [r[2] for r in GOOD]


def test_admin_import_flow_and_other_user_cannot_confirm(world, client):
    client.force_login(world.instructor)
    template = client.get(reverse("assessments_admin:questions_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("assessments_admin:questions_import"),
        {"file": SimpleUploadedFile("q.xlsx", _xlsx(GOOD))},
    )
    pending = ImportBatch.objects.get()
    assert response.status_code == 302
    preview_url = reverse("assessments_admin:questions_import_preview", args=[pending.pk])
    assert "培训地点" in client.get(preview_url).content.decode()
    client.force_login(world.instructor_other)
    assert client.post(preview_url).status_code == 404
    assert not Question.objects.exists()
    client.force_login(world.instructor)
    assert client.post(preview_url).status_code == 302
    assert Question.objects.count() == 5
    bad = client.post(
        reverse("assessments_admin:questions_import"),
        {"file": SimpleUploadedFile("q.xlsx", _xlsx([GOOD[0], _row(题型="单选")]))},
    )
    assert bad.status_code == 200 and "3" in bad.content.decode()


def test_points_and_lengths_the_database_would_refuse_are_reported_by_row(world):
    choice = {"分类": "先导区", "题型": "单选", "选项A": "甲", "选项B": "乙", "正确答案": "A"}
    bad = [
        _row(**choice, 题干="一位小数以内", 分值="1.50"),  # fine: stored as 1.5
        _row(**choice, 题干="两位小数", 分值="1.25"),
        _row(**choice, 题干="低于半分", 分值="0.3"),
        _row(**choice, 题干="非数", 分值="NaN"),
        _row(**{**choice, "分类": "分" * 101}, 题干="分类太长"),
        _row(**{**choice, "选项B": "乙" * 501}, 题干="选项太长"),
        _row(分类="先导区", 题型="填空", 题干="答案太长", 正确答案="答" * 501),
        _row(**choice, 题干="标签太长", 标签="短," + "标" * 101),
    ]
    with pytest.raises(ImportInvalid) as exc:
        question_import_stage(content=_xlsx(bad), file_name="q.xlsx", actor=world.instructor)
    assert {row for row, _msg in exc.value.problems} == {3, 4, 5, 6, 7, 8, 9}
    assert not ImportBatch.objects.exists() and not QuestionCategory.objects.exists()
    pending = question_import_stage(
        content=_xlsx(bad[:1]), file_name="q.xlsx", actor=world.instructor
    )
    question_import_confirm(token=pending.pk, actor=world.instructor)
    assert Question.objects.get().points == Decimal("1.5")


def _staged(world, **changes):
    """A file staged as an earlier version of the parser let it through."""
    pending = question_import_stage(content=_xlsx(GOOD), file_name="q.xlsx", actor=world.instructor)
    rows = pending.rows
    rows[1].update(changes)
    ImportBatch.objects.filter(pk=pending.pk).update(rows=rows)
    return pending


@pytest.mark.parametrize(
    "changes",
    [{"points": "1.25"}, {"category": "分" * 101}, {"scoring": "bogus"}],
    ids=["points", "category-length", "model-rule"],
)
def test_confirm_of_a_bad_staged_file_reports_the_row_and_imports_nothing(world, client, changes):
    pending = _staged(world, **changes)
    client.force_login(world.instructor)
    url = reverse("assessments_admin:questions_import_preview", args=[pending.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert [row for row, _msg in response.context["problems"]] == [3]
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    assert ImportBatch.objects.get().confirmed_at is None


def test_confirm_view_turns_any_validation_error_into_a_message(world, client, monkeypatch):
    from django.core.exceptions import ValidationError

    from assessments import admin_views

    pending = question_import_stage(content=_xlsx(GOOD), file_name="q.xlsx", actor=world.instructor)

    def refuse(**kwargs):
        raise ValidationError("规则")

    monkeypatch.setattr(admin_views, "question_import_confirm", refuse)
    client.force_login(world.instructor)
    url = reverse("assessments_admin:questions_import_preview", args=[pending.pk])
    response = client.post(url)
    assert response.status_code == 200 and "规则" in response.content.decode()


def test_a_question_with_more_than_eight_options_is_refused_and_never_breaks_export(world, client):
    from assessments.models import QuestionOption
    from assessments.wagtail_hooks import QuestionViewSet
    from tests.assessments.factories import CategoryFactory, single

    nine = [(f"选项{i}", i == 8) for i in range(9)]
    with pytest.raises(ImportInvalid):
        question_create(category=CategoryFactory(), type="single", stem="九个选项", options=nine)
    # The admin form, with nine options in its inline formset.
    category = CategoryFactory(name="选项上限")
    data = {
        "category": category.pk,
        "type": "single",
        "stem": "九个选项",
        "points": "1",
        "scoring": "all",
        "options-TOTAL_FORMS": "9",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for i, (text, correct) in enumerate(nine):
        data.update({f"options-{i}-text": text, f"options-{i}-ORDER": str(i + 1)})
        if correct:
            data[f"options-{i}-is_correct"] = "on"
    form_class = QuestionViewSet.edit_handler.bind_to_model(Question).get_form_class()
    assert not form_class(data, instance=Question(), for_user=world.instructor).is_valid()
    # A question saved before the limit: the export says which, instead of a server error.
    question = single(category, stem="旧题九个选项")
    QuestionOption.objects.create(question=question, text="第九项", is_correct=True, sort_order=9)
    for i in range(5):
        QuestionOption.objects.create(question=question, text=f"补{i}", sort_order=4 + i)
    client.force_login(world.instructor)
    response = client.get(reverse("assessments_admin:questions_export"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessments_admin:questions_import")
    assert "旧题九个选项" in response.content.decode()
