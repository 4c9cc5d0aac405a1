"""An organiser imports a class roster (花名册) in the Wagtail admin: a file with broken rows
is refused row by row with nothing written, the corrected file is previewed and imported."""

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from people.models import User
from tests.factories import TEST_PASSWORD
from tests.journeys.harness import journey_test
from tests.training.factories import TrainingClassFactory
from tests.training.test_roster_import import HEADERS, good_rows
from training.models import Enrolment, ImportBatch, StudyGroup

pytestmark = [pytest.mark.browser, journey_test]


def roster_file(rows: list[list]) -> dict:
    """The spreadsheet as Playwright uploads it (name, type, bytes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return {
        "name": "罗山县花名册.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": out.getvalue(),
    }


# Wagtail draws a select's chevron as two gradients 1.125–1.5rem (18–24 px) from its right
# edge, each a few pixels wide; the selected text must end before the chevron begins.
CHEVRON_CLEAR_OF_TEXT = """select => {
  const style = getComputedStyle(select);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = style.font;
  const text = ctx.measureText(select.options[select.selectedIndex].text).width;
  return parseFloat(style.paddingLeft) + text <= select.clientWidth - 24 - 6;
}"""


ONE_LINE = """cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size === 1;
}"""


def problem_in_row(page, row: int):
    """The preview table's cell listing the problems of spreadsheet row `row`."""
    return page.locator("table.listing tbody tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(rf"^{row}$"))
    )


