"""Choosing things in the admin at 1366 px: a unit from the tree with the keyboard alone, and a
roster pasted as a list of mobile numbers written every which way."""

import pytest
from playwright.sync_api import expect

from people.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory
from tests.journeys.harness import journey_test
from tests.training.factories import TrainingClassFactory
from training.models import Enrolment, TrainingClass

pytestmark = [pytest.mark.browser, journey_test]

FITS_1366 = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def _tab_to(page, predicate: str, *, limit: int = 40) -> None:
    """Press Tab until the focused element satisfies `predicate` (a JS function of it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element matching {predicate}")


def test_organiser_chooses_the_organising_unit_from_the_tree_by_keyboard(journey, world, site):
    page = journey.desktop()
    with journey.step("the class form offers 主办单位 as a chooser, not a long select"):
        journey.login(page, world.organiser.phone, TEST_PASSWORD, next_path="/admin/training/new/")
        chooser = page.locator("#id_organising_unit-chooser")
        expect(chooser).to_contain_text("选择单位")
        assert page.evaluate(FITS_1366)

    with journey.step("Enter on the button opens the tree of the organiser's own units"):
        chooser.get_by_role("button", name="选择单位").focus()
        page.keyboard.press("Enter")
        modal = page.locator(".modal-content")
        rows = modal.locator("table tbody tr")
        expect(rows).to_have_count(2)  # villages are not offered for a class
        expect(rows.nth(0)).to_contain_text("罗山县")
        expect(rows.nth(1)).to_contain_text("周党镇")
        expect(modal).not_to_contain_text("息县")

    with journey.step("type in the search box and pick the township with Tab and Enter"):
        _tab_to(page, "el => el.id === 'id_q'")
        page.keyboard.type("周党")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("信阳市 › 罗山县 ›")
        _tab_to(page, "el => el.matches('a[data-chooser-modal-choice]')")
        page.keyboard.press("Enter")
        expect(modal).to_have_count(0)
        expect(chooser).to_contain_text("信阳市 › 罗山县 › 周党镇")
        assert page.locator("#id_organising_unit").input_value() == str(world.township_a.pk)

    with journey.step("the class is saved under the chosen township"):
        page.fill("#id_name", "周党镇村干部培训班")
        page.fill("#id_code", "zd-2026-01")
        page.fill("#id_provider", "罗山县委党校")
        page.fill("#id_start_date", "2026-09-01")
        page.fill("#id_end_date", "2026-09-03")
        page.fill("#id_credit_hours", "18")
        journey.submit(page, page.locator("main form button[type=submit]").first)
        expect(page.locator(".messages")).to_contain_text("培训班已创建")
        assert TrainingClass.objects.get(code="zd-2026-01").organising_unit == world.township_a


def test_organiser_pastes_a_list_of_numbers_then_confirms(journey, world, site):
    klass = TrainingClassFactory(
        name="罗山县村党组织书记示范培训班", organising_unit=world.county_a
    )
    for n in (1, 2, 3):
        UserFactory(
            roles=[Role.TRAINEE],
            org_unit=world.village_a,
            phone=f"1397600030{n}",
            full_name=f"学员{n}",
        )
    page = journey.desktop()
    with journey.step("paste numbers in several spellings, one of them wrong"):
        journey.login(
            page,
            world.organiser.phone,
            TEST_PASSWORD,
            next_path=f"/admin/training/{klass.pk}/roster/",
        )
        page.locator("#id_text").fill(
            "１３９ ７６００ ０３０１\n+86 139-7600-0302，139760003；" + world.trainee_b.phone
        )
        journey.submit(page, page.get_by_role("button", name="核对手机号").first)
        expect(page.locator("p.help-critical")).to_contain_text("2 个手机号有问题")
        expect(page.locator("tr[data-status=enrol]")).to_have_count(2)
        expect(page.locator("tr[data-status=bad_phone]")).to_contain_text("不是有效的 11 位手机号")
        expect(page.locator("tr[data-status=person_out_of_scope]")).not_to_contain_text("学员乙")
        expect(page.get_by_role("button", name="确认报名")).to_have_count(0)
        assert page.evaluate(FITS_1366)
        assert not Enrolment.objects.filter(training_class=klass).exists()

    with journey.step("correct the list below the table and check again"):
        box = page.locator("#id_text")
        assert "139760003" in box.input_value()  # the list comes back as pasted
        box.fill("13976000301\n13976000302\n13976000303")
        journey.submit(page, page.get_by_role("button", name="核对手机号"))
        expect(page.locator("p.help-info")).to_contain_text("核对无误：将为 3 人报名")

    with journey.step("confirm: all three are on the roster"):
        journey.submit(page, page.get_by_role("button", name="确认报名"))
        expect(page.locator(".messages")).to_contain_text("已报名 3 人")
        expect(page.locator("table.listing tbody tr")).to_have_count(3)
        assert Enrolment.objects.filter(training_class=klass).count() == 3
