"""The trainee's 学时申报 page: declare training taken elsewhere, follow the decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms.errors import DomainError
from lms.storage import private_file_response

from .forms import DeclarationForm
from .models import Declaration
from .selectors import declaration_list_for_trainee
from .services import declaration_submit


@login_required
def my_declarations(request):
    form = DeclarationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            _declaration, created = declaration_submit(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if created:
                messages.success(
                    request, _("Declaration submitted. The organiser of your unit will decide.")
                )
            return redirect("declarations:mine")
    return TemplateResponse(
        request,
        "declarations/my_declarations.html",
        {"form": form, "declarations": declaration_list_for_trainee(trainee=request.user)},
    )


@require_GET
@login_required
def my_evidence(request, pk: int):
    """The evidence of one's own declaration; anyone else's is a 404."""
    declaration = get_object_or_404(Declaration, pk=pk, person=request.user)
    return private_file_response(declaration.evidence)
