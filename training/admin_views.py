"""Staff screens in the Wagtail admin: classes, roster, groups, timetable, notices, 评教.

Every view finds its class through `training.selectors` (so an organiser of another
county gets a 404, not a form) and then asks whether the viewer may run or manage it.
"""

import base64
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from lms.errors import DomainError
from lms.spreadsheets import XLSX_MIME
from people.phones import InvalidPhone, normalize_phone
from people.selectors import person_list

from . import selectors, services
from .forms import (
    EnrolByPhoneForm,
    EnrolmentForm,
    GroupForm,
    NoticeForm,
    PastePhonesForm,
    SessionForm,
    UploadForm,
)
from .models import ClassSession, Enrolment, ImportBatch, Notice, StudyGroup, TrainingClass
from .services import classes as class_services
from .services import roster as roster_services
from .services import roster_paste as paste_services
from .services import timetable as timetable_services

VIEW, RUN, MANAGE = "view", "run", "manage"


def _class(request, pk: int, need: str = VIEW) -> TrainingClass:
    klass = selectors.class_get_for_staff(viewer=request.user, pk=pk)
    if need == RUN and not selectors.can_run_class(request.user, klass):
        raise DjangoPermissionDenied
    if need == MANAGE and not selectors.can_manage_class(request.user, klass):
        raise DjangoPermissionDenied
    return klass


def _tabs(request, klass: TrainingClass, active: str) -> list[dict]:
    can_run = selectors.can_run_class(request.user, klass)
    tabs = [("overview", _("Overview"), "training_admin:class_overview")]
    if can_run:
        tabs += [
            ("roster", _("Roster"), "training_admin:roster"),
            ("groups", _("Groups and committee"), "training_admin:groups"),
        ]
    tabs.append(("timetable", _("Timetable"), "training_admin:timetable"))
    if can_run:
        tabs += [
            ("notices", _("Notices"), "training_admin:notices"),
            ("evaluations", _("Evaluations"), "training_admin:class_evaluations"),
        ]
    result = [
        {"key": k, "label": label, "url": reverse(name, args=[klass.pk]), "active": k == active}
        for k, label, name in tabs
    ]
    # Apps that build on training add their own tabs (courses: the class's online courses).
    for hook in hooks.get_hooks("training_class_admin_tabs"):
        result += [{**tab, "active": tab["key"] == active} for tab in hook(request, klass)]
    return result


def _render(request, template, klass, tab, **context):
    return render(
        request,
        template,
        {
            "klass": klass,
            "tabs": _tabs(request, klass, tab),
            "can_manage": selectors.can_manage_class(request.user, klass),
            "can_run": selectors.can_run_class(request.user, klass),
            "page_title": klass.name,
            "header_icon": "group",
            **context,
        },
    )


def _xlsx(book, filename: str):
    return book.response(filename)


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


# --- Classes -------------------------------------------------------------------------------


def class_overview(request, pk):
    klass = _class(request, pk)
    S = TrainingClass.Status
    order = list(S.values)
    next_steps = [
        (status, label, order.index(status) < order.index(klass.status))
        for status, label in S.choices
        if status != S.CLOSED and class_services.status_change_allowed(klass, status)
    ]
    counts = klass.enrolments.aggregate(
        enrolled=Count("pk", filter=Q(status=Enrolment.Status.ENROLLED)),
        completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
        not_completed=Count("pk", filter=Q(status=Enrolment.Status.NOT_COMPLETED)),
        withdrawn=Count("pk", filter=Q(status=Enrolment.Status.WITHDRAWN)),
    )
    return _render(
        request,
        "training/admin/class_overview.html",
        klass,
        "overview",
        next_steps=next_steps,
        counts=counts,
        session_count=klass.sessions.count(),
        advisers=klass.advisers.all(),
        steps=S.choices,
    )


