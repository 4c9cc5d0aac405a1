"""What 我的学习 shows of a course is the same for every trainee: its title, cover and URL,
and its live lessons with their titles and URLs. Reading that costs more than the trainee's
own rows (page instances, Wagtail's URL resolution, the cover's rendition), so each process
keeps it, for every trainee it serves, keyed by the newest entry of Wagtail's page log.

Wagtail logs every publish, unpublish, move, reorder, copy and delete of a page (admin,
scheduled publishing and code alike), so a new log entry means the tree may have changed and
the next request reads the outlines again: one cheap query (the highest id of an indexed
table; none on a page view, which reads it with the page: lms.page_tree) a request instead
of the course and lesson rows and their URLs. Two page changes committed out of order (the
later id first) could hide the earlier one until the next entry, and a change of the Site
writes no page log: outlines are also read again after `MAX_AGE` seconds, which bounds both.

Nothing here is a trainee's: progress, class terms and enrolments are read per request
(courses.selectors.my_learning).
"""

import threading
import time
import types
from dataclasses import dataclass

from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Site

from lms.page_tree import page_log_version

from .models import CoursePage

MAX_AGE = 60  # seconds: see the module docstring
MAX_COURSES = 2000  # a bound on what one process keeps; past it, start again
COVER_FILTER = "fill-640x280"  # as the course card's {% image %} (courses/_course_card.html)


@dataclass(frozen=True)
class LessonLink:
    """A live lesson as a course card links to it."""

    pk: int
    title: str
    url: str


@dataclass(frozen=True)
class CourseOutline:
    """A live course, its URL, its cover's rendition (found once: Wagtail's {% image %}
    writes the rendition to the cache each time it renders, three queries with the
    database cache) and its live lessons in tree order. Shared by every request of this
    process: read it, never change it."""

    course: CoursePage
    url: str
    cover: object  # a Rendition, or None without a cover image
    lessons: tuple[LessonLink, ...]


class _Outlines:
    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.version = None
        self.read_at = 0.0
        self.by_course: dict[int, CourseOutline | None] = {}


_outlines = _Outlines()


def outlines_clear() -> None:
    """Forget every outline in this process (tests: each one starts with another tree)."""
    with _outlines.lock:
        _outlines.clear()


def course_outlines(*, course_ids, routed_page=None) -> dict[int, CourseOutline]:
    """course id → outline, for the live courses among `course_ids` (others are absent).

    One query a request while the page tree is unchanged, none when the request's page
    was routed with the page log's version (lms.page_tree); after a change, a few more
    (the courses, their lessons, the covers' renditions) the first time a process needs
    them."""
    if not course_ids:
        return {}
    version = page_log_version(routed_page)
    now = time.monotonic()
    with _outlines.lock:
        if (
            _outlines.version != version
            or now - _outlines.read_at > MAX_AGE
            or len(_outlines.by_course) > MAX_COURSES
        ):
            _outlines.clear()
            _outlines.version, _outlines.read_at = version, now
        kept = _outlines.by_course
        known = {pk: kept[pk] for pk in course_ids if pk in kept}
    missing = [pk for pk in course_ids if pk not in known]
    if missing:
        read = _outlines_read(missing)
        known.update(read)
        with _outlines.lock:
            if _outlines.version == version:
                _outlines.by_course.update(read)
    return {pk: known[pk] for pk in course_ids if known.get(pk) is not None}


def _outlines_read(course_ids) -> dict[int, CourseOutline | None]:
    """The outlines of these courses from the database; None for a course not live."""
    from .selectors import _lessons_by_course  # selectors import this module

    courses = list(
        CoursePage.objects.live()
        .filter(pk__in=course_ids)
        .select_related("cover_image")
        .order_by("path")
    )
    lessons = _lessons_by_course(courses)
    # Page.url without a request reads the site root paths once a page; `memo` holds them
    # for the whole read, as a request would (Wagtail keeps them on whatever it is given;
    # anything but an HttpRequest skips the Site lookup). One site: URLs relative to it,
    # as {% pageurl %} gives them; several: with the site's root URL.
    memo = types.SimpleNamespace()
    single_site = len({root[0] for root in Site.get_site_root_paths()}) == 1

    def url(page) -> str:
        parts = page.get_url_parts(request=memo)
        if parts is None or parts[2] is None:
            return ""
        _site_id, root_url, page_path = parts
        return page_path if single_site else (root_url or "") + page_path

    read: dict[int, CourseOutline | None] = dict.fromkeys(course_ids)
    for course in courses:
        read[course.pk] = CourseOutline(
            course=course,
            url=url(course),
            cover=(
                get_rendition_or_not_found(course.cover_image, COVER_FILTER)
                if course.cover_image
                else None
            ),
            lessons=tuple(
                LessonLink(pk=lesson.pk, title=lesson.title, url=url(lesson))
                for lesson in lessons.get(course.pk, [])
            ),
        )
    return read
