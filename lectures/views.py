"""The player's two requests: open a watch (get a token and the resume position), beat."""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from lms.ratelimit import hit

from . import errors, services
from .blocks import policy_read
from .models import Lecture


def _error(error, status):
    return JsonResponse({"ok": False, "code": error.code, "message": str(error)}, status=status)


@require_POST
@login_required
def watch_start_view(request):
    """POST policy=<signed by the lesson page>. The policy names the viewer and the rules."""
    try:
        policy = policy_read(request.POST.get("policy", ""))
    except signing.BadSignature:
        return _error(errors.WatchRejected(), 403)
    if policy.get("u") != request.user.pk:
        return _error(errors.WatchRejected(), 403)
    lecture = get_object_or_404(Lecture, pk=policy["l"])
    try:
        start = services.watch_start(
            trainee=request.user, lecture=lecture, skip_forbidden=bool(policy.get("s"))
        )
    except errors.LectureNotReady as error:
        return _error(error, 409)
    return JsonResponse(
        {
            "ok": True,
            "lecture": lecture.pk,
            "token": str(start.token),
            "position": start.position,
            "furthest": start.furthest,
            "seconds": start.seconds_credited,
            "percent": min(100, int(100 * start.seconds_credited / lecture.duration)),
            "watched_once": start.watched_once,
        }
    )


@require_POST
@login_required
def watch_beat_view(request):
    """POST lecture, token, start, position, playing=0|1. Only the server's clock credits."""
    limit = int(getattr(settings, "LECTURES_HEARTBEAT_RATE_PER_MINUTE", 30))
    if not hit(f"lectures:hb:{request.user.pk}", limit=limit, window=60):
        return _error(errors.WatchRateLimited(), 429)
    try:
        lecture_id = int(request.POST["lecture"])
        token = uuid.UUID(request.POST["token"])
        start = float(request.POST["start"])
        position = float(request.POST["position"])
        if not (0 <= start < 1e6 and 0 <= position < 1e6):
            raise ValueError
    except (KeyError, ValueError):
        return JsonResponse({"ok": False, "code": "bad_request"}, status=400)
    try:
        beat = services.watch_heartbeat(
            trainee=request.user,
            lecture_id=lecture_id,
            token=token,
            start=start,
            position=position,
            playing=request.POST.get("playing") == "1",
        )
    except errors.WatchSuperseded as error:
        return _error(error, 409)
    except errors.WatchRejected as error:
        return _error(error, 403)
    return JsonResponse(
        {
            "ok": True,
            "credited": beat.credited,
            "refused": beat.refused,
            "allowed_position": beat.allowed_position,
            "seconds": beat.seconds_credited,
            "furthest": beat.furthest,
            "watched_once": beat.watched_once,
            "percent": beat.percent,
        }
    )
