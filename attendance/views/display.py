"""The adviser's full-screen check-in display and the JSON feed it polls.

The page renders a first code server-side, then asks the feed every few seconds for a
fresh code (an inline SVG made by segno) and the live lists. A failed fetch leaves the
last code up: it stays valid for the policy's lifetime (three rotations by default).
"""

import segno
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import selectors
from ..tokens import CHECKIN, CHECKOUT, token_make


def checkin_url(request, session, mode: str) -> str:
    token = token_make(session_id=session.pk, mode=mode)
    path = reverse("attendance:checkin", kwargs={"session_pk": session.pk})
    return request.build_absolute_uri(f"{path}?t={token}")


def qr_svg(url: str) -> str:
    # Error correction M and a 4-module border read reliably off a projector screen.
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=8, border=4, dark="#111", light="#fff", omitsize=True)


def _mode(request) -> str:
    return CHECKOUT if request.GET.get("mode") == "out" else CHECKIN


def feed_payload(request, session, mode: str) -> dict:
    roster = selectors.session_roster(session=session)
    policy = selectors.policy_for(session.training_class)
    url = checkin_url(request, session, mode)
    now = timezone.now()
    opens, closes = selectors.scan_window(
        session=session, policy=policy, checking_in=mode == CHECKIN
    )
    return {
        "url": url,
        "svg": qr_svg(url),
        "rotate_seconds": policy.token_rotate_seconds,
        "lifetime_seconds": policy.token_lifetime_seconds,
        "server_time": time_format(timezone.localtime(now), "H:i:s"),
        # Per mode: check-out stays open after the end, and opens only near it.
        "ended": now > closes,
        "not_open": now < opens,
        "opens_at": time_format(timezone.localtime(opens), "H:i"),
        "counts": roster.counts,
        "checked_in": [
            {
                "name": row.trainee.get_full_name(),
                "time": time_format(timezone.localtime(row.record.checked_in_at), "H:i"),
                "status": row.record.status,
                "status_label": str(row.record.get_status_display()),
            }
            for row in roster.checked_in
        ],
        "missing": [
            {
                "name": row.trainee.get_full_name(),
                "status": row.record.status if row.record else "",
                "status_label": str(row.record.get_status_display()) if row.record else "",
                "leave_pending": row.leave_pending,
            }
            for row in roster.missing
        ],
    }


@never_cache
@require_GET
@login_required
def display(request, session_pk: int):
    session = selectors.runnable_session_get(viewer=request.user, pk=session_pk)
    mode = _mode(request)
    return render(
        request,
        "attendance/display.html",
        {
            "session": session,
            "mode": mode,
            "is_checkout": mode == CHECKOUT,
            "feed": feed_payload(request, session, mode),
            "feed_url": reverse("attendance:display_feed", kwargs={"session_pk": session.pk})
            + ("?mode=out" if mode == CHECKOUT else ""),
        },
    )


@never_cache
@require_GET
@login_required
def display_feed(request, session_pk: int):
    session = selectors.runnable_session_get(viewer=request.user, pk=session_pk)
    return JsonResponse(feed_payload(request, session, _mode(request)))
