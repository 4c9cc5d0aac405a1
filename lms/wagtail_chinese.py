"""Wagtail 8.0 strings that no catalogue can translate, made translatable.

The crawl (tests/crawl) found them; each is an upstream slip, patched here rather than in
copies of whole upstream modules:

- labels Wagtail builds from a field's *name*, never through gettext: the sites list's
  "Port", "Site name", "Root page" columns, the "Page" field of a workflow's and a group's
  page rows;
- labels fixed at import time with `gettext` instead of `gettext_lazy`: they stay in
  whatever language was active when the module was first imported (the redirects
  filter's 全部/永久/临时的, the collection, image and document permission rows), so an
  English reader met Chinese there. They are replaced by lazy ones with the same msgids;
- labels built once, in the language of the first request a process serves, because a
  lazy string formatted with `%` is formatted at once: a snippet chooser's "选择 试题",
  the snippets' breadcrumbs (首页, 片段), the help menu's "Wagtail 8.0 的新功能";
- permission names, which Django stores in English ("Can add quiz") and the group form
  reads out to screen readers and lists in its page rows.

`apply()` runs in PeopleConfig.ready(); tests/lms/test_wagtail_chinese.py fails if an
upgrade moves what it patches.
"""

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from wagtail.utils.version import get_main_version

# Wagtail's own msgids, translated by its catalogues: under this name makemessages leaves
# them out of ours (tests/lms/test_wagtail_chinese.py checks Wagtail has each).
wagtail_lazy = gettext_lazy

# As upstream's modules write them (wagtail/images/forms.py, wagtail/documents/forms.py,
# wagtail/admin/forms/collections.py).
COLLECTION_PERMISSION_TYPES = {
    "add_image": (wagtail_lazy("Add"), wagtail_lazy("Add/edit images you own")),
    "change_image": (wagtail_lazy("Edit"), wagtail_lazy("Edit any image")),
    "choose_image": (wagtail_lazy("Choose"), wagtail_lazy("Select images in choosers")),
    "add_document": (wagtail_lazy("Add"), wagtail_lazy("Add/edit documents you own")),
    "change_document": (wagtail_lazy("Edit"), wagtail_lazy("Edit any document")),
    "choose_document": (wagtail_lazy("Choose"), wagtail_lazy("Select documents in choosers")),
    "add_collection": (wagtail_lazy("Add"), wagtail_lazy("Add collections")),
    "change_collection": (wagtail_lazy("Edit"), wagtail_lazy("Edit collections")),
    "delete_collection": (wagtail_lazy("Delete"), wagtail_lazy("Delete collections")),
}

DEFAULT_PERMISSIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


def _interpolate(msgid: str, params: dict) -> str:
    return gettext(msgid) % {key: str(value) for key, value in params.items()}


# gettext_lazy(msgid) % params, formatted when shown rather than when written.
interpolate_lazy = lazy(_interpolate, str)


def permission_label(permission) -> str:
    """A permission's name in the reader's language: Django's "Can add <model>" built
    from the model's verbose name, a model's own permissions from its Meta (Wagtail's
    are translated there), anything else through the catalogues."""
    model = permission.content_type.model_class()
    if model is not None:
        for action, label in DEFAULT_PERMISSIONS.items():
            if permission.codename == get_permission_codename(action, model._meta):
                return label % {"model": model._meta.verbose_name}
        for codename, name in model._meta.permissions:
            if codename == permission.codename:
                return str(name)
    return gettext(permission.name)


def _label_from_field_name(column, model):
    column.label = capfirst(model._meta.get_field(column.name).verbose_name)


# The snippet chooser's texts (wagtail/snippets/widgets.py), by attribute.
SNIPPET_CHOOSER_TEXTS = {
    "choose_one_text": "Choose %(object)s",
    "choose_another_text": "Choose another %(object)s",
    "link_to_chosen_text": "Edit this %(object)s",
}
WHATS_NEW = "What's new in Wagtail %(version)s"


