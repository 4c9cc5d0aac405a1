"""Journeys the accounts, portal and admin code supports today."""

import re

import pytest
from playwright.sync_api import expect

from people.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory, organiser
from tests.journeys.harness import journey_test

pytestmark = [pytest.mark.browser, journey_test]

NEW_PASSWORD = "Xin-mima-2026"  # noqa: S105


def test_trainee_on_a_phone_logs_in_and_changes_the_initial_password(journey, site):
    UserFactory(
        roles=[Role.TRAINEE],
        phone="13976000060",
        username="13976000060",
        full_name="周𠮷〇",
        must_change_password=True,
    )
    page = journey.phone()

    with journey.step("visitor sees the home page"):
        page.goto(journey.url("/"))
        expect(page.get_by_role("link", name="用手机号登录")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

    with journey.step("log in with the phone number typed oddly"):
        journey.login(page, "+86 139 7600 0060", TEST_PASSWORD)
        expect(page).to_have_url(re.compile(r"/accounts/password/change/"))

    with journey.step("forced to choose a new password"):
        expect(page.locator("input[name=oldpassword]")).to_be_visible()
        page.goto(journey.url("/"))  # any other page sends them back here
        expect(page).to_have_url(re.compile(r"/accounts/password/change/"))
        page.locator("input[name=oldpassword]").fill(TEST_PASSWORD)
        page.locator("input[name=password1]").fill(NEW_PASSWORD)
        page.locator("input[name=password2]").fill(NEW_PASSWORD)
        journey.submit(page, "main form button[type=submit]")
        expect(page).not_to_have_url(re.compile(r"/accounts/password/change/"))

    with journey.step("home page greets them by name and role"):
        page.goto(journey.url("/"))
        expect(page.locator(".user-chip__name")).to_have_text("周𠮷〇")
        expect(page.locator(".user-chip__role")).to_have_text("学员")
        expect(page.locator("h1")).to_contain_text("周𠮷〇")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        # Every entry of the main navigation is on screen, none off the right edge.
        boxes = [link.bounding_box() for link in page.locator(".main-nav a").all()]
        assert len(boxes) == 8 and all(b["x"] >= 0 and b["x"] + b["width"] <= 375 for b in boxes)

    with journey.step("the new password works next time"):
        journey.submit(page, "form[action='/accounts/logout/'] button")
        journey.login(page, "139-7600-0060", NEW_PASSWORD)
        page.goto(journey.url("/"))
        expect(page.locator(".user-chip__name")).to_have_text("周𠮷〇")


def test_organiser_logs_into_the_wagtail_admin(journey, site, world):
    organiser(units=[world.county_a], username="luoshan_org", full_name="罗山组织员乙")
    page = journey.desktop()

    with journey.step("log in through the site's form"):
        journey.login(page, "luoshan_org", TEST_PASSWORD)
        expect(page.locator(".user-chip__role")).to_have_text("组织员")

    with journey.step("open the admin from the header link"):
        journey.submit(page, page.get_by_role("link", name="管理后台"))
        expect(page).to_have_url(re.compile(r"/admin/$"))
        expect(page.locator("#wagtail-sidebar, [data-wagtail-sidebar]").first).to_be_attached()
        expect(page.locator("body")).to_contain_text("罗山组织员乙")

    with journey.step("open the pages explorer"):
        page.goto(journey.url("/admin/pages/"))
        expect(page.locator("main, #main").first).to_be_visible()


def test_language_switch_to_english_and_back(journey, site, world):
    page = journey.phone()

    with journey.step("Chinese by default"):
        page.goto(journey.url("/accounts/login/"))
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator("h1")).to_have_text("登录")

    with journey.step("switch to English"):
        with page.expect_navigation():
            page.locator("#lang-select").select_option("en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("Log in")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))

    with journey.step("English stays after logging in"):
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD)
        page.goto(journey.url("/"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator(".user-chip__role")).to_have_text("Trainee")

    with journey.step("switch back to Chinese"):
        with page.expect_navigation():
            page.locator("#lang-select").select_option("zh-hans")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator(".user-chip__role")).to_have_text("学员")
