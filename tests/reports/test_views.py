"""The report screens and exports as organisers use them: scope, parameters, files."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.training.factories import ClassSessionFactory, TrainingClassFactory, class_for_world

from .factories import city_class, enrol, hours

OVERVIEW = "reports_admin:overview"
COVERAGE = "reports_admin:coverage"
MISSING = "reports_admin:missing"
CLASSES = "reports_admin:classes"


def _get(client, user, name, query="", **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs or None) + query)


def _body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _xlsx_rows(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


# The fixture's city class ran in 2023, in the 2021-2025 cycle; the default is this cycle.
PERIOD_2021_2025 = "start=2021-01-01&end=2025-12-31"


@pytest.fixture
def data(world):
    """Both counties' village secretaries trained at city level; a class per county."""
    city = city_class(world)
    enrol(city, world.trainee_a)
    enrol(city, world.trainee_b)
    hours(world.trainee_a, "12", year=2025)
    hours(world.trainee_b, "13", year=2025)
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass)
    return {"city": city, "klass": klass, "klass_b": world.extra["class_b"]}


# --- An organiser of one county never sees the other county's people -----------------


@pytest.mark.parametrize(
    ("name", "query"),
    [
        (OVERVIEW, ""),
        (OVERVIEW, "?export=csv"),
        (COVERAGE, ""),
        (COVERAGE, "?export=csv"),
        (MISSING, "?list=all"),
        (MISSING, "?list=all&export=csv"),
        (MISSING, "?list=credit&year=2025"),
        (CLASSES, ""),
        (CLASSES, "?export=csv"),
    ],
)
def test_county_organiser_never_sees_the_other_county(client, world, data, name, query):
    response = _get(client, world.organiser, name, query)
    assert response.status_code == 200
    body = _body(response)
    assert "罗山" in body or "学员甲" in body or "周党镇" in body
    for foreign in ("学员乙", "息县", "项店镇", "河口村"):
        assert foreign not in body, (name, query, foreign)


def test_city_organiser_sees_both_counties(client, world, data):
    body = _body(_get(client, world.city_organiser, MISSING, "?list=all&year=2025"))
    assert "学员甲" in body and "学员乙" in body
    body = _body(_get(client, world.city_organiser, COVERAGE))
    assert "罗山县" in body and "息县" in body


def test_drill_down_to_the_other_county_is_refused(client, world, data):
    for name in (OVERVIEW, COVERAGE, MISSING, CLASSES):
        for unit in (world.county_b, world.township_b, world.village_b, world.city):
            response = _get(client, world.organiser, name, f"?unit={unit.pk}")
            assert response.status_code == 404
            assert response.context["error"].code == "report_unit_not_in_scope"
            assert "学员乙" not in _body(response)
    # Exports are refused the same way.
    response = _get(client, world.organiser, MISSING, f"?unit={world.county_b.pk}&export=xlsx")
    assert response.status_code == 404


def test_drill_down_inside_the_county_down_to_a_person(client, world, data):
    response = _get(
        client, world.organiser, COVERAGE, f"?unit={world.township_a.pk}&{PERIOD_2021_2025}"
    )
    assert response.status_code == 200
    rows = {r["label"]: r["row"] for r in response.context["rows"]}
    assert rows["东湾村"].village_total == 1 and rows["东湾村"].village_trained == 1
    response = _get(client, world.organiser, MISSING, f"?unit={world.village_a.pk}&list=all")
    assert [p.pk for p in response.context["people"]] == [world.trainee_a.pk]
    response = _get(client, world.organiser, "reports_admin:person", pk=world.trainee_a.pk)
    assert response.status_code == 200
    assert data["city"].name in _body(response)


def test_person_of_another_county_is_not_found(client, world, data):
    response = _get(client, world.organiser, "reports_admin:person", pk=world.trainee_b.pk)
    assert response.status_code == 404
    assert response.context["error"].code == "report_unit_not_in_scope"


def test_class_of_a_city_shows_only_the_county_people(client, world, data):
    response = _get(client, world.organiser, "reports_admin:class", pk=data["city"].pk)
    assert response.status_code == 200
    assert not response.context["report"].whole_roster
    names = [line.trainee.full_name for line in response.context["report"].lines]
    assert names == ["学员甲"]
    assert "学员乙" not in _body(
        _get(client, world.organiser, "reports_admin:class", "?export=csv", pk=data["city"].pk)
    )
    whole = _get(client, world.city_organiser, "reports_admin:class", pk=data["city"].pk)
    assert {line.trainee.full_name for line in whole.context["report"].lines} == {
        "学员甲",
        "学员乙",
    }


