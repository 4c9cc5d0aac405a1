"""The timetable (课程表): sessions by half-day, by hand or from an XLSX with preview/confirm."""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError, PermissionDenied
from lms.spreadsheets import Book
from people.models import User
from people.roles import Role

from ..models import ClassSession, ImportBatch, TrainingClass
from ..selectors import can_manage_class
from ..spreadsheets import Column, read_rows, write_book
from .roster import ImportBatchUsed, ImportInvalid, import_batches_purge


class ClassNotManaged(PermissionDenied):
    code = "class_not_managed"
    message = _("Only organisers of the organising unit may change this timetable.")


class SessionOutsideClass(DomainError):
    code = "session_outside_class"
    message = _("The session must fall within the class's dates.")


class SessionOverlaps(DomainError):
    code = "session_overlaps"
    message = _("Another session of this class overlaps this time.")


class SessionInUse(DomainError):
    code = "session_in_use"
    message = _(
        "This session already has attendance records, check-in scans, leave requests or "
        "ratings, so it cannot be deleted; edit its time or title instead."
    )


DATE, HALF, START, END, TITLE, TEACHER, VENUE, METHOD, HOURS = (
    "日期",
    "时段",
    "开始时间",
    "结束时间",
    "课程名称",
    "授课教师",
    "教学地点",
    "教学方式",
    "学时",
)
TIMETABLE_COLUMNS = [
    Column(DATE, 12, required=True),
    Column(HALF, 8, required=True),
    Column(START, 10, required=True, aliases=("开始",)),
    Column(END, 10, required=True, aliases=("结束",)),
    Column(TITLE, 40, required=True, aliases=("课程", "专题", "内容")),
    Column(TEACHER, 16, aliases=("教师", "主讲人", "授课人")),
    Column(VENUE, 24, aliases=("地点",)),
    Column(METHOD, 10, aliases=("方式",)),
    Column(HOURS, 6, required=True),
]
HALF_DAYS = {"上午": "morning", "下午": "afternoon", "晚上": "evening"}
HALF_DAY_LABELS = {v: k for k, v in HALF_DAYS.items()}
METHODS = {
    "讲授": "lecture",
    "专题讲授": "lecture",
    "研讨": "seminar",
    "专题研讨": "seminar",
    "案例": "case",
    "案例教学": "case",
    "现场教学": "field",
    "现场": "field",
    "交流": "exchange",
    "交流研讨": "exchange",
    "其他": "other",
    "": "lecture",
}
METHOD_LABELS = {
    "lecture": "讲授",
    "seminar": "研讨",
    "case": "案例教学",
    "field": "现场教学",
    "exchange": "交流研讨",
    "other": "其他",
}

PROBLEMS = {
    "bad_date": _("Date must look like 2026-11-23."),
    "date_outside_class": _("Date is outside the class's dates."),
    "bad_half_day": _("Half day must be 上午, 下午 or 晚上."),
    "bad_time": _("Times must look like 08:30."),
    "end_before_start": _("The session ends before it starts."),
    "missing_title": _("Title is missing."),
    "bad_method": _("Unknown method; use 讲授, 研讨, 案例教学, 现场教学, 交流研讨 or 其他."),
    "bad_hours": _("Credit hours must be a number between 0 and 12."),
    "overlaps_row": _("Overlaps an earlier row of the file."),
    "overlaps_existing": _("Overlaps a session already on the timetable."),
    "already_present": _("Already on the timetable; the row will be skipped."),
}
WARNINGS = {"already_present"}

_TIME = re.compile(r"^(\d{1,2})[:：.](\d{2})(?::\d{2})?$")


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _parse_date(text: str) -> datetime.date | None:
    text = unicodedata.normalize("NFKC", text)
    text = text.split(" ")[0].replace("/", "-").replace(".", "-")
    m = re.match(r"^(\d{4})[-年](\d{1,2})[-月](\d{1,2})日?$", text)
    if not m:
        return None
    try:
        return datetime.date(*map(int, m.groups()))
    except ValueError:
        return None


