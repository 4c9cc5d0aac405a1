"""Build a province-scale data set for measuring the reports.

    python manage.py generate_load_data --persons 50000 [--seed 2026] [--force] [--reset]

Org units for one province (18 cities, ~160 counties, ~2,400 townships and, by default,
~46,000 villages), people in them, 1,000 classes with rosters and timetables, attendance
records (when the attendance app has its model), quiz attempts (when assessments has its
model) and credit-hour entries. Everything comes from one seeded random generator, so the
same arguments give the same data. Rows go in with bulk_create in batches and the
materialised tree paths are built here rather than through treebeard's one-by-one API.

Load data is recognisable (units coded `L…`, usernames `load_…`, classes `load-…`); the
command refuses to run against a database holding anything else unless `--force`.
"""

import datetime
import random
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import Attempt, Quiz
from attendance.models import AttendanceRecord
from ledger.models import CreditEntry, CreditYear
from ledger.summary import credit_summary_rebuild
from people.models import OrgUnit, User
from people.roles import Role
from reports.bulk import copy_rows
from training.models import ClassSession, Enrolment, TrainingClass

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 5000
CITIES = [
    "郑州市",
    "开封市",
    "洛阳市",
    "平顶山市",
    "安阳市",
    "鹤壁市",
    "新乡市",
    "焦作市",
    "濮阳市",
    "许昌市",
    "漯河市",
    "三门峡市",
    "南阳市",
    "商丘市",
    "信阳市",
    "周口市",
    "驻马店市",
    "济源市",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁"
    "谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜"
)
GIVEN = "建国志强海燕红梅德华卫东玉兰国庆春生秀英文斌振华丽娟永红明辉"
GIVEN += "桂芳新民晓东长青静伟勇军磊洋艳敏杰涛超"
VILLAGE_WORDS = "东西南北前后上下新老大小高李王张刘陈杨黄赵周河湾庄岗集桥店寨营"
STATUSES = [("present", 85), ("late", 5), ("left_early", 2), ("on_leave", 5), ("absent", 3)]


def _weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


