"""Roster import: every broken row reported with its number, nothing written until the
whole file is good; a good file writes everything once; importing it again changes nothing."""

import pytest

from lms.errors import PermissionDenied
from people.models import User
from training.models import Enrolment, ImportBatch, StudyGroup
from training.services import ImportBatchUsed, ImportInvalid, roster_import_confirm
from training.services.roster import (
    ROSTER_COLUMNS,
    ClassClosed,
    roster_check,
    roster_export,
    roster_import_preview,
    roster_template,
)
from training.spreadsheets import MissingColumns, UnreadableFile, read_rows

from .factories import TrainingClassFactory, class_for_world, xlsx

HEADERS = ["序号", "姓名", "性别", "手机号", "单位", "职务", "职级", "组别"]


def good_rows(world):
    return [
        [
            1,
            "张新民",
            "男",
            "138 0000 1001",
            "罗山县周党镇东湾村",
            "东湾村党支部书记",
            "无",
            "第一组",
        ],
        [
            2,
            "李红梅",
            "女",
            "+86 13800001002",
            "罗山县周党镇",
            "周党镇党委书记",
            "乡科级",
            "第一组",
        ],
        # An existing trainee matched by phone (any spelling).
        [3, world.trainee_a.full_name, "", world.trainee_a.phone, "东湾村", "", "", "第二组"],
    ]


def preview(world, klass, rows, actor=None):
    return roster_import_preview(
        actor=actor or world.organiser,
        training_class=klass,
        upload=xlsx(HEADERS, rows),
        filename="花名册.xlsx",
    )


def codes(check):
    return {r.row: r.problems for r in check.rows}


@pytest.fixture
def klass(world):
    klass = TrainingClassFactory(organising_unit=world.county_a, advisers=[world.adviser])
    return klass


def test_good_file_writes_everything_once(world, klass):
    users_before = User.objects.count()
    batch, check = preview(world, klass, good_rows(world))
    assert check.is_valid, codes(check)
    assert (check.n_create, check.n_enrol, check.n_skip) == (2, 1, 0)
    assert User.objects.count() == users_before  # the preview writes only the batch
    assert not Enrolment.objects.filter(training_class=klass).exists()

    result = roster_import_confirm(actor=world.organiser, batch=batch)
    assert (len(result.created), result.enrolled, result.skipped) == (2, 3, 0)
    assert User.objects.count() == users_before + 2
    zhang = User.objects.get(phone="13800001001")
    assert zhang.full_name == "张新民"
    assert zhang.org_unit == world.village_a
    assert zhang.must_change_password
    assert zhang.position == User.Position.VILLAGE_SECRETARY
    assert zhang.has_usable_password()
    li = User.objects.get(phone="13800001002")
    assert li.org_unit == world.township_a and li.rank == User.Rank.TOWNSHIP
    assert li.position == User.Position.TOWNSHIP_SECRETARY
    # The password handed out is the one that works, and it is stored only hashed.
    person, password = next(c for c in result.created if c[0].phone == "13800001001")
    assert person.check_password(password)
    assert password not in person.password
    enrolments = Enrolment.objects.filter(training_class=klass)
    assert enrolments.count() == 3
    assert enrolments.get(trainee=world.trainee_a).group.name == "第二组"
    assert set(StudyGroup.objects.filter(training_class=klass).values_list("name", flat=True)) == {
        "第一组",
        "第二组",
    }
    batch.refresh_from_db()
    assert batch.confirmed_at is not None and batch.rows == []


def test_reimporting_the_same_file_changes_nothing(world, klass):
    batch, _ = preview(world, klass, good_rows(world))
    roster_import_confirm(actor=world.organiser, batch=batch)
    users, enrolments = User.objects.count(), Enrolment.objects.count()

    again, check = preview(world, klass, good_rows(world))
    assert check.is_valid
    assert (check.n_create, check.n_enrol, check.n_skip) == (0, 0, 3)
    assert all(r.problems == ["already_enrolled"] for r in check.rows)
    result = roster_import_confirm(actor=world.organiser, batch=again)
    assert (result.created, result.enrolled, result.skipped) == ([], 0, 3)
    assert (User.objects.count(), Enrolment.objects.count()) == (users, enrolments)


def test_a_batch_is_confirmed_once(world, klass):
    batch, _ = preview(world, klass, good_rows(world))
    roster_import_confirm(actor=world.organiser, batch=batch)
    with pytest.raises(ImportBatchUsed):
        roster_import_confirm(actor=world.organiser, batch=batch)