def test_a_class_nobody_has_joined_yet_opens_for_its_organisers_and_the_administrator(
    client, world
):
    empty = TrainingClassFactory(organising_unit=world.county_a, status="enrolling")
    for user in (world.organiser, world.city_organiser, world.admin):
        assert _get(client, user, "reports_admin:class", pk=empty.pk).status_code == 200
    assert (
        _get(client, world.organiser_other, "reports_admin:class", pk=empty.pk).status_code == 404
    )


def test_class_of_the_other_county_is_not_found(client, world, data):
    response = _get(client, world.organiser, "reports_admin:class", pk=data["klass_b"].pk)
    assert response.status_code == 404
    assert response.context["error"].code == "report_class_not_in_scope"


# --- Bad parameters get a clear message, never a server error ------------------------


@pytest.mark.parametrize(
    ("name", "query", "status", "code"),
    [
        (COVERAGE, "?unit=abc", 400, "report_bad_unit"),
        (COVERAGE, "?unit=-3", 400, "report_bad_unit"),
        (COVERAGE, "?unit=99999999", 404, "report_unit_not_in_scope"),
        (COVERAGE, "?unit=1e9", 400, "report_bad_unit"),
        (COVERAGE, "?start=2025-13-01", 400, "report_bad_period"),
        (COVERAGE, "?start=2025-06-01&end=2025-01-01", 400, "report_bad_period"),
        (COVERAGE, "?end=yesterday", 400, "report_bad_period"),
        (COVERAGE, "?year=20x5", 400, "report_bad_year"),
        (COVERAGE, "?year=1850", 400, "report_bad_year"),
        (COVERAGE, "?export=pdf", 400, "report_bad_format"),
        (MISSING, "?list=everyone", 400, "report_bad_list"),
        (MISSING, "?page=0", 400, "report_bad_page"),
        (MISSING, "?page=999", 400, "report_bad_page"),
        (MISSING, "?page=%27%3B--", 400, "report_bad_page"),
        (OVERVIEW, "?year=0", 400, "report_bad_year"),
        (CLASSES, "?status=open", 400, "report_bad_parameter"),
    ],
)
def test_bad_parameters_get_a_clear_message(client, world, data, name, query, status, code):
    response = _get(client, world.organiser, name, query)
    assert response.status_code == status
    assert response.context["error"].code == code
    assert str(response.context["error"].message) in _body(response)


# --- Exports -----------------------------------------------------------------------------


def test_csv_has_a_bom_and_chinese_headers(client, world, data):
    response = _get(client, world.organiser, MISSING, "?list=all&year=2025&export=csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "姓名"
    assert rows[1][0] == "学员甲" and rows[1][3] == "罗山县"
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]


def test_xlsx_opens_with_dates_as_dates(client, world, data):
    response = _get(client, world.organiser, COVERAGE, f"?export=xlsx&{PERIOD_2021_2025}")
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert rows[0][0] == "单位"
    assert rows[-1][0] == "合计"
    assert rows[1][-2] == datetime.datetime(2021, 1, 1)  # a real date, not text
    response = _get(client, world.organiser, MISSING, "?list=all&export=xlsx")
    rows = _xlsx_rows(response)
    assert [r[0] for r in rows[1:]] == ["学员甲"]


def test_class_report_export(client, world, data):
    response = _get(
        client, world.city_organiser, "reports_admin:class", "?export=xlsx", pk=data["city"].pk
    )
    rows = _xlsx_rows(response)
    assert rows[0][0] == "姓名"
    assert {r[0] for r in rows[1:]} == {"学员甲", "学员乙"}


def test_pages_render_for_the_city_organiser(client, world, data):
    for name in (OVERVIEW, COVERAGE, MISSING, CLASSES):
        response = _get(client, world.city_organiser, name)
        assert response.status_code == 200, name
        assert "<svg" in _body(response) or name in (MISSING, CLASSES)


def test_menu_shows_reports_to_organisers_only(client, world):
    body = _get(client, world.organiser, "wagtailadmin_home").content.decode()
    assert reverse(COVERAGE) in body
    body = _get(client, world.instructor, "wagtailadmin_home").content.decode()
    assert reverse(COVERAGE) not in body


