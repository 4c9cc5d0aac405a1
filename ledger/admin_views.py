"""Organisers' view of the ledger in the Wagtail admin, scoped to the units they manage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from lms.errors import DomainError
from people.choosers import UnitFilter
from people.models import User
from people.roles import Role, has_role
from people.selectors import person_get, person_list

from .forms import OtherStudyForm, VoidForm
from .models import CreditEntry, CreditEvidence
from .pdf import training_record_pdf
from .selectors import credit_entry_list, ledger_summary
from .services import credit_other_record, credit_other_void
from .views import evidence_response, pdf_response


class TraineeFilterSet(WagtailFilterSet):
    unit = UnitFilter(label=gettext_lazy("Org unit"), field_name="org_unit")

    class Meta:
        model = User
        fields = ["unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["viewer"] = self.request.user


def _require_organiser(request):
    if not (request.user.is_superuser or has_role(request.user, Role.ORGANISER)):
        raise DjangoPermissionDenied


class PersonIndexView(generic.IndexView):
    """The trainees of the organiser's units, each leading to their ledger: Wagtail's
    listing (search, a unit filter through the scoped chooser, pagination)."""

    model = User
    # Organisers hold no user-model permission: who may list is asked here instead.
    permission_policy = None
    any_permission_required = None
    page_title = gettext_lazy("Credit-hour ledger")
    header_icon = "table"
    index_url_name = "ledger_admin:index"
    index_results_url_name = "ledger_admin:index_results"
    filterset_class = TraineeFilterSet
    search_fields = ["full_name", "phone"]
    paginate_by = 50
    list_display = [
        TitleColumn(
            "full_name",
            label=pgettext_lazy("person", "Name"),
            get_url=lambda p: reverse("ledger_admin:person", args=[p.pk]),
            accessor=lambda p: p.get_full_name() or p.username,
        ),
        Column("org_unit", label=gettext_lazy("Org unit")),
        Column("rank", label=gettext_lazy("Rank"), accessor="get_rank_display"),
    ]

    def dispatch(self, request, *args, **kwargs):
        _require_organiser(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            person_list(viewer=self.request.user)
            .filter(groups__name=Role.TRAINEE)
            .distinct()
            .order_by("org_unit__path", "full_name")
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        q = self.search_query
        return queryset.filter(Q(full_name__contains=q) | Q(phone__contains=q))


def person_ledger(request, pk: int):
    _require_organiser(request)
    person = person_get(viewer=request.user, pk=pk)
    # Apps above the ledger add what they know of the person (declarations: their 学时申报).
    sections = [
        section
        for hook in hooks.get_hooks("ledger_person_sections")
        if (section := hook(request, person))
    ]
    return TemplateResponse(
        request,
        "ledger/admin/person_ledger.html",
        {
            "person": person,
            "summary": ledger_summary(person=person, today=timezone.localdate()),
            "entries": credit_entry_list(person=person),
            "sections": sections,
        },
    )


def entry_add(request, pk: int):
    _require_organiser(request)
    person = person_get(viewer=request.user, pk=pk)
    form = OtherStudyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            credit_other_record(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Credit hours recorded."))
            return redirect("ledger_admin:person", pk=person.pk)
    return TemplateResponse(
        request, "ledger/admin/entry_add.html", {"person": person, "form": form}
    )


def evidence(request, pk: int):
    """Evidence of an entry of a person in the organiser's units; elsewhere a 404."""
    _require_organiser(request)
    item = get_object_or_404(CreditEvidence.objects.select_related("entry"), pk=pk)
    person_get(viewer=request.user, pk=item.entry.person_id)  # 404 outside the scope
    return evidence_response(item)


def entry_void(request, pk: int):
    """Confirm, with a reason, the withdrawal of an entry recorded by hand."""
    _require_organiser(request)
    entry = get_object_or_404(CreditEntry.objects.select_related("person"), pk=pk)
    person = person_get(viewer=request.user, pk=entry.person_id)  # 404 outside the scope
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credit_other_void(
                actor=request.user, entry_id=entry.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The entry was withdrawn."))
        return redirect("ledger_admin:person", pk=person.pk)
    return TemplateResponse(
        request, "ledger/admin/entry_void.html", {"person": person, "entry": entry, "form": form}
    )


def record_pdf(request, pk: int):
    _require_organiser(request)
    person = person_get(viewer=request.user, pk=pk)
    return pdf_response(training_record_pdf(person=person), person)
