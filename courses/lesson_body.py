"""A lesson's body as trainees see it, rendered once per process and shared by all of them.

Most blocks of a lesson (headings, text, images, videos, key points, quotations) show the
same to every trainee, so their HTML is kept and reused. It is kept under a digest of the
body as stored, so a published revision (or any other change of the body) is a new key and
shows at once in every process, with no invalidation to send between them.

Blocks whose HTML depends on the viewer or on rows outside the body are rendered on every
view: a lecture (it signs the watching rules for the viewer; its video may become ready),
a quiz card (the quiz's own title and pass mark), a case study card (that page's title
and whether it is live) and a document (its title and file).

What a kept block shows of other rows (an image's rendition, the address a link in the
text points to, a video embed) can lag behind them by at most `MAX_AGE`: moving a linked
page leaves a redirect behind (wagtail.contrib.redirects), so an old link still works.
"""

import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import get_language

# Block types whose HTML depends only on their own value (see the module docstring).
SHARED_BLOCK_TYPES = frozenset({"heading", "text", "image", "video", "key_points", "quotation"})
MAX_ENTRIES = 500  # bodies (× languages) kept per process; a lesson body is a few kB
MAX_AGE = 600  # seconds

_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class BodyPart:
    """One block of the body: its kept HTML, or the block itself to render for this view."""

    html: str | None = None
    block: object = None


def lesson_body_parts(lesson) -> list[BodyPart]:
    """The body's blocks in order, the shared ones already rendered."""
    body = lesson.body
    key = (get_language(), _digest(list(body.raw_data)))
    rendered = _get(key)
    if rendered is None:
        rendered = tuple(
            child.render() if child.block_type in SHARED_BLOCK_TYPES else None for child in body
        )
        _put(key, rendered)
    return [
        BodyPart(html=html) if html is not None else BodyPart(block=body[index])
        for index, html in enumerate(rendered)
    ]


def _digest(raw) -> str:
    text = json.dumps(raw, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _get(key):
    now = time.monotonic()
    with _lock:
        entry = _kept.get(key)
        if entry is None:
            return None
        stored_at, rendered = entry
        if now - stored_at > MAX_AGE:
            del _kept[key]
            return None
        _kept.move_to_end(key)
        return rendered


def _put(key, rendered) -> None:
    with _lock:
        _kept[key] = (time.monotonic(), rendered)
        _kept.move_to_end(key)
        while len(_kept) > MAX_ENTRIES:
            _kept.popitem(last=False)


def clear() -> None:
    """Forget every kept body (tests)."""
    with _lock:
        _kept.clear()
