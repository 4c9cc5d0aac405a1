"""学时申报: training a trainee took elsewhere, declared with evidence, decided by an organiser.

Approval posts the hours to the ledger under the source `declaration:<pk>`, so the ledger's
unique constraint, not luck, keeps a declaration from counting twice.
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledger.models import CreditEntry
from lms.storage import private_storage


def evidence_path(instance, filename: str) -> str:
    """An unguessable name; only a permission-checked view hands the file out."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"declarations/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class Declaration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    kind = models.CharField(
        _("kind of training"), max_length=16, choices=CreditEntry.Channel.choices
    )
    title = models.CharField(_("training"), max_length=200)
    organiser = models.CharField(_("organising unit"), max_length=120)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours = models.DecimalField(
        _("credit hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("200"))],
    )
    evidence = models.FileField(
        _("evidence"), upload_to=evidence_path, storage=private_storage, max_length=200
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason for refusal"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    entry = models.OneToOneField(
        CreditEntry,
        verbose_name=_("credit-hour entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declaration",
    )
    # The form's one-time token: a double tap or a resent form makes one declaration.
    nonce = models.UUIDField(_("submission token"), unique=True, default=uuid.uuid4)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit-hour declaration")
        verbose_name_plural = _("credit-hour declarations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="declaration_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="declaration_hours_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(reason=""),
                name="declaration_refusal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"

    @property
    def source_key(self) -> str:
        return f"declaration:{self.pk}"
