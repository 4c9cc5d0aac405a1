"""Reads: policies, rosters with their records, counts, summaries and the at-risk flag.

Scoping: attendance is run by a class's advisers and the organisers of its organising
unit (`training.selectors.can_run_class`); querysets here apply the same rule so lists
never show what a detail page would refuse.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from people.roles import Role, has_role
from people.selectors import within_units_q
from training.models import ClassSession, Enrolment, TrainingClass

from .models import (
    AttendancePolicy,
    AttendanceRecord,
    AttendanceStatus,
    CheckinAttempt,
    LeaveRequest,
    SessionClosure,
)

S = AttendanceStatus
ZERO = Decimal("0")


def policy_for(training_class: TrainingClass) -> AttendancePolicy:
    """The class's policy, or an unsaved one with the defaults (a read never writes)."""
    cached = getattr(training_class, "_attendance_policy", None)
    if cached is not None:
        return cached
    try:
        # Already fetched with select_related("training_class__attendance_policy")?
        policy = training_class.attendance_policy
    except AttendancePolicy.DoesNotExist:
        policy = None
    if policy is None:
        policy = AttendancePolicy(training_class=training_class)
    training_class._attendance_policy = policy
    return policy


def official_leave_excused(training_class: TrainingClass) -> bool:
    """Does 公假 (official-duty leave) stay out of the class's leave cap? The class's
    attendance policy says; the cap, the at-risk flag and completion all read it here."""
    return policy_for(training_class).official_leave_excused


def scan_window(
    *, session: ClassSession, policy: AttendancePolicy, checking_in: bool
) -> tuple[datetime.datetime, datetime.datetime]:
    """When a check-in (or check-out) code of the session is accepted: (opens, closes).

    Check-out opens only shortly before the end, so a check-out code shown early
    cannot mark the whole class as leaving early. No query.
    """
    if checking_in:
        opens = session.starts_at - datetime.timedelta(minutes=policy.opens_minutes_before)
        return opens, session.ends_at
    opens = session.ends_at - datetime.timedelta(minutes=policy.checkout_opens_minutes_before_end)
    closes = session.ends_at + datetime.timedelta(minutes=policy.checkout_closes_minutes_after)
    return max(opens, session.starts_at), closes


def sessions_missed(*, trainee, session_ids) -> set[int]:
    """The sessions the trainee was 旷课 or 请假 for, so may not rate (registered with
    training in AttendanceConfig.ready). 旷课 includes, as in the summary, no record at
    an in-person session where attendance was taken and that began after the enrolment,
    before the sweep has written the absence. One query."""
    mine = AttendanceRecord.objects.filter(session=OuterRef("pk"), trainee=trainee)
    expected = Enrolment.objects.filter(
        training_class=OuterRef("training_class"),
        trainee=trainee,
        enrolled_at__lt=OuterRef("starts_at"),
    )
    return set(
        ClassSession.objects.filter(pk__in=session_ids)
        .filter(
            Exists(mine.filter(status__in=[S.ABSENT, S.ON_LEAVE]))
            | (
                Q(training_class__kind=TrainingClass.Kind.IN_PERSON)
                & Exists(expected)
                & attendance_taken()
                & ~Exists(mine)
            )
        )
        .values_list("pk", flat=True)
    )


def runnable_class_list(*, viewer) -> QuerySet[TrainingClass]:
    """Classes whose attendance the viewer runs: as adviser, or as organiser of the unit."""
    if not viewer.is_authenticated:
        return TrainingClass.objects.none()
    if viewer.is_superuser:
        return TrainingClass.objects.all()
    q = Q(pk__in=[])
    if has_role(viewer, Role.ADVISER):
        q |= Q(advisers=viewer)
    if has_role(viewer, Role.ORGANISER):
        q |= within_units_q(viewer, field="organising_unit")
    return TrainingClass.objects.filter(q).distinct()


def runnable_class_get(*, viewer, pk: int) -> TrainingClass:
    try:
        return runnable_class_list(viewer=viewer).get(pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


def runnable_session_get(*, viewer, pk: int) -> ClassSession:
    try:
        return ClassSession.objects.select_related("training_class").get(
            pk=pk, training_class__in=runnable_class_list(viewer=viewer)
        )
    except ClassSession.DoesNotExist as exc:
        raise Http404 from exc


def leave_list_for_staff(*, viewer) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(training_class__in=runnable_class_list(viewer=viewer))
        .select_related("trainee", "training_class", "decided_by", "trainee__org_unit")
        .prefetch_related("sessions")
    )


