"""What 学时申报 tells the trainee (notifications.services.notify): the organiser's
decision, approved or refused with the reason. One notice per declaration and decision
(the key), however often the decision is repeated."""

from django.urls import reverse

from notifications.models import Event
from notifications.services import notify

from .models import Declaration


def declaration_decided(declaration: Declaration) -> None:
    approved = declaration.status == Declaration.Status.APPROVED
    notify(
        event=Event.DECLARATION_APPROVED if approved else Event.DECLARATION_REFUSED,
        recipients=[declaration.person_id],
        key=f"declaration:{declaration.pk}:{declaration.status}",
        context={
            "title": declaration.title,
            "hours": f"{declaration.hours.normalize():f}",
            "reason": declaration.reason,
        },
        url=reverse("declarations:mine"),
    )
