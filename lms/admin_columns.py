"""Columns for the admin's listings that read in the user's language."""

from wagtail.admin.ui.tables import BooleanColumn


class YesNoColumn(BooleanColumn):
    """A tick or a cross, labelled with the model field's verbose name. Every boolean
    column's icons are titled 是 / 否 (templates/wagtailadmin/tables/boolean_cell.html
    overrides Wagtail's True / False), Wagtail's own listings included."""

    def __init__(self, name, model, **kwargs):
        kwargs.setdefault("label", model._meta.get_field(name).verbose_name)
        super().__init__(name, **kwargs)
