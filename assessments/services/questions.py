"""Question bank writes: versions, import from XLSX/CSV (preview then confirm), export."""

import hashlib
import json
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.log_actions import log

from lms.spreadsheets import Book, Column, UnreadableSpreadsheet, read_table
from training.models import ImportBatch
from training.services.roster import import_batches_purge

from ..errors import ExportTooManyOptions, ImportExpired, ImportInvalid
from ..grading import FILL_IN_MAX_LENGTH, normalise_text
from ..models import (
    MAX_OPTIONS,
    Question,
    QuestionCategory,
    QuestionOption,
    QuestionVersion,
)

OPTION_LETTERS = "ABCDEFGH"[:MAX_OPTIONS]
HEADERS = (
    ["分类", "题型", "题干"]
    + [f"选项{letter}" for letter in OPTION_LETTERS]
    + ["正确答案", "分值", "多选计分", "解析", "标签"]
)
TYPE_BY_LABEL = {
    "单选": Question.Type.SINGLE,
    "单选题": Question.Type.SINGLE,
    "多选": Question.Type.MULTIPLE,
    "多选题": Question.Type.MULTIPLE,
    "判断": Question.Type.TRUE_FALSE,
    "判断题": Question.Type.TRUE_FALSE,
    "填空": Question.Type.FILL_IN,
    "填空题": Question.Type.FILL_IN,
    "简答": Question.Type.ESSAY,
    "简答题": Question.Type.ESSAY,
}
LABEL_BY_TYPE = {
    Question.Type.SINGLE: "单选",
    Question.Type.MULTIPLE: "多选",
    Question.Type.TRUE_FALSE: "判断",
    Question.Type.FILL_IN: "填空",
    Question.Type.ESSAY: "简答",
}
TRUE_WORDS = {"正确", "对", "是", "√", "T", "TRUE", "Y"}
FALSE_WORDS = {"错误", "错", "否", "×", "X", "F", "FALSE", "N"}
MAX_IMPORT_ROWS = 2000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Rows read from a sheet, blank ones included, before it is refused (lms.spreadsheets).
MAX_SHEET_ROWS = 10 * MAX_IMPORT_ROWS
MAX_COLUMNS = 100
PENDING_IMPORT_TTL = timedelta(hours=24)


# --- content rules shared by the admin form and the importer -------------------------


def question_problems(
    *, type: str, options: list[tuple[str, bool]], true_false, accepted: list[str]
) -> list[str]:
    """What makes a question unusable; empty when it can be saved."""
    problems = []
    if type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        n_correct = sum(1 for _text, correct in options if correct)
        if len(options) < 2:
            problems.append(_("A choice question needs at least two options."))
        if len(options) > MAX_OPTIONS:
            problems.append(
                _("A choice question can have at most %(n)d options (A–H).") % {"n": MAX_OPTIONS}
            )
        if type == Question.Type.SINGLE and n_correct != 1:
            problems.append(_("A single-choice question needs exactly one correct option."))
        if type == Question.Type.MULTIPLE and n_correct < 1:
            problems.append(_("A multiple-choice question needs at least one correct option."))
    if type == Question.Type.TRUE_FALSE and true_false is None:
        problems.append(_("Say whether the statement is true or false."))
    if type == Question.Type.FILL_IN and not [a for a in accepted if normalise_text(a)]:
        problems.append(_("A fill-in question needs at least one accepted answer."))
    return problems


def question_unused_parts(
    *, type: str, options: list[tuple[str, bool]], true_false, accepted: list[str]
) -> list[str]:
    """Content the chosen type does not use: left behind when the author changed the type.

    Trainees would never see it and grading ignores it, so it is refused rather than kept
    silently (the admin form's script clears hidden parts before it posts)."""
    problems = []
    if options and type not in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        problems.append(
            _(
                "Only single- and multiple-choice questions have options. "
                "Delete the options or change the type."
            )
        )
    if true_false is not None and type != Question.Type.TRUE_FALSE:
        problems.append(
            _(
                "Only true-or-false questions say whether the statement is true. "
                "Clear it or change the type."
            )
        )
    if accepted and type != Question.Type.FILL_IN:
        problems.append(
            _(
                "Only fill-in-the-blank questions have accepted answers. "
                "Clear them or change the type."
            )
        )
    return problems


