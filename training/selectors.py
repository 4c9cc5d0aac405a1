"""Who may see and run which class. Every app asks these, never the roles directly."""

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from wagtail import hooks

from people.roles import Role, has_role
from people.selectors import unit_is_managed_by, within_units_q

from .models import ClassSession, Enrolment, Notice, NoticeReceipt, TrainingClass


def class_list_for_staff(*, viewer) -> QuerySet[TrainingClass]:
    """Classes a staff member works on: organisers by unit, advisers and instructors by name."""
    if viewer.is_superuser:
        return TrainingClass.objects.all()
    q = Q(pk__in=[])
    if has_role(viewer, Role.ORGANISER):
        q |= within_units_q(viewer, field="organising_unit")
    if has_role(viewer, Role.ADVISER):
        q |= Q(advisers=viewer)
    if has_role(viewer, Role.INSTRUCTOR):
        q |= Q(sessions__instructor=viewer)
    return TrainingClass.objects.filter(q).distinct()


def class_get_for_staff(*, viewer, pk: int) -> TrainingClass:
    try:
        return class_list_for_staff(viewer=viewer).get(pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


def can_manage_class(viewer, training_class: TrainingClass) -> bool:
    """Create, import, close, issue certificates: organisers of the organising unit."""
    if viewer.is_superuser:
        return True
    return has_role(viewer, Role.ORGANISER) and unit_is_managed_by(
        training_class.organising_unit, viewer
    )


def is_adviser_of(viewer, training_class: TrainingClass) -> bool:
    return (
        viewer.is_authenticated
        and has_role(viewer, Role.ADVISER)
        and training_class.advisers.filter(pk=viewer.pk).exists()
    )


def can_run_class(viewer, training_class: TrainingClass) -> bool:
    """Day-to-day work (check-in screen, corrections, short leave): its advisers and managers."""
    return is_adviser_of(viewer, training_class) or can_manage_class(viewer, training_class)


def class_list_for_trainee(*, trainee) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(
        enrolments__trainee=trainee,
        enrolments__status__in=Enrolment.STAYED,
    ).distinct()


def enrolment_get(*, trainee, training_class: TrainingClass) -> Enrolment | None:
    return Enrolment.objects.filter(trainee=trainee, training_class=training_class).first()


def session_list_for_trainee_on(*, trainee, date) -> QuerySet[ClassSession]:
    """The trainee's 今日课程: sessions of their current classes on one day."""
    return (
        ClassSession.objects.filter(
            date=date,
            training_class__enrolments__trainee=trainee,
            training_class__enrolments__status=Enrolment.Status.ENROLLED,
        )
        .select_related("training_class")
        .order_by("starts_at")
    )


# --- Class life: the trainee's pages, notices, evaluations -------------------------------

_ACTIVE = Enrolment.STAYED


def class_get_for_trainee(*, trainee, pk: int) -> TrainingClass:
    try:
        return class_list_for_trainee(trainee=trainee).get(pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


def class_get_for_viewer(*, viewer, pk: int) -> TrainingClass:
    """A class for its pages: trainees on the roster, or staff who work on it."""
    klass = class_list_for_trainee(trainee=viewer).filter(pk=pk).first()
    if klass is None:
        klass = class_list_for_staff(viewer=viewer).filter(pk=pk).first()
    if klass is None:
        raise Http404
    return klass


def session_list_for_trainee(*, trainee) -> QuerySet[ClassSession]:
    """Every session of the trainee's classes (the personal calendar feed)."""
    return (
        ClassSession.objects.filter(
            training_class__enrolments__trainee=trainee,
            training_class__enrolments__status__in=_ACTIVE,
        )
        .select_related("training_class", "instructor")
        .order_by("starts_at")
    )


def notice_list_for_trainee(*, trainee, unread_only: bool = False):
    qs = (
        Notice.objects.filter(
            training_class__enrolments__trainee=trainee,
            training_class__enrolments__status=Enrolment.Status.ENROLLED,
        )
        .annotate(
            is_read=Exists(NoticeReceipt.objects.filter(notice=OuterRef("pk"), reader=trainee))
        )
        .select_related("training_class", "author")
    )
    if unread_only:
        qs = qs.filter(is_read=False)
    return qs


def notice_get_for_viewer(*, viewer, pk: int):
    notice = Notice.objects.select_related("training_class", "author").filter(pk=pk).first()
    if notice is None:
        raise Http404
    class_get_for_viewer(viewer=viewer, pk=notice.training_class_id)
    return notice


def notice_readers(*, notice) -> list[tuple[Enrolment, object]]:
    """Everyone on the roster with when they read the notice (None: not yet)."""
    read = dict(notice.receipts.values_list("reader_id", "read_at"))
    roster = (
        notice.training_class.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("trainee__org_unit", "group")
        .order_by("group__sort_order", "trainee__full_name")
    )
    return [(e, read.get(e.trainee_id)) for e in roster]


# Apps that know who attended (attendance) say who may not rate a session through this
# Wagtail hook (in their wagtail_hooks.py), so this app depends on none of them. A rule
# takes the trainee and session ids and returns the ids the trainee may not rate.
EVALUATION_BAR_HOOK = "training_sessions_not_to_rate"


def sessions_not_to_rate(*, trainee, session_ids) -> set[int]:
    """Sessions the trainee may not rate (e.g. absent or on leave): one query per rule."""
    ids = list(session_ids)
    barred: set[int] = set()
    if ids:
        for rule in hooks.get_hooks(EVALUATION_BAR_HOOK):
            barred |= set(rule(trainee=trainee, session_ids=ids))
    return barred


def evaluation_averages(sessions: QuerySet[ClassSession]) -> QuerySet[ClassSession]:
    """Sessions with their evaluation count and averages (no rater is ever named)."""
    return sessions.annotate(
        eval_count=Count("evaluations"),
        avg_content=Avg("evaluations__content"),
        avg_teaching=Avg("evaluations__teaching"),
        avg_usefulness=Avg("evaluations__usefulness"),
    )


def session_list_for_instructor(*, viewer) -> QuerySet[ClassSession]:
    return evaluation_averages(
        ClassSession.objects.filter(instructor=viewer).select_related("training_class")
    ).order_by("-starts_at")


def session_get_for_evaluations(*, viewer, pk: int) -> ClassSession:
    """Instructors open their own sessions; organisers and advisers their classes' sessions."""
    session = ClassSession.objects.select_related("training_class").filter(pk=pk).first()
    if session is None:
        raise Http404
    if session.instructor_id == viewer.pk or can_run_class(viewer, session.training_class):
        return session
    raise Http404
