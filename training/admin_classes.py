"""Training classes in the Wagtail admin: list, add and edit on a scoped `ModelViewSet`.

The list shows the classes the viewer works on (`class_list_for_staff`: organisers by
unit, advisers and instructors by name); add and edit are for the organisers of the class's
unit (`can_manage_class`). Any other class answers 404, whatever the URL: the viewset's
`pk` URLs are gated by the policy's scope. Nobody deletes a class: it is closed (结班),
and its records stay. The class's own screens (overview, roster, timetable …) are the
workflow views in `admin_views.py`.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from lms.admin_scope import ScopedModelViewSet, ScopedPolicy
from lms.errors import DomainError
from people.choosers import UnitFilter
from people.roles import Role, has_role
from people.selectors import within_units_q

from . import services
from .forms import ClassForm
from .models import Enrolment, TrainingClass
from .selectors import class_list_for_staff

STAFF_ROLES = (Role.ORGANISER, Role.ADVISER, Role.INSTRUCTOR)


class TrainingClassPolicy(ScopedPolicy):
    """`view`: staff, on the classes they work on; `add` and `change`: organisers, on the
    classes of their units; `delete`: nobody."""

    def user_has_permission(self, user, action):
        if not user.is_active:
            return False
        if action == "view":
            return user.is_superuser or any(has_role(user, role) for role in STAFF_ROLES)
        if action in ("add", "change"):
            return user.is_superuser or has_role(user, Role.ORGANISER)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def scope(self, user, action):
        if action == "view":
            return class_list_for_staff(viewer=user)
        if user.is_superuser:
            return TrainingClass.objects.all()
        return TrainingClass.objects.filter(within_units_q(user, field="organising_unit"))

    def _scope_key(self, action):
        return "view" if action == "view" else "manage"


class TrainingClassFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=TrainingClass.Status.choices,
        empty_label=gettext_lazy("All statuses"),
    )
    unit = UnitFilter(label=gettext_lazy("Organising unit"), field_name="organising_unit")

    class Meta:
        model = TrainingClass
        fields = ["status", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["viewer"] = self.request.user


class _ClassFormMixin:
    """`ClassForm` offers the viewer's units and saves through the class services."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "viewer": self.request.user}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        advisers = list(data.pop("advisers"))
        try:
            klass = self.save_class(data, advisers)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return self.form_invalid(form)
        messages.success(self.request, self.saved_message)
        return redirect("training_admin:class_overview", klass.pk)


class ClassCreateView(_ClassFormMixin, generic.CreateView):
    @property
    def saved_message(self):
        return _("Class created. Next: import the roster and timetable.")

    def save_class(self, data, advisers):
        return services.class_create(actor=self.request.user, advisers=advisers, **data)


class ClassEditView(_ClassFormMixin, generic.EditView):
    @property
    def saved_message(self):
        return _("Class saved.")

    def get_object(self, queryset=None):
        klass = super().get_object(queryset)
        # Advisers and instructors see the class (it is in their scope) but do not edit it.
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", klass
        ):
            raise PermissionDenied
        return klass

    def save_class(self, data, advisers):
        return services.class_update(
            actor=self.request.user,
            # The form has already written the new values onto self.object.
            training_class=TrainingClass.objects.get(pk=self.object.pk),
            advisers=advisers,
            **data,
        )


def _counted(status: str) -> Count:
    return Count("enrolments", filter=Q(enrolments__status=status), distinct=True)


class CountsColumn(Column):
    """在册 · 结业 · 不予结业 · 退学 of one class (on the roster, with its capacity)."""

    cell_template_name = "training/admin/class_counts_cell.html"
    header_template_name = "training/admin/class_counts_header.html"


class DatesColumn(Column):
    def get_value(self, instance):
        return f"{instance.start_date:%Y-%m-%d} – {instance.end_date:%m-%d}"


class TrainingClassViewSet(ScopedModelViewSet):
    model = TrainingClass
    # Reversed as training_class:index, :add, :edit; the list stays at /admin/training/,
    # beside the class's own screens (training_admin:class_overview …).
    name = "training_class"
    url_prefix = "training"
    icon = "group"
    add_to_reference_index = False
    add_view_class = ClassCreateView
    edit_view_class = ClassEditView
    filterset_class = TrainingClassFilterSet
    search_fields = ["name", "code"]
    list_per_page = 30
    list_display = [
        TitleColumn(
            "name",
            label=pgettext_lazy("training class", "Name"),
            get_url=lambda klass: reverse("training_admin:class_overview", args=[klass.pk]),
        ),
        Column("code", label=gettext_lazy("class code")),
        Column("organising_unit", label=gettext_lazy("Organising unit")),
        DatesColumn("start_date", label=gettext_lazy("Dates")),
        CountsColumn("trainee_count", label=gettext_lazy("Trainees")),
        Column("phase", label=gettext_lazy("Status"), accessor="get_phase_display"),
    ]

    def get_queryset(self, request):
        S = Enrolment.Status
        return (
            self.object_scope(request)
            .select_related("organising_unit")
            .annotate(
                trainee_count=_counted(S.ENROLLED),
                completed_count=_counted(S.COMPLETED),
                not_completed_count=_counted(S.NOT_COMPLETED),
                withdrawn_count=_counted(S.WITHDRAWN),
            )
            .order_by("-start_date", "name")
        )

    def get_form_class(self, for_update=False):
        return ClassForm
