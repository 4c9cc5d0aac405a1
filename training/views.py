"""The trainee's side: my classes, the class page, timetable, notices, 评教, calendars."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods
from wagtail import hooks

from lms.errors import DomainError

from . import ical, selectors, services
from .forms import EvaluationForm
from .models import CalendarFeed, ClassSession, Enrolment, SessionEvaluation


def _days(sessions):
    """Sessions grouped by date, for a timetable read top to bottom on a phone."""
    days: dict[datetime.date, list] = {}
    for s in sessions:
        days.setdefault(s.date, []).append(s)
    return sorted(days.items())


@require_GET
@login_required
def my_classes(request):
    classes = (
        selectors.class_list_for_trainee(trainee=request.user)
        .select_related("organising_unit")
        .order_by("-start_date")
    )
    today = timezone.localdate()
    current = [c for c in classes if c.end_date >= today and not c.is_over]
    past = [c for c in classes if c.end_date < today or c.is_over]
    return render(
        request,
        "training/my_classes.html",
        {"current": current, "past": past, "is_staff_view": False},
    )


@require_GET
@login_required
def class_detail(request, pk):
    klass = selectors.class_get_for_viewer(viewer=request.user, pk=pk)
    enrolment = selectors.enrolment_get(trainee=request.user, training_class=klass)
    sessions = list(klass.sessions.select_related("instructor", "page").order_by("starts_at"))
    evaluated = set(
        SessionEvaluation.objects.filter(
            trainee=request.user, session__training_class=klass
        ).values_list("session_id", flat=True)
    )
    ended = [s.pk for s in sessions if s.ends_at <= timezone.now()]
    not_to_rate = (
        selectors.sessions_not_to_rate(trainee=request.user, session_ids=ended)
        if enrolment
        else set()
    )
    group_members = []
    if enrolment and enrolment.group_id:
        group_members = (
            enrolment.group.enrolments.filter(status=Enrolment.Status.ENROLLED)
            .select_related("trainee")
            .order_by("trainee__full_name")
        )
    notices = klass.notices.select_related("author")
    if enrolment:
        read = set(enrolment.trainee.notice_receipts.values_list("notice_id", flat=True))
        for n in notices:
            n.is_read = n.pk in read
    committee = (
        klass.enrolments.exclude(committee_role="")
        .filter(status=Enrolment.Status.ENROLLED)
        .select_related("trainee")
        .order_by("committee_role")
    )
    # Apps that build on training add their sections: courses the class's online courses,
    # certificates the trainee's outcome once the class is closed ("top": above the rest).
    sections = [
        section
        for hook in hooks.get_hooks("training_class_page_sections")
        if (section := hook(request, klass, enrolment))
    ]
    return render(
        request,
        "training/class_detail.html",
        {
            "klass": klass,
            "enrolment": enrolment,
            "sections": sections,
            "days": _days(sessions),
            "now": timezone.now(),
            "today": timezone.localdate(),
            "evaluated": evaluated,
            "not_to_rate": not_to_rate,
            "group_members": group_members,
            "notices": notices,
            "advisers": klass.advisers.all(),
            "committee": committee,
        },
    )


@require_GET
@login_required
def class_calendar(request, pk):
    klass = selectors.class_get_for_viewer(viewer=request.user, pk=pk)
    body = ical.calendar(
        name=klass.name,
        sessions=klass.sessions.select_related("training_class", "instructor").order_by(
            "starts_at"
        ),
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{klass.pk}.ics"'
    return response


@require_GET
def calendar_feed(request, token):
    """No login: calendar apps cannot log in. The long random token is the credential."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    body = ical.calendar(
        name=str(feed.user.get_full_name()) + " · 课程表",
        sessions=selectors.session_list_for_trainee(trainee=feed.user),
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def my_calendar(request):
    if request.method == "POST":
        services.calendar_feed_renew(user=request.user)
        messages.success(request, _renewed_message())
        return redirect("training:my_calendar")
    feed = services.calendar_feed_get_or_create(user=request.user)
    url = request.build_absolute_uri(reverse("training:calendar_feed", args=[feed.token]))
    return render(
        request,
        "training/my_calendar.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
    )


def _renewed_message():
    return gettext("A new link was made; calendars using the old one no longer update.")


@require_GET
@login_required
def notice_detail(request, pk):
    notice = selectors.notice_get_for_viewer(viewer=request.user, pk=pk)
    services.notice_mark_read(reader=request.user, notice=notice)
    return render(
        request, "training/notice_detail.html", {"notice": notice, "klass": notice.training_class}
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_evaluate(request, pk):
    session = get_object_or_404(
        ClassSession.objects.select_related("training_class", "instructor"), pk=pk
    )
    klass = selectors.class_get_for_trainee(trainee=request.user, pk=session.training_class_id)
    existing = SessionEvaluation.objects.filter(session=session, trainee=request.user).first()
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.evaluation_submit(trainee=request.user, session=session, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                gettext("Thank you. Your rating was saved; the instructor will not see your name."),
            )
            return redirect("training:class_detail", klass.pk)
    return render(
        request,
        "training/session_evaluate.html",
        {
            "session": session,
            "klass": klass,
            "form": form,
            "existing": existing,
            "is_open": session.ends_at <= timezone.now(),
            "not_attended": session.pk
            in selectors.sessions_not_to_rate(trainee=request.user, session_ids=[session.pk]),
        },
    )
