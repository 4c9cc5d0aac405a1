import datetime

import pytest

from people.models import User
from reports.coverage import coverage_report, missing_list
from reports.errors import BadListKind
from reports.params import Period, scope_top_units
from tests.factories import trainee
from training.models import Enrolment, TrainingClass

from .factories import city_class, enrol, hours

PERIOD = Period(datetime.date(2021, 1, 1), datetime.date(2025, 12, 31))
P = User.Position


def _rows(report):
    return {(r.unit.name if r.unit else "本级"): r for r in report.rows}


def test_city_view_counts_village_secretaries_per_county(world):
    enrol(city_class(world), world.trainee_a)
    report = coverage_report(
        viewer=world.city_organiser,
        unit=world.city,
        top_units=scope_top_units(viewer=world.city_organiser),
        period=PERIOD,
        year=2025,
    )
    rows = _rows(report)
    assert set(rows) == {"罗山县", "息县"}
    assert (rows["罗山县"].village_total, rows["罗山县"].village_trained) == (1, 1)
    assert (rows["息县"].village_total, rows["息县"].village_trained) == (1, 0)
    assert rows["罗山县"].village_rate == 100.0
    assert (report.total.village_total, report.total.village_trained) == (2, 1)


def test_only_completed_provincial_or_city_classes_inside_the_period_count(world):
    a = world.trainee_a
    enrol(city_class(world, level=TrainingClass.Level.COUNTY, organising_unit=world.county_a), a)
    enrol(
        city_class(world, start_date=datetime.date(2020, 3, 1), end_date=datetime.date(2020, 3, 5)),
        a,
    )
    enrol(city_class(world, status=TrainingClass.Status.RUNNING), a, Enrolment.Status.ENROLLED)
    report = coverage_report(
        viewer=world.organiser,
        unit=world.county_a,
        top_units=[world.county_a],
        period=PERIOD,
        year=2025,
    )
    row = report.total
    assert (row.village_total, row.village_trained, row.village_enrolled) == (1, 0, 1)
    # Withdrawn does not count either.
    klass = city_class(world)
    enrol(klass, a, Enrolment.Status.WITHDRAWN)
    assert (
        coverage_report(
            viewer=world.organiser,
            unit=world.county_a,
            top_units=[world.county_a],
            period=PERIOD,
            year=2025,
        ).total.village_trained
        == 0
    )


def test_township_secretaries_on_the_township_itself_and_rotation(world):
    sec = trainee(org_unit=world.township_a, position=P.TOWNSHIP_SECRETARY)
    cadre = trainee(org_unit=world.village_a, position=P.VILLAGE_CADRE)
    enrol(
        city_class(world, level=TrainingClass.Level.PROVINCIAL, organising_unit=world.province), sec
    )
    enrol(
        city_class(
            world,
            is_rotation=True,
            level=TrainingClass.Level.COUNTY,
            organising_unit=world.county_a,
        ),
        cadre,
    )
    report = coverage_report(
        viewer=world.organiser,
        unit=world.township_a,
        top_units=[world.county_a],
        period=PERIOD,
        year=2025,
    )
    rows = _rows(report)
    assert rows["本级"].township_total == 1 and rows["本级"].township_trained == 1
    assert rows["东湾村"].cadre_total == 2  # the village secretary and the cadre
    assert rows["东湾村"].cadre_rotated == 1
    missing = list(
        missing_list(
            viewer=world.organiser, unit=world.county_a, period=PERIOD, year=2025, kind="rotation"
        )
    )
    assert missing == [world.trainee_a]


def test_credit_hour_compliance_by_rank(world):
    a = world.trainee_a  # rank none: held to 90 in person + 50 online a year
    hours(a, "90", year=2025)
    hours(a, "50", year=2025, channel="online")
    senior = trainee(org_unit=world.village_a, position=P.OTHER, rank=User.Rank.COUNTY)
    for year in (2021, 2022, 2023, 2024):
        hours(senior, "120", year=year)
    hours(senior, "70", year=2025, channel="online")  # 550 in five years, 50 online
    short = trainee(org_unit=world.village_a, position=P.VILLAGE_CADRE, rank=User.Rank.STAFF)
    hours(short, "89.5", year=2025)
    hours(short, "60", year=2025, channel="online")
    hours(short, "200", year=2024)  # last year's hours do not count for 2025
    report = coverage_report(
        viewer=world.organiser,
        unit=world.county_a,
        top_units=[world.county_a],
        period=PERIOD,
        year=2025,
    )
    assert (report.total.ranked_total, report.total.compliant) == (3, 2)
    by_rank = {r["rank"]: (r["total"], r["compliant"]) for r in report.by_rank}
    assert by_rank == {"county": (1, 1), "none": (1, 1), "staff": (1, 0)}
    missing = list(
        missing_list(viewer=world.organiser, unit=None, period=PERIOD, year=2025, kind="credit")
    )
    assert missing == [short]
    assert missing[0].hours_in_person == pytest.approx(89.5)


def test_missing_list_is_scoped_and_names_the_units(world):
    people = list(
        missing_list(
            viewer=world.city_organiser, unit=world.city, period=PERIOD, year=2025, kind="village"
        )
    )
    assert {p.full_name for p in people} == {"学员甲", "学员乙"}
    people = list(
        missing_list(viewer=world.organiser, unit=None, period=PERIOD, year=2025, kind="village")
    )
    assert [p.full_name for p in people] == ["学员甲"]
    p = people[0]
    assert (p.city_name, p.county_name, p.township_name, p.village_name) == (
        "信阳市",
        "罗山县",
        "周党镇",
        "东湾村",
    )
    with pytest.raises(BadListKind):
        missing_list(viewer=world.organiser, unit=None, period=PERIOD, year=2025, kind="x")


def test_queries_do_not_grow_with_the_data(world):
    def run():
        coverage_report(
            viewer=world.city_organiser,
            unit=world.city,
            top_units=[world.city],
            period=PERIOD,
            year=2025,
        )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # the viewer's units are cached on the user after the first call
    with CaptureQueriesContext(connection) as small:
        run()
    klass = city_class(world)
    for i in range(30):
        t = trainee(org_unit=world.village_b if i % 2 else world.village_a)
        enrol(klass, t)
        hours(t, "10", year=2025)
    with CaptureQueriesContext(connection) as large:
        run()
    # requirements, units, the one counting statement, and its savepoint pair
    assert len(large.captured_queries) == len(small.captured_queries) <= 6


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (datetime.date(2025, 12, 31), datetime.date(2021, 1, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 1), datetime.date(2030, 12, 31)),
        (datetime.date(2026, 12, 4), datetime.date(2026, 1, 1), datetime.date(2030, 12, 31)),
        (datetime.date(2031, 6, 1), datetime.date(2031, 1, 1), datetime.date(2035, 12, 31)),
    ],
)
def test_coverage_defaults_to_the_cycle_that_holds_this_year(today, first, last):
    from reports.params import current_cycle

    assert current_cycle(today) == Period(first, last)


def test_coverage_page_without_dates_counts_this_years_class(client, world):
    """A class closed this year counts in the default view (it read 未训 under 2021-2025)."""
    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    klass = city_class(world, start_date=today - datetime.timedelta(days=2), end_date=today)
    enrol(klass, world.trainee_a)
    client.force_login(world.city_organiser)
    response = client.get(reverse("reports_admin:coverage"))
    assert response.status_code == 200
    rows = {r["label"]: r["row"] for r in response.context["rows"]}
    assert (rows["罗山县"].village_total, rows["罗山县"].village_trained) == (1, 1)