BROKEN = {
    "missing_name": ["", "男", "13800002001", "罗山县周党镇东湾村", "", "", ""],
    "bad_phone": ["王五", "男", "12345", "罗山县周党镇东湾村", "", "", ""],
    "missing_phone": ["王六", "男", "", "罗山县周党镇东湾村", "", "", ""],
    "unknown_unit": ["赵七", "男", "13800002002", "光山县不存在镇", "", "", ""],
    "missing_unit": ["赵八", "男", "13800002008", "", "", "", ""],
    # 项店镇 is in 息县, outside a 罗山县 organiser's units.
    "out_of_scope_unit": ["钱八", "男", "13800002003", "息县项店镇", "", "", ""],
    "bad_gender": ["孙九", "未知", "13800002004", "罗山县周党镇东湾村", "", "", ""],
    "bad_rank": ["周十", "男", "13800002005", "罗山县周党镇东湾村", "", "部级", ""],
    "name_mismatch": ["别人", "", "PHONE_C", "罗山县周党镇东湾村", "", "", ""],
    "person_out_of_scope": ["学员乙", "", "PHONE_B", "罗山县周党镇东湾村", "", "", ""],
    "not_a_trainee": ["班主任甲", "", "PHONE_ADVISER", "罗山县周党镇东湾村", "", "", ""],
}
EXPECTED = {
    "out_of_scope_unit": "unknown_unit",
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_each_kind_of_broken_row_blocks_the_whole_file(world, klass, kind):
    from people.roles import Role
    from tests.factories import UserFactory

    someone = UserFactory(roles=[Role.TRAINEE], org_unit=world.village_a, full_name="王本人")
    phones = {
        "PHONE_C": someone.phone,
        "PHONE_B": world.trainee_b.phone,
        "PHONE_ADVISER": world.adviser.phone,
    }
    bad = [phones.get(c, c) for c in BROKEN[kind]]
    rows = [*good_rows(world), [4, *bad]]
    users, enrolments = User.objects.count(), Enrolment.objects.count()
    batch, check = preview(world, klass, rows)
    assert not check.is_valid
    assert EXPECTED.get(kind, kind) in codes(check)[5]  # header is row 1, so the 4th row is 5
    assert all(not r.errors for r in check.rows[:3])
    with pytest.raises(ImportInvalid):
        roster_import_confirm(actor=world.organiser, batch=batch)
    assert (User.objects.count(), Enrolment.objects.count()) == (users, enrolments)
    assert not StudyGroup.objects.filter(training_class=klass).exists()


def test_duplicate_rows_in_the_file_point_at_the_second_row(world, klass):
    rows = [*good_rows(world), [4, "张新民", "男", "13800001001", "罗山县周党镇东湾村", "", "", ""]]
    _batch, check = preview(world, klass, rows)
    assert codes(check)[5] == ["duplicate_row"]
    assert codes(check)[2] == []


def test_over_capacity_marks_the_rows_beyond_the_seats(world, klass):
    klass.capacity = 2
    klass.save()
    _batch, check = preview(world, klass, good_rows(world))
    assert [r.row for r in check.rows if "over_capacity" in r.problems] == [4]


def test_ambiguous_unit_names_must_be_written_in_full(world, klass):
    from tests.factories import OrgUnitFactory

    OrgUnitFactory(parent=world.county_a, name="东湾村", level="village")
    rows = [[1, "张新民", "男", "13800001001", "东湾村", "", "", ""]]
    _batch, check = preview(world, klass, rows)
    assert codes(check)[2] == ["ambiguous_unit"]
    rows[0][4] = "信阳市罗山县周党镇东湾村"
    _batch, check = preview(world, klass, rows)
    assert check.is_valid and check.rows[0].unit_id == world.village_a.pk


def test_confirm_validates_again_against_the_database_of_that_moment(world, klass):
    batch, check = preview(world, klass, good_rows(world))
    assert check.is_valid
    # Between preview and confirm someone else takes one of the phone numbers.
    from tests.factories import UserFactory

    UserFactory(phone="13800001001", full_name="另一个人", org_unit=world.village_a)
    users = User.objects.count()
    with pytest.raises(ImportInvalid):
        roster_import_confirm(actor=world.organiser, batch=batch)
    assert User.objects.count() == users
    assert not Enrolment.objects.filter(training_class=klass).exists()


def test_only_organisers_of_the_class_may_import(world, klass):
    for actor in (world.organiser_other, world.adviser):
        with pytest.raises(PermissionDenied):
            preview(world, klass, good_rows(world), actor=actor)
    batch, _ = preview(world, klass, good_rows(world))
    with pytest.raises(PermissionDenied):
        roster_import_confirm(actor=world.organiser_other, batch=batch)
    assert ImportBatch.objects.filter(confirmed_at=None).count() == 1


def test_a_closed_class_takes_no_roster(world, klass):
    klass.status = "closed"
    klass.save()
    with pytest.raises(ClassClosed):
        preview(world, klass, good_rows(world))


def test_headers_may_be_reordered_or_aliased_but_not_missing(world, klass):
    upload = xlsx(["手机号码", "工作单位", "姓名"], [["13800003001", "罗山县周党镇东湾村", "陈一"]])
    rows = read_rows(upload, ROSTER_COLUMNS)
    assert rows == [
        (
            2,
            {
                "姓名": "陈一",
                "性别": "",
                "手机号": "13800003001",
                "单位": "罗山县周党镇东湾村",
                "职务": "",
                "职级": "",
                "组别": "",
            },
        )
    ]
    with pytest.raises(MissingColumns) as exc:
        read_rows(xlsx(["姓名", "单位"], [["陈一", "x"]]), ROSTER_COLUMNS)
    assert exc.value.detail == "手机号"


def test_a_file_that_is_not_xlsx_is_refused(world, klass):
    import io

    with pytest.raises(UnreadableFile):
        read_rows(io.BytesIO(b"not a workbook"), ROSTER_COLUMNS)


def test_phone_numbers_typed_as_numbers_are_read(world, klass):
    rows = [[1, "陈二", "男", 13800003002, "罗山县周党镇东湾村", "", "", ""]]
    _batch, check = preview(world, klass, rows)
    assert check.is_valid and check.rows[0].phone == "13800003002"


def test_template_and_export_use_the_import_format(world, klass):
    import io

    from openpyxl import load_workbook

    template = load_workbook(io.BytesIO(roster_template().getvalue()))
    assert [c.value for c in template["花名册"][1]] == [c.header for c in ROSTER_COLUMNS]
    batch, _ = preview(world, klass, good_rows(world))
    roster_import_confirm(actor=world.organiser, batch=batch)
    book = load_workbook(io.BytesIO(roster_export(training_class=klass).getvalue()))
    sheet = book["花名册"]
    assert int(sheet.column_dimensions["E"].width) == 30  # plus Excel's padding
    exported = read_rows(io.BytesIO(roster_export(training_class=klass).getvalue()), ROSTER_COLUMNS)
    assert {r["手机号"] for _n, r in exported} == {
        "13800001001",
        "13800001002",
        world.trainee_a.phone,
    }
    # The export imports back without creating anything.
    again = roster_check(actor=world.organiser, training_class=klass, raw_rows=exported)
    assert again.is_valid and again.n_skip == 3


def test_village_cell_resolves_for_the_city_organiser_too(world):
    klass = class_for_world(world)
    klass.organising_unit = world.city
    klass.save()
    rows = [[1, "张新民", "男", "13800001001", "罗山县周党镇东湾村", "", "", ""]]
    _batch, check = preview(world, klass, rows, actor=world.city_organiser)
    assert check.is_valid and check.rows[0].unit_id == world.village_a.pk


def test_unconfirmed_uploads_are_purged_after_a_day(world, klass):
    import datetime

    from django.utils import timezone

    old, _ = preview(world, klass, good_rows(world))
    ImportBatch.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh, _ = preview(world, klass, good_rows(world))
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_export_leaves_out_the_withdrawn_and_import_skips_rows_marked_withdrawn(world, klass):
    import io

    from django.utils import translation

    from training.services import enrolment_withdraw
    from training.services.roster import IMPORT_COLUMNS

    batch, _ = preview(world, klass, good_rows(world))
    roster_import_confirm(actor=world.organiser, batch=batch)
    left = Enrolment.objects.get(training_class=klass, trainee__phone="13800001002")
    enrolment_withdraw(actor=world.organiser, enrolment=left, reason="工作调动")

    default = read_rows(io.BytesIO(roster_export(training_class=klass).getvalue()), IMPORT_COLUMNS)
    assert "13800001002" not in {r["手机号"] for _n, r in default}
    with translation.override("zh-hans"):
        full = roster_export(training_class=klass, include_withdrawn=True).getvalue()
    rows = read_rows(io.BytesIO(full), IMPORT_COLUMNS)
    assert {r["手机号"]: r["状态"] for _n, r in rows}["13800001002"] == "退学"

    # The full file starts next year's class: the withdrawn row is skipped, and says why.
    nxt = TrainingClassFactory(organising_unit=world.county_a)
    batch, check = roster_import_preview(
        actor=world.organiser, training_class=nxt, upload=io.BytesIO(full), filename="x.xlsx"
    )
    skipped = [r for r in check.rows if r.raw["手机号"] == "13800001002"]
    assert [r.problems for r in skipped] == [["withdrawn_in_file"]]
    assert check.is_valid and check.n_skip == 1
    with translation.override("zh-hans"):
        assert "退学" in str(skipped[0].messages[0][1])
    result = roster_import_confirm(actor=world.organiser, batch=batch)
    assert (result.enrolled, result.skipped) == (2, 1)
    assert not Enrolment.objects.filter(training_class=nxt, trainee__phone="13800001002")
