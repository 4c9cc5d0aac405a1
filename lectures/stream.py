"""Who may fetch a lecture's files: a signed, expiring token in the URL's path.

The renditions (playlists, segments, poster) live under PRIVATE_MEDIA_ROOT, which
nothing serves as it is. The lesson page, which has already checked that the viewer may
read the lesson (an enrolled trainee, staff, or an author previewing), signs a token for
the lecture's folder and puts it in the path:

    /lectures/stream/<token>/master.m3u8

The playlists name their segments relatively (`240p.m3u8`, `240p_003.ts`), so the player
resolves them under the same token without any rewriting. A player fetches a segment
every few seconds, so checking a request costs no database query: the token carries the
folder and its expiry, signed with SECRET_KEY, and is bound to the viewer's session
cookie (a keyed hash of it), so a copied URL opens nothing in another browser or after
logging out. Expiry is rounded up to a step so that one viewer's URLs stay the same for
a while and the browser's cache works across reloads.
"""

import hmac
import re
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

SALT = "lectures.stream"
# A rendition's files only: playlists, segments, the poster and the subtitles. A name
# with a slash, a dot-dot or anything else never reaches the disk.
FILE_NAME = re.compile(r"^[A-Za-z0-9_]{1,40}\.(m3u8|ts|jpg|vtt)$")
CONTENT_TYPES = {
    "m3u8": "application/vnd.apple.mpegurl",
    "ts": "video/mp2t",
    "jpg": "image/jpeg",
    "vtt": "text/vtt; charset=utf-8",
}
SUBTITLES = "subtitles.vtt"
_EXPIRY_STEP = 600


def token_seconds() -> int:
    """How long a lesson page's stream URLs work (hours of a long lecture, with pauses)."""
    return int(getattr(settings, "LECTURES_STREAM_TOKEN_SECONDS", 6 * 3600))


def _session_tag(session_key: str | None) -> str:
    if not session_key:
        return "-"
    return salted_hmac(SALT, session_key, algorithm="sha256").hexdigest()[:16]


def issue(*, folder: uuid.UUID, session_key: str | None, now: float | None = None) -> str:
    """The token for one viewer (one session) and one lecture's folder."""
    now = time.time() if now is None else now
    expires = -(-int(now + token_seconds()) // _EXPIRY_STEP) * _EXPIRY_STEP
    value = f"{folder.hex}.{signing.b62_encode(expires)}.{_session_tag(session_key)}"
    return signing.Signer(salt=SALT).sign(value)


@dataclass(frozen=True)
class Grant:
    folder: uuid.UUID


class Refused(Exception):
    pass


def verify(token: str, *, session_key: str | None, now: float | None = None) -> Grant:
    """The folder the token opens, or Refused: tampered, expired, or another session's."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
        folder_hex, expires_b62, tag = value.split(".")
        folder = uuid.UUID(hex=folder_hex)
        expires = signing.b62_decode(expires_b62)
    except (signing.BadSignature, ValueError) as error:
        raise Refused("bad token") from error
    if expires < (time.time() if now is None else now):
        raise Refused("expired")
    if tag == "-" or not hmac.compare_digest(tag, _session_tag(session_key)):
        raise Refused("another session")
    return Grant(folder=folder)


def url(token: str, name: str) -> str:
    return reverse("lectures:stream", kwargs={"token": token, "name": name})


def urls_for(lecture, *, request) -> dict | None:
    """The player's URLs for a lesson page being rendered for `request`'s viewer; None
    when there is nobody signed in to give them to."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if request is None or not request.user.is_authenticated or not session_key:
        return None
    token = issue(folder=lecture.folder, session_key=session_key)
    lowest = "master"
    if lecture.renditions:
        lowest = min(lecture.renditions, key=lambda r: r["height"])["name"]
    return {
        "master": url(token, "master.m3u8"),
        "lowest": url(token, f"{lowest}.m3u8"),
        "poster": url(token, "poster.jpg"),
        "subtitles": url(token, SUBTITLES) if lecture.subtitles else "",
    }
