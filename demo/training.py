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

from django.utils import timezone

from training.models import ClassSession, Enrolment, Notice, StudyGroup, TrainingClass

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


LIFE = [
    TrainingClass.Status.PLANNING,
    TrainingClass.Status.ENROLLING,
    TrainingClass.Status.RUNNING,
    TrainingClass.Status.ENDED,
    TrainingClass.Status.CLOSED,
]


def _class(code, **fields):
    """Create or update a demo class; a class the sweep ended or an organiser closed
    since the last run keeps its status (seeding again never reopens it)."""
    klass, created = TrainingClass.objects.get_or_create(code=code, defaults=fields)
    if not created:
        if "status" in fields and LIFE.index(klass.status) > LIFE.index(fields["status"]):
            fields = {k: v for k, v in fields.items() if k != "status"}
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
    seed_calendar_classes(context)


# -- classes on today's calendar ---------------------------------------------------------
# Dated from the day the demo is seeded, so that right after `make run` there is a class
# to check in to now and one waiting to be closed. Seeding again on a later day moves
# them to that day (their sessions keep their attendance); a class closed in between
# stays as it was.

RUNNING_CODE = "xy-demo-pqdj"
ENDED_CODE = "ls-demo-czsj"


def _half_day(local: datetime.datetime) -> str:
    if local.hour < 12:
        return ClassSession.HalfDay.MORNING
    if local.hour < 18:
        return ClassSession.HalfDay.AFTERNOON
    return ClassSession.HalfDay.EVENING


def _dated_sessions(klass, rows):
    """rows: (title, starts_at, ends_at, who, method, credit hours), keyed by title."""
    for title, starts, ends, teacher, method, hours in rows:
        local = timezone.localtime(starts, SHANGHAI)
        ClassSession.objects.update_or_create(
            training_class=klass,
            title=title,
            defaults={
                "date": local.date(),
                "half_day": _half_day(local),
                "starts_at": starts,
                "ends_at": ends,
                "instructor": teacher,
                "instructor_name": "",
                "venue": klass.venue,
                "method": method,
                "credit_hours": Decimal(hours),
            },
        )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), SHANGHAI)


def seed_calendar_classes(context, *, now=None):
    org, staff = context["org"], context["staff"]
    trainees = context.get("trainees", [])
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = datetime.timedelta(days=1)
    teacher, teacher2 = staff["instructor"], staff["instructor2"]

    # 1. Running: held yesterday, a session going on now, one tomorrow morning.
    running = _class(
        RUNNING_CODE,
        name="信阳市先导区片区党建专题研讨班",
        organising_unit=org["信阳市"],
        provider="信阳市委党校",
        venue="信阳市委党校第三教室",
        kind=TrainingClass.Kind.IN_PERSON,
        level=TrainingClass.Level.CITY,
        start_date=today - day,
        end_date=today + day,
        credit_hours=Decimal("11.0"),
        capacity=40,
        status=TrainingClass.Status.RUNNING,
        description="片区党建联建、区域党委运行机制与先导区项目谋划的专题研讨，三天。",
    )
    if running.status != TrainingClass.Status.CLOSED:
        running.advisers.add(staff["adviser"])
        # The session on now: began a quarter of an hour ago, so the check-in screen and a
        # scan can be tried at once (a scan now counts as 迟到 after the grace period).
        start = now.replace(second=0, microsecond=0) - datetime.timedelta(minutes=15)
        _dated_sessions(
            running,
            [
                (
                    "片区党建联建的组织设置",
                    _at(today - day, 8, 30),
                    _at(today - day, 11, 30),
                    teacher,
                    ClassSession.Method.LECTURE,
                    "3",
                ),
                (
                    "区域党委如何议事协调",
                    _at(today - day, 14, 30),
                    _at(today - day, 17, 30),
                    teacher2,
                    ClassSession.Method.SEMINAR,
                    "3",
                ),
                (
                    "案例研讨：片区项目谋划与资金统筹",
                    start,
                    start + datetime.timedelta(hours=2),
                    teacher2,
                    ClassSession.Method.CASE,
                    "2",
                ),
                (
                    "结业研讨：我的片区发展清单",
                    _at(today + day, 8, 30),
                    _at(today + day, 11, 30),
                    teacher,
                    ClassSession.Method.EXCHANGE,
                    "3",
                ),
            ],
        )
        # 浉河区's township and village secretaries, 13976000001 among them.
        for trainee in trainees[0:6] + trainees[30:36]:
            Enrolment.objects.get_or_create(training_class=running, trainee=trainee)
        Enrolment.objects.filter(
            training_class=running, enrolled_at__gt=_at(today - day * 8, 9)
        ).update(enrolled_at=_at(today - day * 8, 9))
    context["running_class"] = running

    # 2. Ended yesterday: every session held, awaiting 罗山县's close (ls_organiser).
    ended = _class(
        ENDED_CODE,
        name="罗山县村党组织书记轮训班（2026年第四期）",
        organising_unit=org["counties"]["罗山县"],
        provider="罗山县委党校",
        venue="罗山县委党校报告厅",
        kind=TrainingClass.Kind.IN_PERSON,
        level=TrainingClass.Level.COUNTY,
        is_rotation=True,
        start_date=today - day * 3,
        end_date=today - day,
        credit_hours=Decimal("15.0"),
        capacity=40,
        status=TrainingClass.Status.RUNNING,
        description="村党组织书记全员轮训：片区化发展中的村级组织建设与集体经济。",
    )
    if ended.status != TrainingClass.Status.CLOSED:
        ended.advisers.add(staff["adviser"])
        rows = []
        for n, (title, who) in enumerate(
            [
                ("片区化发展中的村党组织", teacher),
                ("村集体经济的路子", teacher2),
                ("案例教学：区域党委带村", teacher2),
                ("现场教学：片区联建示范村", teacher),
                ("交流研讨与结业测试", teacher),
            ]
        ):
            date = today - day * (3 - n // 2)
            hours = (8, 30, 11, 30) if n % 2 == 0 else (14, 30, 17, 30)
            rows.append(
                (
                    title,
                    _at(date, *hours[:2]),
                    _at(date, *hours[2:]),
                    who,
                    ClassSession.Method.LECTURE if n < 2 else ClassSession.Method.CASE,
                    "3",
                )
            )
        _dated_sessions(ended, rows)
        luoshan = org["counties"]["罗山县"]
        for trainee in [t for t in trainees if t.org_unit.path.startswith(luoshan.path)]:
            Enrolment.objects.get_or_create(training_class=ended, trainee=trainee)
        Enrolment.objects.filter(
            training_class=ended, enrolled_at__gt=_at(today - day * 10, 9)
        ).update(enrolled_at=_at(today - day * 10, 9))
    context["ended_class"] = ended
