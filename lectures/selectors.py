"""Reads: what a trainee has watched."""

from .models import Lecture, LectureWatch


def watched_percents(*, trainee, lecture_ids) -> dict[int, int]:
    """Whole percent of each lecture the trainee has watched (0 for one never opened)."""
    lecture_ids = list(lecture_ids)
    durations = dict(Lecture.objects.filter(pk__in=lecture_ids).values_list("pk", "duration"))
    seconds = dict(
        LectureWatch.objects.filter(trainee=trainee, lecture_id__in=lecture_ids).values_list(
            "lecture_id", "seconds_credited"
        )
    )
    return {
        pk: (min(100, int(100 * seconds.get(pk, 0) / durations[pk])) if durations.get(pk) else 0)
        for pk in lecture_ids
    }