def _parse_time(text: str) -> datetime.time | None:
    m = _TIME.match(unicodedata.normalize("NFKC", text))
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    if h > 23 or mi > 59:
        return None
    return datetime.time(h, mi)


@dataclass
class SessionRow:
    row: int
    raw: dict
    problems: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    action: str = ""

    @property
    def errors(self) -> list[str]:
        return [p for p in self.problems if p not in WARNINGS]

    @property
    def messages(self) -> list[tuple[str, str]]:
        return [(p, PROBLEMS[p]) for p in self.problems]


@dataclass
class TimetableCheck:
    rows: list[SessionRow]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(len(r.errors) for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    @property
    def n_create(self) -> int:
        return self.count("create")

    @property
    def n_skip(self) -> int:
        return self.count("skip")


def _instructors() -> dict[str, User]:
    """Instructors by full name; a name two instructors share links to neither."""
    found: dict[str, User | None] = {}
    for person in User.objects.filter(groups__name=str(Role.INSTRUCTOR), is_active=True):
        key = person.full_name
        found[key] = None if key in found else person
    return {k: v for k, v in found.items() if v is not None}


def timetable_check(*, training_class: TrainingClass, raw_rows: list) -> TimetableCheck:
    tz = _tz()
    teachers = _instructors()
    existing = list(training_class.sessions.all())
    rows = [SessionRow(row=n, raw=raw) for n, raw in raw_rows]
    accepted: list[SessionRow] = []
    for r in rows:
        raw, v = r.raw, r.values
        day = _parse_date(raw.get(DATE, ""))
        if day is None:
            r.problems.append("bad_date")
        elif not training_class.start_date <= day <= training_class.end_date:
            r.problems.append("date_outside_class")
        if raw.get(HALF, "") not in HALF_DAYS:
            r.problems.append("bad_half_day")
        start, end = _parse_time(raw.get(START, "")), _parse_time(raw.get(END, ""))
        if start is None or end is None:
            r.problems.append("bad_time")
        elif end <= start:
            r.problems.append("end_before_start")
        if not raw.get(TITLE):
            r.problems.append("missing_title")
        if raw.get(METHOD, "") not in METHODS:
            r.problems.append("bad_method")
        try:
            hours = Decimal(unicodedata.normalize("NFKC", raw.get(HOURS, ""))).quantize(
                Decimal("0.1")
            )
            if not Decimal(0) <= hours <= Decimal(12):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            r.problems.append("bad_hours")
            hours = None
        if r.problems:
            continue
        teacher_name = raw.get(TEACHER, "")
        teacher = teachers.get(teacher_name)
        v.update(
            date=day.isoformat(),
            half_day=HALF_DAYS[raw[HALF]],
            starts_at=datetime.datetime.combine(day, start, tz),
            ends_at=datetime.datetime.combine(day, end, tz),
            title=raw[TITLE][:200],
            instructor_id=teacher.pk if teacher else None,
            instructor_name="" if teacher else teacher_name[:100],
            venue=raw.get(VENUE, "")[:200],
            method=METHODS[raw.get(METHOD, "")],
            credit_hours=hours,
        )
        same = [
            s
            for s in existing
            if s.starts_at == v["starts_at"] and s.ends_at == v["ends_at"] and s.title == v["title"]
        ]
        if same:
            r.problems.append("already_present")
            r.action = "skip"
            continue
        if any(s.starts_at < v["ends_at"] and v["starts_at"] < s.ends_at for s in existing):
            r.problems.append("overlaps_existing")
        if any(
            o.values["starts_at"] < v["ends_at"] and v["starts_at"] < o.values["ends_at"]
            for o in accepted
        ):
            r.problems.append("overlaps_row")
        accepted.append(r)
        r.action = "create"
    return TimetableCheck(rows=rows)


def _check_manager(actor, klass):
    if not can_manage_class(actor, klass):
        raise ClassNotManaged(str(klass.pk))


def timetable_import_preview(*, actor, training_class: TrainingClass, upload, filename: str = ""):
    _check_manager(actor, training_class)
    raw_rows = read_rows(upload, TIMETABLE_COLUMNS, file_name=filename)
    import_batches_purge()
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.TIMETABLE,
        training_class=training_class,
        created_by=actor,
        filename=filename[:200],
        rows=raw_rows,
    )
    return batch, timetable_check(training_class=training_class, raw_rows=raw_rows)


