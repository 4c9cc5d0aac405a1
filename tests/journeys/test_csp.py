"""The production content security policy lets the Wagtail admin work (headless Chromium).

The policy is `lms.settings.production.CONTENT_SECURITY_POLICY`; the harness adds it to
every response from the live server and fails a step on any violation the browser reports.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.harness import Journey, journey_test

pytestmark = [pytest.mark.browser, journey_test]

ADMIN_PAGES = [
    ("dashboard", "/admin/"),
    ("pages explorer", "/admin/pages/"),
    ("home page editor", "/admin/pages/{home}/edit/"),
    ("new image form", "/admin/images/multiple/add/"),
    ("documents", "/admin/documents/"),
    ("users", "/admin/users/"),
    ("history", "/admin/reports/site-history/"),
]


def _visit_admin(journey, world, home):
    page = journey.desktop()
    with journey.step("log in as the administrator"):
        journey.login(page, world.admin.username, "Test-pass-2026", next_path="/admin/")
        expect(page).to_have_url(re.compile(r"/admin/$"))
    for title, path in ADMIN_PAGES:
        with journey.step(title):
            response = page.goto(journey.url(path.format(home=home.pk)))
            assert response.status == 200, f"{path}: {response.status}"
            page.wait_for_load_state("networkidle")
    return page


def test_wagtail_admin_works_under_the_production_csp(journey, world, site):
    page = _visit_admin(journey, world, site)
    with journey.step("the page editor's rich text and preview panel"):
        page.goto(journey.url(f"/admin/pages/{site.pk}/edit/"))
        expect(page.locator("[data-draftail-input], .Draftail-Editor").first).to_be_attached()
        page.wait_for_load_state("networkidle")


def test_without_unsafe_inline_the_admin_breaks(browser, live_server, world, site):
    """Why script-src keeps 'unsafe-inline': Wagtail 8's listings (pages explorer, users,
    history) run inline scripts, which Chromium blocks under a stricter policy. Also proves
    the harness sees violations, so the test above can fail."""
    strict = (
        "default-src 'self'; img-src 'self' data: blob:; "
        "style-src 'self' 'unsafe-inline'; script-src 'self'"
    )
    journey = Journey(
        name="csp_without_unsafe_inline", browser=browser, base_url=live_server.url, csp=strict
    )
    try:
        page = journey.desktop()
        journey.login(page, world.admin.username, "Test-pass-2026", next_path="/admin/")
        journey.problems.clear()  # our own login page: the language switch's onchange
        page.goto(journey.url("/admin/pages/"))
        page.wait_for_load_state("networkidle")
        assert any("inline script" in problem for problem in journey.problems), journey.problems
    finally:
        journey.close()
