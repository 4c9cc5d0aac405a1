"""Writes: who is given which course — a class's online curriculum, or one trainee directly.

Every change checks the actor's scope (organisers of the class's organising unit, or of
the trainee's unit), is safe to repeat (adding twice makes one row and one audit entry,
removing what is gone does nothing), and is written to Wagtail's audit log. Changes to one
class queue on its row; duplicates of one trainee's enrolment are stopped by the unique
constraint, which `get_or_create` turns into "already there".
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError
from lms.errors import PermissionDenied as DomainPermissionDenied
from people.roles import Role, has_role
from people.selectors import person_list, unit_is_managed_by
from training.models import TrainingClass
from training.selectors import can_manage_class

from .models import ClassCourse, CourseEnrolment, CoursePage, CourseProgress


class CourseNotLive(DomainError):
    code = "course_not_live"
    message = _(
        "This course is not published, so it cannot be assigned. "
        "It must be approved and published first."
    )


class ClassClosed(DomainError):
    code = "class_closed"
    message = _("This class is closed; its courses can no longer be changed.")


class CourseNotInClass(DomainError):
    code = "course_not_in_class"
    message = _("The class does not have this course (any more).")


class BadRequirement(DomainError):
    code = "bad_requirement"
    message = _("Choose compulsory or elective.")


class ClassOutOfScope(DomainPermissionDenied):
    code = "class_out_of_scope"
    message = _("Only organisers of the class's organising unit may change its courses.")


class TraineeOutOfScope(DomainPermissionDenied):
    """Raised alike for a person outside the actor's units and for no person at all, and
    never shown with the person's name: who exists elsewhere is not the actor's to learn."""

    code = "trainee_out_of_scope"
    message = _("This trainee does not exist or is not in the units you manage.")


class NotATrainee(DomainError):
    code = "not_a_trainee"
    message = _("Only active trainees can be given a course.")


def _live_course(course: CoursePage) -> CoursePage:
    """The course as it is now in the database: a stale page object must not pass as live."""
    current = CoursePage.objects.filter(pk=course.pk).only("pk", "live", "title").first()
    if current is None or not current.live:
        raise CourseNotLive(str(course.pk))
    return current


def _locked_class(*, actor, training_class) -> TrainingClass:
    if not can_manage_class(actor, training_class):
        raise ClassOutOfScope()
    klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if klass.status == TrainingClass.Status.CLOSED:
        raise ClassClosed(str(klass.pk))
    return klass


# ---------------------------------------------------------------------------------------
# A class's courses


def class_course_add(
    *, actor, training_class, course: CoursePage, requirement: str = "", due_date=None
) -> tuple[ClassCourse, bool]:
    """Put a live course on the class's curriculum; every trainee on the roster then has it.

    必修 or 选修 defaults to what the course itself says. Adding a course the class has
    already changes nothing (its terms are changed with `class_course_update`)."""
    with transaction.atomic():
        klass = _locked_class(actor=actor, training_class=training_class)
        course = _live_course(course)
        requirement = _requirement(requirement or course.requirement)
        link, created = ClassCourse.objects.get_or_create(
            training_class=klass,
            course=course,
            defaults={"added_by": actor, "requirement": requirement, "due_date": due_date},
        )
        if created:
            link.full_clean()
            log(
                link,
                "courses.class_course_add",
                user=actor,
                data={
                    "class": klass.pk,
                    "course": course.pk,
                    "title": course.title,
                    "requirement": link.requirement,
                    "due_date": due_date.isoformat() if due_date else None,
                },
            )
    return link, created


def _requirement(value: str) -> str:
    if value not in CoursePage.Requirement.values:
        raise BadRequirement(value)
    return value


def class_course_update(
    *, actor, training_class, course: CoursePage, requirement: str, due_date
) -> tuple[ClassCourse, bool]:
    """Set whether the class's course is 必修 or 选修 and by when it is due.

    Returns the link and whether anything changed; saving the same terms again writes
    nothing and logs nothing."""
    requirement = _requirement(requirement)
    with transaction.atomic():
        klass = _locked_class(actor=actor, training_class=training_class)
        link = (
            ClassCourse.objects.select_for_update()
            .filter(training_class=klass, course_id=course.pk)
            .first()
        )
        if link is None:
            raise CourseNotInClass(str(course.pk))
        before = {"requirement": link.requirement, "due_date": link.due_date}
        after = {"requirement": requirement, "due_date": due_date}
        if before == after:
            return link, False
        link.requirement, link.due_date = requirement, due_date
        link.full_clean()
        link.save(update_fields=["requirement", "due_date"])
        log(
            link,
            "courses.class_course_update",
            user=actor,
            data={
                "class": klass.pk,
                "course": course.pk,
                "title": course.title,
                "requirement": requirement,
                "due_date": due_date.isoformat() if due_date else None,
                "before": {
                    "requirement": before["requirement"],
                    "due_date": before["due_date"].isoformat() if before["due_date"] else None,
                },
            },
        )
    return link, True


def class_course_remove(*, actor, training_class, course: CoursePage) -> bool:
    """Take a course off the class. Progress rows and posted 学时 stay: what was studied
    was studied, and adding the course again picks up where each trainee left off."""
    with transaction.atomic():
        klass = _locked_class(actor=actor, training_class=training_class)
        link = ClassCourse.objects.filter(training_class=klass, course_id=course.pk).first()
        if link is None:
            return False
        started = CourseProgress.objects.filter(
            course_id=course.pk,
            trainee__enrolments__training_class=klass,
            seconds_studied__gt=0,
        ).count()
        log(
            link,
            "courses.class_course_remove",
            user=actor,
            data={
                "class": klass.pk,
                "course": course.pk,
                "title": course.title,
                "trainees_started": started,
            },
        )
        link.delete()
    return True


# ---------------------------------------------------------------------------------------
# One trainee's courses


def _check_may_enrol(*, actor, trainee) -> None:
    if not (actor.is_superuser or has_role(actor, Role.ORGANISER)):
        raise DomainPermissionDenied()
    if not actor.is_superuser and not (
        trainee.org_unit_id and unit_is_managed_by(trainee.org_unit, actor)
    ):
        raise TraineeOutOfScope(str(trainee.pk))


def trainees_for_enrolment(*, actor, ids) -> list:
    """The people behind ids submitted by the enrol form, all in the actor's units.

    Any id that is not a person in those units refuses the whole list with the same
    error, whether someone has that id in another county or nobody has it."""
    wanted = {int(i) for i in ids if str(i).isdigit()}
    people = list(person_list(viewer=actor).filter(pk__in=wanted).order_by("full_name", "pk"))
    if len(people) != len(wanted):
        raise TraineeOutOfScope()
    return people


def course_enrol(*, actor, trainee, course: CoursePage) -> tuple[CourseEnrolment, bool]:
    """Give one trainee a course outside any class: organisers of the trainee's unit."""
    _check_may_enrol(actor=actor, trainee=trainee)
    if not trainee.is_active or not has_role(trainee, Role.TRAINEE):
        raise NotATrainee(str(trainee.pk))
    with transaction.atomic():
        course = _live_course(course)
        enrolment, created = CourseEnrolment.objects.get_or_create(
            trainee=trainee, course=course, defaults={"assigned_by": actor}
        )
        if created:
            log(
                enrolment,
                "courses.course_enrol",
                user=actor,
                data={"trainee": trainee.pk, "course": course.pk, "title": course.title},
            )
    return enrolment, created