def accepted_list(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- versions ------------------------------------------------------------------------


def question_snapshot(question: Question) -> dict:
    is_choice = question.type in (Question.Type.SINGLE, Question.Type.MULTIPLE)
    options = (
        [
            {"key": f"o{o.pk}", "text": o.text, "correct": o.is_correct}
            for o in QuestionOption.objects.filter(question=question).order_by("sort_order", "pk")
        ]
        if is_choice
        else []
    )
    accepted = accepted_list(question.accepted_answers) if question.type == "fill_in" else []
    return {
        "type": question.type,
        "stem": question.stem,
        "points": str(question.points),
        "scoring": question.scoring if question.type == Question.Type.MULTIPLE else "all",
        "options": options,
        "true_false": question.true_false_answer if question.type == "true_false" else None,
        "accepted": accepted,
        # For readers of the snapshot; grading normalises `accepted` with the current
        # rule (version_data), so a version made under an older rule grades the same.
        "accepted_normalised": sorted({normalise_text(a) for a in accepted} - {""}),
        "explanation": question.explanation,
    }


def question_version_ensure(*, question: Question, actor=None) -> QuestionVersion:
    """The version matching the question's content now, made if it is new.

    Old versions are never touched, so attempts that used them keep their questions and
    scores; going back to earlier content reuses that earlier version.
    """
    data = question_snapshot(question)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        version = QuestionVersion.objects.filter(question=question, content_hash=digest).first()
        if version is None:
            number = (
                QuestionVersion.objects.filter(question=question).aggregate(n=Max("number"))["n"]
                or 0
            ) + 1
            version = QuestionVersion(
                question=question, number=number, content_hash=digest, data=data, created_by=actor
            )
            version.full_clean()
            version.save()
        if question.current_version_id != version.pk:
            Question.objects.filter(pk=question.pk).update(current_version=version)
            question.current_version = version
    return version


def question_create(
    *,
    category: QuestionCategory,
    type: str,
    stem: str,
    options: list[tuple[str, bool]] = (),
    true_false=None,
    accepted: list[str] = (),
    points=Decimal("1"),
    scoring: str = Question.Scoring.ALL_OR_NOTHING,
    explanation: str = "",
    tags: list[str] = (),
    actor=None,
) -> Question:
    problems = question_problems(
        type=type, options=list(options), true_false=true_false, accepted=list(accepted)
    )
    if problems:
        raise ImportInvalid(problems=[(0, p) for p in problems])
    with transaction.atomic():
        question = Question(
            category=category,
            type=type,
            stem=stem,
            points=Decimal(points),
            scoring=scoring,
            true_false_answer=true_false,
            accepted_answers="\n".join(accepted),
            explanation=explanation,
            created_by=actor,
        )
        question.full_clean(exclude=["tags"])
        question.save()
        for i, (text, correct) in enumerate(options):
            QuestionOption.objects.create(
                question=question, text=text, is_correct=correct, sort_order=i
            )
        if tags:
            question.tags.add(*tags)
            question.save()
        question_version_ensure(question=question, actor=actor)
    return question


# --- import --------------------------------------------------------------------------


def _read_table(*, content: bytes, file_name: str) -> list[list[str]]:
    if not file_name.lower().endswith((".xlsx", ".csv")):
        raise ImportInvalid(
            problems=[(0, _("Upload an .xlsx or .csv file made from the template."))]
        )
    try:
        return read_table(
            content,
            file_name=file_name,
            max_rows=MAX_SHEET_ROWS,
            max_columns=MAX_COLUMNS,
            max_bytes=MAX_IMPORT_BYTES,
        )
    except UnreadableSpreadsheet as exc:  # shown with the other problems, as row 0
        raise ImportInvalid(problems=[(0, exc.message)]) from exc


def _parse_row(values: dict) -> tuple[dict, list[str]]:
    problems = []
    type_label = values["题型"]
    qtype = TYPE_BY_LABEL.get(type_label)
    if not values["分类"]:
        problems.append(_("Category is empty."))
    if qtype is None:
        problems.append(
            _("Unknown type “%(type)s”: use 单选, 多选, 判断, 填空 or 简答.") % {"type": type_label}
        )
    if not values["题干"]:
        problems.append(_("The question text is empty."))
    points = Decimal("1")
    if values["分值"]:
        points = points_parse(values["分值"])
        if points is None:
            problems.append(
                _(
                    "Points “%(v)s” must be a number from 0.5 to 1000 "
                    "with at most one decimal place."
                )
                % {"v": values["分值"]}
            )
            points = Decimal("1")
    scoring = Question.Scoring.ALL_OR_NOTHING
    if values["多选计分"] in ("部分得分", "部分", "partial"):
        scoring = Question.Scoring.PARTIAL
    elif values["多选计分"] not in ("", "全对得分", "全对", "all"):
        problems.append(_("Scoring must be 全对得分 or 部分得分."))
    options, true_false, accepted = [], None, []
    key = values["正确答案"]
    if qtype in (Question.Type.SINGLE, Question.Type.MULTIPLE):
        texts = [(letter, values[f"选项{letter}"]) for letter in OPTION_LETTERS]
        last = max((i for i, (_l, t) in enumerate(texts) if t), default=-1)
        letters = {c for c in key.upper() if c.isalpha()}
        bad = letters - set(OPTION_LETTERS[: last + 1])
        if any(not t for _l, t in texts[: last + 1]):
            problems.append(_("Options must be filled from A onwards without gaps."))
        if bad:
            problems.append(
                _("The answer names options that do not exist: %(l)s.")
                % {"l": "".join(sorted(bad))}
            )
        options = [(t, letter in letters) for letter, t in texts[: last + 1]]
    elif qtype == Question.Type.TRUE_FALSE:
        word = key.upper()
        true_false = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        if true_false is None and key:
            problems.append(_("The answer of a true/false question must be 正确 or 错误."))
    elif qtype == Question.Type.FILL_IN:
        accepted = [a.strip() for a in key.replace("｜", "|").split("|") if a.strip()]
    if qtype:
        problems += question_problems(
            type=qtype, options=options, true_false=true_false, accepted=accepted
        )
    tags = [t.strip() for t in values["标签"].replace("，", ",").split(",") if t.strip()]
    row = {
        "category": values["分类"],
        "type": qtype,
        "stem": values["题干"],
        "options": options,
        "true_false": true_false,
        "accepted": accepted,
        "points": str(points),
        "scoring": scoring,
        "explanation": values["解析"],
        "tags": tags,
    }
    return row, problems + row_length_problems(row)


MAX_POINTS = Decimal("1000")


def points_parse(raw: str) -> Decimal | None:
    """Points as the question model stores them (at least 0.5, one decimal place), or
    None. "1.50" is 1.5; 1.25 and 0.3 are refused here rather than when saving."""
    field = Question._meta.get_field("points")
    try:
        points = Decimal(str(raw).strip())
        if not points.is_finite() or points > MAX_POINTS:
            return None
        rounded = points.quantize(Decimal(1).scaleb(-field.decimal_places))
        if rounded != points:
            return None
        field.run_validators(rounded)
    except (InvalidOperation, ValidationError):
        return None
    return rounded


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def row_length_problems(row: dict) -> list[str]:
    """Cells longer than their database column (PostgreSQL refuses them on save), or than
    a trainee can type (an accepted fill-in answer longer than the answer box)."""
    problems = []
    limit = _max_length(QuestionCategory, "name")
    if len(row["category"]) > limit:
        problems.append(_("The category name is longer than %(n)d characters.") % {"n": limit})
    limit = _max_length(QuestionOption, "text")
    for letter, (text, _correct) in zip(OPTION_LETTERS, row["options"], strict=False):
        if len(text) > limit:
            problems.append(
                _("Option %(letter)s is longer than %(n)d characters.")
                % {"letter": letter, "n": limit}
            )
    limit = FILL_IN_MAX_LENGTH
    if any(len(answer) > limit for answer in row["accepted"]):
        problems.append(_("An accepted answer is longer than %(n)d characters.") % {"n": limit})
    limit = _max_length(Tag, "name")
    for tag in row["tags"]:
        if len(tag) > limit:
            problems.append(
                _("Tag “%(tag)s…” is longer than %(n)d characters.") % {"tag": tag[:10], "n": limit}
            )
    return problems


def question_import_parse(*, content: bytes, file_name: str) -> tuple[list[dict], list]:
    """Every row parsed, and every problem as (row number, message). Writes nothing."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportInvalid(problems=[(0, _("The file is larger than 5 MB."))])
    table = _read_table(content=content, file_name=file_name)
    if not table or [h for h in table[0] if h][:3] != HEADERS[:3]:
        raise ImportInvalid(
            problems=[(1, _("The first row must be the template's headers (分类, 题型, 题干, …)."))]
        )
    header = table[0]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise ImportInvalid(
            problems=[(1, _("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})]
        )
    index = {h: header.index(h) for h in HEADERS}
    rows, problems = [], []
    for number, raw in enumerate(table[1:], start=2):
        if not any(raw):
            continue
        values = {h: (raw[i] if i < len(raw) else "") for h, i in index.items()}
        row, row_problems = _parse_row(values)
        row["row"] = number
        rows.append(row)
        problems += [(number, p) for p in row_problems]
        if len(rows) > MAX_IMPORT_ROWS:
            raise ImportInvalid(
                problems=[(number, _("At most %(n)d questions per file.") % {"n": MAX_IMPORT_ROWS})]
            )
    if not rows:
        problems.append((2, _("The file has no questions.")))
    return rows, problems


def question_import_stage(*, content: bytes, file_name: str, actor) -> ImportBatch:
    """Parse and keep a valid file for the confirm step (an `ImportBatch` of kind
    questions, the staging model every import shares); an invalid file keeps nothing."""
    rows, problems = question_import_parse(content=content, file_name=file_name)
    if problems:
        raise ImportInvalid(problems=problems)
    import_batches_purge(older_than=PENDING_IMPORT_TTL)
    batch = ImportBatch(
        kind=ImportBatch.Kind.QUESTIONS, created_by=actor, filename=file_name[:200], rows=rows
    )
    batch.full_clean()
    batch.save()
    return batch


def question_import_pending(*, token, actor) -> ImportBatch | None:
    """The actor's own staged, unconfirmed question file, if it is still there."""
    return ImportBatch.objects.filter(
        pk=token,
        kind=ImportBatch.Kind.QUESTIONS,
        created_by=actor,
        confirmed_at__isnull=True,
        created_at__gte=timezone.now() - PENDING_IMPORT_TTL,
    ).first()


def question_import_confirm(*, token, actor) -> list[Question]:
    """Create every staged question in one transaction; a second confirm does nothing."""
    with transaction.atomic():
        pending = (
            ImportBatch.objects.select_for_update()
            .filter(
                pk=token,
                kind=ImportBatch.Kind.QUESTIONS,
                created_by=actor,
                confirmed_at__isnull=True,
                created_at__gte=timezone.now() - PENDING_IMPORT_TTL,
            )
            .first()
        )
        if pending is None:
            raise ImportExpired()
        # Staged rows are checked again: a file staged before a rule was added, or a
        # rule of the model the parser does not know, fails here with its row number
        # and rolls everything back, instead of failing as a server error.
        problems = [
            (row.get("row", 0), problem)
            for row in pending.rows
            for problem in row_length_problems(row)
            + ([] if points_parse(row["points"]) else [_("Points are not valid.")])
        ]
        if problems:
            raise ImportInvalid(problems=problems)
        categories = {}
        created = []
        for row in pending.rows:
            try:
                created.append(_import_row(row, categories=categories, actor=actor))
            except ValidationError as exc:
                raise ImportInvalid(
                    problems=[(row.get("row", 0), message) for message in exc.messages]
                ) from exc
            except ImportInvalid as exc:
                raise ImportInvalid(
                    problems=[(row.get("row", 0), message) for _n, message in exc.problems]
                ) from exc
        pending.confirmed_at = timezone.now()
        pending.save(update_fields=["confirmed_at"])
        log(
            pending,
            "assessments.questions_import",
            user=actor,
            data={"file": pending.filename, "count": len(created)},
        )
    return created


def _import_row(row: dict, *, categories: dict, actor) -> Question:
    name = row["category"]
    if name not in categories:
        categories[name], _new = QuestionCategory.objects.get_or_create(name=name)
    return question_create(
        category=categories[name],
        type=row["type"],
        stem=row["stem"],
        options=[tuple(o) for o in row["options"]],
        true_false=row["true_false"],
        accepted=row["accepted"],
        points=Decimal(row["points"]),
        scoring=row["scoring"],
        explanation=row["explanation"],
        tags=row["tags"],
        actor=actor,
    )


# --- export --------------------------------------------------------------------------


def question_row(question: Question) -> list:
    options = list(question.options.all()) if question.type in ("single", "multiple") else []
    if len(options) > len(OPTION_LETTERS):
        # Saved before the limit: the template has no column (or letter) for option I.
        raise ExportTooManyOptions(
            f"question {question.pk}",
            message=_(
                "Question “%(question)s” has %(count)d options; the export has columns for "
                "%(n)d (A–H). Remove options from it, then export again."
            )
            % {"question": question, "count": len(options), "n": len(OPTION_LETTERS)},
        )
    letters = [OPTION_LETTERS[i] for i, o in enumerate(options) if o.is_correct]
    if question.type in ("single", "multiple"):
        key = "".join(letters)
    elif question.type == "true_false":
        key = (
            ""
            if question.true_false_answer is None
            else ("正确" if question.true_false_answer else "错误")
        )
    elif question.type == "fill_in":
        key = "|".join(accepted_list(question.accepted_answers))
    else:
        key = ""
    option_cells = [o.text for o in options]
    option_cells += [""] * (len(OPTION_LETTERS) - len(option_cells))
    return [
        question.category.name,
        LABEL_BY_TYPE[question.type],
        question.stem,
        *option_cells,
        key,
        float(question.points),
        "部分得分" if question.scoring == Question.Scoring.PARTIAL else "全对得分",
        question.explanation,
        ",".join(t.name for t in question.tags.all()),
    ]


def question_workbook(questions=None) -> Book:
    """The import template (no questions) or an export in exactly the same layout."""
    with Book() as book:
        sheet = book.sheet("题库", [Column(h, 50) if h == "题干" else Column(h) for h in HEADERS])
        if questions is None:
            sheet.row(
                [
                    "先导区",
                    "单选",
                    "示例：题干写在这里",
                    "选项一",
                    "选项二",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "A",
                    1,
                    "",
                    "解析写在这里",
                    "示例",
                ]
            )
        else:
            for question in questions:
                sheet.row(question_row(question))
        notes = book.sheet("说明", ["说明"])
        for line in (
            "题型：单选、多选、判断、填空、简答。",
            "正确答案：单选填字母（如 A）；多选填多个字母（如 ACD）；判断填 正确 或 错误；"
            "填空填可接受的答案，多个用 | 分隔；简答留空，由教师评分。",
            "多选计分：全对得分（默认）或 部分得分（选对几个得几份，选错不得分）。",
            "分值默认 1 分。标签用逗号分隔。第一行表头不要修改。",
        ):
            notes.row([line])
    return book
