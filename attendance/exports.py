"""签到表 and attendance reports as files: XLSX (`lms.spreadsheets`) and a printable PDF
(WeasyPrint)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.spreadsheets import Book, Column
from people.selectors import unit_full_names

from . import selectors
from .models import AttendanceStatus, LeaveRequest


def _local(dt, fmt="%H:%M"):
    return timezone.localtime(dt).strftime(fmt) if dt else ""


def signin_rows(*, session) -> list[dict]:
    roster = selectors.session_roster(session=session)
    units = unit_full_names(row.trainee.org_unit for row in roster.rows)
    rows = []
    for n, row in enumerate(roster.rows, start=1):
        person, record = row.trainee, row.record
        rows.append(
            {
                "n": n,
                "name": person.get_full_name(),
                "unit": units.get(person.org_unit_id, ""),
                "position": person.job_title or person.get_position_display(),
                "phone": person.phone or "",
                "checked_in": _local(record.checked_in_at) if record else "",
                "checked_out": _local(record.checked_out_at) if record else "",
                "status": record.get_status_display() if record else "",
            }
        )
    return rows


def _sheet(book: Book, name: str, *, title, subtitle, headers, rows) -> None:
    """A printable sheet: the title and subtitle above a bordered table whose header
    repeats on every page."""
    columns = [Column(label, width) for label, width in headers]
    book.sheet(name[:31], columns, title=title, subtitle=subtitle, boxed=True).rows_from(rows)


def _session_subtitle(session) -> str:
    when = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    parts = [
        f"{when:%Y-%m-%d} {session.get_half_day_display()} {when:%H:%M}–{end:%H:%M}",
        session.title,
        session.venue or session.training_class.venue,
    ]
    return "　".join(p for p in parts if p)


def signin_sheet_xlsx(*, session) -> Book:
    with Book() as book:
        headers = [
            (pgettext("attendance sheet", "No."), 6),
            (pgettext("attendance sheet", "Name"), 12),
            (pgettext("attendance sheet", "Unit"), 30),
            (pgettext("attendance sheet", "Position"), 22),
            (pgettext("attendance sheet", "Mobile phone"), 14),
            (pgettext("attendance sheet", "Check-in time"), 10),
            (pgettext("attendance sheet", "Check-out time"), 10),
            (pgettext("attendance sheet", "Status"), 8),
            (pgettext("attendance sheet", "Signature"), 14),
        ]
        rows = [
            [
                r["n"],
                r["name"],
                r["unit"],
                r["position"],
                r["phone"],
                r["checked_in"],
                r["checked_out"],
                r["status"],
                "",
            ]
            for r in signin_rows(session=session)
        ]
        _sheet(
            book,
            _("Sign-in sheet"),
            title=_("%(class)s Sign-in sheet") % {"class": session.training_class.name},
            subtitle=_session_subtitle(session),
            headers=headers,
            rows=rows,
        )
    return book


def signin_sheet_pdf(*, session) -> bytes:
    from lms.pdf import html_to_pdf  # WeasyPrint is a heavy import: only when asked for

    html = render_to_string(
        "attendance/signin_sheet_pdf.html",
        {
            "session": session,
            "training_class": session.training_class,
            "subtitle": _session_subtitle(session),
            "rows": signin_rows(session=session),
            "printed_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)


def class_report_xlsx(*, training_class) -> Book:
    """Three sheets: per session counts, per trainee the summary with the at-risk flag,
    and the leave requests with their kind (病假 / 事假 / 公假)."""
    with Book() as book:
        statuses = list(AttendanceStatus)
        headers = [
            (pgettext("attendance sheet", "Date"), 12),
            (pgettext("attendance sheet", "Half day"), 8),
            (pgettext("attendance sheet", "Session"), 34),
        ]
        headers += [(str(s.label), 8) for s in statuses]
        rows = []
        for s in selectors.session_list_with_counts(training_class=training_class):
            rows.append(
                [f"{s.date:%Y-%m-%d}", str(s.get_half_day_display()), s.title]
                + [getattr(s, f"n_{st.value}") for st in statuses]
            )
        _sheet(
            book,
            _("Sessions"),
            title=_("%(class)s Attendance by session") % {"class": training_class.name},
            subtitle=training_class.provider,
            headers=headers,
            rows=rows,
        )
        summaries = selectors.class_attendance_summary(training_class=training_class)
        headers2 = [
            (pgettext("attendance sheet", "Name"), 12),
            (pgettext("attendance sheet", "Unit"), 30),
        ]
        headers2 += [(str(s.label), 8) for s in statuses]
        headers2 += [
            (pgettext("attendance sheet", "Leave hours"), 10),
            (pgettext("attendance sheet", "Official-duty leave hours"), 12),
            (pgettext("attendance sheet", "Leave share counted"), 12),
            (pgettext("attendance sheet", "Absent days"), 10),
            (pgettext("attendance sheet", "At risk"), 10),
        ]
        rows2 = []
        enrolments = list(
            selectors.active_enrolments(training_class).order_by("trainee__full_name")
        )
        units = unit_full_names(e.trainee.org_unit for e in enrolments)
        for e in enrolments:
            sm = summaries.get(e.trainee_id)
            if sm is None:
                continue
            rows2.append(
                [e.trainee.get_full_name(), units.get(e.trainee.org_unit_id, "")]
                + [getattr(sm, st.value) for st in statuses]
                + [
                    float(sm.leave_hours),
                    float(sm.official_leave_hours),
                    f"{sm.leave_share * 100:.1f}%",
                    float(sm.absent_days),
                    _("Yes") if sm.at_risk else "",
                ]
            )
        _sheet(
            book,
            _("Trainees"),
            title=_("%(class)s Attendance by trainee") % {"class": training_class.name},
            subtitle=training_class.provider,
            headers=headers2,
            rows=rows2,
        )
        leaves = (
            LeaveRequest.objects.filter(training_class=training_class)
            .select_related("trainee")
            .prefetch_related("sessions")
            .order_by("created_at", "pk")
        )
        rows3 = [
            [
                leave.trainee.get_full_name(),
                str(leave.get_kind_display()),
                "、".join(
                    f"{s.date:%m-%d} {s.get_half_day_display()}"
                    for s in sorted(leave.sessions.all(), key=lambda s: s.starts_at)
                ),
                float(leave.hours),
                leave.reason,
                str(leave.get_status_display()),
            ]
            for leave in leaves
        ]
        _sheet(
            book,
            _("Leave requests"),
            title=_("%(class)s Leave requests") % {"class": training_class.name},
            subtitle=training_class.provider,
            headers=[
                (pgettext("attendance sheet", "Name"), 12),
                (pgettext("attendance sheet", "Kind of leave"), 10),
                (pgettext("attendance sheet", "Sessions"), 30),
                (pgettext("attendance sheet", "Credit hours"), 8),
                (pgettext("attendance sheet", "Reason"), 34),
                (_("Status"), 10),
            ],
            rows=rows3,
        )
    return book
