"""学时档案: totals by year and channel, requirements by rank, other study with evidence."""

import datetime
import io
import os
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from ledger.models import CreditEntry, CreditRequirement
from ledger.pdf import training_record_pdf
from ledger.selectors import ledger_summary
from ledger.services import (
    EvidenceInvalid,
    NotARecordedEntry,
    VoidReasonRequired,
    credit_entry_post,
    credit_other_record,
    credit_other_void,
)
from lms.errors import PermissionDenied
from people.models import User

TODAY = datetime.date(2026, 9, 1)
IP, ONLINE, SELF = (c.value for c in CreditEntry.Channel)


def _post(person, channel, hours, day, key):
    credit_entry_post(
        person=person,
        channel=channel,
        hours=Decimal(hours),
        earned_on=day,
        title=f"培训 {key}",
        source_key=key,
    )


def _by_name(summary):
    return {s.requirement.name: s for s in summary.requirements}


def test_the_regulation_defaults_are_installed(db):
    rows = set(CreditRequirement.objects.values_list("rank", "channel", "hours", "period"))
    assert ("township", IP, Decimal("90.0"), "year") in rows
    assert ("county", "all", Decimal("550.0"), "five_years") in rows
    assert ("", ONLINE, Decimal("50.0"), "year") in rows


def test_township_cadre_needs_90_hours_in_person_this_year(world):
    person = world.trainee_a
    person.rank = User.Rank.TOWNSHIP
    person.save()
    _post(person, IP, "42", datetime.date(2026, 7, 7), "class:1")
    _post(person, IP, "48", datetime.date(2025, 7, 7), "class:2")  # last year: not counted
    _post(person, ONLINE, "50", datetime.date(2026, 3, 1), "course:1")
    summary = ledger_summary(person=person, today=TODAY)
    reqs = _by_name(summary)
    assert set(reqs) == {"乡科级干部每年脱产培训", "每年网络培训"}
    in_person = reqs["乡科级干部每年脱产培训"]
    assert (in_person.earned, in_person.met, in_person.remaining) == (
        Decimal("42"),
        False,
        Decimal("48"),
    )
    assert reqs["每年网络培训"].met
    _post(person, IP, "48", datetime.date(2026, 8, 1), "class:3")
    assert _by_name(ledger_summary(person=person, today=TODAY))["乡科级干部每年脱产培训"].met


def test_county_leaders_count_every_channel_over_five_years(world):
    person = world.trainee_a
    person.rank = User.Rank.COUNTY
    person.save()
    for year in range(2022, 2027):
        _post(person, IP, "100", datetime.date(year, 5, 1), f"class:{year}")
    _post(person, SELF, "50", datetime.date(2024, 5, 1), "other:1")
    _post(person, IP, "300", datetime.date(2021, 5, 1), "class:old")  # outside the window
    summary = ledger_summary(person=person, today=TODAY)
    five = _by_name(summary)["县处级干部五年累计培训"]
    assert five.window == (2022, 2026)
    assert five.earned == Decimal("550") and five.met
    assert [y.year for y in summary.years] == [2026, 2025, 2024, 2023, 2022]
    assert summary.years[2].by_channel == {IP: Decimal("100"), ONLINE: 0, SELF: Decimal("50")}
    assert summary.five_year_total == Decimal("550")


def test_requirements_are_configurable(world):
    CreditRequirement.objects.filter(channel=ONLINE).update(hours=Decimal("10"))
    _post(world.trainee_a, ONLINE, "12", datetime.date(2026, 2, 1), "course:9")
    assert _by_name(ledger_summary(person=world.trainee_a, today=TODAY))["每年网络培训"].met


