"""Organisers' screens in the Wagtail admin: completion review, class close, certificates.

Every class is fetched through `class_list_for_organiser`, so an organiser of another
county gets a 404, whatever URL they type.
"""

import datetime
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.selectors import final_exam_makeup_states
from attendance.selectors import official_leave_excused, policy_for
from lms.errors import DomainError
from people.roles import Role, has_role
from training.models import TrainingClass

from . import rendering
from .completion import _pct, share_of
from .errors import ClassAlreadyClosed
from .forms import CompletionRuleForm, OverrideForm, RevokeForm
from .models import Certificate, CompletionRecord, IssueBatch
from .selectors import (
    batch_latest,
    certificate_list_for_class,
    certificate_template_list_usable,
    class_completion_outcome,
    class_completion_review,
    class_list_for_organiser,
)
from .services import (
    batch_retry,
    certificate_reissue,
    certificate_revoke,
    class_close,
    completion_appraisal_save,
    completion_override_set,
    completion_rule_update,
)
from .services.close import class_closing_check, completion_rule_for


def _class(request, pk: int) -> TrainingClass:
    try:
        return class_list_for_organiser(viewer=request.user).get(pk=pk)
    except TrainingClass.DoesNotExist as exc:
        raise Http404 from exc


def _certificate(request, pk: int) -> Certificate:
    certificate = get_object_or_404(Certificate.objects.select_related("training_class"), pk=pk)
    _class(request, certificate.training_class_id)  # 404 outside the organiser's units
    return certificate


@require_GET
def class_index(request):
    if not (request.user.is_superuser or has_role(request.user, Role.ORGANISER)):
        raise DjangoPermissionDenied
    classes = class_list_for_organiser(viewer=request.user).select_related("organising_unit")
    return TemplateResponse(request, "certificates/admin/class_index.html", {"classes": classes})


@require_GET
def class_detail(request, pk: int):
    klass = _class(request, pk)
    closed = klass.status == TrainingClass.Status.CLOSED
    rule = completion_rule_for(training_class=klass)
    policy = policy_for(klass)
    context = {
        "klass": klass,
        "closed": closed,
        "rule": rule,
        "official_leave_excused": official_leave_excused(klass),
        # The attendance policy's cap (the one cap), as the review's messages put it
        # ("21.4% > 14.3%").
        "max_leave_percent": _pct(share_of(policy.leave_cap)),
        "absence_limit_days": policy.absence_limit_days,
        "batch": batch_latest(training_class=klass),
    }
    if closed:
        outcome = class_completion_outcome(training_class=klass)
        context["outcome"] = outcome
        context["outcome_counts"] = _outcome_counts(outcome)
        context["certificates"] = certificate_list_for_class(training_class=klass)
        context["failed"] = [c for c in context["certificates"] if c.render_error and c.is_valid]
    else:
        rows = class_completion_review(training_class=klass, with_withdrawn=True)
        context["rows"] = rows
        # 补考 beside the other exceptions: who may be granted one, who has it, how it went.
        makeup = final_exam_makeup_states(klass)
        for row in rows:
            row.makeup = makeup.get(row.trainee.pk, "")
        on_roster = [r for r in rows if not r.withdrew]
        context["roster_count"] = len(on_roster)
        context["complete_count"] = sum(1 for r in on_roster if r.complete)
        context["outcome_counts"] = _outcome_counts(rows)
        context["closing"] = class_closing_check(training_class=klass)
    return TemplateResponse(request, "certificates/admin/class_detail.html", context)


def _outcome_counts(rows) -> list[tuple[str, str, int]]:
    """(outcome, label, how many) for 结业 / 不予结业 / 退学, in that order."""
    counts = dict.fromkeys(CompletionRecord.Outcome.values, 0)
    for row in rows:
        if row.outcome in counts:
            counts[row.outcome] += 1
    return [(o, label, counts[o]) for o, label in CompletionRecord.Outcome.choices]


