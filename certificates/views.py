from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms.ratelimit import hit

from .models import Certificate
from .selectors import (
    certificate_get_by_code,
    certificate_get_by_number_and_name,
    certificate_list_for_trainee,
    outcome_list_without_certificate,
)

# Lookups per client IP per window: enough for a verifier checking a pile of paper
# certificates by hand, far too few to guess codes of 192 random bits (or anything shorter).
VERIFY_RATE = getattr(settings, "CERTIFICATE_VERIFY_RATE", (30, 60))


@require_GET
@login_required
def my_certificates(request):
    """The trainee's certificates, and the closed classes that gave none, with why."""
    return render(
        request,
        "certificates/my_certificates.html",
        {
            "certificates": certificate_list_for_trainee(trainee=request.user),
            "without_certificate": outcome_list_without_certificate(trainee=request.user),
        },
    )


@require_GET
@login_required
def certificate_download(request, pk: int):
    """A trainee's own certificate; anyone else's is a 404, not a hint that it exists."""
    certificate = get_object_or_404(
        Certificate, pk=pk, trainee=request.user, revoked_at__isnull=True
    )
    if not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )


def _client_ip(request) -> str:
    """The client's address as the login rate limits see it (allauth's adapter), so one
    setting (ALLAUTH_TRUSTED_PROXY_COUNT behind nginx) serves both."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def _throttled(request) -> bool:
    limit, window = VERIFY_RATE
    return not hit(f"cert-verify:{_client_ip(request)}", limit=limit, window=window)


@never_cache
@require_GET
def verify(request, code: str):
    """Public: anyone holding the paper (or its QR) checks it. Shows what the paper shows.

    Unknown codes, malformed codes and throttled clients all get a page that says only
    "not found" / "try later"; nothing distinguishes a near miss from a wild guess.
    """
    if _throttled(request):
        response = render(request, "certificates/verify.html", {"throttled": True}, status=429)
        response["Retry-After"] = str(VERIFY_RATE[1])
        return response
    certificate = certificate_get_by_code(code=code)
    if certificate is None:
        return render(
            request, "certificates/verify.html", {"not_found": "code", "lookup": {}}, status=404
        )
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "snap": certificate.snapshot},
    )


@never_cache
@require_GET
def verify_lookup(request):
    """Public: check a paper certificate by the number printed on it and the holder's name.

    Both are required and must match; the answer is the same "not found" for a wrong
    number, a wrong name or both, and lookups share the verification rate limit.
    """
    number = request.GET.get("number", "")[:60]
    name = request.GET.get("name", "")[:60]
    context = {"lookup": {"number": number, "name": name}}
    if not number.strip() and not name.strip():
        return render(request, "certificates/verify.html", {**context, "ask": True})
    if not number.strip() or not name.strip():
        return render(
            request, "certificates/verify.html", {**context, "incomplete": True}, status=400
        )
    if _throttled(request):
        response = render(request, "certificates/verify.html", {"throttled": True}, status=429)
        response["Retry-After"] = str(VERIFY_RATE[1])
        return response
    certificate = certificate_get_by_number_and_name(number=number, name=name)
    if certificate is None:
        return render(
            request, "certificates/verify.html", {**context, "not_found": "number"}, status=404
        )
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "snap": certificate.snapshot},
    )
