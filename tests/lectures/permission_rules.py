"""The lecture library (Wagtail admin) and the player's two endpoints.

lecture_a was uploaded by `organiser` (罗山县): its uploader and the organisers of units
containing the uploader reach it; another county's organiser and another instructor do
not, on any URL carrying its pk. Nobody deletes a recording (no role has the permission).
"""

from lectures import stream
from tests.permissions.harness import (
    ACTORS,
    ADMIN_DENIED,
    DENIED,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    Rule,
)

from .factories import ready_lecture


def setup(world):
    return {"lecture": ready_lecture(title="乡村治理专题讲座", uploaded_by=world.organiser)}


def library(organiser=OK, organiser_other=DENIED, instructor_other=DENIED, adviser=DENIED):
    """A library screen: trainees are sent to log in; advisers hold no lecture permission
    (the listing refuses them; a URL with a pk is not found)."""
    return {
        "anonymous": LOGIN,
        "trainee_a": LOGIN,
        "trainee_b": LOGIN,
        "instructor_other": instructor_other,
        "adviser_other": adviser,
        "organiser_other": organiser_other,
        "organiser": organiser,
    }


def _pk(world, ctx):
    return {"pk": ctx["lecture"].pk}


# Each sees their own part of the library.
LISTING = library(organiser_other=OK, instructor_other=OK, adviser=ADMIN_DENIED)
# Any ready recording may be placed in a lesson by those who author them; an adviser's
# chooser lists nothing (tests/lectures/test_library_scope.py).
CHOOSER = library(organiser_other=OK, instructor_other=OK, adviser=OK)

RULES = {
    "lecture_library:index": Rule(expect=LISTING),
    "lecture_library:index_results": Rule(expect=LISTING, query="?q=讲座"),
    "lecture_library:add": Rule(expect=LISTING),
    "lecture_library:edit": Rule(kwargs=_pk, expect=library()),
    "lecture_library:inspect": Rule(kwargs=_pk, expect=library()),
    "lecture_library:history": Rule(kwargs=_pk, expect=library()),
    "lecture_library:history_results": Rule(kwargs=_pk, expect=library()),
    "lecture_library:usage": Rule(kwargs=_pk, expect=library()),
    "lecture_library:delete": Rule(kwargs=_pk, expect=library(organiser=ADMIN_DENIED)),
    # 重新转码's confirmation (the lecture here is ready: the page says there is nothing to
    # do; the POST is tested in tests/lectures/test_retranscode.py).
    "lecture_library:retranscode": Rule(kwargs=_pk, expect=library()),
    # The player's endpoints take POSTs carrying the lesson page's signed policy.
    # A GET is refused before the login check (require_POST comes first).
    "lectures:watch_start": Rule(expect=dict.fromkeys(ACTORS, NOT_ALLOWED)),
    "lecture_chooser:choose": Rule(expect=CHOOSER),
    "lecture_chooser:choose_results": Rule(expect=CHOOSER, query="?q=讲座"),
}
RULES["lectures:watch_beat"] = Rule(expect=RULES["lectures:watch_start"].expect)


def _stream(world, ctx):
    """A valid token issued to another browser's session: nobody here holds that session
    (the holder's 200 is in tests/lectures/test_stream.py)."""
    token = stream.issue(folder=ctx["lecture"].folder, session_key="someone-elses-session")
    return {"token": token, "name": "master.m3u8"}


# Playlists and segments: a lesson page's token bound to its viewer's session.
RULES["lectures:stream"] = Rule(kwargs=_stream, expect=dict.fromkeys(ACTORS, FORBIDDEN))
