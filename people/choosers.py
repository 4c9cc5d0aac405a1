"""Choosing an org unit: Wagtail's chooser modal, listing the viewer's part of the tree.

A flat select mixed counties, townships and villages in one long list. The chooser shows
the tree in order (城市 › 县 › 乡镇 › 村, indented), searches by name or code (a match
brings its subtree: type a township to see its villages) and filters by level.

Scope is the viewer's units (`org_unit_list`): the listing, the "chosen" answer and the
form field all read it, so a county organiser neither sees nor can submit another
county's unit; a forged id is refused by the field with a message in the user's language,
and the services check it again (`UnitOutOfScope`). A form may also leave out levels
(`exclude_levels`): a class is organised by a county or township, never by a village.
"""

import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from .models import OrgUnit
from .selectors import org_unit_list

EXCLUDE_PARAM = "exclude"
# A search matching more units than this lists the matches only, not their subtrees.
SUBTREE_LIMIT = 50
SEPARATOR = " › "


def _levels(raw: str) -> list[str]:
    return [level for level in (raw or "").split(",") if level in OrgUnit.Level.values]


def unit_choices(*, viewer, exclude_levels=()):
    """The units a form may offer this viewer, in tree order."""
    return org_unit_list(viewer=viewer).exclude(level__in=list(exclude_levels)).order_by("path")


def unit_trail(unit: OrgUnit) -> str:
    """信阳市 › 罗山县 › 周党镇: the unit under its ancestors (province left out)."""
    return unit_trails([unit]).get(unit.pk, unit.name)


def unit_trails(units) -> dict[int, str]:
    """`unit_trail` for many units in one query."""
    units = [u for u in units if u is not None]
    step = OrgUnit.steplen
    prefixes = {u.path[:n] for u in units for n in range(step, len(u.path), step)}
    names = dict(
        OrgUnit.objects.filter(path__in=prefixes)
        .exclude(level=OrgUnit.Level.PROVINCE)
        .values_list("path", "name")
    )
    return {
        u.pk: SEPARATOR.join(
            [
                *(names[u.path[:n]] for n in range(step, len(u.path), step) if u.path[:n] in names),
                u.name,
            ]
        )
        for u in units
    }


# ---------------------------------------------------------------------------------------
# The modal


class UnitFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search by name or code"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. 周党镇 or 411521"), "autocomplete": "off"}
        ),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            ("", _("All levels")),
            *((value, label) for value, label in OrgUnit.Level.choices if value in levels),
        ]

    def filter(self, objects):
        query = "".join(unicodedata.normalize("NFKC", self.cleaned_data.get("q") or "").split())
        if query:
            self.is_searching = True
            self.search_query = query
            hit = Q(name__icontains=query) | Q(code__startswith=query)
            matches = list(objects.filter(hit).values_list("path", flat=True)[: SUBTREE_LIMIT + 1])
            if len(matches) > SUBTREE_LIMIT:
                objects = objects.filter(hit)
            else:
                # A match brings its subtree: 周党镇 lists the villages of 周党镇 too.
                subtree = Q(pk__in=[])
                for path in matches:
                    subtree |= Q(path__startswith=path)
                objects = objects.filter(subtree)
        level = self.cleaned_data.get("level")
        if level:
            self.is_searching = True
            self.search_query = self.search_query or str(OrgUnit.Level(level).label)
            objects = objects.filter(level=level)
        return objects


class UnitTitleColumn(TitleColumn):
    """The unit's name, indented under its parent; a row whose parent is not listed with
    it has its ancestors written above it (东湾村 is a name in many townships)."""

    cell_template_name = "people/admin/unit_title_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["indent"] = getattr(instance, "indent", 0)
        context["ancestors"] = getattr(instance, "ancestors", "")
        return context


class ScopedUnitsMixin:
    """The viewer's units, minus the levels the form leaves out (`?exclude=village`)."""

    preserve_url_parameters = ["multiple", EXCLUDE_PARAM]

    @cached_property
    def excluded_levels(self) -> list[str]:
        return _levels(self.request.GET.get(EXCLUDE_PARAM, ""))

    def get_object_list(self):
        return unit_choices(viewer=self.request.user, exclude_levels=self.excluded_levels)


class UnitChooseMixin(ScopedUnitsMixin):
    per_page = 50
    ordering = "path"

    def get_filter_form(self):
        levels = set(self.get_object_list().values_list("level", flat=True).distinct())
        return UnitFilterForm(self.request.GET, levels=levels)

    @property
    def title_column(self):
        return UnitTitleColumn(
            "title",
            label=_("Unit"),
            accessor="name",
            get_url=lambda unit: self.append_preserved_url_parameters(
                reverse(self.chosen_url_name, args=(unit.pk,))
            ),
            link_attrs={"data-chooser-modal-choice": True},
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column("level", label=_("Level"), accessor="get_level_display", width="15%"),
            Column("code", label=_("Code"), accessor="code", width="20%"),
        ]

    def get_results_page(self, request):
        """Indent each row under its parent when the parent is listed on this page too;
        a row whose parent is not (a search match, the first row of a later page) says
        where it sits instead, e.g. 信阳市 › 罗山县 › above 周党镇."""
        page = super().get_results_page(request)
        units = list(page.object_list)
        on_page = {u.path for u in units}
        step = OrgUnit.steplen
        orphans = [u for u in units if u.path[:-step] not in on_page]
        trails = unit_trails(orphans)
        indents: dict[str, int] = {}
        for unit in units:  # in path order: a parent comes before its children
            parent = unit.path[:-step]
            unit.indent = indents[unit.path] = indents[parent] + 1 if parent in on_page else 0
            trail = trails.get(unit.pk, "")
            unit.ancestors = trail.rsplit(SEPARATOR, 1)[0] if SEPARATOR in trail else ""
        page.object_list = units
        return page


