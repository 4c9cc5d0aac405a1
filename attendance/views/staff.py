"""Staff screens in the Wagtail admin: classes, sessions, corrections, leave, exports.

Every view fetches its object through a scoped selector (advisers: their classes;
organisers: classes of their units), so a guessed id answers 404.
"""

import django_filters
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from lms.errors import DomainError
from people.models import User
from training.models import Enrolment
from training.selectors import can_manage_class

from .. import exports, selectors, services
from ..forms import CorrectionForm, LeaveDecisionForm, PolicyForm
from ..models import AttendanceRecord, LeaveRequest
from ..services.leave import can_decide_leave


def _crumbs(*items) -> list[dict]:
    out = [{"url": reverse("attendance_admin:index"), "label": _("Attendance")}]
    out += [{"url": url, "label": label} for url, label in items]
    return out


def _class_crumb(training_class):
    return (reverse("attendance_admin:class", args=[training_class.pk]), str(training_class))


def _session_crumb(session):
    return (reverse("attendance_admin:session", args=[session.pk]), str(session))


def _page(request, template, title, crumbs, **context):
    context.update({"page_title": title, "header_title": title, "breadcrumbs_items": crumbs})
    return TemplateResponse(request, template, context)


@require_GET
def index(request):
    classes = selectors.runnable_class_list(viewer=request.user).select_related("organising_unit")
    pending = selectors.leave_list_for_staff(viewer=request.user).filter(
        status=LeaveRequest.Status.PENDING
    )
    return _page(
        request,
        "attendance/admin/index.html",
        _("Attendance"),
        _crumbs(),
        classes=classes,
        pending_count=pending.count(),
    )


@require_GET
def class_detail(request, pk: int):
    training_class = selectors.runnable_class_get(viewer=request.user, pk=pk)
    summaries = selectors.class_attendance_summary(training_class=training_class)
    enrolments = selectors.active_enrolments(training_class).order_by("trainee__full_name")
    trainees = [(e.trainee, summaries.get(e.trainee_id)) for e in enrolments]
    trainees.sort(key=lambda t: (not (t[1] and t[1].at_risk),))
    grid_sessions, grid = selectors.class_attendance_grid(training_class=training_class)
    return _page(
        request,
        "attendance/admin/class_detail.html",
        str(training_class),
        _crumbs(_class_crumb(training_class)),
        training_class=training_class,
        policy=selectors.policy_for(training_class),
        sessions=selectors.session_list_with_counts(training_class=training_class),
        totals=selectors.class_counts(training_class=training_class),
        trainees=trainees,
        at_risk=sum(1 for _t, s in trainees if s and s.at_risk),
        can_manage=can_manage_class(request.user, training_class),
        now=timezone.now(),
        grid_sessions=grid_sessions,
        grid=grid,
    )


@require_http_methods(["GET", "POST"])
def class_policy(request, pk: int):
    training_class = selectors.runnable_class_get(viewer=request.user, pk=pk)
    if not can_manage_class(request.user, training_class):
        raise Http404
    policy = selectors.policy_for(training_class)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_save(
                actor=request.user, training_class=training_class, values=form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Attendance rules saved."))
            return redirect("attendance_admin:class", pk=training_class.pk)
    return _page(
        request,
        "attendance/admin/policy_form.html",
        _("Attendance rules"),
        _crumbs(_class_crumb(training_class), ("", _("Attendance rules"))),
        training_class=training_class,
        form=form,
    )


@require_GET
def class_trainee(request, pk: int, trainee_pk: int):
    training_class = selectors.runnable_class_get(viewer=request.user, pk=pk)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("trainee", "trainee__org_unit"),
        training_class=training_class,
        trainee_id=trainee_pk,
    )
    trainee = enrolment.trainee
    summary = selectors.class_attendance_summary(training_class=training_class).get(trainee.pk)
    return _page(
        request,
        "attendance/admin/trainee.html",
        trainee.get_full_name(),
        _crumbs(_class_crumb(training_class), ("", trainee.get_full_name())),
        training_class=training_class,
        trainee=trainee,
        summary=summary,
        rows=selectors.trainee_records(trainee=trainee, training_class=training_class),
        leaves=selectors.leave_list_for_staff(viewer=request.user).filter(
            trainee=trainee, training_class=training_class
        ),
    )


@require_GET
def class_report_xlsx(request, pk: int):
    training_class = selectors.runnable_class_get(viewer=request.user, pk=pk)
    book = exports.class_report_xlsx(training_class=training_class)
    return book.response(f"attendance-{training_class.code}.xlsx")


@require_GET
def session_detail(request, pk: int):
    session = selectors.runnable_session_get(viewer=request.user, pk=pk)
    roster = selectors.session_roster(session=session)
    return _page(
        request,
        "attendance/admin/session_detail.html",
        str(session),
        _crumbs(_class_crumb(session.training_class), _session_crumb(session)),
        session=session,
        roster=roster,
        closure=getattr(session, "attendance_closure", None),
        attempts=selectors.attempt_list(session=session)[:100],
        patterns=selectors.attempt_patterns(session=session),
        repeat_scans=selectors.repeat_scan_count(session=session),
        ended=timezone.now() >= session.ends_at,
    )


@require_POST
def session_close(request, pk: int):
    session = selectors.runnable_session_get(viewer=request.user, pk=pk)
    try:
        closure = services.session_close(session=session, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Session closed: %(absent)d absent, %(leave)d on leave.")
            % {"absent": closure.marked_absent, "leave": closure.marked_on_leave},
        )
    return redirect("attendance_admin:session", pk=session.pk)


