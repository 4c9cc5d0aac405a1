"""Writes: the study clock, lesson and course completion, credit posting.

Study time is what the server saw pass between two heartbeats it received, never a number
the browser sends. Heartbeats of one trainee queue on their `StudyClock` row, so any number
of tabs or devices share one wall clock.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Quiz
from assessments.selectors import quiz_result_for
from lectures.selectors import watched_percents
from ledger.models import CreditEntry
from ledger.services import credit_entry_post
from lms.audit import log
from lms.errors import DomainError
from lms.prepared import Prepared, instance_from_row

from .models import (
    CoursePage,
    CourseProgress,
    LessonPage,
    LessonProgress,
    StudyClock,
    StudyView,
)

# Assignment lives in its own module; re-exported because callers know it from here.
from .services_assignment import (  # noqa: E402, F401
    class_course_add,
    class_course_remove,
    course_enrol,
    course_enrol_many,
    course_self_enrol,
    course_unenrol,
)

# Course length (whole minutes) → online credit hours; the first row whose minimum the
# length reaches wins. The provincial practice: ≥30 min = 1, 15–30 = 0.5, ≤15 = 0.25
# (lengths are whole minutes, so "more than 15" is "at least 16").
DEFAULT_ONLINE_CREDIT_RULE = [(30, Decimal("1")), (16, Decimal("0.5")), (0, Decimal("0.25"))]


class HeartbeatRejected(DomainError):
    code = "heartbeat_rejected"
    message = _("This study session is not valid any more. Reload the lesson to continue.")


class HeartbeatRateLimited(DomainError):
    code = "heartbeat_rate_limited"
    message = _("Too many study signals; slow down.")


class CourseNotAssigned(DomainError):
    code = "course_not_assigned"
    message = _("This course is not assigned to you.")


def heartbeat_cap_seconds() -> int:
    return int(getattr(settings, "COURSES_HEARTBEAT_CAP_SECONDS", 60))


def heartbeat_interval_seconds() -> int:
    return int(getattr(settings, "COURSES_HEARTBEAT_INTERVAL_SECONDS", 15))


def idle_prompt_seconds() -> int:
    return int(getattr(settings, "COURSES_IDLE_PROMPT_SECONDS", 180))


def heartbeat_rate_per_minute() -> int:
    return int(getattr(settings, "COURSES_HEARTBEAT_RATE_PER_MINUTE", 12))


def study_view_max_age() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "COURSES_STUDY_VIEW_MAX_HOURS", 6)))


def online_credit_hours(*, minutes: int) -> Decimal:
    rule = getattr(settings, "COURSES_ONLINE_CREDIT_RULE", DEFAULT_ONLINE_CREDIT_RULE)
    for minimum, hours in sorted(rule, key=lambda row: row[0], reverse=True):
        if minutes >= minimum:
            return Decimal(str(hours))
    return Decimal("0")


def course_credit_hours(*, course: CoursePage, lessons) -> Decimal:
    """The course's own figure if the author set one, else the rule on its length."""
    if course.credit_hours:
        return course.credit_hours
    return online_credit_hours(minutes=sum(lesson.min_study_minutes for lesson in lessons))


# ---------------------------------------------------------------------------------------
# Study


_PROGRESS_FIELDS = tuple(f.attname for f in LessonProgress._meta.concrete_fields)
# Read on every lesson view: compiled once (lms.prepared) rather than on each view.
_study_view_read = Prepared(
    lambda trainee, lesson, course: (
        LessonProgress.objects.filter(trainee=trainee, lesson=lesson)
        .annotate(
            has_clock=Exists(StudyClock.objects.filter(trainee=trainee)),
            has_course_progress=Exists(
                CourseProgress.objects.filter(trainee=trainee, course=course)
            ),
        )
        .values_list(*_PROGRESS_FIELDS, "has_clock", "has_course_progress")[:1]
    ),
    trainee=int,
    lesson=int,
    course=int,
)


def study_view_open(*, trainee, lesson: LessonPage, course: CoursePage) -> StudyView:
    """A trainee opened a lesson: issue the token its heartbeats will carry.

    The view carries the lesson's progress as `lesson_progress`, for the page to show
    without reading it again.

    Heartbeats need the trainee's clock and both progress rows. They exist from the first
    opening on, so one read finds out (the lesson's progress, and whether the other two
    are there) and only what is missing is made: a page view costs that read and the
    view's insert. Each row is still made by `get_or_create` on its unique constraint,
    so two tabs opening at once make one of each."""
    found = None
    rows = _study_view_read.rows(trainee=trainee.pk, lesson=lesson.pk, course=course.pk)
    if rows:
        *values, has_clock, has_course_progress = rows[0]
        found = instance_from_row(LessonProgress, dict(zip(_PROGRESS_FIELDS, values, strict=True)))
        found.has_clock, found.has_course_progress = has_clock, has_course_progress
    if found is None or not found.has_clock:
        StudyClock.objects.get_or_create(trainee=trainee)
    progress = found
    if progress is None:
        progress, _created = LessonProgress.objects.get_or_create(
            trainee=trainee, lesson=lesson, defaults={"course": course}
        )
    if found is None or not found.has_course_progress:
        CourseProgress.objects.get_or_create(trainee=trainee, course=course)
    view = StudyView.objects.create(trainee=trainee, lesson=lesson, course=course)
    view.lesson_progress = progress
    return view


