"""Columns for the admin's listings that read in the user's language."""

from wagtail.admin.ui.tables import BooleanColumn


class YesNoColumn(BooleanColumn):
    """Wagtail's BooleanColumn titles its tick "True" and its cross "False" in English;
    this one says 是 / 否 (screen readers read the title)."""

    cell_template_name = "lms/yes_no_cell.html"

    def __init__(self, name, model, **kwargs):
        kwargs.setdefault("label", model._meta.get_field(name).verbose_name)
        super().__init__(name, **kwargs)
