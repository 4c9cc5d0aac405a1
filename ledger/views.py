from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms.storage import private_file_response

from .models import CreditEvidence
from .pdf import training_record_pdf
from .selectors import credit_entry_list, ledger_summary


@require_GET
@login_required
def my_ledger(request):
    """学时档案: the trainee's own hours and whether this year's requirements are met."""
    return render(
        request,
        "ledger/my_ledger.html",
        {
            "summary": ledger_summary(person=request.user, today=timezone.localdate()),
            "entries": credit_entry_list(person=request.user)[:200],
        },
    )


@require_GET
@login_required
def my_record_pdf(request):
    return pdf_response(training_record_pdf(person=request.user), request.user)


@require_GET
@login_required
def my_evidence(request, pk: int):
    """The evidence behind one of the trainee's own entries; anyone else's is a 404."""
    evidence = get_object_or_404(CreditEvidence, pk=pk, entry__person=request.user)
    return evidence_response(evidence)


def evidence_response(evidence: CreditEvidence):
    return private_file_response(evidence.file)


def pdf_response(pdf: bytes, person) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    # 培训档案-张三.pdf: the person's name, as organisers file these (RFC 6266 encoded).
    name = _("Training record") + f"-{person.get_full_name()}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
