"""The overview: where training stands today, in figures and charts, for the viewer's units."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Floor, Substr
from django.utils import timezone

from assessments.models import Attempt
from attendance.models import AttendanceRecord
from certificates.models import Certificate
from people.models import OrgUnit, User
from training.models import ClassSession, Enrolment, TrainingClass

from .coverage import STEPLEN, annotate_status
from .params import Period
from .requirements import requirements_get
from .scope import person_q, report_class_list

ATTENDED = ("present", "late", "left_early")
STATUSES = ("present", "late", "left_early", "on_leave", "absent")
SESSIONS_PER_PAGE = 20


@dataclass
class SessionPage:
    """One page of the year's sessions for the attendance chart, newest page first.

    `rows` are in display order: a `{"heading": class name}` row, then that class's
    sessions in time order (`{"session", "label", <status counts>}`), for each class on
    the page. `first`..`last` are the positions shown out of `total` sessions."""

    rows: list
    number: int
    pages: int
    total: int
    first: int
    last: int


@dataclass
class Overview:
    unit: OrgUnit | None
    year: int
    today: datetime.date
    classes_running: int = 0
    classes_upcoming: int = 0
    trainees_in_training: int = 0
    attendance_today: dict = field(default_factory=dict)
    completion: dict = field(default_factory=dict)
    certificates_issued: int = 0
    compliance: dict = field(default_factory=dict)
    attendance_by_session: SessionPage | None = None
    score_distribution: list = field(default_factory=list)
    completion_by_unit: list = field(default_factory=list)
    running_classes: list = field(default_factory=list)
    computed_at: datetime.datetime | None = None


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def group_expression(path_field: str, unit: OrgUnit | None, top_units: list[OrgUnit]):
    """The child-unit key of a row: its path prefix one level below `unit`."""
    if unit is not None:
        return Substr(path_field, 1, len(unit.path) + STEPLEN)
    return Case(
        *[When(**{f"{path_field}__startswith": u.path}, then=Value(u.path)) for u in top_units],
        default=Value(""),
        output_field=CharField(),
    )


def overview_get(
    *,
    viewer,
    unit: OrgUnit | None,
    top_units: list[OrgUnit],
    year: int,
    today=None,
    sessions_page: int = 1,
) -> Overview:
    today = today or timezone.localdate()
    result = Overview(unit=unit, year=year, today=today, computed_at=timezone.now())
    classes = report_class_list(viewer=viewer, unit=unit)
    C = TrainingClass.Status
    counts = classes.aggregate(
        running=Count("pk", filter=Q(status=C.RUNNING)),
        upcoming=Count("pk", filter=Q(status__in=[C.PLANNING, C.ENROLLING], start_date__gte=today)),
    )
    result.classes_running, result.classes_upcoming = counts["running"], counts["upcoming"]
    result.running_classes = list(
        classes.filter(status=C.RUNNING)
        .select_related("organising_unit")
        .order_by("-start_date", "pk")[:10]
    )

    # Completion of the classes that closed in the year, for the viewer's people.
    finished = Enrolment.objects.filter(
        person_q(viewer, unit, field="trainee"),
        training_class__status=C.CLOSED,
        training_class__end_date__year=year,
    )
    units = list(unit.get_children().order_by("path")) if unit else top_units
    key = group_expression("trainee__org_unit__path", unit, top_units)
    rows = (
        finished.annotate(key=key)
        .order_by()
        .values("key")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
        )
    )
    by_key = {row["key"]: row for row in rows}
    # The groups split the same enrolments, so their sums are the totals: no second scan.
    done = {
        "total": sum(row["total"] for row in by_key.values()),
        "completed": sum(row["completed"] for row in by_key.values()),
    }
    result.completion = {**done, "rate": _rate(done["completed"], done["total"])}
    for u in units:
        row = by_key.get(u.path, {})
        total, completed = row.get("total", 0), row.get("completed", 0)
        result.completion_by_unit.append(
            {
                "pk": u.pk,
                "label": u.name,
                "total": total,
                "completed": completed,
                "rate": _rate(completed, total),
            }
        )

    # One pass over the people in scope: those on a running class now, and the cadres
    # (active, with a position: `people_in_scope`) meeting their credit-hour requirements.
    req = requirements_get()
    period = Period(datetime.date(year - 4, 1, 1), datetime.date(year, 12, 31))
    in_training = Enrolment.objects.filter(
        status=Enrolment.Status.ENROLLED, training_class__status=C.RUNNING
    ).values("trainee_id")
    cadre = Q(is_active=True) & ~Q(position="")
    counts = annotate_status(
        User.objects.filter(person_q(viewer, unit)), period=period, year=year, reqs=req
    ).aggregate(
        in_training=Count("pk", filter=Q(pk__in=in_training)),
        total=Count("pk", filter=cadre),
        compliant=Count("pk", filter=cadre & Q(meets=True)),
    )
    result.trainees_in_training = counts.pop("in_training")
    result.compliance = {**counts, "rate": _rate(counts["compliant"], counts["total"])}

    result.attendance_today = _attendance_today(viewer, unit, today)
    result.attendance_by_session = _attendance_by_session(
        viewer, unit, classes, year=year, today=today, page=sessions_page
    )
    result.score_distribution = _score_distribution(viewer, unit, year)
    result.certificates_issued = Certificate.objects.filter(
        person_q(viewer, unit, field="trainee"), revoked_at__isnull=True, issued_at__year=year
    ).count()
    return result


def overview_cached(
    *, viewer, unit: OrgUnit | None, top_units: list[OrgUnit], year: int, sessions_page: int = 1
) -> Overview:
    """`overview_get`, kept in the shared cache for REPORTS_OVERVIEW_CACHE_SECONDS (60).

    At 50,000 people the overview scans every enrolment, credit summary, attendance
    record and attempt of the scope: about half a second of PostgreSQL on two cores,
    for figures that move by a few rows a minute. Organisers open it again and again
    (each unit, each year, each page of sessions): within the minute they get the same
    figures, and the page says when they were counted. The key holds everything the
    figures depend on: the viewer, their scope (its top units), the unit, the year, the
    day and the page; a change of scope gives a new key.
    """
    seconds = int(getattr(settings, "REPORTS_OVERVIEW_CACHE_SECONDS", 60))
    today = timezone.localdate()
    arguments = {
        "viewer": viewer,
        "unit": unit,
        "top_units": top_units,
        "year": year,
        "today": today,
        "sessions_page": sessions_page,
    }
    if seconds <= 0:
        return overview_get(**arguments)
    scope = ",".join(str(u.pk) for u in top_units)
    key = (
        f"reports:overview:{viewer.pk}:{scope}:{unit.pk if unit else 0}:{year}:"
        f"{today.isoformat()}:{sessions_page}"
    )
    data = cache.get(key)
    if data is None:
        data = overview_get(**arguments)
        cache.set(key, data, seconds)
    return data


def _attendance_today(viewer, unit, today) -> dict:
    counts = AttendanceRecord.objects.filter(
        person_q(viewer, unit, field="trainee"), session__date=today
    ).aggregate(**{s: Count("pk", filter=Q(status=s)) for s in STATUSES})
    total = sum(counts.values())
    attended = sum(counts[s] for s in ATTENDED)
    return {**counts, "total": total, "attended": attended, "rate": _rate(attended, total)}


def _attendance_by_session(viewer, unit, classes, *, year: int, today, page: int) -> SessionPage:
    """Every session of the year up to today with records of the viewer's people, twenty
    to a page (the newest first), each with its counts by status. Two queries whatever
    the number of sessions: the page with how many there are, its counts. A page past the
    last shows the last (two more queries: how many, that page)."""
    mine = AttendanceRecord.objects.filter(
        person_q(viewer, unit, field="trainee"), session=OuterRef("pk")
    )
    held = ClassSession.objects.filter(
        Exists(mine),
        training_class__in=classes,
        date__gte=datetime.date(year, 1, 1),
        date__lte=min(today, datetime.date(year, 12, 31)),
    )
    # The page and, on each of its rows, how many there are in all: one pass over the
    # year's sessions. Only a page past the last needs the count apart (then the last page).
    ordered = (
        held.annotate(held_total=Window(Count("pk")))
        .select_related("training_class")
        .order_by("-starts_at", "-pk")
    )
    number = max(page, 1)
    start = (number - 1) * SESSIONS_PER_PAGE
    sessions = list(ordered[start : start + SESSIONS_PER_PAGE])
    if sessions:
        total = sessions[0].held_total
    elif number > 1:
        total = held.count()
    else:
        total = 0
    pages = max(1, -(-total // SESSIONS_PER_PAGE))
    if number > pages:
        number = pages
        start = (number - 1) * SESSIONS_PER_PAGE
        sessions = list(ordered[start : start + SESSIONS_PER_PAGE])
    counts = {
        row["session_id"]: row
        for row in AttendanceRecord.objects.filter(
            person_q(viewer, unit, field="trainee"), session__in=[s.pk for s in sessions]
        )
        .order_by()
        .values("session_id")
        .annotate(**{s: Count("pk", filter=Q(status=s)) for s in STATUSES})
    }
    # Grouped by class under its name (newest class first), each class's sessions in time
    # order: a bar reads 11-24 上午 under 罗山县村党组织书记示范培训班, never a class code.
    by_class: dict[int, list] = {}
    for s in sessions:
        by_class.setdefault(s.training_class_id, []).append(s)
    rows = []
    for group in by_class.values():
        rows.append({"heading": group[0].training_class.name})
        rows += [
            {
                "session": s,
                "label": f"{s.date:%m-%d} {s.get_half_day_display()}",
                **{k: counts.get(s.pk, {}).get(k, 0) for k in STATUSES},
            }
            for s in reversed(group)
        ]
    return SessionPage(
        rows=rows,
        number=number,
        pages=pages,
        total=total,
        first=start + 1 if sessions else 0,
        last=start + len(sessions),
    )


def _score_distribution(viewer, unit, year) -> list[dict]:
    """Submitted quiz attempts of the year in ten-point bands (100 joins the 90s)."""
    band = Cast(Floor(F("percent") / Value(10)), IntegerField())
    rows = (
        Attempt.objects.filter(
            person_q(viewer, unit, field="trainee"),
            status="submitted",
            percent__isnull=False,
            submitted_at__year=year,
        )
        .annotate(band=band)
        .order_by()
        .values("band")
        .annotate(n=Count("pk"))
    )
    bands = dict.fromkeys(range(10), 0)
    for row in rows:
        bands[min(max(int(row["band"] or 0), 0), 9)] += row["n"]
    return [
        {"label": f"{b * 10}–{b * 10 + 9 if b < 9 else 100}", "n": n, "fail": b < 6}
        for b, n in bands.items()
    ]