@require_POST
def class_status(request, pk):
    klass = _class(request, pk, MANAGE)
    try:
        services.class_status_change(
            actor=request.user, training_class=klass, status=request.POST.get("status", "")
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Status changed."))
    return redirect("training_admin:class_overview", klass.pk)


# --- Roster --------------------------------------------------------------------------------


def roster(request, pk):
    klass = _class(request, pk, RUN)
    enrolments = klass.enrolments.select_related("trainee__org_unit", "group").order_by(
        "status", "group__sort_order", "group__name", "trainee__full_name"
    )
    query = request.GET.get("q", "").strip()
    if query:
        enrolments = enrolments.filter(
            Q(trainee__full_name__icontains=query) | Q(trainee__phone__contains=query)
        )
    return _render(
        request,
        "training/admin/roster.html",
        klass,
        "roster",
        enrolments=enrolments,
        query=query,
        enrol_form=EnrolByPhoneForm(),
        paste_form=PastePhonesForm(),
        upload_form=UploadForm(),
        groups=klass.groups.all(),
        committee_roles=Enrolment._meta.get_field("committee_role").choices,
    )


@require_POST
def enrol_add(request, pk):
    klass = _class(request, pk, MANAGE)
    form = EnrolByPhoneForm(request.POST)
    person = None
    if form.is_valid():
        try:
            phone = normalize_phone(form.cleaned_data["phone"])
        except InvalidPhone as exc:
            _error(request, exc)
            return redirect("training_admin:roster", klass.pk)
        person = person_list(viewer=request.user).filter(phone=phone).first()
    if person is None:
        messages.error(
            request,
            _("Nobody in your units has this number. Create the person first, or import a roster."),
        )
        return redirect("training_admin:roster", klass.pk)
    try:
        services.enrolment_add(actor=request.user, training_class=klass, trainee=person)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s enrolled.") % {"name": person.full_name})
    return redirect("training_admin:roster", klass.pk)


@require_POST
def enrolment_update(request, pk, enrolment_pk):
    klass = _class(request, pk, RUN)
    enrolment = get_object_or_404(Enrolment, pk=enrolment_pk, training_class=klass)
    try:
        if request.POST.get("action") == "withdraw":
            if not selectors.can_manage_class(request.user, klass):
                raise DjangoPermissionDenied
            services.enrolment_withdraw(
                actor=request.user, enrolment=enrolment, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Withdrawn from the class."))
        else:
            form = EnrolmentForm(request.POST, training_class=klass)
            if not form.is_valid():
                messages.error(request, _("Choose a group and role from the lists."))
                return redirect("training_admin:roster", klass.pk)
            services.enrolment_group_set(
                actor=request.user, enrolment=enrolment, group=form.cleaned_data["group"]
            )
            services.committee_role_set(
                actor=request.user, enrolment=enrolment, role=form.cleaned_data["committee_role"]
            )
            messages.success(request, _("Saved."))
    except DomainError as exc:
        _error(request, exc)
    return redirect(reverse("training_admin:roster", args=[klass.pk]) + f"#e{enrolment.pk}")


@require_POST
def roster_paste(request, pk):
    """Pasted mobile numbers: kept as a batch, then checked on the preview page."""
    klass = _class(request, pk, MANAGE)
    form = PastePhonesForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("text", []):
            messages.error(request, error)
        return redirect("training_admin:roster", klass.pk)
    try:
        batch, _check = services.roster_paste_preview(
            actor=request.user, training_class=klass, text=form.cleaned_data["text"]
        )
    except DomainError as exc:
        _error(request, exc)
        return redirect("training_admin:roster", klass.pk)
    return redirect("training_admin:roster_paste_preview", klass.pk, batch.pk)


def roster_paste_preview(request, pk, batch_pk):
    """GET shows each pasted number with its status; POST enrols them all or nobody."""
    klass = _class(request, pk, MANAGE)
    batch = roster_services.import_batch_get(
        actor=request.user, training_class=klass, pk=batch_pk, kind=ImportBatch.Kind.PHONES
    )
    if request.method == "POST":
        try:
            result = services.roster_paste_confirm(actor=request.user, batch=batch)
        except services.ImportBatchUsed:
            messages.info(request, _("These numbers have already been enrolled."))
        except DomainError as exc:
            _error(request, exc)
            if exc.code == services.PasteInvalid.code:  # something changed since the preview
                return redirect("training_admin:roster_paste_preview", klass.pk, batch.pk)
        else:
            names = "、".join(p.full_name or p.phone for p in result.enrolled)
            if result.enrolled:
                messages.success(
                    request,
                    _("Enrolled %(n)d: %(names)s.") % {"n": len(result.enrolled), "names": names},
                )
            else:
                messages.info(request, _("Everyone on the list was already on the roster."))
        return redirect("training_admin:roster", klass.pk)
    if batch.confirmed_at is not None:
        messages.info(request, _("These numbers have already been enrolled."))
        return redirect("training_admin:roster", klass.pk)
    check = paste_services.batch_check(actor=request.user, batch=batch)
    return _render(
        request,
        "training/admin/roster_paste_preview.html",
        klass,
        "roster",
        batch=batch,
        check=check,
        paste_form=PastePhonesForm(initial={"text": paste_services.batch_text(batch)}),
        page_subtitle=_("Check the pasted numbers before enrolling"),
    )


def _import_upload(request, pk, *, section, preview_service, subtitle):
    """The first step of a spreadsheet import: upload, check, then go to the preview."""
    klass = _class(request, pk, MANAGE)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch, _check = preview_service(
                actor=request.user, training_class=klass, upload=upload, filename=upload.name
            )
        except DomainError as exc:
            form.add_error(
                "file",
                str(exc.message) + (f"（{exc.detail}）" if exc.code == "missing_columns" else ""),
            )
        else:
            return redirect(f"training_admin:{section}_preview", klass.pk, batch.pk)
    return _render(
        request,
        "training/admin/upload.html",
        klass,
        section,
        form=form,
        page_subtitle=subtitle,
        template_url=reverse(f"training_admin:{section}_template", args=[klass.pk]),
    )


def roster_import(request, pk):
    return _import_upload(
        request,
        pk,
        section="roster",
        preview_service=services.roster_import_preview,
        subtitle=_("Import roster"),
    )


def roster_preview(request, pk, batch_pk):
    """GET shows the live check of the kept upload; POST confirms it."""
    klass = _class(request, pk, MANAGE)
    batch = roster_services.import_batch_get(
        actor=request.user, training_class=klass, pk=batch_pk, kind=ImportBatch.Kind.ROSTER
    )
    if request.method == "POST":
        try:
            result = services.roster_import_confirm(actor=request.user, batch=batch)
        except DomainError as exc:
            _error(request, exc)
        else:
            sheet = (
                roster_services.passwords_sheet(result.created).getvalue()
                if result.created
                else b""
            )
            response = _render(
                request,
                "training/admin/roster_done.html",
                klass,
                "roster",
                result=result,
                sheet_data=base64.b64encode(sheet).decode() if sheet else "",
                sheet_name=f"{klass.code}-初始密码.xlsx",
                xlsx_mime=XLSX_MIME,
            )
            # The initial passwords are in this page only: never cache it anywhere.
            response["Cache-Control"] = "no-store"
            return response
    if batch.confirmed_at is not None:
        messages.info(request, _("This upload has already been imported."))
        return redirect("training_admin:roster", klass.pk)
    check = roster_services.roster_check(
        actor=request.user, training_class=klass, raw_rows=batch.rows
    )
    return _render(
        request,
        "training/admin/roster_preview.html",
        klass,
        "roster",
        batch=batch,
        check=check,
        page_subtitle=_("Check the roster before importing"),
    )


def roster_template(request, pk):
    klass = _class(request, pk, MANAGE)
    return _xlsx(roster_services.roster_template(), f"{klass.code}-花名册模板.xlsx")


def roster_export(request, pk):
    klass = _class(request, pk, RUN)
    data = roster_services.roster_export(
        training_class=klass, include_withdrawn=request.GET.get("withdrawn") == "1"
    )
    return _xlsx(data, f"{klass.code}-花名册.xlsx")


# --- Groups --------------------------------------------------------------------------------


def groups(request, pk):
    klass = _class(request, pk, RUN)
    form = GroupForm(request.POST or None, training_class=klass)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_save(
                actor=request.user,
                training_class=klass,
                name=form.cleaned_data["name"],
                leader=form.cleaned_data["leader"],
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Group saved."))
            return redirect("training_admin:groups", klass.pk)
    group_rows = [
        (g, [e for e in g.enrolments.all() if e.status == Enrolment.Status.ENROLLED])
        for g in klass.groups.select_related("leader").prefetch_related("enrolments__trainee")
    ]
    committee = (
        klass.enrolments.exclude(committee_role="")
        .filter(status=Enrolment.Status.ENROLLED)
        .select_related("trainee")
        .order_by("committee_role")
    )
    ungrouped = klass.enrolments.filter(group=None, status=Enrolment.Status.ENROLLED).count()
    return _render(
        request,
        "training/admin/groups.html",
        klass,
        "groups",
        form=form,
        group_rows=group_rows,
        committee=committee,
        ungrouped=ungrouped,
    )


def group_edit(request, pk, group_pk):
    klass = _class(request, pk, RUN)
    group = get_object_or_404(StudyGroup, pk=group_pk, training_class=klass)
    form = GroupForm(
        request.POST or None,
        training_class=klass,
        initial={"name": group.name, "leader": group.leader},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_save(
                actor=request.user,
                training_class=klass,
                group=group,
                name=form.cleaned_data["name"],
                leader=form.cleaned_data["leader"],
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Group saved."))
            return redirect("training_admin:groups", klass.pk)
    return _render(
        request, "training/admin/form.html", klass, "groups", form=form, page_subtitle=group.name
    )


# --- Timetable -----------------------------------------------------------------------------


def timetable(request, pk):
    klass = _class(request, pk)
    sessions = selectors.evaluation_averages(
        klass.sessions.select_related("instructor", "page")
    ).order_by("starts_at")
    return _render(
        request,
        "training/admin/timetable.html",
        klass,
        "timetable",
        sessions=sessions,
        total_hours=sum(s.credit_hours for s in sessions),
    )


def session_create(request, pk):
    klass = _class(request, pk, MANAGE)
    return _session_form(request, klass, None)


def session_edit(request, pk, session_pk):
    klass = _class(request, pk, MANAGE)
    session = get_object_or_404(ClassSession, pk=session_pk, training_class=klass)
    return _session_form(request, klass, session)


def _session_form(request, klass, session):
    initial = (
        SessionForm.initial_for(session)
        if session
        else {"day": klass.start_date, "venue": klass.venue}
    )
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(
                actor=request.user, training_class=klass, session=session, **form.service_fields()
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("training_admin:timetable", klass.pk)
    return _render(
        request,
        "training/admin/form.html",
        klass,
        "timetable",
        form=form,
        page_subtitle=session.title if session else _("New session"),
        delete_url=reverse("training_admin:session_delete", args=[klass.pk, session.pk])
        if session
        else "",
    )


@require_POST
def session_delete(request, pk, session_pk):
    klass = _class(request, pk, MANAGE)
    session = get_object_or_404(ClassSession, pk=session_pk, training_class=klass)
    try:
        services.session_delete(actor=request.user, session=session)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Session deleted."))
    return redirect("training_admin:timetable", klass.pk)


def timetable_import(request, pk):
    return _import_upload(
        request,
        pk,
        section="timetable",
        preview_service=services.timetable_import_preview,
        subtitle=_("Import timetable"),
    )


def timetable_preview(request, pk, batch_pk):
    klass = _class(request, pk, MANAGE)
    batch = roster_services.import_batch_get(
        actor=request.user, training_class=klass, pk=batch_pk, kind=ImportBatch.Kind.TIMETABLE
    )
    if request.method == "POST":
        try:
            created = services.timetable_import_confirm(actor=request.user, batch=batch)
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("%(n)d sessions added to the timetable.") % {"n": created})
            return redirect("training_admin:timetable", klass.pk)
    if batch.confirmed_at is not None:
        messages.info(request, _("This upload has already been imported."))
        return redirect("training_admin:timetable", klass.pk)
    check = timetable_services.timetable_check(training_class=klass, raw_rows=batch.rows)
    return _render(
        request,
        "training/admin/timetable_preview.html",
        klass,
        "timetable",
        batch=batch,
        check=check,
        page_subtitle=_("Check the timetable before importing"),
    )


def timetable_template(request, pk):
    klass = _class(request, pk, MANAGE)
    return _xlsx(timetable_services.timetable_template(), f"{klass.code}-课程表模板.xlsx")


def timetable_export(request, pk):
    klass = _class(request, pk)
    return _xlsx(
        timetable_services.timetable_export(training_class=klass), f"{klass.code}-课程表.xlsx"
    )


# --- Notices -------------------------------------------------------------------------------


def notices(request, pk):
    klass = _class(request, pk, RUN)
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_publish(actor=request.user, training_class=klass, **form.cleaned_data)
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Notice published to the class."))
            return redirect("training_admin:notices", klass.pk)
    roster_size = klass.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    items = klass.notices.select_related("author").annotate(read_count=Count("receipts"))
    return _render(
        request,
        "training/admin/notices.html",
        klass,
        "notices",
        form=form,
        items=items,
        roster_size=roster_size,
    )


def notice_receipts(request, pk, notice_pk):
    klass = _class(request, pk, RUN)
    notice = get_object_or_404(Notice, pk=notice_pk, training_class=klass)
    readers = selectors.notice_readers(notice=notice)
    return _render(
        request,
        "training/admin/notice_receipts.html",
        klass,
        "notices",
        notice=notice,
        readers=readers,
        read_count=sum(1 for _e, at in readers if at),
        page_subtitle=notice.title,
    )


# --- Evaluations (评教) ----------------------------------------------------------------------


def class_evaluations(request, pk):
    klass = _class(request, pk, RUN)
    sessions = selectors.evaluation_averages(klass.sessions.select_related("instructor")).order_by(
        "starts_at"
    )
    return _render(
        request, "training/admin/class_evaluations.html", klass, "evaluations", sessions=sessions
    )


def my_evaluations(request):
    """An instructor's sessions with averages; anonymous by construction."""
    return render(
        request,
        "training/admin/my_evaluations.html",
        {
            "page_title": _("Evaluations of my sessions"),
            "header_icon": "pick",
            "sessions": selectors.session_list_for_instructor(viewer=request.user),
        },
    )


def session_evaluations(request, session_pk):
    session = selectors.session_get_for_evaluations(viewer=request.user, pk=session_pk)
    # Organisers of the class see who said what; instructors and advisers do not.
    named = selectors.can_manage_class(request.user, session.training_class)
    evaluations = session.evaluations.select_related("trainee")
    # Without names, time order would still hint at who wrote what.
    evaluations = evaluations.order_by("-created_at") if named else evaluations.order_by("comment")
    summary = selectors.evaluation_averages(ClassSession.objects.filter(pk=session.pk)).get()
    return render(
        request,
        "training/admin/session_evaluations.html",
        {
            "page_title": session.title,
            "header_icon": "pick",
            "session": session,
            "summary": summary,
            "evaluations": evaluations,
            "named": named,
            "now": timezone.now(),
            "today": datetime.date.today(),
        },
    )