def _snippet_chooser_texts(upstream_init):
    def __init__(self, model=None, **kwargs):
        given = set(kwargs)
        upstream_init(self, model, **kwargs)
        name = self.model._meta.verbose_name
        for attribute, msgid in SNIPPET_CHOOSER_TEXTS.items():
            if attribute not in given:
                setattr(self, attribute, interpolate_lazy(msgid, {"object": name}))

    return __init__


def _snippet_breadcrumbs(self):
    items = [{"url": reverse_lazy("wagtailadmin_home"), "label": wagtail_lazy("Home")}]
    if (
        getattr(settings, "WAGTAILSNIPPETS_MENU_SHOW_ALL", False)
        or not self.get_menu_item_is_registered()
    ):
        items.append(
            {"url": reverse_lazy("wagtailsnippets:index"), "label": wagtail_lazy("Snippets")}
        )
    return items


def _whats_new_label(request, menu_items):
    for item in menu_items:
        if item.name.startswith("whats-new-in-wagtail-"):
            version = get_main_version(include_patch=False)
            item.label = interpolate_lazy(WHATS_NEW, {"version": version})


def apply() -> None:
    # Imported here: Wagtail's admin needs the app registry (called from PeopleConfig.ready).
    from wagtail import hooks
    from wagtail.admin.forms.collections import GroupCollectionManagementPermissionFormSet
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.contrib.redirects.filters import RedirectsReportFilterSet
    from wagtail.documents.forms import GroupDocumentPermissionFormSet
    from wagtail.images.forms import GroupImagePermissionFormSet
    from wagtail.models import Site
    from wagtail.sites.views import IndexView as SiteIndexView
    from wagtail.snippets.views.snippets import SnippetViewSet
    from wagtail.snippets.widgets import AdminSnippetChooser
    from wagtail.users.forms import PagePermissionsForm
    from wagtail.users.templatetags import wagtailusers_tags

    if getattr(wagtailusers_tags, "_lms_translated", False):
        return

    for column in SiteIndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            _label_from_field_name(column, Site)

    page = wagtail_lazy("Page")
    WorkflowPageForm.base_fields["page"].label = page
    PagePermissionsForm.base_fields["page"].label = page
    PagePermissionsForm.base_fields["permissions"].label_from_instance = permission_label

    for formset in (
        GroupImagePermissionFormSet,
        GroupDocumentPermissionFormSet,
        GroupCollectionManagementPermissionFormSet,
    ):
        # The list the formset's choice field reads too: replaced in place.
        types = formset.permission_types
        types[:] = [(codename, *COLLECTION_PERMISSION_TYPES[codename]) for codename, *_ in types]
        formset.form.base_fields["collection"].label = wagtail_lazy("Collection")

    kind = RedirectsReportFilterSet.base_filters["is_permanent"]
    kind.label = wagtail_lazy("Type")
    kind.extra["choices"] = ((True, wagtail_lazy("Permanent")), (False, wagtail_lazy("Temporary")))
    kind.extra["empty_label"] = wagtail_lazy("All")

    AdminSnippetChooser.__init__ = _snippet_chooser_texts(AdminSnippetChooser.__init__)
    SnippetViewSet.breadcrumbs_items = property(_snippet_breadcrumbs)
    hooks.register("construct_help_menu", _whats_new_label)

    # The group form's screen-reader labels read `perm.name` (English, from the
    # database): the tag hands the template permissions named in the reader's language.
    upstream = wagtailusers_tags.format_permissions

    def format_permissions(permission_bound_field):
        context = upstream(permission_bound_field)
        for row in context["object_perms"]:
            for action in ("add", "change", "delete"):
                if action in row:
                    row[action]["perm"].name = permission_label(row[action]["perm"])
        return context

    format_permissions.__name__ = upstream.__name__
    wagtailusers_tags.register.inclusion_tag(
        "wagtailusers/groups/includes/formatted_permissions.html"
    )(format_permissions)
    wagtailusers_tags._lms_translated = True
