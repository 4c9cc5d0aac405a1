"""The trainee's side, on a phone: the scan landing page, their attendance, leave."""

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.errors import DomainError
from lms.storage import private_file_response
from training.models import ClassSession, TrainingClass
from training.selectors import class_list_for_trainee

from .. import errors, selectors, services
from ..forms import LeaveRequestForm, ReportBackForm
from ..models import LeaveRequest
from ..tokens import CHECKIN, BadToken, token_read

OPENED_KEY = "attendance_opened"


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:24]


def _client_ip(request) -> str | None:
    """The client's address as the login rate limits see it (allauth's adapter), so one
    setting (ALLAUTH_TRUSTED_PROXY_COUNT behind nginx) serves both; behind the proxy
    REMOTE_ADDR is the proxy, the same for every phone."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (DjangoPermissionDenied, ImproperlyConfigured):
        return None


def _client(request) -> dict:
    return {
        "ip": _client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def _note_opened(request, token: str) -> None:
    """Remember, in this browser's session, when a still-valid code was opened before a
    detour: the login, or the forced change of an imported account's first password.

    The login and the password change keep the session's data, so afterwards the
    check-in can tell a scan that was fresh (and only slowed by the detour) from a
    stale forwarded photo.
    """
    try:
        data = token_read(token)
    except BadToken:
        return
    session = ClassSession.objects.select_related("training_class").filter(pk=data.session_id)
    session = session.first()
    if session is None:
        return
    policy = selectors.policy_for(session.training_class)
    now = time.time()
    if data.age(now) > policy.token_lifetime_seconds:
        return
    opened = request.session.get(OPENED_KEY, {})
    # Keep the map small: only codes younger than any grace could still matter.
    opened = {k: v for k, v in opened.items() if now - v < 3600}
    opened.setdefault(_token_key(token), now)
    request.session[OPENED_KEY] = opened


STATUS_CODES = {
    "not_on_roster": 403,
    "session_ended": 409,
    "checkin_not_open": 409,
    "checkout_not_open": 409,
    "checkout_closed": 409,
    "not_checked_in": 409,
}


@never_cache
@require_GET
def checkin(request, session_pk: int):
    """Where the QR code leads. GET, because phone cameras and WeChat open links with GET;
    the code itself is the short-lived capability and the service is idempotent."""
    token = request.GET.get("t", "")
    if not request.user.is_authenticated:
        _note_opened(request, token)
        messages.info(
            request,
            _("Log in to finish checking in: your scan is kept for a few minutes."),
            fail_silently=True,
        )
        return redirect_to_login(request.get_full_path())
    opened_at = request.session.get(OPENED_KEY, {}).get(_token_key(token))
    try:
        result = services.checkin_record(
            trainee=request.user,
            token=token,
            session_id=session_pk,
            opened_at=opened_at,
            client=_client(request),
        )
    except errors.CheckinError as exc:
        # A junk or foreign code must not reveal what the session in the URL is.
        code_valid = not isinstance(exc, errors.TokenInvalid | errors.WrongSession)
        session = selectors.session_for_checkin_page(
            viewer=request.user, pk=session_pk, code_valid=code_valid
        )
        return render(
            request,
            "attendance/checkin_result.html",
            {"error": exc, "session": session},
            status=STATUS_CODES.get(exc.code, 400),
        )
    return render(
        request,
        "attendance/checkin_result.html",
        {
            "result": result,
            "record": result.record,
            "session": result.session,
            "checking_in": result.mode == CHECKIN,
        },
    )


def _note_before_password_change(request, session_pk: int) -> None:
    _note_opened(request, request.GET.get("t", ""))


# people.middleware.ForcePasswordChangeMiddleware sends a new account to change its
# password before any view runs; this lets it note the scan first.
checkin.before_password_change = _note_before_password_change


@require_GET
@login_required
def my_attendance(request):
    classes = []
    for training_class in class_list_for_trainee(trainee=request.user).order_by("-start_date"):
        summary = selectors.class_attendance_summary(training_class=training_class).get(
            request.user.pk
        )
        classes.append(
            {
                "training_class": training_class,
                "summary": summary,
                "policy": selectors.policy_for(training_class),
                "rows": selectors.trainee_records(
                    trainee=request.user, training_class=training_class
                ),
            }
        )
    leaves = selectors.leave_list_for_trainee(trainee=request.user)[:20]
    return render(request, "attendance/my_attendance.html", {"classes": classes, "leaves": leaves})


def _trainee_class(request, class_pk: int):
    try:
        return class_list_for_trainee(trainee=request.user).get(pk=class_pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
@login_required
def leave_create(request, class_pk: int):
    training_class = _trainee_class(request, class_pk)
    if not selectors.is_on_roster(trainee=request.user, training_class=training_class):
        raise Http404
    upcoming = ClassSession.objects.filter(
        training_class=training_class, ends_at__gt=timezone.now()
    ).order_by("starts_at")
    if not upcoming.exists():
        # Nothing left to ask leave for: say so instead of a form that can only fail.
        return render(
            request,
            "attendance/leave_form.html",
            {"training_class": training_class, "no_sessions_left": True},
        )
    form = LeaveRequestForm(request.POST or None, request.FILES or None, sessions_qs=upcoming)
    if request.method == "POST" and form.is_valid():
        try:
            leave = services.leave_request_create(
                trainee=request.user,
                training_class=training_class,
                sessions=list(form.cleaned_data["sessions"]),
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your leave request has been sent."))
            return redirect("attendance:leave_detail", pk=leave.pk)
    policy = selectors.policy_for(training_class)
    preview = selectors.leave_preview(
        trainee=request.user, training_class=training_class, sessions=upcoming
    )
    return render(
        request,
        "attendance/leave_form.html",
        {
            "form": form,
            "training_class": training_class,
            "policy": policy,
            "preview": preview,
            "preview_data": preview.as_json(),
        },
    )


def _own_leave(request, pk: int) -> LeaveRequest:
    return get_object_or_404(selectors.leave_list_for_trainee(trainee=request.user), pk=pk)


@require_GET
@login_required
def leave_detail(request, pk: int):
    leave = _own_leave(request, pk)
    return render(
        request,
        "attendance/leave_detail.html",
        {"leave": leave, "report_form": ReportBackForm()},
    )


@require_POST
@login_required
def leave_withdraw(request, pk: int):
    leave = _own_leave(request, pk)
    try:
        services.leave_withdraw(trainee=request.user, leave=leave)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your leave request has been withdrawn."))
    return redirect("attendance:leave_detail", pk=leave.pk)


@require_POST
@login_required
def leave_report_back(request, pk: int):
    leave = _own_leave(request, pk)
    form = ReportBackForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.leave_report_back(trainee=request.user, leave=leave, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have reported back. Welcome back!"))
    return redirect("attendance:leave_detail", pk=leave.pk)


@require_GET
@login_required
def leave_attachment(request, pk: int):
    """The attachment, to its trainee and to the staff who run the class, nobody else."""
    leave = LeaveRequest.objects.filter(pk=pk).select_related("training_class").first()
    if leave is None or not leave.attachment:
        raise Http404
    if (
        leave.trainee_id != request.user.pk
        and not selectors.runnable_class_list(viewer=request.user)
        .filter(pk=leave.training_class_id)
        .exists()
    ):
        raise Http404
    return private_file_response(leave.attachment)