def leave_get_for_staff(*, viewer, pk: int) -> LeaveRequest:
    try:
        return leave_list_for_staff(viewer=viewer).get(pk=pk)
    except LeaveRequest.DoesNotExist as exc:
        raise Http404 from exc


def leave_list_for_trainee(*, trainee) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(trainee=trainee)
        .select_related("training_class", "decided_by")
        .prefetch_related("sessions")
    )


def active_enrolments(training_class: TrainingClass) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        training_class=training_class, status=Enrolment.Status.ENROLLED
    ).select_related("trainee", "trainee__org_unit")


def is_on_roster(*, trainee, training_class: TrainingClass) -> bool:
    return Enrolment.objects.filter(
        training_class=training_class, trainee=trainee, status=Enrolment.Status.ENROLLED
    ).exists()


@dataclass(frozen=True)
class LeavePreview:
    """What the leave form shows while the trainee picks sessions: the 学时 already asked
    for (pending or approved) that count towards the cap, the class's 学时 and the cap, so
    the page can say the share a request would reach before it is sent. When the class
    excuses 公假, official-duty leave is left out of the count (and a new 公假 request
    adds nothing to it)."""

    hours_asked: Decimal
    class_hours: Decimal
    cap_numerator: int
    cap_denominator: int
    session_hours: dict  # session pk → its credit hours, for the sessions on offer
    official_excused: bool = True
    official_hours_asked: Decimal = Decimal("0")  # 公假 already asked for, not counted

    @property
    def share(self) -> Decimal:
        return self.hours_asked / self.class_hours if self.class_hours else Decimal("0")

    @property
    def over_cap(self) -> bool:
        return bool(self.class_hours) and (
            self.hours_asked * self.cap_denominator > self.class_hours * self.cap_numerator
        )

    def counts(self, kind: str) -> bool:
        """Whether leave of this kind counts towards the cap in this class."""
        return not (kind == LeaveRequest.Kind.OFFICIAL and self.official_excused)

    def as_json(self) -> dict:
        return {
            "asked": str(self.hours_asked),
            "classHours": str(self.class_hours),
            "capNumerator": self.cap_numerator,
            "capDenominator": self.cap_denominator,
            "sessions": {str(pk): str(hours) for pk, hours in self.session_hours.items()},
            "officialExcused": self.official_excused,
        }


def leave_preview(*, trainee, training_class: TrainingClass, sessions) -> LeavePreview:
    policy = policy_for(training_class)
    excused = official_leave_excused(training_class)
    asked = (
        LeaveRequest.objects.filter(
            training_class=training_class,
            trainee=trainee,
            status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
        )
        .values_list("kind", "sessions__credit_hours")
        .order_by()
    )
    counted = official = ZERO
    for kind, hours in asked:
        if hours is None:
            continue
        if kind == LeaveRequest.Kind.OFFICIAL and excused:
            official += hours
        else:
            counted += hours
    return LeavePreview(
        hours_asked=counted,
        class_hours=training_class.credit_hours or ZERO,
        cap_numerator=policy.leave_cap_numerator,
        cap_denominator=policy.leave_cap_denominator,
        session_hours={s.pk: s.credit_hours for s in sessions},
        official_excused=excused,
        official_hours_asked=official,
    )


def on_roster(trainee) -> Exists:
    """`is_on_roster` as an expression over a session's class, to ask it in the same query
    that loads the session (a check-in scan)."""
    return Exists(
        Enrolment.objects.filter(
            training_class=OuterRef("training_class"),
            trainee=trainee,
            status=Enrolment.Status.ENROLLED,
        )
    )


def session_for_checkin_page(*, viewer, pk: int, code_valid: bool) -> ClassSession | None:
    """The session a failed scan's page may name: when the scanned code was a real code of
    it (the phone saw its screen), or when the viewer is on its roster; else None."""
    sessions = ClassSession.objects.select_related("training_class").filter(pk=pk)
    if not code_valid:
        sessions = sessions.filter(on_roster(viewer))
    return sessions.first()


