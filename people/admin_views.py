"""People management for organisers in the Wagtail admin, inside their units only.

A `ModelViewSet` (list with search and filters, add, edit) scoped by `PersonPolicy`: the
listing and every URL carrying a `pk` read `person_list` (a person of another county is a
404, not a refusal that confirms they exist). Saving goes through `people.services`; adding
someone or resetting a password ends on the page that shows the initial password once.
"""

import base64

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from lms import spreadsheets
from lms.admin_scope import ScopedModelViewSet, ScopedPolicy
from lms.errors import DomainError
from lms.spreadsheets import XLSX_MIME, book

from .choosers import UnitFilter, unit_field
from .models import User
from .phones import InvalidPhone, normalize_phone
from .roles import Role
from .selectors import person_get, person_list
from .services import PERSON_EDITABLE, person_create, person_reset_password, person_update

CREATABLE_ROLES = [
    (Role.TRAINEE.value, Role.TRAINEE.label),
    (Role.INSTRUCTOR.value, Role.INSTRUCTOR.label),
    (Role.ADVISER.value, Role.ADVISER.label),
]


class PersonPolicy(ScopedPolicy):
    """Organisers (`people.manage_people`) list, add and edit the people of their units;
    nobody deletes a person here (their records stay). Not registered for the user model:
    Wagtail's own Users area keeps its policy and stays for administrators."""

    def user_has_permission(self, user, action):
        if not user.is_active or action == "delete":
            return False
        return user.is_superuser or user.has_perm("people.manage_people")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def scope(self, user, action):
        return person_list(viewer=user)


# --- forms -----------------------------------------------------------------------------


class PersonForm(WagtailAdminModelForm):
    # Wider than the model's 11 digits: any common spelling is accepted, then normalised.
    phone = forms.CharField(label=gettext_lazy("mobile phone"), max_length=30)

    class Meta:
        model = User
        fields = PERSON_EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["org_unit"].required = True
        self.fields["org_unit"] = unit_field(self.fields["org_unit"], viewer=self.for_user)

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(str(exc.message)) from exc

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_EDITABLE}

    def add_domain_error(self, exc: DomainError) -> None:
        self.add_error("phone" if exc.code == "phone_taken" else None, str(exc.message))


class PersonCreateForm(PersonForm):
    role = forms.ChoiceField(
        label=gettext_lazy("role"), choices=CREATABLE_ROLES, initial=Role.TRAINEE.value
    )


class PersonFilterSet(WagtailFilterSet):
    unit = UnitFilter(label=gettext_lazy("Unit"), field_name="org_unit")
    position = django_filters.ChoiceFilter(
        label=gettext_lazy("position"),
        choices=User.Position.choices,
        empty_label=gettext_lazy("All positions"),
    )

    class Meta:
        model = User
        fields = ["unit", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["viewer"] = self.request.user


# --- views -----------------------------------------------------------------------------


class PersonIndexView(generic.IndexView):
    def search_queryset(self, queryset):
        """Name or login name contains the words; a mobile number in any spelling, or
        some of its digits."""
        if not self.is_searching:
            return queryset
        query = self.search_query
        q = Q(full_name__icontains=query) | Q(username__icontains=query)
        try:
            q |= Q(phone=normalize_phone(query))
        except InvalidPhone:
            digits = "".join(c for c in query if c.isdigit())
            if digits:
                q |= Q(phone__contains=digits)
        return queryset.filter(q)


class PersonCreateView(generic.CreateView):
    def form_valid(self, form):
        data = form.service_fields()
        try:
            person, password = person_create(
                actor=self.request.user, roles=(Role(form.cleaned_data["role"]),), **data
            )
        except DomainError as exc:
            form.add_domain_error(exc)
            return self.form_invalid(form)
        return password_response(self.request, person, password, _("Person created"))


class PersonEditView(generic.EditView):
    template_name = "people/admin/person_edit.html"

    def form_valid(self, form):
        try:
            self.object = person_update(
                actor=self.request.user,
                person=self.object,
                **form.service_fields(),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s saved.") % {"name": self.object.full_name})
        return redirect(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["roles"] = ", ".join(sorted(person.groups.values_list("name", flat=True)))
        return context


@require_POST
def person_reset_password_view(request, pk):
    if not PersonPolicy(User).user_has_permission(request.user, "change"):
        raise PermissionDenied
    person = person_get(viewer=request.user, pk=pk)
    try:
        password = person_reset_password(actor=request.user, person=person)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("people_admin:edit", person.pk)
    return password_response(request, person, password, pgettext("account", "Password reset"))


def password_response(request, person, password, title):
    sheet = _password_sheet(person, password)
    response = render(
        request,
        "people/admin/person_password.html",
        {
            "page_title": title,
            "header_icon": "user",
            "person": person,
            "password": password,
            "sheet_data": base64.b64encode(sheet).decode(),
            "xlsx_mime": XLSX_MIME,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _password_sheet(person, password) -> bytes:
    """A one-row 初始密码 sheet built for this response; never saved."""
    columns = [
        spreadsheets.Column("姓名", 12),
        spreadsheets.Column("手机号（登录名）", 18),
        spreadsheets.Column("初始密码", 16),
    ]
    return book([("初始密码", columns, [[person.full_name, person.phone, password]])]).getvalue()


class MustChangePasswordColumn(Column):
    def get_value(self, instance):
        return _("Has not changed the initial password") if instance.must_change_password else ""


class PersonViewSet(ScopedModelViewSet):
    model = User
    scoped_policy = PersonPolicy(User)
    # Reversed as people_admin:index, :add, :edit (the URL names before the viewset).
    name = "people_admin"
    url_prefix = "people"
    icon = "user"
    add_to_reference_index = False
    index_view_class = PersonIndexView
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    filterset_class = PersonFilterSet
    search_fields = ["full_name", "username", "phone"]
    list_per_page = 50
    list_display = [
        TitleColumn(
            "full_name",
            label=pgettext_lazy("person", "Name"),
            get_url=lambda p: reverse("people_admin:edit", args=[p.pk]),
            accessor=lambda p: p.full_name or p.username,
        ),
        Column("phone", label=gettext_lazy("Mobile")),
        Column("org_unit", label=gettext_lazy("Unit")),
        Column("job_title", label=gettext_lazy("Job title")),
        Column("rank", label=gettext_lazy("Rank"), accessor="get_rank_display"),
        MustChangePasswordColumn("must_change_password", label=""),
    ]

    def get_queryset(self, request):
        return (
            self.object_scope(request)
            .select_related("org_unit")
            .order_by("org_unit__path", "full_name")
        )

    def get_permissions_to_register(self):
        # The group editor offers "manage people", not Wagtail's user permissions again.
        return Permission.objects.filter(content_type__app_label="people", codename="manage_people")

    def get_form_class(self, for_update=False):
        return PersonForm if for_update else PersonCreateForm

    def get_object_urlpatterns(self):
        return [
            path(
                "<int:pk>/reset-password/",
                person_reset_password_view,
                name="reset_password",
            )
        ]