def test_overview_chart_shows_every_session_of_the_year_under_its_class_name(client, world):
    """Bars read 11-24 上午 under the class's full name, never a class code; past twenty
    sessions the chart pages through all of them (it once showed the latest 12 only)."""
    from django.utils import timezone

    from attendance.models import AttendanceRecord
    from reports.overview import SESSIONS_PER_PAGE
    from tests.training.factories import ClassSessionFactory, TrainingClassFactory

    first = class_for_world(world, name="罗山县村党组织书记示范培训班")
    other = TrainingClassFactory(organising_unit=world.county_a, name="罗山县驻村第一书记培训班")
    year = timezone.localdate().year - 1  # a whole year, whatever the day the test runs
    day = datetime.date(year, 12, 1)
    for n in range(30):
        session = ClassSessionFactory(training_class=first, date=day + datetime.timedelta(n))
        AttendanceRecord.objects.create(session=session, trainee=world.trainee_a, status="present")
    last = datetime.date(year, 12, 31)
    session = ClassSessionFactory(training_class=other, date=last)
    AttendanceRecord.objects.create(session=session, trainee=world.trainee_a, status="absent")
    total = 31
    assert total > SESSIONS_PER_PAGE

    response = _get(client, world.organiser, OVERVIEW, f"?year={year}")
    page = response.context["o"].attendance_by_session
    assert (page.total, page.number, page.first, page.pages) == (total, 1, 1, 2)
    shown = [row for row in page.rows if "heading" not in row]
    headings = [row["heading"] for row in page.rows if "heading" in row]
    assert headings == [other.name, first.name]  # newest class first, full names
    assert shown[0]["label"] == "12-31 上午" and shown[0]["absent"] == 1
    assert shown[1]["label"] == "12-12 上午"  # then 罗山县村党组织书记示范培训班, in time order
    assert all(first.code not in r["label"] and other.code not in r["label"] for r in shown)
    body = _body(response)
    assert "最近 12" not in body and "罗山县驻村第一书记培训班" in body
    assert f"共 {total} 个课次" in body and "较早的课次" in body

    # Every page, in turn: each session once, and the last page says where it ends.
    seen = []
    for number in range(1, page.pages + 1):
        response = _get(client, world.organiser, OVERVIEW, f"?year={year}&sessions={number}")
        rows = response.context["o"].attendance_by_session.rows
        seen += [row["session"].pk for row in rows if "heading" not in row]
    assert len(seen) == len(set(seen)) == total
    assert "较早的课次" not in _body(response) and "较近的课次" in _body(response)
    # A page past the end shows the last; garbage is a clear error.
    response = _get(client, world.organiser, OVERVIEW, f"?year={year}&sessions=999")
    assert response.context["o"].attendance_by_session.number == page.pages
    assert _get(client, world.organiser, OVERVIEW, "?sessions=x").status_code == 400


def test_class_report_counts_not_completed_apart(client, world, data):
    """结业 · 不予结业 · 退学 each counted, as the close decided them."""
    from training.models import Enrolment

    E = Enrolment.Status
    Enrolment.objects.filter(training_class=data["city"], trainee=world.trainee_a).update(
        status=E.NOT_COMPLETED
    )
    Enrolment.objects.filter(training_class=data["city"], trainee=world.trainee_b).update(
        status=E.COMPLETED
    )
    response = _get(client, world.city_organiser, "reports_admin:class", pk=data["city"].pk)
    report = response.context["report"]
    assert (report.counts["completed"], report.counts["not_completed"]) == (1, 1)
    assert "不予结业" in _body(response)


def test_overview_figures_are_counted_once_a_minute_and_say_when(client, world, data, settings):
    """At province scale the overview scans every enrolment, credit year, attendance record
    and attempt of the scope; opened again within the minute it reads them from the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REPORTS_OVERVIEW_CACHE_SECONDS = 60
    client.force_login(world.organiser)
    # The process's first request also reads the Wagtail Site (lms.sites keeps it): make it
    # before counting, so each count below is the overview's own.
    client.get(reverse(OVERVIEW) + "?year=2024")
    with CaptureQueriesContext(connection) as first:
        counted = client.get(reverse(OVERVIEW))
    assert "数据统计于" in _body(counted) or "Figures as of" in _body(counted)
    with CaptureQueriesContext(connection) as again:
        cached = client.get(reverse(OVERVIEW))
    values = re.compile(r'report-figure__value">([^<]*)<')
    assert values.findall(_body(cached)) == values.findall(_body(counted))
    # Only the session, the viewer and the scope: none of the overview's own queries.
    assert len(again.captured_queries) <= len(first.captured_queries) - 10
    with CaptureQueriesContext(connection) as other:
        client.get(reverse(OVERVIEW) + "?year=2025")  # another key: counted afresh
    assert len(other.captured_queries) == len(first.captured_queries)
