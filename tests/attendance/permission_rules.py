"""Who reaches which attendance URL. The class belongs to 罗山县 (organiser's unit) and
trainee_a is on its roster; its adviser is not among the matrix actors, so `organiser`
is the one who runs it here. Admin screens send trainees to the admin login."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from attendance.models import LeaveRequest
from attendance.tokens import token_make
from tests.attendance.factories import running_session, session_around
from tests.permissions.harness import LOGIN, OK, REDIRECT, Rule, everyone_signed_in, only
from tests.training.factories import class_for_world

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def setup(world):
    klass = class_for_world(world)
    session = running_session(klass)
    ended = session_around(klass, start=timezone.now() - datetime.timedelta(hours=5))
    leave = LeaveRequest.objects.create(
        trainee=world.trainee_a, training_class=klass, reason="县里开会", half_days=1
    )
    leave.sessions.set([session])
    leave.attachment.save("note.png", ContentFile(PNG))
    approved = LeaveRequest.objects.create(
        trainee=world.trainee_a,
        training_class=klass,
        reason="家事",
        half_days=1,
        status=LeaveRequest.Status.APPROVED,
    )
    return {
        "klass": klass,
        "session": session,
        "ended": ended,
        "leave": leave,
        "approved": approved,
    }


def staff_only(outcome=OK):
    """Admin screen of class_a: the organiser; other staff get 404; trainees the login."""
    return only({"organiser": outcome, "trainee_a": LOGIN, "trainee_b": LOGIN})


def admin_users(outcome=OK):
    return {
        "anonymous": LOGIN,
        "trainee_a": LOGIN,
        "trainee_b": LOGIN,
        "instructor_other": outcome,
        "adviser_other": outcome,
        "organiser_other": outcome,
        "organiser": outcome,
    }


klass_kw = lambda world, ctx: {"pk": ctx["klass"].pk}  # noqa: E731
session_kw = lambda world, ctx: {"pk": ctx["session"].pk}  # noqa: E731
leave_kw = lambda world, ctx: {"pk": ctx["leave"].pk}  # noqa: E731

RULES = {
    # Trainee pages
    "attendance:my_attendance": Rule(expect=everyone_signed_in()),
    "attendance:checkin": Rule(
        kwargs=lambda world, ctx: {"session_pk": ctx["session"].pk},
        data=lambda world, ctx: {"t": token_make(session_id=ctx["session"].pk)},
        # Not on the roster: 403 with the not_on_roster message, for staff too.
        expect=only({"trainee_a": OK}),
    ),
    "attendance:leave_create": Rule(
        kwargs=lambda world, ctx: {"class_pk": ctx["klass"].pk}, expect=only({"trainee_a": OK})
    ),
    "attendance:leave_detail": Rule(kwargs=leave_kw, expect=only({"trainee_a": OK})),
    "attendance:leave_withdraw": Rule(
        kwargs=leave_kw, method="post", expect=only({"trainee_a": REDIRECT})
    ),
    "attendance:leave_report_back": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["approved"].pk},
        method="post",
        expect=only({"trainee_a": REDIRECT}),
    ),
    "attendance:leave_attachment": Rule(
        kwargs=leave_kw, expect=only({"trainee_a": OK, "organiser": OK})
    ),
    # The check-in display (standalone page) and its feed
    "attendance:display": Rule(
        kwargs=lambda world, ctx: {"session_pk": ctx["session"].pk},
        expect=only({"organiser": OK}),
    ),
    "attendance:display_feed": Rule(
        kwargs=lambda world, ctx: {"session_pk": ctx["session"].pk},
        expect=only({"organiser": OK}),
    ),
    # Staff screens in the Wagtail admin
    "attendance_admin:index": Rule(expect=admin_users()),
    "attendance_admin:leave_list": Rule(expect=admin_users()),
    "attendance_admin:leave_list_results": Rule(expect=admin_users(), query="?status="),
    "attendance_admin:class": Rule(kwargs=klass_kw, expect=staff_only()),
    "attendance_admin:class_policy": Rule(kwargs=klass_kw, expect=staff_only()),
    "attendance_admin:class_report": Rule(kwargs=klass_kw, expect=staff_only()),
    "attendance_admin:class_trainee": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["klass"].pk, "trainee_pk": world.trainee_a.pk},
        expect=staff_only(),
    ),
    "attendance_admin:session": Rule(kwargs=session_kw, expect=staff_only()),
    "attendance_admin:session_close": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["ended"].pk},
        method="post",
        expect=staff_only(REDIRECT),
    ),
    "attendance_admin:record_edit": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["session"].pk, "trainee_pk": world.trainee_a.pk},
        expect=staff_only(),
    ),
    "attendance_admin:signin_xlsx": Rule(kwargs=session_kw, expect=staff_only()),
    "attendance_admin:signin_pdf": Rule(kwargs=session_kw, expect=staff_only()),
    "attendance_admin:leave_review": Rule(kwargs=leave_kw, expect=staff_only()),
}