class UnitChooseView(UnitChooseMixin, chooser_views.ChooseView):
    pass


class UnitChooseResultsView(UnitChooseMixin, chooser_views.ChooseResultsView):
    pass


class UnitChosenResponseMixin:
    def get_display_title(self, instance):
        return unit_trail(instance)

    def get_edit_item_url(self, instance):
        return None


class UnitChosenView(ScopedUnitsMixin, UnitChosenResponseMixin, chooser_views.ChosenView):
    def get_object(self, pk):
        # Outside the viewer's units, or a level the form leaves out: 404.
        return self.get_object_list().get(pk=pk)


class UnitChosenMultipleView(
    ScopedUnitsMixin, UnitChosenResponseMixin, chooser_views.ChosenMultipleView
):
    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=[p for p in pks if str(p).isdigit()])


class OrgUnitChooser(BaseChooser):
    """The form widget: shows the chosen unit with its ancestors and opens the modal."""

    model = OrgUnit
    choose_one_text = _("Choose a unit")
    choose_another_text = _("Choose another unit")
    clear_choice_text = _("Clear choice")
    chooser_modal_url_name = "org_unit_chooser:choose"
    icon = "site"
    show_edit_link = False

    def __init__(self, *, exclude_levels=(), queryset=None, **kwargs):
        self.exclude_levels = list(exclude_levels)
        # The units it may show by name (set by OrgUnitChoiceField): a forged id of a
        # unit outside them is redisplayed as nothing chosen, not by its name.
        self.queryset = queryset
        super().__init__(**kwargs)

    def get_instance(self, value):
        if value is None or isinstance(value, OrgUnit) or self.queryset is None:
            return super().get_instance(value)
        return self.queryset.filter(pk=value).first() if str(value).isdigit() else None

    def get_chooser_modal_url(self):
        url = reverse(self.chooser_modal_url_name)
        if self.exclude_levels:
            url += "?" + urlencode({EXCLUDE_PARAM: ",".join(self.exclude_levels)})
        return url

    def get_display_title(self, instance):
        return unit_trail(instance)

    def get_value_data_from_instance(self, instance):
        return {"id": instance.pk, "edit_url": "", "title": self.get_display_title(instance)}


class OrgUnitChooserViewSet(ChooserViewSet):
    model = OrgUnit
    icon = "site"
    choose_one_text = _("Choose a unit")
    choose_another_text = _("Choose another unit")
    page_title = _("Choose a unit")
    base_widget_class = OrgUnitChooser
    choose_view_class = UnitChooseView
    choose_results_view_class = UnitChooseResultsView
    chosen_view_class = UnitChosenView
    chosen_multiple_view_class = UnitChosenMultipleView
    preserve_url_parameters = ["multiple", EXCLUDE_PARAM]

    def get_urlpatterns(self):
        # Units are made by administrators, not from inside a form: no "create" tab.
        return [p for p in super().get_urlpatterns() if p.name != "create"]


org_unit_chooser_viewset = OrgUnitChooserViewSet("org_unit_chooser", url_prefix="units/choose")


# ---------------------------------------------------------------------------------------
# The form field


class OrgUnitChoiceField(forms.ModelChoiceField):
    """A unit among those the viewer may choose; anything else is refused by name."""

    default_error_messages = {
        "invalid_choice": _(
            "Choose a unit from the list: this one is not among the units you manage."
        ),
    }

    def __init__(self, *, viewer, exclude_levels=(), **kwargs):
        units = unit_choices(viewer=viewer, exclude_levels=exclude_levels)
        kwargs.setdefault("widget", OrgUnitChooser(exclude_levels=exclude_levels, queryset=units))
        super().__init__(queryset=units, **kwargs)


def unit_field(field: forms.Field, *, viewer, exclude_levels=(), **overrides):
    """A ModelForm's unit field turned into the chooser, keeping its label and help."""
    kwargs = {
        "label": field.label,
        "help_text": field.help_text,
        "required": field.required,
        "initial": field.initial,
        **overrides,
    }
    return OrgUnitChoiceField(viewer=viewer, exclude_levels=exclude_levels, **kwargs)


class UnitFilter(django_filters.Filter):
    """A list filter by unit, through the chooser limited to the viewer's units: rows of the
    unit or below (`field_name` is the unit field).
    A unit outside them is refused by the field, with its message."""

    field_class = OrgUnitChoiceField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__path__startswith": value.path})