@require_http_methods(["GET", "POST"])
def record_edit(request, pk: int, trainee_pk: int):
    session = selectors.runnable_session_get(viewer=request.user, pk=pk)
    trainee = get_object_or_404(
        User.objects.filter(enrolments__training_class=session.training_class).distinct(),
        pk=trainee_pk,
    )
    record = AttendanceRecord.objects.filter(session=session, trainee=trainee).first()
    form = CorrectionForm(request.POST or None, initial={"status": record and record.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_correct(
                actor=request.user,
                session=session,
                trainee=trainee,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Record corrected."))
            return redirect("attendance_admin:session", pk=session.pk)
    return _page(
        request,
        "attendance/admin/record_edit.html",
        _("Correct attendance"),
        _crumbs(
            _class_crumb(session.training_class),
            _session_crumb(session),
            ("", trainee.get_full_name()),
        ),
        session=session,
        trainee=trainee,
        record=record,
        history=selectors.record_history(record=record) if record else [],
        form=form,
    )


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def signin_xlsx(request, pk: int):
    session = selectors.runnable_session_get(viewer=request.user, pk=pk)
    book = exports.signin_sheet_xlsx(session=session)
    return book.response(f"signin-{session.training_class.code}-{session.pk}.xlsx")


@require_GET
def signin_pdf(request, pk: int):
    session = selectors.runnable_session_get(viewer=request.user, pk=pk)
    data = exports.signin_sheet_pdf(session=session)
    response = _download(data, "application/pdf", f"signin-{session.pk}.pdf")
    response["Content-Disposition"] = f'inline; filename="signin-{session.pk}.pdf"'
    return response


class LeaveFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=LeaveRequest.Status.choices,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = LeaveRequest
        fields = ["status"]


def _sessions(leave) -> str:
    return ", ".join(f"{s.date:%m-%d} {s.get_half_day_display()}" for s in leave.sessions.all())


def _status(leave) -> str:
    status = leave.get_status_display()
    return f"{status} · {_('Reported back')}" if leave.reported_back_at else status


class LeaveIndexView(generic.IndexView):
    """The leave requests of the classes the viewer runs, waiting ones first shown:
    Wagtail's listing (a status filter, pagination). Deciding one is `leave_review`."""

    model = LeaveRequest
    # Whoever runs a class lists its requests: the selector scopes the rows.
    permission_policy = None
    any_permission_required = None
    page_title = gettext_lazy("Leave requests")
    header_icon = "date"
    index_url_name = "attendance_admin:leave_list"
    index_results_url_name = "attendance_admin:leave_list_results"
    filterset_class = LeaveFilterSet
    paginate_by = 50
    no_results_message = gettext_lazy("No leave requests.")
    list_display = [
        TitleColumn(
            "trainee",
            label=gettext_lazy("Trainee"),
            get_url=lambda leave: reverse("attendance_admin:leave_review", args=[leave.pk]),
            accessor=lambda leave: leave.trainee.get_full_name(),
        ),
        Column("org_unit", label=gettext_lazy("Org unit"), accessor="trainee.org_unit"),
        Column("training_class", label=gettext_lazy("Training class")),
        Column("sessions", label=gettext_lazy("Sessions"), accessor=_sessions),
        Column("kind", label=gettext_lazy("Kind of leave"), accessor="get_kind_display"),
        Column(
            "reason",
            label=gettext_lazy("Reason"),
            accessor=lambda leave: Truncator(leave.reason).chars(60),
        ),
        Column(
            "approver",
            label=gettext_lazy("Approved by"),
            accessor=lambda leave: _("Organiser") if leave.needs_organiser else _("Class adviser"),
        ),
        Column("status", label=gettext_lazy("Status"), accessor=_status),
    ]

    def get_breadcrumbs_items(self):
        return _crumbs(("", self.page_title))

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "status" not in kwargs["data"]:
            # Unasked, the list shows what waits for a decision.
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["status"] = LeaveRequest.Status.PENDING
        return kwargs

    def get_base_queryset(self):
        return selectors.leave_list_for_staff(viewer=self.request.user).order_by(
            "-created_at", "-pk"
        )


@require_http_methods(["GET", "POST"])
def leave_review(request, pk: int):
    leave = selectors.leave_get_for_staff(viewer=request.user, pk=pk)
    form = LeaveDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.leave_approve
            if form.cleaned_data["decision"] == "approve"
            else services.leave_reject
        )
        try:
            decide(actor=request.user, leave=leave, note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("attendance_admin:leave_list")
    summary = selectors.class_attendance_summary(training_class=leave.training_class).get(
        leave.trainee_id
    )
    policy = selectors.policy_for(leave.training_class)
    projected = None
    excused = selectors.official_leave_excused(leave.training_class)
    counts = not (leave.kind == LeaveRequest.Kind.OFFICIAL and excused)
    if summary and leave.training_class.credit_hours:
        pending = leave.status == LeaveRequest.Status.PENDING and counts
        pending_hours = leave.hours if pending else 0
        projected = (
            summary.counted_leave_hours + pending_hours
        ) / leave.training_class.credit_hours
    return _page(
        request,
        "attendance/admin/leave_review.html",
        _("Leave request"),
        _crumbs(
            (reverse("attendance_admin:leave_list"), _("Leave requests")),
            ("", leave.trainee.get_full_name()),
        ),
        leave=leave,
        form=form,
        summary=summary,
        policy=policy,
        projected=projected,
        counts_towards_cap=counts,
        cap=policy.leave_cap_numerator / policy.leave_cap_denominator,
        can_decide=can_decide_leave(request.user, leave),
    )