def _pdf_upload(name="证明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def _recorded(world, hours="6", evidence_name="证明.pdf"):
    return credit_other_record(
        actor=world.organiser,
        person=world.trainee_a,
        channel=SELF,
        hours=Decimal(hours),
        earned_on=datetime.date(2026, 5, 4),
        title="河南省委党校专题讲座",
        evidence=_pdf_upload(evidence_name),
    )


def test_organisers_record_other_study_with_evidence_and_an_audit_entry(world):
    entry = _recorded(world)
    assert entry.recorded_by == world.organiser and entry.evidence.file.name.endswith(".pdf")
    assert entry.source_key.startswith("other:")
    assert ModelLogEntry.objects.filter(action="ledger.other_record").count() == 1


def test_other_study_needs_evidence_and_an_organiser_of_the_person(world):
    kwargs = {
        "person": world.trainee_a,
        "channel": SELF,
        "hours": Decimal("6"),
        "earned_on": datetime.date(2026, 5, 4),
        "title": "讲座",
    }
    with pytest.raises(PermissionDenied):
        credit_other_record(actor=world.organiser_other, evidence=_pdf_upload(), **kwargs)
    with pytest.raises(EvidenceInvalid) as exc:
        credit_other_record(
            actor=world.organiser,
            evidence=SimpleUploadedFile("x.exe", b"MZ"),
            **kwargs,
        )
    assert exc.value.code == "evidence_invalid"
    with pytest.raises(EvidenceInvalid):  # a program renamed to look like a PDF
        credit_other_record(
            actor=world.organiser,
            evidence=SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\x00" * 300),
            **kwargs,
        )
    assert not CreditEntry.objects.exists()


def test_the_admin_form_records_other_study(world, client):
    client.force_login(world.organiser)
    url = reverse("ledger_admin:entry_add", args=[world.trainee_a.pk])
    response = client.post(
        url,
        {
            "title": "网络专题班",
            "channel": ONLINE,
            "hours": "3.5",
            "earned_on": "2026-04-01",
            "evidence": _pdf_upload(),
        },
    )
    assert response.status_code == 302
    assert CreditEntry.objects.get(person=world.trainee_a).hours == Decimal("3.5")


def test_the_trainee_sees_their_ledger_and_downloads_the_record(world, client):
    _post(world.trainee_a, IP, "42", datetime.date.today(), "class:1")
    client.force_login(world.trainee_a)
    page = client.get(reverse("ledger:my_ledger"))
    assert page.status_code == 200
    assert page.context["summary"].years[0].by_channel[IP] == Decimal("42")
    html = page.content.decode()
    # Hours read as people write them: 42 of 90, not "42.00" beside "90.0".
    assert "42 / 90\n" in html and "42.00" not in html and "90.0" not in html
    response = client.get(reverse("ledger:my_record_pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "学员甲" in text and "培训 class:1" in text


def test_the_record_pdf_embeds_a_cjk_font(world):
    pdf = training_record_pdf(person=world.trainee_a, today=TODAY)
    fonts = [
        str(f.get_object()["/BaseFont"])
        for f in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
    ]
    assert any("CJK" in f for f in fonts)


def test_evidence_is_private_and_served_only_to_its_person_and_organisers(world, client):
    entry = _recorded(world, evidence_name="我的证明.pdf")
    stored = entry.evidence.file
    # Outside the public media folder, under a name nobody can guess from the upload.
    assert str(settings.PRIVATE_MEDIA_ROOT) in stored.path
    assert str(settings.MEDIA_ROOT) not in stored.path and "我的证明" not in stored.name
    client.force_login(world.trainee_a)
    page = client.get(reverse("ledger:my_ledger")).content.decode()
    own = reverse("ledger:my_evidence", args=[entry.evidence.pk])
    assert own in page
    response = client.get(own)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.trainee_b)
    assert client.get(own).status_code == 404


def test_the_record_pdf_is_named_after_the_person(world, client):
    client.force_login(world.trainee_a)
    response = client.get(reverse("ledger:my_record_pdf"))
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert quote("培训档案-学员甲.pdf") in response["Content-Disposition"]


def test_a_mistyped_entry_is_withdrawn_with_a_reason_and_leaves_every_total(
    world, django_capture_on_commit_callbacks
):
    from ledger.models import CreditYear

    entry = _recorded(world, hours="60")  # meant 6
    stored = entry.evidence.file.path
    assert CreditYear.objects.get(person=world.trainee_a, year=2026).self_selected == 60
    with pytest.raises(VoidReasonRequired):
        credit_other_void(actor=world.organiser, entry_id=entry.pk, reason=" ")
    with pytest.raises(PermissionDenied):
        credit_other_void(actor=world.organiser_other, entry_id=entry.pk, reason="录错")

    with django_capture_on_commit_callbacks(execute=True):
        assert credit_other_void(actor=world.organiser, entry_id=entry.pk, reason="学时录错，应为6")

    assert not CreditEntry.objects.filter(person=world.trainee_a).exists()
    assert not CreditYear.objects.filter(person=world.trainee_a, self_selected__gt=0).exists()
    assert not os.path.exists(stored)
    trail = ModelLogEntry.objects.get(action="ledger.other_void")
    assert trail.user == world.organiser
    assert trail.data["hours"] == "60.00" and trail.data["reason"] == "学时录错，应为6"
    # Asking again (a double click, a retried request) changes nothing.
    assert not credit_other_void(actor=world.organiser, entry_id=entry.pk, reason="再次")
    assert ModelLogEntry.objects.filter(action="ledger.other_void").count() == 1


def test_hours_from_a_class_cannot_be_withdrawn_by_hand(world):
    entry, _ = credit_entry_post(
        person=world.trainee_a,
        channel=IP,
        hours=Decimal("42"),
        earned_on=datetime.date(2026, 6, 1),
        title="培训班",
        source_key="class:1",
    )
    with pytest.raises(NotARecordedEntry):
        credit_other_void(actor=world.organiser, entry_id=entry.pk, reason="x")
    assert CreditEntry.objects.filter(pk=entry.pk).exists()


def test_the_organiser_withdraws_an_entry_in_the_admin(world, client):
    entry = _recorded(world)
    client.force_login(world.organiser)
    page = client.get(reverse("ledger_admin:person", args=[world.trainee_a.pk])).content.decode()
    url = reverse("ledger_admin:entry_void", args=[entry.pk])
    assert url in page
    # The button says 撤销, not training's 退学 for the same English word.
    assert f'href="{url}">撤销</a>' in page
    assert "撤销学时记录" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and CreditEntry.objects.filter(pk=entry.pk).exists()
    done = client.post(url, {"reason": "重复录入"})
    assert done.status_code == 302 and not CreditEntry.objects.filter(pk=entry.pk).exists()


def test_the_ledger_list_shows_the_trainees_of_the_organisers_units_only(client, world):
    """Issue 18: Wagtail's listing (search, unit filter, pagination) over `person_list`."""
    client.force_login(world.organiser)
    index = reverse("ledger_admin:index")
    listed = client.get(index).context["object_list"]
    assert world.trainee_a in listed and world.trainee_b not in listed
    assert world.organiser not in listed  # trainees only
    found = client.get(index, {"q": world.trainee_a.phone[-4:]}).context["object_list"]
    assert list(found) == [world.trainee_a]
    assert list(client.get(index, {"q": world.trainee_b.phone}).context["object_list"]) == []
    client.force_login(world.city_organiser)
    in_b = client.get(index, {"unit": world.county_b.pk}).context["object_list"]
    assert list(in_b) == [world.trainee_b]
    html = client.get(index).content.decode()
    assert reverse("ledger_admin:person", args=[world.trainee_a.pk]) in html
