"""Attendance (考勤): one record per (session, trainee), failed scans, corrections and leave.

Sessions are PROTECTed from here: a session with attendance, scans, a closure or a leave
request cannot be deleted (training.services.session_delete turns that into a message).

Per-class settings live here (AttendancePolicy), not on TrainingClass, so the training
app never depends on attendance.
"""

import uuid
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.storage import private_storage
from training.models import ClassSession, TrainingClass

# A code that lives longer than this is a code a photo can still use when it arrives.
MAX_TOKEN_LIFETIME_SECONDS = 120


class AttendancePolicy(models.Model):
    """The attendance rules of one class; created on first use with the defaults below."""

    training_class = models.OneToOneField(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="attendance_policy",
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period (minutes)"),
        default=10,
        help_text=_("A check-in up to this long after the start counts as present, later as late."),
    )
    opens_minutes_before = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before start)"), default=30
    )
    checkout_opens_minutes_before_end = models.PositiveSmallIntegerField(
        _("check-out opens (minutes before end)"),
        default=30,
        help_text=_(
            "The check-out code is accepted from this long before the end; a check-out "
            "code shown earlier would mark the whole class as leaving early."
        ),
    )
    checkout_closes_minutes_after = models.PositiveSmallIntegerField(
        _("check-out closes (minutes after end)"), default=30
    )
    token_rotate_seconds = models.PositiveSmallIntegerField(
        _("QR code changes every (seconds)"),
        default=10,
        validators=[MinValueValidator(3)],
    )
    token_lifetime_seconds = models.PositiveSmallIntegerField(
        _("QR code valid for (seconds)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(MAX_TOKEN_LIFETIME_SECONDS)],
        help_text=_(
            "How long a code shown on the screen is accepted (at most 120 seconds, and no "
            "less than the time between changes); a photo forwarded later fails."
        ),
    )
    login_grace_seconds = models.PositiveSmallIntegerField(
        _("extra time to log in (seconds)"),
        default=300,
        help_text=_(
            "A scan that had to log in first (and, for a new account, replace the initial "
            "password) is accepted this long after it was opened, but only if the code "
            "was still valid when it was opened."
        ),
    )
    leave_cap_numerator = models.PositiveSmallIntegerField(_("leave cap numerator"), default=1)
    leave_cap_denominator = models.PositiveSmallIntegerField(
        _("leave cap denominator"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave beyond this share of the class's credit hours (1/7 by the regulation) "
            "flags the trainee, and at the class's close means withdrawal."
        ),
    )
    absence_limit_days = models.DecimalField(
        _("absence limit (days)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_(
            "Unexcused absence of this many days or more flags the trainee, and at the "
            "class's close means withdrawal."
        ),
    )
    adviser_max_leave_half_days = models.PositiveSmallIntegerField(
        _("adviser approves leave up to (half-days)"),
        default=1,
        help_text=_("Longer leave needs an organiser of the organising unit."),
    )
    official_leave_needs_attachment = models.BooleanField(
        _("official-duty leave needs an attachment"),
        default=True,
        help_text=_(
            "A request for official-duty leave (公假) must attach the notice or letter that "
            "calls the trainee away."
        ),
    )
    official_leave_excused = models.BooleanField(
        _("official-duty leave is excused"),
        default=True,
        help_text=_(
            "Official-duty leave (公假) does not count towards the leave cap, and its "
            "sessions earn their credit hours."
        ),
    )

    class Meta:
        verbose_name = _("attendance policy")
        verbose_name_plural = _("attendance policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leave_cap_denominator__gte=1),
                name="attendance_policy_cap_denominator_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.training_class)

    @property
    def leave_cap(self) -> Fraction:
        """The share of the class's 学时 leave may not exceed (1/7 by the regulation): the
        one cap the at-risk flag, the leave form and completion (结业) all apply."""
        return Fraction(self.leave_cap_numerator, self.leave_cap_denominator)

    def clean(self):
        # A code that dies before the next one appears leaves the screen showing a dead
        # code; the display rotates every token_rotate_seconds.
        if (
            self.token_lifetime_seconds is not None
            and self.token_rotate_seconds is not None
            and self.token_lifetime_seconds < self.token_rotate_seconds
        ):
            raise ValidationError(
                {
                    "token_lifetime_seconds": _(
                        "A code must stay valid at least as long as it is shown: no less "
                        "than the time between changes."
                    )
                }
            )


class AttendanceStatus(models.TextChoices):
    """One status per record. Lateness comes first: a late trainee who also checks out
    before the end stays 迟到, and the early check-out shows in `checked_out_at` (the
    summary counts it as 早退 too); only a trainee who arrived on time becomes 早退."""

    PRESENT = "present", pgettext_lazy("attendance status", "Present")
    LATE = "late", pgettext_lazy("attendance status", "Late")
    LEFT_EARLY = "left_early", pgettext_lazy("attendance status", "Left early")
    ON_LEAVE = "on_leave", pgettext_lazy("attendance status", "On leave")
    ABSENT = "absent", pgettext_lazy("attendance status", "Absent")


class AttendanceRecord(models.Model):
    """The attendance of one trainee at one session. Never two: the database says so."""

    Status = AttendanceStatus

    class Source(models.TextChoices):
        QR = "qr", _("QR check-in")
        ADVISER = "adviser", _("Set by staff")
        LEAVE = "leave", _("Approved leave")
        AUTO = "auto", _("Session closed")

    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendance_records",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="attendance_records",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    # The phone a QR check-in came from, as the rate limits see the client (see
    # views.trainee._client): two trainees on one device is a forwarded login.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    leave_request = models.ForeignKey(
        "LeaveRequest",
        verbose_name=_("leave request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"], name="one_attendance_record_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in AttendanceStatus]),
                name="attendance_record_status_known",
            ),
        ]
        indexes = [models.Index(fields=["trainee", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.session} · {self.get_status_display()}"


class CheckinAttempt(models.Model):
    """A scan that did not check anyone in, kept so advisers can spot forwarded codes."""

    class Reason(models.TextChoices):
        BAD_SIGNATURE = "bad_signature", _("Invalid code")
        EXPIRED = "token_expired", _("Expired code")
        WRONG_SESSION = "wrong_session", _("Code of another session")
        NOT_ON_ROSTER = "not_on_roster", _("Not on the roster")
        ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
        NOT_OPEN = "checkin_not_open", _("Check-in not open yet")
        SESSION_ENDED = "session_ended", _("Session ended")
        NOT_CHECKED_IN = "not_checked_in", _("Check-out without check-in")
        ALREADY_CHECKED_OUT = "already_checked_out", _("Already checked out")

    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkin_attempts",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkin_attempts",
    )
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    token_age_seconds = models.IntegerField(_("code age (seconds)"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    attempted_at = models.DateTimeField(_("attempted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("failed check-in")
        verbose_name_plural = _("failed check-ins")
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["session", "attempted_at"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.get_reason_display()}"


class AttendanceCorrection(models.Model):
    """One change a staff member made to a record: who, when, old → new, and why."""

    record = models.ForeignKey(
        AttendanceRecord,
        verbose_name=_("attendance record"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="attendance_corrections",
    )
    old_status = models.CharField(
        _("old status"), max_length=16, choices=AttendanceStatus.choices, blank=True
    )
    new_status = models.CharField(_("new status"), max_length=16, choices=AttendanceStatus.choices)
    reason = models.TextField(_("reason"))
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-corrected_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="attendance_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record}: {self.old_status} → {self.new_status}"


class SessionClosure(models.Model):
    """Marks a session whose missing trainees have been recorded absent (or on leave)."""

    session = models.OneToOneField(
        ClassSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendance_closure",
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_absent = models.PositiveIntegerField(_("marked absent"), default=0)
    marked_on_leave = models.PositiveIntegerField(_("marked on leave"), default=0)

    class Meta:
        verbose_name = _("closed session")
        verbose_name_plural = _("closed sessions")

    def __str__(self) -> str:
        return str(self.session)


def leave_attachment_path(instance, filename: str) -> str:
    """Unguessable names: attachments are served only through a permission-checked view."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"attendance/leave/{uuid.uuid4().hex}{suffix}"


class LeaveRequest(models.Model):
    """请假: a trainee's request to miss one or more sessions of their class."""

    class Kind(models.TextChoices):
        """病假 / 事假 / 公假. Official-duty leave does not count towards the leave cap when
        the class's attendance policy excuses it (AttendancePolicy.official_leave_excused)."""

        SICK = "sick", _("Sick leave")
        PERSONAL = "personal", _("Personal leave")
        OFFICIAL = "official", _("Official-duty leave")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("leave status", "Withdrawn")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="leave_requests",
    )
    sessions = models.ManyToManyField(
        ClassSession,
        verbose_name=_("sessions"),
        related_name="leave_requests",
        through="LeaveRequestSession",
    )
    kind = models.CharField(
        _("kind of leave"), max_length=16, choices=Kind.choices, default=Kind.PERSONAL
    )
    reason = models.TextField(_("reason"))
    attachment = models.FileField(
        _("attachment"),
        upload_to=leave_attachment_path,
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    half_days = models.PositiveSmallIntegerField(_("half-days"), default=0)
    hours = models.DecimalField(
        _("credit hours"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    needs_organiser = models.BooleanField(_("needs an organiser's approval"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    reported_back_at = models.DateTimeField(_("reported back at"), null=True, blank=True)
    report_back_note = models.CharField(_("report-back note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(decision_note=""),
                name="leave_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(reported_back_at__isnull=True) | models.Q(status="approved"),
                name="leave_report_back_only_when_approved",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["sick", "personal", "official"]),
                name="leave_kind_known",
            ),
        ]
        indexes = [models.Index(fields=["training_class", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.training_class} · {self.get_status_display()}"


class LeaveRequestSession(models.Model):
    """One session of a leave request: the table Django made for the plain many-to-many,
    declared so that deleting a session cannot silently shrink a request (PROTECT)."""

    leave_request = models.ForeignKey(
        LeaveRequest,
        on_delete=models.CASCADE,
        db_column="leaverequest_id",
        verbose_name=_("leave request"),
    )
    session = models.ForeignKey(
        ClassSession,
        on_delete=models.PROTECT,
        db_column="classsession_id",
        verbose_name=_("session"),
    )

    class Meta:
        db_table = "attendance_leaverequest_sessions"
        unique_together = [("leave_request", "session")]
        verbose_name = _("session of a leave request")
        verbose_name_plural = _("sessions of leave requests")

    def __str__(self) -> str:
        return f"{self.leave_request_id} · {self.session_id}"
