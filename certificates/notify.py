"""What certificates tell people (notifications.services.notify): a certificate issued,
and issued again after a correction."""

from django.urls import reverse

from notifications.services import notify


def certificate_issued(training_class, trainee_ids: list[int]) -> None:
    """One notice per trainee and class, however the certificate came (one by one or the
    class's batch); a reissue is announced by `certificate_reissued`."""
    notify(
        event="certificate_issued",
        recipients=trainee_ids,
        key=f"certificate:class{training_class.pk}",
        context={"class_name": training_class.name},
        url=reverse("certificates:my_certificates"),
    )


def certificate_reissued(certificate) -> None:
    """The replacement of a corrected certificate (a new number): its holder is told, once
    per replacement, to download the new one."""
    notify(
        event="certificate_issued",
        recipients=[certificate.trainee_id],
        key=f"certificate:{certificate.pk}:reissued",
        context={"class_name": certificate.training_class.name},
        url=reverse("certificates:my_certificates"),
    )
