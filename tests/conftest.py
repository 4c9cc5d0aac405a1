"""Fixtures shared by every test: a small org tree and one person per role."""

from dataclasses import dataclass, field

import pytest
from django.db import connection

from people.models import OrgUnit, User
from people.roles import Role
from tests.factories import OrgUnitFactory, UserFactory


def pytest_terminal_summary(terminalreporter):
    """How many screens each language crawl read (tests/crawl): the figure to quote. Read
    from the reports, so it shows with -q and under xdist too."""
    rows = []
    for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed"):
        props = dict(report.user_properties)
        if report.when != "call":
            continue
        if "crawled" in props:
            rows.append((props["crawl"], props["crawled"], props["seconds"], report.outcome))
        for name, pages, seconds in props.get("crawls", []):
            rows.append((name, pages, seconds, report.outcome))
    if rows:
        terminalreporter.section("screens crawled")
        for name, pages, seconds, outcome in sorted(rows):
            terminalreporter.write_line(f"{name:<36} {pages:>4} pages {seconds:>6.1f} s  {outcome}")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Migrate the SQLite test database once per run and copy it (tests/dbtemplate.py)."""
    from tests import dbtemplate

    dbtemplate.install(connection)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; one test must not throttle the next. Nor may
    one test's course outlines (kept per process, by page log id: ids come round again
    when a test's transaction rolls back) stand for the next one's."""
    from django.core.cache import cache

    from courses import lesson_body
    from courses.outlines import outlines_clear
    from lms.sites import sites_clear

    cache.clear()
    outlines_clear()
    lesson_body.clear()  # kept by content, and ids (an image's) come back in a new test
    sites_clear()  # ids come back too, and a test's Site rolls back without a signal
    yield
    cache.clear()
    outlines_clear()
    lesson_body.clear()
    sites_clear()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test in the session.

    Playwright's sync driver runs an event loop in this thread for as long as it lives, so
    a second `sync_playwright()` elsewhere in the session would fail: every browser test
    (journeys and app tests alike) takes this fixture instead of starting its own.
    """
    import os

    from tests.journeys.harness import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    # Django refuses database calls from a thread with a running loop unless told it is
    # safe; it is here (this thread drives the browser, the live server has its own).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run by `make test`)")


@dataclass
class World:
    """河南省 → 信阳市 → 罗山县 / 息县 → one township and village each, and people in them.

    The permission matrix and most tests start from here: `a` things belong to 罗山县,
    `b` things to 息县.
    """

    province: OrgUnit
    city: OrgUnit
    county_a: OrgUnit
    county_b: OrgUnit
    township_a: OrgUnit
    township_b: OrgUnit
    village_a: OrgUnit
    village_b: OrgUnit
    trainee_a: User
    trainee_b: User
    instructor: User
    instructor_other: User
    adviser: User
    adviser_other: User
    organiser: User
    organiser_other: User
    city_organiser: User
    admin: User
    extra: dict = field(default_factory=dict)

    def actor(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def _ledger_defaults_ensure() -> None:
    from importlib import import_module

    from django.apps import apps

    import_module("ledger.migrations.0004_default_requirements").create(apps, None)


@pytest.fixture
def world(db) -> World:
    return make_world()


def make_world() -> World:
    """The `world` fixture's rows (the permission matrix builds them once per module)."""
    from people.services import roles_sync

    roles_sync()  # a transactional test before this one may have flushed the groups away
    _ledger_defaults_ensure()  # and the credit-hour requirements a migration creates
    L = OrgUnit.Level
    province = OrgUnitFactory(name="河南省", level=L.PROVINCE, code="410000")
    city = OrgUnitFactory(parent=province, name="信阳市", level=L.CITY, code="411500")
    county_a = OrgUnitFactory(parent=city, name="罗山县", level=L.COUNTY, code="411521")
    county_b = OrgUnitFactory(parent=city, name="息县", level=L.COUNTY, code="411528")
    township_a = OrgUnitFactory(parent=county_a, name="周党镇", level=L.TOWNSHIP)
    township_b = OrgUnitFactory(parent=county_b, name="项店镇", level=L.TOWNSHIP)
    village_a = OrgUnitFactory(parent=township_a, name="东湾村", level=L.VILLAGE)
    village_b = OrgUnitFactory(parent=township_b, name="河口村", level=L.VILLAGE)
    T, INS, A, ORG = Role.TRAINEE, Role.INSTRUCTOR, Role.ADVISER, Role.ORGANISER
    return World(
        province=province,
        city=city,
        county_a=county_a,
        county_b=county_b,
        township_a=township_a,
        township_b=township_b,
        village_a=village_a,
        village_b=village_b,
        trainee_a=UserFactory(roles=[T], org_unit=village_a, full_name="学员甲"),
        trainee_b=UserFactory(roles=[T], org_unit=village_b, full_name="学员乙"),
        instructor=UserFactory(roles=[INS], org_unit=city, full_name="教师甲", position=""),
        instructor_other=UserFactory(roles=[INS], org_unit=city, full_name="教师乙", position=""),
        adviser=UserFactory(roles=[A], org_unit=city, full_name="班主任甲", position=""),
        adviser_other=UserFactory(roles=[A], org_unit=city, full_name="班主任乙", position=""),
        organiser=UserFactory(
            roles=[ORG],
            org_unit=county_a,
            managed_units=[county_a],
            full_name="罗山组织员",
            position="",
        ),
        organiser_other=UserFactory(
            roles=[ORG],
            org_unit=county_b,
            managed_units=[county_b],
            full_name="息县组织员",
            position="",
        ),
        city_organiser=UserFactory(
            roles=[ORG], org_unit=city, managed_units=[city], full_name="市组织员", position=""
        ),
        admin=UserFactory(is_superuser=True, is_staff=True, full_name="管理员", position=""),
    )
