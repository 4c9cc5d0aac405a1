"""What the admin home shows an organiser about certificates: classes that ended and wait
to be closed, and closed classes whose certificates are not all issued yet. One query,
however many classes (tests/lms/test_admin_home.py counts it)."""

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lms.admin_home import first_rows
from training.models import Enrolment, TrainingClass
from training.selectors_home import managed_classes

from .models import Certificate, IssueBatch


def _count(queryset, group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def classes_to_certify(*, viewer, today: datetime.date | None = None) -> tuple[list, int]:
    """The viewer's classes with certificate work left, the longest waiting first:

    * ended (or past the end date) and not closed yet: the close issues the certificates;
    * closed, with the certificate run still queued or running;
    * closed, with completers who hold no valid certificate (the run failed) or
      certificates whose PDF could not be drawn.

    Each row carries `batch_status`, `uncertified` and `unrendered`. One query.
    """
    today = today or timezone.localdate()
    S = TrainingClass.Status
    valid = Certificate.objects.filter(revoked_at__isnull=True)
    latest_batch = IssueBatch.objects.filter(training_class=OuterRef("pk")).order_by("-pk")
    uncertified = Enrolment.objects.filter(
        training_class=OuterRef("pk"), status=Enrolment.Status.COMPLETED
    ).exclude(
        Exists(valid.filter(training_class=OuterRef("training_class"), trainee=OuterRef("trainee")))
    )
    unrendered = valid.filter(training_class=OuterRef("pk"), pdf="")
    awaiting_close = Q(status=S.ENDED) | Q(status__in=[S.ENROLLING, S.RUNNING], end_date__lt=today)
    classes = (
        managed_classes(viewer=viewer)
        .annotate(
            batch_status=Subquery(latest_batch.values("status")[:1]),
            uncertified=_count(uncertified, "training_class"),
            unrendered=_count(unrendered, "training_class"),
        )
        .filter(
            awaiting_close
            | Q(status=S.CLOSED)
            & (
                Q(batch_status__in=[IssueBatch.Status.QUEUED, IssueBatch.Status.RUNNING])
                | Q(uncertified__gt=0)
                | Q(unrendered__gt=0)
            )
        )
        .select_related("organising_unit")
        .order_by("end_date", "pk")
    )
    return first_rows(classes)