@transaction.atomic
def timetable_import_confirm(*, actor, batch: ImportBatch) -> int:
    """Create every new session of the file, or none. Returns how many were created."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.confirmed_at is not None:
        raise ImportBatchUsed(str(batch.pk))
    klass = TrainingClass.objects.select_for_update().get(pk=batch.training_class_id)
    _check_manager(actor, klass)
    check = timetable_check(training_class=klass, raw_rows=batch.rows)
    if not check.is_valid:
        raise ImportInvalid(f"{check.error_count} problems")
    created = 0
    for r in check.rows:
        if r.action != "create":
            continue
        values = dict(r.values)
        values["date"] = datetime.date.fromisoformat(values["date"])
        session = ClassSession(training_class=klass, **values)
        session.full_clean()
        session.save()
        created += 1
    batch.confirmed_at = timezone.now()
    batch.save(update_fields=["confirmed_at"])
    log(
        klass,
        "training.timetable_import",
        user=actor,
        data={"file": batch.filename, "created": created},
    )
    return created


SESSION_FIELDS = (
    "date",
    "half_day",
    "starts_at",
    "ends_at",
    "title",
    "instructor",
    "instructor_name",
    "venue",
    "method",
    "credit_hours",
    "page",
)


@transaction.atomic
def session_save(
    *, actor, training_class: TrainingClass, session: ClassSession | None = None, **fields
):
    """Create or edit one session; refuses dates outside the class and overlapping times."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    _check_manager(actor, klass)
    if session is None:
        session = ClassSession(training_class=klass)
    elif session.training_class_id != klass.pk:
        raise PermissionDenied(str(session.pk))
    for key, value in fields.items():
        setattr(session, key, value)
    local_day = timezone.localtime(session.starts_at, _tz()).date()
    session.date = local_day
    if not klass.start_date <= local_day <= klass.end_date:
        raise SessionOutsideClass(str(local_day))
    others = klass.sessions.exclude(pk=session.pk).filter(
        starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
    )
    if others.exists():
        raise SessionOverlaps(str(others.first().pk))
    session.full_clean()
    created = session.pk is None
    session.save()
    log(session, "training.session_create" if created else "training.session_update", user=actor)
    return session


@transaction.atomic
def session_delete(*, actor, session: ClassSession) -> None:
    """Only a session nothing refers to may go; others are edited instead.

    Attendance records, failed scans, the closure and leave requests PROTECT the session
    (declared in the attendance app, which this one does not import), so deleting one
    that has them raises ProtectedError instead of wiping them.
    """
    _check_manager(actor, session.training_class)
    if session.evaluations.exists():
        raise SessionInUse(str(session.pk))
    log(session, "training.session_delete", user=actor, data={"title": session.title})
    try:
        with transaction.atomic():
            session.delete()
    except ProtectedError as exc:  # attendance records point at it
        raise SessionInUse(str(session.pk)) from exc


def timetable_template() -> Book:
    rows = [
        [
            "2026-11-23",
            "上午",
            "08:30",
            "11:30",
            "（示例，导入前请删除本行）专题讲授",
            "李文博",
            "第一教室",
            "讲授",
            3,
        ]
    ]
    return write_book([("课程表", TIMETABLE_COLUMNS, rows)])


def timetable_export(*, training_class: TrainingClass) -> Book:
    tz = _tz()
    rows = []
    for s in training_class.sessions.select_related("instructor").order_by("starts_at"):
        rows.append(
            [
                s.date.isoformat(),
                HALF_DAY_LABELS.get(s.half_day, ""),
                timezone.localtime(s.starts_at, tz).strftime("%H:%M"),
                timezone.localtime(s.ends_at, tz).strftime("%H:%M"),
                s.title,
                s.instructor.full_name if s.instructor else s.instructor_name,
                s.venue,
                METHOD_LABELS.get(s.method, ""),
                float(s.credit_hours),
            ]
        )
    return write_book([("课程表", TIMETABLE_COLUMNS, rows)])
