"""People management for organisers in the Wagtail admin, inside their units only.

Every query goes through `people.selectors` (a person of another county is a 404, not a
refusal that confirms they exist) and every write through `people.services`.
"""

import base64
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from lms.errors import DomainError
from lms.spreadsheets import XLSX_MIME, append_row

from .choosers import OrgUnitChoiceField, unit_field
from .models import OrgUnit, User
from .phones import InvalidPhone, normalize_phone
from .roles import Role
from .selectors import person_get, person_list
from .services import person_create, person_reset_password, person_update

CREATABLE_ROLES = [
    (Role.TRAINEE.value, Role.TRAINEE.label),
    (Role.INSTRUCTOR.value, Role.INSTRUCTOR.label),
    (Role.ADVISER.value, Role.ADVISER.label),
]


def _require_manager(request) -> None:
    if not (request.user.is_superuser or request.user.has_perm("people.manage_people")):
        raise DjangoPermissionDenied


class PersonForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("full name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("mobile phone"), max_length=30)
    org_unit = forms.ModelChoiceField(
        label=gettext_lazy("org unit"), queryset=OrgUnit.objects.none()
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("gender"), choices=[("", "—"), *User.Gender.choices], required=False
    )
    position = forms.ChoiceField(
        label=gettext_lazy("position"), choices=[("", "—"), *User.Position.choices], required=False
    )
    job_title = forms.CharField(label=gettext_lazy("job title"), max_length=100, required=False)
    rank = forms.ChoiceField(
        label=gettext_lazy("rank"), choices=[("", "—"), *User.Rank.choices], required=False
    )
    email = forms.EmailField(label=gettext_lazy("email"), required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"] = unit_field(self.fields["org_unit"], viewer=viewer)

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(str(exc.message)) from exc


class PersonCreateForm(PersonForm):
    role = forms.ChoiceField(
        label=gettext_lazy("role"), choices=CREATABLE_ROLES, initial=Role.TRAINEE.value
    )


class UnitFilterForm(forms.Form):
    """The people list's unit filter: the chooser, limited to the viewer's units."""

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = OrgUnitChoiceField(
            viewer=viewer, label=gettext_lazy("Unit"), required=False
        )


def person_index(request):
    _require_manager(request)
    people = person_list(viewer=request.user).order_by("org_unit__path", "full_name")
    query = request.GET.get("q", "").strip()
    if query:
        q = Q(full_name__icontains=query) | Q(username__icontains=query)
        try:
            q |= Q(phone=normalize_phone(query))
        except InvalidPhone:
            digits = "".join(c for c in query if c.isdigit())
            if digits:
                q |= Q(phone__contains=digits)
        people = people.filter(q)
    unit_form = UnitFilterForm(request.GET or None, viewer=request.user)
    unit = unit_form.cleaned_data.get("unit") if unit_form.is_valid() else None
    if unit is not None:
        people = people.filter(org_unit__path__startswith=unit.path)
    position = request.GET.get("position", "")
    if position in User.Position.values:
        people = people.filter(position=position)
    page = Paginator(people, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "people/admin/person_index.html",
        {
            "page_title": _("People"),
            "header_icon": "user",
            "page": page,
            "query": query,
            "unit_form": unit_form,
            "unit": unit.pk if unit else "",
            "positions": User.Position.choices,
            "position": position,
            "total": page.paginator.count,
        },
    )


def _password_response(request, person, password, title):
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
    """A one-row 初始密码 sheet built in memory for this response; never saved."""
    # Imported here: openpyxl is slow to import: loaded when a spreadsheet is made.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "初始密码"
    append_row(ws, ["姓名", "手机号（登录名）", "初始密码"])
    append_row(ws, [person.full_name, person.phone, password])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABC", (12, 18, 16), strict=True):
        ws.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def person_create_view(request):
    _require_manager(request)
    form = PersonCreateForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        role = Role(data.pop("role"))
        try:
            person, password = person_create(actor=request.user, roles=(role,), **data)
        except DomainError as exc:
            form.add_error("phone" if exc.code == "phone_taken" else None, str(exc.message))
        else:
            return _password_response(request, person, password, _("Person created"))
    return render(
        request,
        "people/admin/person_form.html",
        {"page_title": _("New person"), "header_icon": "user", "form": form},
    )


def person_edit_view(request, pk):
    _require_manager(request)
    person = person_get(viewer=request.user, pk=pk)
    initial = {f: getattr(person, f) for f in PersonForm.base_fields}
    form = PersonForm(request.POST or None, initial=initial, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("phone" if exc.code == "phone_taken" else None, str(exc.message))
        else:
            messages.success(request, _("%(name)s saved.") % {"name": person.full_name})
            return redirect("people_admin:index")
    return render(
        request,
        "people/admin/person_form.html",
        {
            "page_title": person.full_name or person.username,
            "header_icon": "user",
            "form": form,
            "person": person,
            "roles": ", ".join(sorted(person.groups.values_list("name", flat=True))),
        },
    )


@require_POST
def person_reset_password_view(request, pk):
    _require_manager(request)
    person = person_get(viewer=request.user, pk=pk)
    try:
        password = person_reset_password(actor=request.user, person=person)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("people_admin:edit", person.pk)
    return _password_response(request, person, password, pgettext("account", "Password reset"))
