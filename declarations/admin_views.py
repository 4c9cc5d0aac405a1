"""Organisers decide a declaration from its inspect screen; these take the decision and
hand out the evidence. Both sit behind the viewset's scope gate (lms/admin_scope.py), so
a declaration of another county answers 404 before they run."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lms.errors import DomainError
from lms.storage import private_file_response

from .forms import RefuseForm
from .models import Declaration
from .selectors import can_decide_declarations, declaration_list_for_staff
from .services import declaration_approve, declaration_refuse

INSPECT = "wagtailsnippets_declarations_declaration:inspect"


def _in_scope(request, pk: int) -> Declaration:
    if not can_decide_declarations(request.user):
        raise PermissionDenied
    return get_object_or_404(declaration_list_for_staff(viewer=request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def decide(request, pk: int):
    declaration = _in_scope(request, pk)
    if request.method != "POST":  # the forms are on the inspect screen
        return redirect(INSPECT, declaration.pk)
    try:
        if request.POST.get("decision") == "approve":
            declaration_approve(actor=request.user, declaration_id=declaration.pk)
            messages.success(request, _("Approved: the hours are in the trainee's ledger."))
        else:
            form = RefuseForm(request.POST)
            reason = (
                form.data.get("reason", "") if not form.is_valid() else form.cleaned_data["reason"]
            )
            declaration_refuse(actor=request.user, declaration_id=declaration.pk, reason=reason)
            messages.success(request, _("Refused; the trainee sees the reason."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(INSPECT, declaration.pk)


@require_GET
def evidence(request, pk: int):
    return private_file_response(_in_scope(request, pk).evidence)
