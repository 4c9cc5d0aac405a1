"""What certificates tell people (notifications.services.notify): a certificate issued."""

from django.urls import reverse

from notifications.services import notify


def certificate_issued(training_class, trainee_ids: list[int]) -> None:
    """One notice per trainee and class, however the certificate came (one by one or the
    class's batch); a reissue after a revocation does not announce itself again."""
    notify(
        event="certificate_issued",
        recipients=trainee_ids,
        key=f"certificate:class{training_class.pk}",
        context={"class_name": training_class.name},
        url=reverse("certificates:my_certificates"),
    )