@dataclass
class RosterRow:
    trainee: object
    record: AttendanceRecord | None
    leave_pending: bool = False


@dataclass
class SessionRoster:
    session: ClassSession
    rows: list[RosterRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def checked_in(self) -> list[RosterRow]:
        rows = [r for r in self.rows if r.record and r.record.checked_in_at]
        return sorted(rows, key=lambda r: r.record.checked_in_at, reverse=True)

    @property
    def missing(self) -> list[RosterRow]:
        return [r for r in self.rows if not (r.record and r.record.checked_in_at)]

    @property
    def shared_devices(self) -> list[dict]:
        """Check-ins that came from the same address and browser as another trainee's.

        One phone checking in two people is how an absent colleague gets "scanned in"
        with their login. Phones of one model on the venue's Wi-Fi can look alike, so
        this is a pattern for the adviser to look at, not a verdict. No query: the
        records are already here.
        """
        groups: dict[tuple, list[RosterRow]] = {}
        for row in self.rows:
            record = row.record
            if record and record.checked_in_at and record.ip_address:
                groups.setdefault((record.ip_address, record.user_agent), []).append(row)
        return [
            {
                "ip_address": ip,
                "user_agent": agent,
                "rows": sorted(rows, key=lambda r: r.record.checked_in_at),
            }
            for (ip, agent), rows in groups.items()
            if len(rows) > 1
        ]


def session_roster(*, session: ClassSession) -> SessionRoster:
    """Everyone on the roster with their record (or none yet): three queries."""
    enrolments = list(active_enrolments(session.training_class).order_by("trainee__full_name"))
    records = {
        r.trainee_id: r
        for r in AttendanceRecord.objects.filter(session=session).select_related(
            "trainee", "trainee__org_unit"
        )
    }
    pending = set(
        LeaveRequest.objects.filter(
            sessions=session, status=LeaveRequest.Status.PENDING
        ).values_list("trainee_id", flat=True)
    )
    rows = [
        RosterRow(e.trainee, records.get(e.trainee_id), e.trainee_id in pending) for e in enrolments
    ]
    # Records of people since withdrawn still count: they were there.
    enrolled = {e.trainee_id for e in enrolments}
    rows += [RosterRow(r.trainee, r) for tid, r in records.items() if tid not in enrolled]
    counts = dict.fromkeys([s.value for s in S], 0)
    for r in records.values():
        counts[r.status] += 1
    counts["roster"] = len(enrolments)
    counts["checked_in"] = sum(1 for r in records.values() if r.checked_in_at)
    counts["no_record"] = sum(1 for row in rows if row.record is None)
    return SessionRoster(session=session, rows=rows, counts=counts)


def _status_counts() -> dict:
    return {s.value: Count("attendance_records", filter=Q(attendance_records__status=s)) for s in S}


def session_list_with_counts(*, training_class: TrainingClass) -> QuerySet[ClassSession]:
    """The timetable with per-status counts and closure, in one query."""
    return (
        ClassSession.objects.filter(training_class=training_class)
        .annotate(**{f"n_{k}": v for k, v in _status_counts().items()})
        .select_related("attendance_closure")
        .order_by("starts_at")
    )


def class_counts(*, training_class: TrainingClass) -> dict[str, int]:
    """Totals across the class's sessions, one query."""
    agg = AttendanceRecord.objects.filter(session__training_class=training_class).aggregate(
        **{s.value: Count("pk", filter=Q(status=s)) for s in S}
    )
    return agg


def trainee_records(*, trainee, training_class: TrainingClass) -> list[tuple]:
    """(session, record or None) for each session of the class, in timetable order."""
    sessions = list(
        ClassSession.objects.filter(training_class=training_class).order_by("starts_at")
    )
    records = {
        r.session_id: r
        for r in AttendanceRecord.objects.filter(
            trainee=trainee, session__training_class=training_class
        ).prefetch_related("corrections__actor")
    }
    return [(s, records.get(s.pk)) for s in sessions]


def record_history(*, record: AttendanceRecord):
    return record.corrections.select_related("actor")


# A second scan by someone already checked in (or out) is stored too, but it is a trainee
# making sure, not a failure: the adviser sees how many there were, not each one.
REPEAT_SCAN_REASONS = (
    CheckinAttempt.Reason.ALREADY_CHECKED_IN,
    CheckinAttempt.Reason.ALREADY_CHECKED_OUT,
)


def attempt_list(*, session: ClassSession) -> QuerySet[CheckinAttempt]:
    """The session's failed scans, newest first; repeat scans are left out."""
    return (
        CheckinAttempt.objects.filter(session=session)
        .exclude(reason__in=REPEAT_SCAN_REASONS)
        .select_related("trainee")
    )


def repeat_scan_count(*, session: ClassSession) -> int:
    return CheckinAttempt.objects.filter(session=session, reason__in=REPEAT_SCAN_REASONS).count()


def attempt_patterns(*, session: ClassSession) -> list[dict]:
    """Failed scans grouped by trainee and reason, most frequent first (forwarded codes).

    Each row carries `reason_label`, the reason as the adviser reads it.
    """
    labels = dict(CheckinAttempt.Reason.choices)
    rows = (
        CheckinAttempt.objects.filter(session=session, trainee__isnull=False)
        .exclude(reason__in=REPEAT_SCAN_REASONS)
        .values("trainee__full_name", "trainee__phone", "reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "trainee__full_name")[:50]
    )
    return [{**row, "reason_label": labels.get(row["reason"], row["reason"])} for row in rows]


@dataclass(frozen=True)
class AttendanceSummary:
    """One trainee's attendance in one class. Counts are half-day sessions.

    `leave_hours` is all the leave taken; `leave_share` is the share of the class's 学时
    that counts towards the cap: without 公假 (official duty) when the class excuses it
    (`official_leave_excused`), so the cap, the at-risk flag and completion all read it.
    `credited_sessions` are the ended sessions the trainee earns 学时 for: attended
    (出勤 / 迟到 / 早退) or on excused 公假.
    """

    present: int
    late: int
    left_early: int
    on_leave: int
    absent: int
    leave_hours: Decimal
    leave_share: Decimal
    absent_days: Decimal
    at_risk: bool
    reasons: list[str]
    sessions_held: int = 0
    official_leave_hours: Decimal = Decimal("0")
    official_leave_excused: bool = True
    credited_sessions: frozenset = frozenset()
    # The class policy's cap (AttendancePolicy.leave_cap) and absence limit, which
    # `reasons` was judged by.
    leave_cap: Fraction = Fraction(1, 7)
    absence_limit_days: Decimal = Decimal("2")

    @property
    def leave_over_cap(self) -> bool:
        return "leave_over_cap" in self.reasons

    @property
    def absence_over_limit(self) -> bool:
        return "absence_over_limit" in self.reasons

    @property
    def counted_leave_hours(self) -> Decimal:
        if self.official_leave_excused:
            return self.leave_hours - self.official_leave_hours
        return self.leave_hours


HALF_DAY = Decimal("0.5")
# The statuses that earn a session's 学时: the trainee was there, if late or not to the end.
ATTENDED = frozenset({S.PRESENT, S.LATE, S.LEFT_EARLY})


def absence_days(dates) -> Decimal:
    """Days of 旷课 from the dates of the missed sessions: each missed session (上午, 下午
    or 晚上) is half a day, and one date counts at most one day, so missing a whole day of
    three sessions is one day, not one and a half."""
    per_date: dict = {}
    for date in dates:
        per_date[date] = per_date.get(date, 0) + 1
    days = sum((min(HALF_DAY * n, Decimal(1)) for n in per_date.values()), Decimal(0))
    return days.quantize(Decimal("0.1"))


def attendance_taken() -> Exists:
    """Over a session: someone was checked in by QR or recorded by staff (not on leave).

    Approved leave alone is not attendance taken: a session of an online class, or one
    whose sign-in was on paper or whose QR display failed, has no such record, and its
    absentees must not become 旷课 by default.
    """
    return Exists(
        AttendanceRecord.objects.filter(
            session=OuterRef("pk"),
            source__in=[AttendanceRecord.Source.QR, AttendanceRecord.Source.ADVISER],
        ).exclude(status=S.ON_LEAVE)
    )


def closed_by_staff() -> Exists:
    """Over a session: an adviser or organiser closed it by hand (not the worker)."""
    return Exists(SessionClosure.objects.filter(session=OuterRef("pk"), closed_by__isnull=False))


def class_attendance_summary(
    *, training_class: TrainingClass, now: datetime.datetime | None = None
) -> dict[int, AttendanceSummary]:
    """Every enrolled (or formerly enrolled) trainee's summary, keyed by trainee id.

    Five queries whatever the roster size: policy, whether 公假 is excused, the
    timetable, enrolments, and the class's records (with their leave's kind). A session
    is "held" for 旷课 once it has ended and either attendance was taken in an in-person
    class (`attendance_taken`) or staff closed it by hand; on a held session that began
    after the trainee was enrolled, no record counts as absent even before
    `close_sessions` has run, so the flag never lags the worker. An absence recorded on a
    session that is not held, or that began before the enrolment (an old automatic
    close), does not count unless staff set it.
    Days of 旷课: see `absence_days`.
    """
    now = now or timezone.now()
    sessions = {
        s["pk"]: s
        for s in _summary_sessions().filter(training_class=training_class).values(*_SESSION_FIELDS)
    }
    enrolled_at = dict(
        Enrolment.objects.filter(training_class=training_class).values_list(
            "trainee_id", "enrolled_at"
        )
    )
    rows = AttendanceRecord.objects.filter(session__training_class=training_class).values_list(
        *_RECORD_FIELDS
    )
    return _summarise(
        training_class, sessions=sessions, enrolled_at=enrolled_at, rows=rows, now=now
    )


_SESSION_FIELDS = ("pk", "date", "starts_at", "ends_at", "credit_hours", "taken", "by_hand")
_RECORD_FIELDS = (
    "trainee_id",
    "session_id",
    "status",
    "source",
    "checked_out_at",
    "leave_request__kind",
)


def _summary_sessions() -> QuerySet[ClassSession]:
    return ClassSession.objects.annotate(taken=attendance_taken(), by_hand=closed_by_staff())


def _summarise(
    training_class: TrainingClass,
    *,
    sessions: dict[int, dict],
    enrolled_at: dict,
    rows,
    now: datetime.datetime,
) -> dict[int, AttendanceSummary]:
    """`class_attendance_summary` from the rows already read: no query when the class
    was read with `select_related("attendance_policy")` and whether it excuses 公假 is
    known (`official_leave_excused`, asked once per class object)."""
    policy = policy_for(training_class)
    excused = official_leave_excused(training_class)
    in_person = training_class.kind == TrainingClass.Kind.IN_PERSON
    held = [
        s
        for s in sessions.values()
        if s["ends_at"] <= now and ((in_person and s["taken"]) or s["by_hand"])
    ]
    records: dict[int, dict[int, tuple[str, str]]] = {}
    official: dict[int, set[int]] = {}  # trainee → sessions on approved 公假
    left_early_late: dict[int, int] = {}
    for tid, sid, status, source, out, kind in rows:
        records.setdefault(tid, {})[sid] = (status, source)
        if status == S.ON_LEAVE and kind == LeaveRequest.Kind.OFFICIAL:
            official.setdefault(tid, set()).add(sid)
        if status == S.LATE and out is not None and out < sessions[sid]["ends_at"]:
            # Late and left early: the status keeps the lateness, the count both.
            left_early_late[tid] = left_early_late.get(tid, 0) + 1
    credit_hours = training_class.credit_hours or ZERO
    result: dict[int, AttendanceSummary] = {}
    for tid in {*enrolled_at, *records}:
        mine = records.get(tid, {})
        since = enrolled_at.get(tid)
        # Sessions that began before the trainee was enrolled are not theirs to miss.
        due = [s["pk"] for s in held if since is None or s["starts_at"] > since]
        counts = dict.fromkeys(S.values, 0)
        leave_hours = official_hours = ZERO
        on_duty = official.get(tid, set())
        credited = set()
        for sid, (status, _source) in mine.items():
            counts[status] += 1
            if status == S.ON_LEAVE:
                leave_hours += sessions[sid]["credit_hours"]
                if sid in on_duty:
                    official_hours += sessions[sid]["credit_hours"]
            if sessions[sid]["ends_at"] <= now and (
                status in ATTENDED or (excused and sid in on_duty)
            ):
                credited.add(sid)
        absent_sessions = {sid for sid in due if sid not in mine or mine[sid][0] == S.ABSENT} | {
            sid
            for sid, (status, source) in mine.items()
            if status == S.ABSENT and source == AttendanceRecord.Source.ADVISER
        }
        absent = len(absent_sessions)
        leave_hours = Decimal(leave_hours)
        counted = leave_hours - official_hours if excused else leave_hours
        share = (counted / credit_hours).quantize(Decimal("0.0001")) if credit_hours else ZERO
        absent_days = absence_days(sessions[sid]["date"] for sid in absent_sessions)
        reasons = []
        if (
            credit_hours
            and counted * policy.leave_cap_denominator > credit_hours * policy.leave_cap_numerator
        ):
            reasons.append("leave_over_cap")
        if absent_days >= policy.absence_limit_days:
            reasons.append("absence_over_limit")
        result[tid] = AttendanceSummary(
            present=counts[S.PRESENT],
            late=counts[S.LATE],
            left_early=counts[S.LEFT_EARLY] + left_early_late.get(tid, 0),
            on_leave=counts[S.ON_LEAVE],
            absent=absent,
            leave_hours=leave_hours,
            leave_share=share,
            absent_days=absent_days,
            at_risk=bool(reasons),
            reasons=reasons,
            sessions_held=len(held),
            official_leave_hours=Decimal(official_hours),
            official_leave_excused=excused,
            credited_sessions=frozenset(credited),
            leave_cap=policy.leave_cap,
            absence_limit_days=policy.absence_limit_days,
        )
    return result


def class_attendance_summaries(
    *, classes: QuerySet[TrainingClass], now: datetime.datetime | None = None
) -> list[tuple[TrainingClass, dict[int, AttendanceSummary]]]:
    """`class_attendance_summary` for many classes in a fixed number of queries, however
    many there are: the classes with their policies (which say whether 公假 is excused),
    then the timetables, enrolments and records of all of them at once."""
    now = now or timezone.now()
    klasses = list(classes.select_related("attendance_policy"))
    ids = [k.pk for k in klasses]
    sessions: dict[int, dict[int, dict]] = {pk: {} for pk in ids}
    for s in (
        _summary_sessions()
        .filter(training_class__in=ids)
        .values("training_class_id", *_SESSION_FIELDS)
    ):
        sessions[s["training_class_id"]][s["pk"]] = s
    enrolled_at: dict[int, dict] = {pk: {} for pk in ids}
    for cid, tid, when in Enrolment.objects.filter(training_class__in=ids).values_list(
        "training_class_id", "trainee_id", "enrolled_at"
    ):
        enrolled_at[cid][tid] = when
    rows: dict[int, list] = {pk: [] for pk in ids}
    for cid, *row in AttendanceRecord.objects.filter(session__training_class__in=ids).values_list(
        "session__training_class_id", *_RECORD_FIELDS
    ):
        rows[cid].append(row)
    return [
        (
            klass,
            _summarise(
                klass,
                sessions=sessions[klass.pk],
                enrolled_at=enrolled_at[klass.pk],
                rows=rows[klass.pk],
                now=now,
            ),
        )
        for klass in klasses
    ]


def sessions_without_attendance(
    *, training_class: TrainingClass, now: datetime.datetime | None = None
) -> list[ClassSession]:
    """Ended sessions where nobody was checked in or recorded by staff: nobody is known to
    have attended them, so at close nobody earns their 学时 until attendance is recorded
    (the close page lists them). One query."""
    now = now or timezone.now()
    return list(
        ClassSession.objects.filter(training_class=training_class, ends_at__lte=now)
        .exclude(attendance_taken())
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class GridRow:
    trainee: object
    cells: list  # per session, in timetable order: (session, record status or "")


def class_attendance_grid(*, training_class: TrainingClass) -> tuple[list, list[GridRow]]:
    """Trainee × session: every status of the class on one screen, in two queries."""
    sessions = list(training_class.sessions.order_by("starts_at"))
    status = {
        (tid, sid): st
        for tid, sid, st in AttendanceRecord.objects.filter(
            session__training_class=training_class
        ).values_list("trainee_id", "session_id", "status")
    }
    rows = [
        GridRow(e.trainee, [(s, status.get((e.trainee_id, s.pk), "")) for s in sessions])
        for e in Enrolment.objects.filter(
            training_class=training_class,
            status__in=Enrolment.STAYED,
        )
        .select_related("trainee")
        .order_by("trainee__full_name")
    ]
    return sessions, rows
