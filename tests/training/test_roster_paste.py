"""Bulk enrolment by pasted mobile numbers: a preview like the import's, then all or none."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lms.errors import PermissionDenied
from people.roles import Role
from tests.factories import UserFactory
from training.models import Enrolment, ImportBatch
from training.services import roster_paste as paste
from training.services.roster import ImportBatchUsed

from .factories import EnrolmentFactory, TrainingClassFactory


@pytest.fixture
def klass(world):
    return TrainingClassFactory(organising_unit=world.county_a, capacity=None)


@pytest.fixture
def people(world):
    """Trainees of 罗山县, a staff member there, and a trainee of 息县."""
    T = [Role.TRAINEE]
    return {
        "a1": UserFactory(roles=T, org_unit=world.village_a, phone="13976000101", full_name="甲一"),
        "a2": UserFactory(
            roles=T, org_unit=world.township_a, phone="13976000102", full_name="甲二"
        ),
        "a3": UserFactory(roles=T, org_unit=world.village_a, phone="13976000103", full_name="甲三"),
        "staff": UserFactory(
            roles=[Role.ADVISER], org_unit=world.county_a, phone="13976000104", full_name="职工"
        ),
        "b1": UserFactory(roles=T, org_unit=world.village_b, phone="13976000201", full_name="乙一"),
    }


def _statuses(check):
    return [(r.raw[paste.PHONE], r.status) for r in check.rows]


def _preview(world, klass, text):
    return paste.roster_paste_preview(actor=world.organiser, training_class=klass, text=text)


def test_preview_gives_each_number_its_status(world, klass, people):
    EnrolmentFactory(training_class=klass, trainee=people["a2"])
    withdrawn = EnrolmentFactory(
        training_class=klass, trainee=people["a3"], status=Enrolment.Status.WITHDRAWN
    )
    text = (
        "139 7600 0101\n"  # will enrol
        "+86 139-7600-0102，"  # already enrolled
        "13976000103；"  # withdrew earlier: enrolled again
        "13976000101、"  # the same number again
        "13976000999\n"  # nobody has it
        "1397600010\n"  # not a mobile number
        "13976000201\n"  # a trainee of another county
        "13976000104"  # not a trainee
    )
    batch, check = _preview(world, klass, text)
    assert _statuses(check) == [
        ("139 7600 0101", "enrol"),
        ("+86 139-7600-0102", "already_enrolled"),
        ("13976000103", "reenrol"),
        ("13976000101", "duplicate_row"),
        ("13976000999", "unknown_phone"),
        ("1397600010", "bad_phone"),
        ("13976000201", "person_out_of_scope"),
        ("13976000104", "not_a_trainee"),
    ]
    assert not check.is_valid and check.error_count == 4
    # Nothing but the batch is written by a preview.
    assert batch.kind == ImportBatch.Kind.PHONES
    assert Enrolment.objects.filter(training_class=klass).count() == 2
    withdrawn.refresh_from_db()
    assert withdrawn.status == Enrolment.Status.WITHDRAWN
    # A person outside the organiser's units is not named in the preview.
    out = next(r for r in check.rows if r.status == "person_out_of_scope")
    assert out.person is None


def test_confirm_enrols_everyone_or_nobody(world, klass, people):
    batch, _check = _preview(world, klass, "13976000101\n13976000102\n13976000201")
    with pytest.raises(paste.PasteInvalid):
        paste.roster_paste_confirm(actor=world.organiser, batch=batch)
    assert not Enrolment.objects.filter(training_class=klass).exists()
    assert ImportBatch.objects.get(pk=batch.pk).confirmed_at is None

    batch, check = _preview(world, klass, "13976000101\n13976000102")
    assert check.is_valid and check.n_enrol == 2
    result = paste.roster_paste_confirm(actor=world.organiser, batch=batch)
    assert {p.full_name for p in result.enrolled} == {"甲一", "甲二"}
    assert set(
        Enrolment.objects.filter(training_class=klass, status="enrolled").values_list(
            "trainee__full_name", flat=True
        )
    ) == {"甲一", "甲二"}
    [entry] = ModelLogEntry.objects.filter(action="training.roster_paste")
    assert entry.data["enrolled"] == 2
    assert sorted(entry.data["trainees"]) == sorted([people["a1"].pk, people["a2"].pk])


def test_confirm_is_safe_to_repeat(world, klass, people):
    batch, _check = _preview(world, klass, "13976000101")
    paste.roster_paste_confirm(actor=world.organiser, batch=batch)
    with pytest.raises(ImportBatchUsed):
        paste.roster_paste_confirm(actor=world.organiser, batch=batch)
    # The same list pasted again finds everyone already there and enrols nobody twice.
    again, check = _preview(world, klass, "139 7600 0101")
    assert _statuses(check) == [("139 7600 0101", "already_enrolled")]
    result = paste.roster_paste_confirm(actor=world.organiser, batch=again)
    assert result.enrolled == [] and result.skipped == 1
    assert Enrolment.objects.filter(training_class=klass).count() == 1
    # The numbers are not kept once enrolled.
    assert ImportBatch.objects.get(pk=batch.pk).rows == []


def test_confirm_judges_the_database_as_it_is_then(world, klass, people):
    batch, check = _preview(world, klass, "13976000101\n13976000102")
    assert check.is_valid
    # Between preview and confirm, 甲二 moves to 息县.
    people["a2"].org_unit = world.village_b
    people["a2"].save()
    with pytest.raises(paste.PasteInvalid):
        paste.roster_paste_confirm(actor=world.organiser, batch=batch)
    assert not Enrolment.objects.filter(training_class=klass).exists()


def test_capacity_counts_the_pasted_numbers(world, people):
    klass = TrainingClassFactory(organising_unit=world.county_a, capacity=1)
    _batch, check = _preview(world, klass, "13976000101\n13976000102")
    assert [r.problems for r in check.rows] == [[], ["over_capacity"]]
    assert not check.is_valid


def test_a_withdrawn_trainee_is_enrolled_again(world, klass, people):
    EnrolmentFactory(training_class=klass, trainee=people["a1"], status=Enrolment.Status.WITHDRAWN)
    batch, check = _preview(world, klass, "13976000101")
    assert check.n_reenrol == 1
    result = paste.roster_paste_confirm(actor=world.organiser, batch=batch)
    assert result.reenrolled == 1
    assert Enrolment.objects.get(training_class=klass).status == Enrolment.Status.ENROLLED


def test_only_the_classs_organisers_may_paste(world, klass, people):
    with pytest.raises(PermissionDenied):
        paste.roster_paste_preview(actor=world.organiser_other, training_class=klass, text="1")
    with pytest.raises(PermissionDenied):
        paste.roster_paste_preview(actor=world.adviser, training_class=klass, text="1")


@pytest.mark.parametrize(("text", "code"), [(" \n，；", "nothing_pasted"), ("", "nothing_pasted")])
def test_an_empty_paste_is_refused(world, klass, text, code):
    with pytest.raises(paste.NothingPasted) as excinfo:
        _preview(world, klass, text)
    assert excinfo.value.code == code


def test_too_many_numbers_are_refused(world, klass):
    text = "\n".join(f"139{n:08d}" for n in range(paste.MAX_NUMBERS + 1))
    with pytest.raises(paste.TooManyNumbers):
        _preview(world, klass, text)
    assert not ImportBatch.objects.exists()


# ---------------------------------------------------------------------------------------
# Through the admin


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_paste_preview_and_confirm_through_the_admin(client, world, klass, people):
    client.force_login(world.organiser)
    roster = client.get(reverse("training_admin:roster", args=[klass.pk])).content.decode()
    assert reverse("training_admin:roster_paste", args=[klass.pk]) in roster
    assert "批量报名：粘贴手机号" in roster

    response = client.post(
        reverse("training_admin:roster_paste", args=[klass.pk]),
        {"text": "139 7600 0101，13976000201"},
        follow=True,
    )
    page = response.content.decode()
    assert "1 个手机号有问题" in page
    assert "该手机号属于您管理范围以外的人员。" in page
    assert "乙一" not in page  # the other county's trainee is not named
    assert 'data-status="enrol"' in page and "甲一" in page
    # The list comes back for correction.
    assert "13976000201" in response.context["paste_form"]["text"].value()
    batch = ImportBatch.objects.get(kind=ImportBatch.Kind.PHONES)
    url = reverse("training_admin:roster_paste_preview", args=[klass.pk, batch.pk])
    response = client.post(url, follow=True)
    assert "部分手机号有问题，未为任何人报名。请修改名单后重新核对。" in _messages(response)
    assert not Enrolment.objects.filter(training_class=klass).exists()

    response = client.post(
        reverse("training_admin:roster_paste", args=[klass.pk]),
        {"text": "139 7600 0101\n13976000102"},
        follow=True,
    )
    assert "核对无误：将为 2 人报名" in response.content.decode()
    confirm = response.redirect_chain[-1][0]
    response = client.post(confirm, follow=True)
    assert "已报名 2 人：甲一、甲二。" in _messages(response)
    assert Enrolment.objects.filter(training_class=klass).count() == 2
    # Confirming the same batch again enrols nobody twice.
    response = client.post(confirm, follow=True)
    assert "这批手机号已经报过名。" in _messages(response)
    assert Enrolment.objects.filter(training_class=klass).count() == 2


def test_the_paste_screens_are_the_class_organisers(client, world, klass, people):
    batch, _check = _preview(world, klass, "13976000101")
    url = reverse("training_admin:roster_paste_preview", args=[klass.pk, batch.pk])
    client.force_login(world.organiser_other)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert (
        client.post(
            reverse("training_admin:roster_paste", args=[klass.pk]), {"text": "13976000101"}
        ).status_code
        == 404
    )
    assert not Enrolment.objects.filter(training_class=klass).exists()
