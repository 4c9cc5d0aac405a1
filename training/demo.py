"""Demo classes: the 信阳 township secretaries' class running this week, one from 2025, one
coming up.

The running class follows the source report (seeds/000_…txt, Henan radio on Xinyang's
class at 大别山干部学院): the pilot-zone programme (宜居宜业和美乡村先导区), 片区化、组团式
development, the five elements of space, industry, talent, organisation and ecology, and
"the county is the headquarters, the township the front-line works department". Case
teaching draws on the 沁阳 and 孟州 area Party committee reports (seeds/002, 003).
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from .models import ClassSession, Enrolment, Notice, StudyGroup, TrainingClass

ORDER = 30
SHANGHAI = ZoneInfo("Asia/Shanghai")
TIMES = {
    "morning": ((8, 30), (11, 30)),
    "afternoon": ((14, 30), (17, 30)),
    "evening": ((19, 0), (21, 0)),
}

# (day offset from the start, half day, title, who teaches, method, venue, credit hours)
# who: "instructor" / "instructor2" (demo accounts) or a guest speaker's name.
PROGRAMME = [
    (
        0,
        "morning",
        "开班式暨培训动员：把先导区建设作为乡村全面振兴的必选项",
        "instructor",
        "lecture",
        "报告厅",
        "3",
    ),
    (
        0,
        "afternoon",
        "宜居宜业和美乡村先导区：河南的战略、进展与方向",
        "杨建国（先导区建设评审组组长）",
        "lecture",
        "报告厅",
        "3",
    ),
    (0, "evening", "分组破冰：我所在乡镇的片区现状", "instructor2", "seminar", "各组研讨室", "2"),
    (
        1,
        "morning",
        "片区化、组团式发展：统筹空间、产业、人才、组织、生态五大要素",
        "instructor",
        "lecture",
        "第一教室",
        "3",
    ),
    (1, "afternoon", "案例教学：沁阳市“区域党委+特色产业”", "instructor2", "case", "第一教室", "3"),
    (
        2,
        "morning",
        "县是总指挥部、乡镇是前线施工部：乡镇书记如何接得住",
        "instructor",
        "lecture",
        "第一教室",
        "3",
    ),
    (
        2,
        "afternoon",
        "现场教学：新县田铺乡片区联建与红色旅游",
        "instructor2",
        "field",
        "新县田铺乡",
        "3",
    ),
    (
        3,
        "morning",
        "案例教学：孟州市五个示范型区域党委的片区设计",
        "instructor2",
        "case",
        "第一教室",
        "3",
    ),
    (
        3,
        "afternoon",
        "现场教学：光山县泼陂河镇村集体经济合作联营",
        "instructor",
        "field",
        "光山县泼陂河镇",
        "3",
    ),
    (
        4,
        "morning",
        "党建统领、支部带动：把基层党组织建成坚强战斗堡垒",
        "instructor",
        "lecture",
        "第一教室",
        "3",
    ),
    (
        4,
        "afternoon",
        "专题研讨：以先导区统筹“两高四着力”的乡镇实践",
        "instructor2",
        "seminar",
        "各组研讨室",
        "3",
    ),
    (5, "morning", "交流研讨：各组片区发展方案汇报", "instructor2", "exchange", "报告厅", "3"),
    (5, "afternoon", "结业考试与学习心得撰写", "instructor", "other", "第一教室", "3"),
    (6, "morning", "结业式：从蓝图到实景图", "instructor", "lecture", "报告厅", "2"),
]
GROUPS = ["第一组", "第二组", "第三组", "第四组", "第五组", "第六组"]


def _class(code, **fields):
    klass, created = TrainingClass.objects.get_or_create(code=code, defaults=fields)
    if not created:
        changed = [k for k, v in fields.items() if getattr(klass, k) != v]
        for key in changed:
            setattr(klass, key, fields[key])
        if changed:
            klass.save(update_fields=changed)
    return klass


def _sessions(klass, staff, programme):
    for offset, half, title, who, method, venue, hours in programme:
        day = klass.start_date + datetime.timedelta(days=offset)
        (sh, sm), (eh, em) = TIMES[half]
        teacher = staff.get(who) if who in ("instructor", "instructor2") else None
        ClassSession.objects.update_or_create(
            training_class=klass,
            starts_at=datetime.datetime.combine(day, datetime.time(sh, sm), SHANGHAI),
            defaults={
                "date": day,
                "half_day": half,
                "ends_at": datetime.datetime.combine(day, datetime.time(eh, em), SHANGHAI),
                "title": title,
                "instructor": teacher,
                "instructor_name": "" if teacher else who,
                "venue": f"大别山干部学院{venue}" if "县" not in venue else venue,
                "method": method,
                "credit_hours": Decimal(hours),
            },
        )


def seed(context):
    org, staff = context["org"], context["staff"]
    xinyang = org["信阳市"]
    trainees = context.get("trainees", [])

    demo = _class(
        "xy-2026-xzsj",
        name="信阳市乡镇（街道）党（工）委书记能力提升培训班",
        organising_unit=xinyang,
        provider="大别山干部学院",
        venue="大别山干部学院（新县）",
        kind=TrainingClass.Kind.IN_PERSON,
        level=TrainingClass.Level.CITY,
        start_date=datetime.date(2026, 11, 21),
        end_date=datetime.date(2026, 11, 27),
        credit_hours=Decimal("40.0"),
        capacity=80,
        status=TrainingClass.Status.RUNNING,
        description=(
            "信阳市委组织部主办，全市乡镇（街道）党（工）委书记集中轮训。重点学习宜居宜业和美乡村"
            "先导区建设：片区化、组团式发展理念，县域统筹与乡镇落实的分工，以及五大振兴的统筹推进。"
            "（内容依据河南广播电视台关于信阳乡镇书记在大别山干部学院集体学习先导区的报道整理。）"
        ),
    )
    demo.advisers.add(staff["adviser"])
    _sessions(demo, staff, PROGRAMME)
    groups = []
    for i, name in enumerate(GROUPS):
        group, _created = StudyGroup.objects.get_or_create(
            training_class=demo, name=name, defaults={"sort_order": i}
        )
        groups.append(group)
    for n, trainee in enumerate(trainees):
        group = groups[n % len(groups)]
        Enrolment.objects.get_or_create(
            training_class=demo, trainee=trainee, defaults={"group": group}
        )
    # The roster was enrolled before the class began, not when the demo was seeded:
    # attendance expects a trainee only at sessions after their enrolment.
    enrolled = datetime.datetime.combine(
        demo.start_date - datetime.timedelta(days=7), datetime.time(9), SHANGHAI
    )
    Enrolment.objects.filter(training_class=demo, enrolled_at__gt=enrolled).update(
        enrolled_at=enrolled
    )
    # The first trainee of each group leads it; two of them also sit on the committee.
    for i, group in enumerate(groups):
        members = [t for n, t in enumerate(trainees) if n % len(groups) == i]
        if members and group.leader_id is None:
            group.leader = members[0]
            group.save(update_fields=["leader"])
    if trainees:
        for trainee, role in ((trainees[0], "monitor"), (trainees[1], "study")):
            if not Enrolment.objects.filter(training_class=demo, committee_role=role).exists():
                Enrolment.objects.filter(training_class=demo, trainee=trainee).update(
                    committee_role=role
                )
    Notice.objects.get_or_create(
        training_class=demo,
        title="11月23日下午现场教学集合安排",
        defaults={
            "author": staff["adviser"],
            "is_pinned": True,
            "body": (
                "下午赴新县田铺乡开展现场教学。请于13:40在学院正门集合，按小组乘车，"
                "组长清点人数后报班主任。请穿便于步行的鞋，带好笔记本。"
            ),
        },
    )
    context["demo_class"] = demo

    # A closed class of 2025 (village secretaries' rotation training) and one to come.
    past = _class(
        "xy-2025-ncsj",
        name="信阳市村党组织书记轮训班（2025年第三期）",
        organising_unit=xinyang,
        provider="信阳市委党校",
        venue="信阳市委党校",
        kind=TrainingClass.Kind.IN_PERSON,
        level=TrainingClass.Level.CITY,
        is_rotation=True,
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 19),
        credit_hours=Decimal("32.0"),
        capacity=60,
        status=TrainingClass.Status.CLOSED,
        description="村党组织书记全员轮训：党建引领乡村振兴“五措并举”，村集体经济发展。",
    )
    past.advisers.add(staff["adviser"])
    _sessions(
        past,
        staff,
        [
            (
                0,
                "morning",
                "党建引领乡村振兴的“五措并举”",
                "instructor",
                "lecture",
                "第二教室",
                "3",
            ),
            (0, "afternoon", "村集体经济发展路径", "instructor2", "lecture", "第二教室", "3"),
            (
                1,
                "morning",
                "案例教学：片区化发展中的村级组织",
                "instructor2",
                "case",
                "第二教室",
                "3",
            ),
        ],
    )
    # The village cadres among the demo trainees (the township secretaries come first).
    for trainee in trainees[40:60]:
        Enrolment.objects.get_or_create(
            training_class=past, trainee=trainee, defaults={"status": Enrolment.Status.COMPLETED}
        )

    luoshan = org["counties"].get("罗山县")
    _class(
        "ls-2027-dysj",
        name="罗山县驻村第一书记专题培训班",
        organising_unit=luoshan or xinyang,
        provider="罗山县委党校",
        venue="罗山县委党校",
        kind=TrainingClass.Kind.IN_PERSON,
        level=TrainingClass.Level.COUNTY,
        start_date=datetime.date(2026, 12, 14),
        end_date=datetime.date(2026, 12, 16),
        credit_hours=Decimal("18.0"),
        capacity=50,
        status=TrainingClass.Status.ENROLLING,
        description="驻村第一书记履职能力专题培训：政策解读、产业帮扶与基层治理。",
    )