def course_enrol_many(*, actor, trainees, course: CoursePage) -> int:
    """Enrol several trainees at once: all of them or, if one is refused, none."""
    created = 0
    with transaction.atomic():
        for trainee in trainees:
            _, new = course_enrol(actor=actor, trainee=trainee, course=course)
            created += int(new)
    return created


def course_unenrol(*, actor, trainee, course: CoursePage) -> bool:
    """Take back a directly given course. Progress and posted 学时 stay, as for classes."""
    _check_may_enrol(actor=actor, trainee=trainee)
    with transaction.atomic():
        enrolment = (
            CourseEnrolment.objects.select_for_update()
            .filter(trainee=trainee, course_id=course.pk)
            .first()
        )
        if enrolment is None:
            return False
        log(
            enrolment,
            "courses.course_unenrol",
            user=actor,
            data={"trainee": trainee.pk, "course": course.pk, "title": course.title},
        )
        enrolment.delete()
    return True


# ---------------------------------------------------------------------------------------
# Self-selected study (自主选学): the trainee takes a catalogue course on their own


class CourseNotSelfSelectable(DomainError):
    code = "course_not_self_selectable"
    message = _("This course is not open for self-selected study.")


def course_self_enrol(*, trainee, course: CoursePage) -> tuple[CourseEnrolment, bool]:
    """A trainee enrols in a course of the self-selected study catalogue.

    The enrolment is the same row an organiser's direct assignment makes, with the trainee
    as the one who assigned it, so study, completion and the 学时 it posts follow one path.
    Enrolling again (a double tap, a second tab) returns the row already there and logs
    nothing; a course already given by an organiser or a class stays as it was.
    """
    if not trainee.is_active or not has_role(trainee, Role.TRAINEE):
        raise NotATrainee(str(trainee.pk))
    with transaction.atomic():
        current = (
            CoursePage.objects.filter(pk=course.pk)
            .only("pk", "live", "title", "self_selectable")
            .first()
        )
        if current is None or not current.live or not current.self_selectable:
            raise CourseNotSelfSelectable(str(course.pk))
        enrolment, created = CourseEnrolment.objects.get_or_create(
            trainee=trainee, course=current, defaults={"assigned_by": trainee}
        )
        if created:
            log(
                enrolment,
                "courses.course_self_enrol",
                user=trainee,
                data={"course": current.pk, "title": current.title},
            )
    return enrolment, created
