from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.storage import private_storage
from training.models import TrainingClass

from .validation import body_check, css_check, seal_check

DEFAULT_BODY = (
    "{name}同志于{start}至{end}参加{class}学习，完成规定的教学计划，"
    "共计{hours}学时，经考核合格，准予结业。\n特发此证。"
)


class CertificateTemplate(models.Model):
    """A 结业证书 layout organisers edit: HTML/CSS rendered by WeasyPrint, A4 landscape.

    The body is plain text with placeholders ({name} {class} {start} {end} {hours}
    {provider} {number}); organisers never write HTML, so a typo cannot break the layout.
    """

    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=20, default="结业证书")
    body = models.TextField(
        _("body"),
        default=DEFAULT_BODY,
        help_text=_(
            "Placeholders: {name} {class} {start} {end} {hours} {provider} {number}. "
            "A blank line starts a new paragraph."
        ),
    )
    provider_name = models.CharField(
        _("provider name"),
        max_length=100,
        blank=True,
        help_text=_("Printed above the seal; the class's training provider when empty."),
    )
    number_prefix = models.SlugField(
        _("number prefix"),
        max_length=12,
        default="CERT",
        help_text=_("Certificate numbers read PREFIX-YEAR-SEQUENCE, e.g. DBS-2025-00001."),
    )
    seal = models.FileField(
        _("seal image"),
        upload_to="certificates/seals/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(["png"])],
        help_text=_("A PNG with a transparent background, about 500 × 500 pixels."),
    )
    signatory = models.CharField(
        _("signatory"),
        max_length=100,
        blank=True,
        help_text=_("e.g. Dabie Mountain Cadre Academy (seal)"),
    )
    extra_css = models.TextField(
        _("extra CSS"), blank=True, help_text=_("Optional adjustments to the layout.")
    )
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used for classes that have not chosen a template."),
    )
    org_unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Organisers of this unit change the template; classes of the units below it "
            "may use it. Empty: a system template that only administrators change."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_certificate_template",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        for field, check, value in (
            ("body", body_check, self.body),
            ("extra_css", css_check, self.extra_css),
        ):
            try:
                check(value)
            except ValidationError as exc:
                errors[field] = exc
        seal = self.seal
        if seal and not getattr(seal, "_committed", True):  # a new upload
            try:
                seal_check(seal.file)
            except ValidationError as exc:
                errors["seal"] = exc
        if errors:
            raise ValidationError(errors)


class CompletionRule(models.Model):
    """结业条件 of one class. Created with the regulation defaults the first time it is read."""

    training_class = models.OneToOneField(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="completion_rule",
    )
    # The leave cap and the absence limit are the class's attendance policy's
    # (attendance.AttendancePolicy): completion follows attendance's verdict on both.
    final_exam_required = models.BooleanField(_("final exam must be passed"), default=True)
    quizzes_required = models.BooleanField(_("required quizzes must be passed"), default=True)
    written_work_required = models.BooleanField(
        _("required written work graded pass or better"), default=True
    )
    certificate_template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("certificate template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # On the class, not the template: a template serves many classes, each with its day.
    certificate_issue_date = models.DateField(
        _("certificate issue date"),
        null=True,
        blank=True,
        help_text=_(
            "Printed on the class's certificates, and the year of their numbers; "
            "the class's end date when empty."
        ),
    )

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")

    def __str__(self) -> str:
        return str(self.training_class)


class CompletionRecord(models.Model):
    """一期一档: per trainee of a class, the appraisal, the organiser's override before the
    close, and the decision taken at close with its reasons and the 学时 posted."""

    class Outcome(models.TextChoices):
        """The same values as the enrolment's status the close sets."""

        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Override(models.TextChoices):
        COMPLETE = "complete", _("Allow completion")
        NOT_COMPLETE = "not_complete", _("Refuse completion")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="completion_records",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="completion_records",
    )
    appraisal = models.TextField(_("completion appraisal"), blank=True)
    # Kept beside `outcome` for the readers that only ask "completed or not".
    completed = models.BooleanField(_("completed"), null=True, blank=True)
    outcome = models.CharField(
        pgettext_lazy("completion", "outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    missing = models.JSONField(_("what was missing"), default=list, blank=True)
    # Exceptions the decision took into account (公假 excused, the override), as shown.
    exceptions = models.JSONField(_("exceptions"), default=list, blank=True)
    hours = models.DecimalField(
        _("credit hours posted"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    decided_at = models.DateTimeField(
        pgettext_lazy("completion", "decided at"), null=True, blank=True
    )
    override = models.CharField(
        _("organiser's decision"), max_length=16, choices=Override.choices, blank=True
    )
    override_reason = models.TextField(_("reason for the decision"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("completion", "decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    override_at = models.DateTimeField(_("decision made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("completion record")
        verbose_name_plural = _("completion records")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "trainee"], name="one_completion_record_per_trainee"
            ),
            models.CheckConstraint(
                condition=models.Q(override="") | ~models.Q(override_reason=""),
                name="completion_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} @ {self.training_class}"


class IssueBatch(models.Model):
    """One background run that issues and renders certificates; the page polls its counts."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="certificate_batches",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.training_class} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return int((self.done + self.failed) * 100 / self.total)


class NumberCounter(models.Model):
    """The last sequence handed out per (prefix, year); locked row by row, so no gaps."""

    prefix = models.CharField(max_length=12, verbose_name=_("prefix"))
    year = models.PositiveIntegerField(verbose_name=_("year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")
        ]
        verbose_name = _("certificate number counter")
        verbose_name_plural = _("certificate number counters")

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Certificate(models.Model):
    """结业证书 of one trainee for one class; a revoked one stays on record, never deleted."""

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    verification_code = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("verification code")
    )
    snapshot = models.JSONField(_("what it certifies"), default=dict)
    # Private: a certificate number is easy to guess, so the files are handed out only by
    # views that check who asks (the trainee, or staff of the class).
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/pdf/%Y/", storage=private_storage, blank=True
    )
    render_error = models.TextField(_("render error"), blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "trainee"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_trainee_class",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoke_reason=""),
                name="revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_rendered(self) -> bool:
        return bool(self.pdf)