@dataclass(frozen=True)
class HeartbeatResult:
    credited: int
    duplicate: bool
    lesson_seconds: int
    lesson_complete: bool
    course_complete: bool


def heartbeat_record(
    *, trainee, token, seq: int, resumed: bool = False, now: datetime.datetime | None = None
):
    """Credit the time since the trainee's previous heartbeat, from whichever tab it came.

    - the gap is measured by the server between beats it received, across every tab of
      the trainee (the clock row is locked), so two tabs cannot double the time;
    - whole seconds are credited and the fraction carries to the next beat;
    - a gap longer than the cap is a break (hidden tab, idle, closed lid): nothing credited;
    - a beat whose sequence number is not above the view's last one is a replay: ignored;
    - a beat the page marks `resumed` (first after the tab was hidden or the reader idle)
      restarts the clock without credit. The browser can only give time up this way.
    """
    now = now or timezone.now()
    rejected = None
    with transaction.atomic():
        clock = StudyClock.objects.select_for_update().filter(trainee=trainee).first()
        if clock is None:
            raise HeartbeatRejected("unknown_view")
        # At most N beats a minute per trainee, all tabs together: a fixed window counted
        # on the clock row this beat holds locked anyway, so the limit costs no query of
        # its own. A refused beat writes nothing; replays and junk tokens count.
        window = int(now.timestamp() // 60)
        beats = clock.beats_in_window + 1 if clock.beat_window == window else 1
        if beats > heartbeat_rate_per_minute():
            raise HeartbeatRateLimited()
        counted = {"beat_window": window, "beats_in_window": beats}
        view = (
            StudyView.objects.select_related("lesson").filter(token=token, trainee=trainee).first()
        )
        if view is None:
            rejected = HeartbeatRejected("unknown_view")
        elif view.opened_at < now - study_view_max_age():
            rejected = HeartbeatRejected("view_expired")
        if rejected is not None or seq <= view.last_seq:
            StudyClock.objects.filter(pk=clock.pk).update(**counted)
            result = HeartbeatResult(0, True, 0, False, False)
        else:
            result = _heartbeat_credit(
                trainee=trainee,
                clock=clock,
                view=view,
                seq=seq,
                resumed=resumed,
                now=now,
                counted=counted,
            )
    if rejected is not None:  # outside the transaction, so the beat stays counted
        raise rejected
    return result


def _heartbeat_credit(*, trainee, clock, view, seq, resumed, now, counted) -> HeartbeatResult:
    """The credit of one new beat, inside `heartbeat_record`'s transaction."""
    references = [clock.last_beat_at]
    if view.last_seq == 0:
        references.append(view.opened_at)
    reference = max((r for r in references if r is not None), default=None)
    gap = (now - reference).total_seconds() if reference else 0
    studying = reference is not None and 0 <= gap <= heartbeat_cap_seconds() and not resumed
    credit = int(gap) if studying else 0
    # Whole seconds are credited; the fraction left over stays on the clock for the next
    # beat (it moves on by what was credited), so beats that arrive a little under a
    # second apart, or jitter around the interval, lose nothing. A break restarts it.
    clock_at = reference + datetime.timedelta(seconds=credit) if studying else now

    StudyView.objects.filter(pk=view.pk).update(
        last_seq=seq, last_beat_at=now, seconds_credited=F("seconds_credited") + credit
    )
    StudyClock.objects.filter(pk=clock.pk).update(last_beat_at=clock_at, **counted)
    if not credit:
        return HeartbeatResult(0, False, 0, False, False)

    lesson = view.lesson
    progress = LessonProgress.objects.get(trainee=trainee, lesson_id=view.lesson_id)
    progress.seconds_studied += credit
    progress.last_studied_at = now
    newly_complete = (
        progress.completed_at is None
        and progress.seconds_studied >= lesson.min_study_minutes * 60
        and lesson_quizzes_passed(trainee=trainee, lesson=lesson)
        and lesson_lectures_watched(trainee=trainee, lesson=lesson)
    )
    if newly_complete:
        progress.completed_at = now
    progress.save(update_fields=["seconds_studied", "last_studied_at", "completed_at"])
    CourseProgress.objects.filter(trainee=trainee, course_id=view.course_id).update(
        seconds_studied=F("seconds_studied") + credit,
        last_studied_at=now,
        last_lesson_id=view.lesson_id,
    )
    course_complete = False
    if newly_complete:
        log(
            progress,
            "courses.lesson_complete",
            user=trainee,
            data={"lesson": lesson.pk, "seconds": progress.seconds_studied},
        )
        course_complete = course_progress_refresh(
            trainee=trainee, course_id=view.course_id, now=now
        )
    return HeartbeatResult(
        credit, False, progress.seconds_studied, progress.completed_at is not None, course_complete
    )


def lesson_quiz_ids(lesson: LessonPage) -> list[int]:
    """The quizzes placed in the lesson's body (the `quiz` block)."""
    return [
        block.value["quiz"].pk
        for block in lesson.body
        if block.block_type == "quiz" and block.value.get("quiz") is not None
    ]


def lesson_quizzes_passed(*, trainee, lesson: LessonPage) -> bool:
    """A lesson with a quiz is complete only once its quiz is passed, however long it was read."""
    quiz_ids = lesson_quiz_ids(lesson)
    if not quiz_ids:
        return True

    return all(
        quiz_result_for(quiz=quiz, trainee=trainee).passed
        for quiz in Quiz.objects.filter(pk__in=quiz_ids)
    )


def lesson_lecture_requirements(lesson: LessonPage) -> dict[int, int]:
    """The video lectures placed in the lesson's body and the share of each (in percent)
    that must be watched; a lecture placed twice needs the higher share."""
    required: dict[int, int] = {}
    for block in lesson.body:
        if block.block_type == "lecture" and block.value.get("lecture") is not None:
            pk = block.value["lecture"].pk
            required[pk] = max(required.get(pk, 0), block.value.get("required_percent") or 0)
    return required


def lesson_lectures_watched(*, trainee, lesson: LessonPage) -> bool:
    """A lesson with a video lecture is complete only once enough of it was watched, as
    measured by the player's heartbeats (lectures.services.watch_heartbeat)."""
    required = {pk: pct for pk, pct in lesson_lecture_requirements(lesson).items() if pct > 0}
    if not required:
        return True
    watched = watched_percents(trainee=trainee, lecture_ids=required)
    return all(watched.get(pk, 0) >= pct for pk, pct in required.items())


def lessons_refresh_after_quiz(*, trainee, quiz_id: int, now=None) -> int:
    """Complete the trainee's lessons that were waiting only for this quiz to be passed.

    Called when an attempt's result changes; returns how many lessons it completed.
    """
    now = now or timezone.now()
    completed = 0
    waiting = LessonProgress.objects.filter(trainee=trainee, completed_at__isnull=True)
    # Every exam submit lands here; most trainees have no lesson waiting (a class's final
    # exam is in no lesson). A plain query says so before the one that loads the pages.
    if not waiting.exists():
        return 0
    for progress in waiting.select_related("lesson"):
        lesson = progress.lesson.specific
        if quiz_id not in lesson_quiz_ids(lesson):
            continue
        with transaction.atomic():
            progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
            if (
                progress.completed_at is not None
                or progress.seconds_studied < lesson.min_study_minutes * 60
                or not lesson_quizzes_passed(trainee=trainee, lesson=lesson)
                or not lesson_lectures_watched(trainee=trainee, lesson=lesson)
            ):
                continue
            progress.completed_at = now
            progress.save(update_fields=["completed_at"])
            log(
                progress,
                "courses.lesson_complete",
                user=trainee,
                data={"lesson": lesson.pk, "quiz": quiz_id},
            )
            course_progress_refresh(trainee=trainee, course_id=progress.course_id, now=now)
            completed += 1
    return completed


def course_progress_refresh(*, trainee, course_id: int, now=None) -> bool:
    """Recount completed lessons; on the last one complete the course and post its hours.

    Returns True when this call completed the course. Safe to repeat: completion is set
    once under a row lock, and the ledger refuses a second entry for the same source.
    """
    now = now or timezone.now()
    with transaction.atomic():
        progress = CourseProgress.objects.select_for_update().get(
            trainee=trainee, course_id=course_id
        )
        course = CoursePage.objects.get(pk=course_id)
        lessons = list(LessonPage.objects.live().child_of(course))
        done = LessonProgress.objects.filter(
            trainee=trainee,
            lesson_id__in=[lesson.pk for lesson in lessons],
            completed_at__isnull=False,
        ).count()
        progress.lessons_completed = done
        fields = ["lessons_completed"]
        completed_now = False
        if lessons and done >= len(lessons) and progress.completed_at is None:
            progress.completed_at = now
            progress.credit_hours = course_credit_hours(course=course, lessons=lessons)
            fields += ["completed_at", "credit_hours"]
            completed_now = True
        progress.save(update_fields=fields)
        if completed_now:
            credit_entry_post(
                person=trainee,
                channel=CreditEntry.Channel.ONLINE,
                hours=progress.credit_hours,
                earned_on=timezone.localdate(now),
                title=course.title[:200],
                source_key=f"course:{course.pk}",
                note=str(_("Online course completed")),
            )
            log(
                progress,
                "courses.course_complete",
                user=trainee,
                data={"course": course.pk, "hours": str(progress.credit_hours)},
            )
    return completed_now
