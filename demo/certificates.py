"""Demo: the closed 2025 rotation class of 信阳市 with its certificates, and some ledgers.

Facts restated from seeds/ (the 2023 regulations on credit hours, the 1/7 leave cap);
names of people are the demo's own. Safe to run again: everything is looked up first.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

ORDER = 70

PAST_CLASS_CODE = "xy-2025-ncsj"  # made by training/demo.py (ORDER 30)
OWN_CLASS_CODE = "xy-2025-cert-demo"
APPRAISAL = "该同志学习态度端正，遵守学习纪律，积极参与研讨交流，完成规定学习任务。"


def _past_class(context):
    from training.models import Enrolment, TrainingClass

    klass = TrainingClass.objects.filter(code=PAST_CLASS_CODE).first()
    if klass is not None:
        return klass
    # Training's demo has not landed: a small closed class of our own in 信阳市.
    klass, _ = TrainingClass.objects.get_or_create(
        code=OWN_CLASS_CODE,
        defaults={
            "name": "信阳市村党组织书记轮训班（2025年第三期）",
            "organising_unit": context["org"]["信阳市"],
            "provider": "信阳市委党校",
            "venue": "信阳市委党校",
            "start_date": datetime.date(2025, 9, 15),
            "end_date": datetime.date(2025, 9, 19),
            "credit_hours": Decimal("32.0"),
            "status": TrainingClass.Status.CLOSED,
            "is_rotation": True,
        },
    )
    for trainee in context.get("trainees", [])[40:52]:
        Enrolment.objects.get_or_create(
            training_class=klass, trainee=trainee, defaults={"status": Enrolment.Status.COMPLETED}
        )
    return klass


def _template(unit):
    """The city's template: 信阳市's organisers change it, its counties' classes use it."""
    from certificates.models import CertificateTemplate

    template, _ = CertificateTemplate.objects.get_or_create(
        name="中共信阳市委党校结业证书",
        defaults={
            "title": "结业证书",
            "provider_name": "中共信阳市委党校",
            "number_prefix": "XYDX",
            "signatory": "",
            "org_unit": unit,
        },
    )
    if template.org_unit_id is None:  # seeded before templates belonged to a unit
        template.org_unit = unit
        template.save(update_fields=["org_unit"])
    return template


def _record_pdf(text: str) -> bytes:
    from lms.pdf import html_to_pdf

    return html_to_pdf(
        "<html><body style=\"font-family:'Noto Serif CJK SC',serif;font-size:14pt\">"
        f"<h2>学习证明</h2><p>{text}</p></body></html>"
    )


def seed(context):
    from certificates.models import Certificate, CompletionRecord, IssueBatch
    from certificates.services import certificate_issue, certificates_render
    from certificates.services.close import completion_rule_for
    from ledger.models import CreditEntry, CreditEvidence
    from ledger.services import credit_entry_post
    from training.models import Enrolment

    staff = context.get("staff", {})
    organiser = staff.get("organiser") or staff.get("admin")
    klass = _past_class(context)
    rule = completion_rule_for(training_class=klass)
    template = _template(klass.organising_unit)
    if rule.certificate_template_id is None:
        rule.certificate_template = template
        rule.save(update_fields=["certificate_template"])

    completers = list(
        Enrolment.objects.filter(
            training_class=klass, status=Enrolment.Status.COMPLETED
        ).select_related("trainee")
    )
    for enrolment in completers:
        CompletionRecord.objects.get_or_create(
            training_class=klass,
            trainee=enrolment.trainee,
            defaults={
                "completed": True,
                "outcome": CompletionRecord.Outcome.COMPLETED,
                "decided_at": datetime.datetime(2025, 9, 19, 17, 0, tzinfo=datetime.UTC),
                "appraisal": APPRAISAL,
            },
        )
        credit_entry_post(
            person=enrolment.trainee,
            channel=CreditEntry.Channel.IN_PERSON,
            hours=klass.credit_hours,
            earned_on=klass.end_date,
            title=klass.name,
            source_key=f"class:{klass.pk}",
            recorded_by=organiser,
        )
        certificate_issue(
            actor=None, training_class=klass, trainee=enrolment.trainee, on_behalf_of=organiser
        )
    pending = list(
        Certificate.objects.filter(training_class=klass, revoked_at__isnull=True, pdf="")
        .select_related("template")
        .order_by("number")
    )
    if pending:
        certificates_render(pending)
    if not IssueBatch.objects.filter(training_class=klass).exists():
        count = Certificate.objects.filter(training_class=klass, revoked_at__isnull=True).count()
        IssueBatch.objects.create(
            training_class=klass,
            status=IssueBatch.Status.FINISHED,
            total=count,
            done=count,
            created_by=organiser,
        )
    context["closed_class"] = klass

    # Study elsewhere, recorded by the organiser with the proof attached.
    trainees = context.get("trainees", [])
    other = [
        (
            0,
            "2024年河南省乡镇党委书记示范培训班（省委党校）",
            CreditEntry.Channel.IN_PERSON,
            "40",
            datetime.date(2024, 10, 18),
        ),
        (
            1,
            "2025年度乡村振兴专题网络培训（河南干部网络学院）",
            CreditEntry.Channel.ONLINE,
            "30",
            datetime.date(2025, 12, 10),
        ),
        (
            2,
            "“两山”理念实践专题自主选学",
            CreditEntry.Channel.SELF_SELECTED,
            "8",
            datetime.date(2026, 3, 22),
        ),
    ]
    for index, title, channel, hours, day in other:
        if index >= len(trainees):
            continue
        entry, created = credit_entry_post(
            person=trainees[index],
            channel=channel,
            hours=Decimal(hours),
            earned_on=day,
            title=title,
            source_key=f"other:demo-{index}",
            recorded_by=organiser,
            note="演示数据：由组织员登记并上传学习证明。",
        )
        if not CreditEvidence.objects.filter(entry=entry).exists():
            evidence = CreditEvidence(entry=entry, uploaded_by=organiser)
            evidence.file.save(
                f"demo-proof-{index}.pdf",
                ContentFile(
                    _record_pdf(
                        f"{trainees[index].get_full_name()}同志参加{title}，计{hours}学时。"
                    )
                ),
                save=False,
            )
            evidence.save()
