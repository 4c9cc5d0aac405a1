"""Option ids as a trainee's page carries them: opaque, and different in every attempt.

An option's stored key (`o<pk>`) follows the order the instructor typed the options in,
so a page that sent it let a trainee sort the values and pick the first (issue 14). The
page gets instead an HMAC of (attempt, position, key) under the site's SECRET_KEY, which
says nothing about the key and changes from one attempt to the next; the server maps it
back to the key when an answer arrives, and stores, grades and reviews keys as before.

The tokens follow from the attempt, so nothing is stored: a page loaded again shows the
same tokens, and any process sharing the SECRET_KEY reads them (gunicorn workers,
`bench_exam --url`). Rotating the SECRET_KEY only makes a page already open refuse its
next save until it is reloaded.

A key (`o<pk>`) is refused as an answer, also for attempts started before tokens: taking
it from them would leave exactly the exams in progress open to sorting. A page loaded
before the deploy is told to reload (its saved answers are keys and show again).
"""

import base64
from collections.abc import Iterable

from django.utils.crypto import salted_hmac

from .errors import OptionNotOnPage

SALT = "assessments.option_token"
# 10 base32 characters: 50 bits, no collision between a question's few options in practice.
LENGTH = 10
CHOICE_TYPES = ("single", "multiple")


def option_token(*, attempt_id: int, position: int, key: str) -> str:
    digest = salted_hmac(SALT, f"{attempt_id}:{position}:{key}", algorithm="sha256").digest()
    return base64.b32encode(digest)[:LENGTH].decode().lower()


def option_tokens(*, attempt_id: int, position: int, keys: Iterable[str]) -> dict[str, str]:
    """{key: token} for the options of the question at `position` of the attempt."""
    return {key: option_token(attempt_id=attempt_id, position=position, key=key) for key in keys}


def answer_from_tokens(
    raw, *, qtype: str, attempt_id: int, position: int, option_keys: Iterable[str]
):
    """The answer with the page's option tokens replaced by the option keys.

    Only choice questions carry options; any other answer is returned as it came. A value
    that is not one of this question's tokens in this attempt (a stored key `o<pk>`, a
    token of another attempt or question) is refused, never passed on as a key."""
    if qtype not in CHOICE_TYPES or raw is None or raw == "" or raw == []:
        return raw
    by_token = {
        token: key
        for key, token in option_tokens(
            attempt_id=attempt_id, position=position, keys=option_keys
        ).items()
    }
    if isinstance(raw, str):
        if raw not in by_token:
            raise OptionNotOnPage("unknown option token")
        return by_token[raw]
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        if not all(v in by_token for v in raw):
            raise OptionNotOnPage("unknown option token")
        return [by_token[v] for v in raw]
    return raw  # a wrong shape: answer_clean refuses it with its own reason