class Command(BaseCommand):
    help = "Generate a province-scale load data set for the reports (reproducible from --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=50_000)
        parser.add_argument("--classes", type=int, default=1_000)
        parser.add_argument("--villages", type=int, default=46_000)
        parser.add_argument("--attempts", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--force", action="store_true", help="run beside non-load data")
        parser.add_argument("--reset", action="store_true", help="delete earlier load data")

    def log(self, message):
        self.stdout.write(f"[{time.monotonic() - self.t0:7.1f}s] {message}")

    def handle(self, *args, **opts):
        self.t0 = time.monotonic()
        self.rng = random.Random(opts["seed"])
        self.today = opts["today"] or timezone.localdate()
        foreign = (
            OrgUnit.objects.exclude(code__startswith="L").exists()
            or User.objects.exclude(username__startswith="load_").exists()
        )
        if foreign and not opts["force"]:
            raise CommandError(
                "This database holds data that is not load data; "
                "use a scratch database or pass --force."
            )
        if OrgUnit.objects.filter(code__startswith="L").exists():
            if not opts["reset"]:
                raise CommandError("Load data is already here; pass --reset to rebuild it.")
            self.reset()
        with transaction.atomic():
            units = self.org_units(opts["villages"])
            people = self.people(units, opts["persons"])
            classes = self.classes(units, people, opts["classes"])
            self.attendance(classes)
            self.attempts(classes, opts["attempts"])
            self.ledger(classes, people)
            # The entries went in by COPY, past the signals that keep the summary.
            self.log(f"credit-hour summary: {credit_summary_rebuild()} rows")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.log("done")

    # -- reset ---------------------------------------------------------------------------
    def reset(self):
        db = connection.alias
        load_classes = TrainingClass.objects.filter(code__startswith="load-")
        load_people = User.objects.filter(username__startswith="load_")
        with transaction.atomic():
            # Load users beyond the generated people (bench_reports' organiser) may have
            # rows elsewhere (managed units, an admin profile): the ORM deletes those.
            load_people.exclude(username__regex=r"^load_[0-9]{6}$").delete()
            AttendanceRecord.objects.filter(session__training_class__in=load_classes)._raw_delete(
                db
            )
            Attempt.objects.filter(trainee__in=load_people)._raw_delete(db)
            Quiz.objects.filter(training_class__in=load_classes)._raw_delete(db)
            CreditEntry.objects.filter(person__in=load_people)._raw_delete(db)
            CreditYear.objects.filter(person__in=load_people)._raw_delete(db)
            Enrolment.objects.filter(training_class__in=load_classes)._raw_delete(db)
            ClassSession.objects.filter(training_class__in=load_classes)._raw_delete(db)
            load_classes._raw_delete(db)
            User.groups.through.objects.filter(user__in=load_people)._raw_delete(db)
            load_people._raw_delete(db)
            OrgUnit.objects.filter(code__startswith="L")._raw_delete(db)
        self.log("earlier load data removed")

    # -- org units -----------------------------------------------------------------------
    def org_units(self, village_total):
        rng = self.rng
        last = OrgUnit.get_last_root_node()
        root_path = last._inc_path() if last else OrgUnit._get_path(None, 1, 1)
        step = OrgUnit.steplen
        L = OrgUnit.Level
        rows = []
        codes = iter(range(1, 10**9))

        def add(path, name, level, numchild):
            unit = OrgUnit(
                path=path,
                depth=len(path) // step,
                numchild=numchild,
                name=name,
                level=level,
                code=f"L{next(codes):08d}",
            )
            rows.append(unit)
            return unit

        def child(parent_path, i):
            return parent_path + OrgUnit._int2str(i).rjust(step, "0")

        county_counts = [9] * 16 + [8, 8]  # 160 counties over 18 cities
        township_total = 2400
        per_county = township_total // sum(county_counts)
        villages_per_township = max(village_total // township_total, 1)
        extra_villages = max(village_total - villages_per_township * township_total, 0)
        province = add(root_path, "河南省（压测）", L.PROVINCE, len(CITIES))
        tree = {"province": province, "cities": [], "counties": [], "townships": [], "villages": []}
        for ci, city_name in enumerate(CITIES, start=1):
            city_path = child(root_path, ci)
            tree["cities"].append(add(city_path, city_name, L.CITY, county_counts[ci - 1]))
            for k in range(1, county_counts[ci - 1] + 1):
                county_path = child(city_path, k)
                county = add(county_path, f"{city_name[:-1]}第{k}县", L.COUNTY, per_county)
                tree["counties"].append(county)
                for t in range(1, per_county + 1):
                    n_villages = villages_per_township + (1 if extra_villages > 0 else 0)
                    extra_villages -= 1
                    township_path = child(county_path, t)
                    township = add(
                        township_path, f"{county.name[:-1]}{t}镇", L.TOWNSHIP, n_villages
                    )
                    tree["townships"].append(township)
                    for v in range(1, n_villages + 1):
                        name = "".join(rng.choice(VILLAGE_WORDS) for _ in range(2)) + "村"
                        tree["villages"].append(add(child(township_path, v), name, L.VILLAGE, 0))
        OrgUnit.objects.bulk_create(rows, batch_size=BATCH)
        self.log(
            f"org units: 1 province, {len(tree['cities'])} cities, {len(tree['counties'])} "
            f"counties, {len(tree['townships'])} townships, {len(tree['villages'])} villages"
        )
        return tree

    # -- people --------------------------------------------------------------------------
    def people(self, units, total):
        rng = self.rng
        P, R = User.Position, User.Rank
        townships, villages, counties = units["townships"], units["villages"], units["counties"]
        plan = []
        for t in townships:
            plan.append((t, P.TOWNSHIP_SECRETARY, R.TOWNSHIP))
        n_village_sec = min(len(villages), int(total * 0.6))
        for v in rng.sample(villages, n_village_sec):
            plan.append((v, P.VILLAGE_SECRETARY, R.NONE))
        rest = total - len(plan)
        for _ in range(max(rest, 0)):
            kind = rng.random()
            if kind < 0.62:
                plan.append((rng.choice(villages), P.VILLAGE_CADRE, R.NONE))
            elif kind < 0.75:
                plan.append((rng.choice(villages), P.FIRST_SECRETARY, R.STAFF))
            elif kind < 0.95:
                plan.append(
                    (rng.choice(townships), P.TOWNSHIP_CADRE, rng.choice([R.STAFF, R.TOWNSHIP]))
                )
            else:
                plan.append((rng.choice(counties), P.OTHER, R.COUNTY))
        plan = plan[:total]
        users = []
        for i, (unit, position, rank) in enumerate(plan, start=1):
            users.append(
                User(
                    username=f"load_{i:06d}",
                    password="!",  # unusable: load people never log in
                    full_name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
                    position=position,
                    rank=rank,
                    org_unit=unit,
                    gender=rng.choice("MF"),
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        if connection.vendor != "postgresql" or users[0].pk is None:
            users = list(User.objects.filter(username__startswith="load_").order_by("username"))
        trainee_group = Group.objects.filter(name=str(Role.TRAINEE)).first()
        if trainee_group is not None:
            Through = User.groups.through
            Through.objects.bulk_create(
                [Through(user_id=u.pk, group_id=trainee_group.pk) for u in users], batch_size=BATCH
            )
            # bulk_create sends no m2m signal: the role names on the rows by hand.
            User.objects.filter(username__startswith="load_").update(
                group_names=[trainee_group.name]
            )
        self.log(f"people: {len(users)}")
        return users

    # -- classes, rosters, sessions ------------------------------------------------------
    def classes(self, units, people, total):
        rng, today = self.rng, self.today
        T = TrainingClass
        by_path = {}
        for person in people:
            by_path.setdefault(person.org_unit.path[:12], []).append(person)  # county prefix
        city_people = {}
        for county_path, members in by_path.items():
            city_people.setdefault(county_path[:8], []).extend(members)
        leaders = [p for p in people if p.position in ("village_secretary", "township_secretary")]
        first_day, last_day = datetime.date(2021, 1, 4), today + datetime.timedelta(days=90)
        span = (last_day - first_day).days
        classes, plans = [], []
        for i in range(1, total + 1):
            roll = rng.random()
            if roll < 0.10:
                level, organiser = T.Level.PROVINCIAL, units["province"]
            elif roll < 0.45:
                level, organiser = T.Level.CITY, rng.choice(units["cities"])
            else:
                level, organiser = T.Level.COUNTY, rng.choice(units["counties"])
            if i <= 20:  # some classes run today, so the overview has something live
                start = today - datetime.timedelta(days=rng.randint(0, 5))
            else:
                start = first_day + datetime.timedelta(days=rng.randint(0, span))
            days = 7
            end = start + datetime.timedelta(days=days - 1)
            if end < today:
                status = T.Status.CLOSED
            elif start <= today:
                status = T.Status.RUNNING
            else:
                status = rng.choice([T.Status.PLANNING, T.Status.ENROLLING])
            rotation = rng.random() < (0.5 if level == T.Level.COUNTY else 0.15)
            unit = organiser
            classes.append(
                T(
                    name=f"{unit.name}"
                    f"{'村干部轮训班' if rotation else '基层干部能力提升培训班'}（第{i}期）",
                    code=f"load-{i:05d}",
                    organising_unit=unit,
                    provider="大别山干部学院" if level != T.Level.COUNTY else "县委党校",
                    kind=T.Kind.IN_PERSON,
                    level=level,
                    is_rotation=rotation,
                    start_date=start,
                    end_date=end,
                    credit_hours=Decimal(days * 6),
                    status=status,
                )
            )
            if level == T.Level.PROVINCIAL:
                pool = leaders
            elif level == T.Level.CITY:
                pool = [p for p in city_people.get(organiser.path, []) if p.position != "other"]
            else:
                pool = by_path.get(organiser.path, [])
            plans.append(pool)
        TrainingClass.objects.bulk_create(classes, batch_size=BATCH)
        if classes[0].pk is None:
            classes = list(TrainingClass.objects.filter(code__startswith="load-").order_by("code"))
        enrolments, sessions = [], []
        E = Enrolment.Status
        for klass, pool in zip(classes, plans, strict=True):
            size = min(len(pool), rng.randint(60, 90))
            roster = rng.sample(pool, size) if size else []
            for person in roster:
                if klass.status == T.Status.CLOSED:
                    status = E.COMPLETED if rng.random() < 0.95 else E.WITHDRAWN
                else:
                    status = E.ENROLLED
                enrolments.append((klass.pk, person.pk, status))
            klass._roster = roster
            for d in range((klass.end_date - klass.start_date).days + 1):
                date = klass.start_date + datetime.timedelta(days=d)
                for half, (h1, h2) in (("morning", (8, 11)), ("afternoon", (14, 17))):
                    sessions.append(
                        ClassSession(
                            training_class=klass,
                            date=date,
                            half_day=half,
                            starts_at=datetime.datetime.combine(
                                date, datetime.time(h1, 30), SHANGHAI
                            ),
                            ends_at=datetime.datetime.combine(
                                date, datetime.time(h2, 30), SHANGHAI
                            ),
                            title="专题讲座" if half == "morning" else "案例研讨",
                            credit_hours=Decimal("3.0"),
                        )
                    )
        copy_rows(Enrolment, ["training_class_id", "trainee_id", "status"], enrolments)
        ClassSession.objects.bulk_create(sessions, batch_size=BATCH)
        if sessions and sessions[0].pk is None:
            sessions = list(
                ClassSession.objects.filter(training_class__code__startswith="load-").order_by("pk")
            )
        by_class = {}
        for s in sessions:
            by_class.setdefault(s.training_class_id, []).append(s)
        for klass in classes:
            klass._sessions = by_class.get(klass.pk, [])
        self.log(
            f"classes: {len(classes)}, enrolments: {len(enrolments)}, sessions: {len(sessions)}"
        )
        self.enrolment_status = {(c, t): status for c, t, status in enrolments}
        return classes

    # -- attendance ----------------------------------------------------------------------
    def attendance(self, classes):
        rng, now = self.rng, timezone.now()

        def rows():
            for klass in classes:
                for session in klass._sessions:
                    if session.ends_at > now:
                        continue
                    for person in klass._roster:
                        status = _weighted(rng, STATUSES)
                        yield (
                            session.pk,
                            person.pk,
                            status,
                            "leave"
                            if status == "on_leave"
                            else ("auto" if status == "absent" else "qr"),
                            session.starts_at
                            if status in ("present", "late", "left_early")
                            else None,
                        )

        count = copy_rows(
            AttendanceRecord,
            ["session_id", "trainee_id", "status", "source", "checked_in_at"],
            rows(),
        )
        self.log(f"attendance records: {count}")

    # -- quiz attempts -------------------------------------------------------------------
    def attempts(self, classes, wanted):
        rng, now = self.rng, timezone.now()
        done = [k for k in classes if k.end_date < self.today and k._roster]
        if not done:
            return
        per_class = max(1, round(wanted / sum(len(k._roster) for k in done)))
        quizzes = []
        for klass in done:
            for q in range(per_class):
                final = q == per_class - 1
                quizzes.append(
                    Quiz(
                        title=f"{'结业考试' if final else f'随堂测验{q + 1}'}",
                        training_class=klass,
                        is_final_exam=final,
                        is_required=final,
                    )
                )
        Quiz.objects.bulk_create(quizzes, batch_size=BATCH)
        if quizzes[0].pk is None:
            quizzes = list(
                Quiz.objects.filter(training_class__code__startswith="load-").order_by("pk")
            )
        by_class = {}
        for quiz in quizzes:
            by_class.setdefault(quiz.training_class_id, []).append(quiz)

        def rows():
            count = 0
            for klass in done:
                taken = datetime.datetime.combine(klass.end_date, datetime.time(15), SHANGHAI)
                for quiz in by_class.get(klass.pk, []):
                    for person in klass._roster:
                        if count >= wanted:
                            break
                        percent = Decimal(str(round(min(max(rng.gauss(78, 12), 0), 100), 1)))
                        count += 1
                        yield (
                            quiz.pk,
                            person.pk,
                            1,
                            "submitted",
                            taken - datetime.timedelta(minutes=30),
                            min(taken, now),
                            percent,
                            Decimal("100"),
                            percent,
                            percent >= 60,
                            1,
                        )

        fields = [
            "quiz_id",
            "trainee_id",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "score",
            "max_score",
            "percent",
            "passed",
            "graded_count",
        ]
        count = copy_rows(Attempt, fields, rows())
        self.log(f"quizzes: {len(quizzes)}, attempts: {count}")

    # -- ledger --------------------------------------------------------------------------
    def ledger(self, classes, people):
        rng = self.rng
        in_person, online = CreditEntry.Channel.IN_PERSON, CreditEntry.Channel.ONLINE

        def rows():
            for klass in classes:
                if klass.status != TrainingClass.Status.CLOSED:
                    continue
                title = klass.name[:200]
                for person in klass._roster:
                    status = self.enrolment_status.get((klass.pk, person.pk))
                    if status != Enrolment.Status.COMPLETED:
                        continue
                    yield (
                        person.pk,
                        in_person,
                        klass.credit_hours,
                        klass.end_date,
                        title,
                        f"class:{klass.pk}",
                    )
            for person in people:
                for year in range(2021, self.today.year + 1):
                    if rng.random() < 0.7:
                        yield (
                            person.pk,
                            online,
                            Decimal(rng.choice([12, 24, 36, 48, 52, 60])),
                            datetime.date(year, rng.randint(1, 11), rng.randint(1, 28)),
                            f"{year} 年网络培训",
                            f"load-online:{year}",
                        )
                    if rng.random() < 0.5:
                        yield (
                            person.pk,
                            in_person,
                            Decimal(rng.choice([24, 42, 60, 90])),
                            datetime.date(year, rng.randint(1, 11), rng.randint(1, 28)),
                            f"{year} 年其他脱产培训",
                            f"load-other:{year}",
                        )

        fields = ["person_id", "channel", "hours", "earned_on", "title", "source_key"]
        count = copy_rows(CreditEntry, fields, rows())
        self.log(f"credit-hour entries: {count}")
