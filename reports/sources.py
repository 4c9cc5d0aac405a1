"""The apps the reports read but do not own, looked up when present.

Attendance, assessments and certificates are built alongside the reports; each figure that
needs one of them is shown as "not available" until that app's model exists, so the site
never breaks on an app that has not landed yet.
"""

from django.apps import apps


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def attendance_record():
    """attendance.AttendanceRecord: (session, trainee, status) with the five statuses."""
    return _model("attendance", "AttendanceRecord")


def quiz_attempt():
    """assessments.Attempt: (quiz, trainee, status, submitted_at, percent, passed)."""
    return _model("assessments", "Attempt")


def certificate():
    """certificates.Certificate: one per trainee and class, revocable."""
    return _model("certificates", "Certificate")


def certificate_fields() -> dict | None:
    """How the certificate model names its trainee, class, issue time and revocation."""
    model = certificate()
    if model is None:
        return None
    names = {f.name for f in model._meta.get_fields()}
    trainee = next((n for n in ("trainee", "person", "user", "holder") if n in names), None)
    klass = next((n for n in ("training_class", "klass") if n in names), None)
    issued = next((n for n in ("issued_at", "issued_on", "created_at") if n in names), None)
    if not (trainee and klass):
        return None
    revoked = next((n for n in ("revoked_at", "revoked") if n in names), None)
    return {
        "model": model,
        "trainee": trainee,
        "class": klass,
        "issued": issued,
        "revoked": revoked,
    }


def not_revoked_q(fields: dict):
    from django.db.models import Q

    revoked = fields["revoked"]
    if revoked is None:
        return Q()
    if revoked == "revoked":
        return Q(revoked=False)
    return Q(**{f"{revoked}__isnull": True})