def completion_override_view(request, pk: int, trainee_pk: int):
    """准予结业 / 不予结业 for one trainee before the close, with the reason."""
    klass = _class(request, pk)
    if klass.status == TrainingClass.Status.CLOSED:
        messages.error(request, ClassAlreadyClosed.message)
        return redirect("certificates_admin:class_detail", pk=klass.pk)
    row = next(
        (r for r in class_completion_review(training_class=klass) if r.trainee.pk == trainee_pk),
        None,
    )
    if row is None:
        raise Http404
    initial = {"decision": row.override, "reason": row.record.override_reason if row.record else ""}
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            completion_override_set(
                actor=request.user,
                training_class=klass,
                trainee=row.trainee,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Completion decision saved."))
            return redirect("certificates_admin:class_detail", pk=klass.pk)
    return TemplateResponse(
        request,
        "certificates/admin/completion_override.html",
        {"klass": klass, "row": row, "form": form},
    )


def class_rule(request, pk: int):
    klass = _class(request, pk)
    rule = completion_rule_for(training_class=klass)
    form = CompletionRuleForm(request.POST or None, instance=rule, for_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            completion_rule_update(actor=request.user, training_class=klass, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Completion rule saved."))
        return redirect("certificates_admin:class_detail", pk=klass.pk)
    return TemplateResponse(
        request, "certificates/admin/class_rule.html", {"klass": klass, "form": form}
    )


def _appraisals(request) -> dict[int, str]:
    out = {}
    for key, value in request.POST.items():
        if key.startswith("appraisal-"):
            try:
                out[int(key.removeprefix("appraisal-"))] = value[:2000]
            except ValueError:
                continue
    return out


@require_POST
def appraisals_save(request, pk: int):
    klass = _class(request, pk)
    try:
        rows = {r.trainee.pk: r.trainee for r in class_completion_review(training_class=klass)}
        for trainee_id, text in _appraisals(request).items():
            if trainee_id in rows:
                completion_appraisal_save(
                    actor=request.user, training_class=klass, trainee=rows[trainee_id], text=text
                )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Appraisals saved."))
    return redirect("certificates_admin:class_detail", pk=klass.pk)


@require_POST
def class_close_view(request, pk: int):
    klass = _class(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm closing the class."))
        return redirect("certificates_admin:class_detail", pk=klass.pk)
    try:
        batch = class_close(
            actor=request.user,
            training_class=klass,
            appraisals=_appraisals(request),
            early_reason=request.POST.get("early_reason", "")[:500],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if batch is None:
            messages.info(request, _("The class was already closed; nothing changed."))
        else:
            messages.success(request, _("Class closed. Certificates are being issued."))
    return redirect("certificates_admin:class_detail", pk=klass.pk)


@require_POST
def batch_retry_view(request, pk: int):
    klass = _class(request, pk)
    try:
        batch_retry(actor=request.user, training_class=klass)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Retrying the certificates that are missing or failed."))
    return redirect("certificates_admin:class_detail", pk=klass.pk)


@require_GET
def batch_progress(request, pk: int):
    batch = get_object_or_404(IssueBatch, pk=pk)
    _class(request, batch.training_class_id)
    return JsonResponse(
        {
            "status": batch.status,
            "total": batch.total,
            "done": batch.done,
            "failed": batch.failed,
            "percent": batch.percent,
        }
    )


def _pdf_response(certificate: Certificate) -> FileResponse:
    if not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )


@require_GET
def certificate_pdf(request, pk: int):
    return _pdf_response(_certificate(request, pk))


def certificate_revoke_view(request, pk: int):
    certificate = _certificate(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Certificate %(number)s revoked.") % {"number": certificate.number}
            )
        return redirect("certificates_admin:class_detail", pk=certificate.training_class_id)
    return TemplateResponse(
        request,
        "certificates/admin/certificate_revoke.html",
        {"certificate": certificate, "form": form, "reissue": False},
    )


def certificate_reissue_view(request, pk: int):
    """Ask why, then revoke (if still valid) and issue a new certificate with a new number."""
    certificate = _certificate(request, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = certificate_reissue(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Reissued as %(number)s.") % {"number": new.number})
        return redirect("certificates_admin:class_detail", pk=certificate.training_class_id)
    return TemplateResponse(
        request,
        "certificates/admin/certificate_revoke.html",
        {"certificate": certificate, "form": form, "reissue": True},
    )


class _Sink:
    """A write-only file for zipfile; the view hands out what has been written so far."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self):
        pass

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


def _zip_stream(certificates):
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            name = f"{certificate.number}-{certificate.snapshot.get('name', '')}.pdf"
            with certificate.pdf.open("rb") as source, archive.open(name, "w") as target:
                while block := source.read(64 * 1024):
                    target.write(block)
            yield sink.take()
    yield sink.take()


@require_GET
def class_zip(request, pk: int):
    """All valid certificates of the class, streamed: memory stays flat for any class size."""
    klass = _class(request, pk)
    certificates = [
        c
        for c in certificate_list_for_class(training_class=klass).filter(revoked_at__isnull=True)
        if c.pdf
    ]
    response = StreamingHttpResponse(_zip_stream(certificates), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{klass.code}.zip"'
    return response


@require_GET
def template_preview(request, pk: int):
    """The template filled with sample data, so organisers see it before any class closes."""
    if not (request.user.is_superuser or has_role(request.user, Role.ORGANISER)):
        raise DjangoPermissionDenied
    template = get_object_or_404(certificate_template_list_usable(viewer=request.user), pk=pk)
    start, end = datetime.date(2025, 6, 1), datetime.date(2025, 6, 7)
    issue = end
    sample = Certificate(
        template=template,
        number=f"{template.number_prefix}-{issue.year}-00001",
        verification_code="preview",
        snapshot={
            "name": "张三",
            "class_name": "信阳市乡镇（街道）党（工）委书记能力提升培训班",
            "provider": template.provider_name or "大别山干部学院",
            "start_cn": rendering.chinese_date(start),
            "end_cn": rendering.chinese_date(end),
            "hours": "42",
            "number": f"{template.number_prefix}-{issue.year}-00001",
            "title": template.title,
            "body": template.body,
            "signatory": template.signatory,
            "issue_date_cn": rendering.chinese_date(issue),
        },
    )
    response = FileResponse(iter([rendering.render_one(sample)]), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="preview.pdf"'
    return response
