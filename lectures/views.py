"""The player's requests: its files (stream), open a watch (a token and the resume
position), beat."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from lms.ratelimit import hit

from . import errors, services, stream
from .blocks import policy_read
from .models import Lecture


@require_GET
def stream_view(request, token: str, name: str):
    """One file of a lecture's renditions, for the holder of a lesson page's token.

    No database query for playlists and segments: the token is checked by its signature,
    its expiry and the session cookie it was issued to (lectures/stream.py). The login
    is not looked up; the lesson page that issued the token checked the viewer.
    """
    match = stream.FILE_NAME.match(name)
    if match is None:
        raise Http404
    try:
        grant = stream.verify(token, session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    except stream.Refused:
        return HttpResponseForbidden()
    if name == stream.SUBTITLES:
        relative = (
            Lecture.objects.filter(folder=grant.folder)
            .exclude(subtitles="")
            .values_list("subtitles", flat=True)
            .first()
        )
        if relative is None:
            raise Http404
    else:
        relative = f"lectures/{grant.folder}/{name}"
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root / "lectures") or not path.is_file():
        raise Http404
    content_type = stream.CONTENT_TYPES[match.group(1)]
    accel = getattr(settings, "LECTURES_STREAM_ACCEL_REDIRECT", "")
    if accel and name != stream.SUBTITLES:
        # nginx sends the file from its internal location (docs/deploy.md). Subtitles (one
        # small file a page, under an uploaded name) Django sends itself.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{grant.folder}/{name}"
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    # The token is in the URL, so the browser may cache under it; nobody else may.
    response["Cache-Control"] = f"private, max-age={min(stream.token_seconds(), 3600)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
