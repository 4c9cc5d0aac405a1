from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

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


def pdf_response(pdf: bytes, person) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"training-record-{person.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