def test_organiser_imports_a_roster_with_errors_then_the_fixed_file(journey, world, site):
    klass = TrainingClassFactory(
        name="罗山县村党组织书记示范培训班",
        organising_unit=world.county_a,
        advisers=[world.adviser],
    )
    good = good_rows(world)  # the unit tests' rows; the last one already has an account
    broken = [
        *good,
        [4, "", "男", "13800002001", "罗山县周党镇东湾村", "", "", ""],  # row 5: no name
        [5, "王五", "男", "1380000", "罗山县周党镇东湾村", "", "", ""],  # row 6: short phone
        [6, "赵七", "男", "13800002002", "光山县不存在镇", "", "", ""],  # row 7: unknown unit
        [7, "张新民", "男", "13800001001", "罗山县周党镇东湾村", "", "", ""],  # row 8: duplicate
    ]
    users_before = User.objects.count()
    page = journey.desktop()

    with journey.step("organiser logs in and opens the class roster in the admin"):
        journey.login(page, world.organiser.phone, TEST_PASSWORD, next_path="/admin/training/")
        expect(page.locator("body")).to_contain_text(klass.name)
        journey.submit(page, page.get_by_role("link", name=klass.name).first)
        journey.submit(page, page.locator(".tr-tabs").get_by_role("link", name="花名册"))
        expect(page.locator("table.listing")).to_contain_text("花名册中还没有学员")

    with journey.step("upload a roster with four broken rows"):
        journey.submit(page, page.get_by_role("link", name="导入花名册"))
        page.locator("input[type=file]").set_input_files(roster_file(broken))
        journey.submit(page, page.get_by_role("button", name="上传并核对"))
        expect(page.locator("p.help-critical")).to_contain_text("发现 4 处问题")
        expect(page.locator("p.help-critical")).to_contain_text("修正前不会导入任何数据")

    with journey.step("each broken row shows its problem and row number"):
        expect(problem_in_row(page, 5)).to_contain_text("缺少姓名")
        expect(problem_in_row(page, 6)).to_contain_text("王五")
        expect(problem_in_row(page, 6)).to_contain_text("不是有效的 11 位手机号")
        expect(problem_in_row(page, 7)).to_contain_text("您管理的单位中没有该名称的单位")
        expect(problem_in_row(page, 8)).to_contain_text("同一手机号在前面的行中已出现")
        expect(page.locator("tr.tr-row-bad")).to_have_count(4)
        for row in (2, 3, 4):  # the good rows say what they will do, with no problem
            expect(problem_in_row(page, row)).not_to_have_class(re.compile("tr-row-bad"))
        expect(problem_in_row(page, 2)).to_contain_text("新建账号并报名")
        expect(problem_in_row(page, 4)).to_contain_text("为已有人员报名")
        # No confirm button while the file has problems, and nothing was written.
        expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
        assert User.objects.count() == users_before
        assert not Enrolment.objects.filter(training_class=klass).exists()
        assert not StudyGroup.objects.filter(training_class=klass).exists()

    with journey.step("upload the corrected file and see the preview"):
        journey.submit(page, page.get_by_role("link", name="上传修改后的文件"))
        fixed = [*good, [4, "王五", "男", "13800002005", "罗山县周党镇东湾村", "", "", "第二组"]]
        page.locator("input[type=file]").set_input_files(roster_file(fixed))
        journey.submit(page, page.get_by_role("button", name="上传并核对"))
        expect(page.locator("p.help-info")).to_contain_text(
            "核对无误：将新建账号 3 个，为已有人员报名 1 人，跳过 0 行"
        )
        expect(page.locator("tr.tr-row-bad")).to_have_count(0)
        assert User.objects.count() == users_before  # still nothing but the upload kept
        assert not Enrolment.objects.filter(training_class=klass).exists()

    with journey.step("confirm the import and get the initial passwords"):
        journey.submit(page, page.get_by_role("button", name="确认导入"))
        expect(page.locator("p.help-info")).to_contain_text(
            "导入完成：报名 4 人（新建账号 3 个），跳过 0 行"
        )
        passwords = page.locator("table.listing tbody tr")
        expect(passwords).to_have_count(3)
        expect(passwords.filter(has_text="张新民")).to_contain_text("13800001001")
        with page.expect_download() as info:
            page.get_by_role("link", name=re.compile("下载初始密码表")).click()
        download = info.value
        assert download.suggested_filename == f"{klass.code}-初始密码.xlsx"
        sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
        shown = {
            r.locator("td").nth(1).inner_text(): r.locator("code").inner_text()
            for r in passwords.all()
        }
        in_sheet = {
            str(row[1]): str(row[2])
            for row in sheet.iter_rows(min_row=2, values_only=True)
            if row[1]
        }
        assert in_sheet == shown, (in_sheet, shown)

    with journey.step("the roster lists everyone, in their groups"):
        journey.submit(page, page.get_by_role("link", name="返回花名册"))
        table = page.locator("table.listing")
        for name in ("张新民", "李红梅", "王五", world.trainee_a.full_name):
            expect(table).to_contain_text(name)
        # Names and statuses stay on one line beside the wider controls.
        for cell in (table.locator("td", has_text="张新民"), table.locator("td", has_text="在读")):
            assert cell.first.evaluate(ONE_LINE), "a short cell wraps"
        # The compact group picker shows its group's name clear of Wagtail's drawn chevron.
        group = page.locator("table.listing select[name=group]").first
        expect(group.locator("option:checked")).to_have_text("第一组")
        assert group.evaluate(CHEVRON_CLEAR_OF_TEXT), "the chevron covers the group's name"
        enrolments = Enrolment.objects.filter(training_class=klass).select_related("trainee")
        assert sorted(e.trainee.full_name for e in enrolments) == sorted(
            ["张新民", "李红梅", "王五", world.trainee_a.full_name]
        )
        assert User.objects.count() == users_before + 3
        zhang = User.objects.get(phone="13800001001")
        assert zhang.org_unit == world.village_a and zhang.must_change_password
        assert zhang.check_password(shown["13800001001"])
        assert enrolments.get(trainee=world.trainee_a).group.name == "第二组"
        assert set(
            StudyGroup.objects.filter(training_class=klass).values_list("name", flat=True)
        ) == {
            "第一组",
            "第二组",
        }
        assert (
            ImportBatch.objects.filter(training_class=klass, confirmed_at__isnull=False).count()
            == 1
        )
