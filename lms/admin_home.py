"""A panel of the admin home page that shows one person their own work.

Each app adds its panels through Wagtail's `construct_homepage_panels` hook and reads only
its own scoped selectors for `self.viewer`. A panel is one selector: `rows()` runs a fixed
number of queries (one where it can) whatever the number of classes or rows behind it,
and the tests in tests/lms/test_admin_home.py hold those counts. Every panel says what it
shows when there is nothing to show, and links to the full page it summarises.

Panels render with `templates/lms/admin/home_panel.html` (or a template extending it):
the heading, the link to the full page in the header, the rows, or the empty message.
"""

from django.db.models import Count, Window
from django.db.models.query import QuerySet
from django.template.loader import get_template
from wagtail.admin.ui.components import Component

# Rows a panel lists before it says "and N more" and points to the full page.
PANEL_ROWS = 8


class ViewerPanel(Component):
    template_name = "lms/admin/home_panel.html"
    heading = ""
    icon = "placeholder"
    empty = ""
    full_label = ""
    # For a panel only some viewers need every day: shown when it has rows.
    hide_when_empty = False

    def __init__(self, viewer, *, order: int | None = None, hide_when_empty: bool | None = None):
        self.viewer = viewer
        if order is not None:
            self.order = order
        if hide_when_empty is not None:
            self.hide_when_empty = hide_when_empty

    def rows(self) -> dict:
        """The panel's data: its selector's answer for `self.viewer`."""
        raise NotImplementedError

    def full_url(self) -> str:
        return ""

    def get_context_data(self, parent_context=None):
        return {
            "panel_id": self.name.replace("_", "-"),
            "heading": self.heading,
            "icon": self.icon,
            "empty": self.empty,
            "full_url": self.full_url(),
            "full_label": self.full_label,
            **self.rows(),
        }

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if self.hide_when_empty and not context.get("items"):
            return ""
        return get_template(self.template_name).render(context)

    class Media:
        css = {"all": ["css/admin_home.css"]}


def first_rows(queryset: QuerySet, limit: int = PANEL_ROWS) -> tuple[list, int]:
    """The first `limit` rows and how many there are in all, in one query.

    The total is a window count over the same filtered rows, computed before the LIMIT:
    no second COUNT(*). The queryset must not repeat rows (no DISTINCT over a join), or
    the count would include the repeats.
    """
    rows = list(queryset.annotate(panel_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].panel_total if rows else 0)
