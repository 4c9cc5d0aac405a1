"""The organiser's coverage corner of the admin home: units with people not yet trained in
the current training cycle."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.admin_home import PANEL_ROWS, ViewerPanel

from .coverage import coverage_gaps
from .params import current_cycle, scope_top_units


class CoverageGapsPanel(ViewerPanel):
    name = "coverage_gaps"
    template_name = "reports/admin/home_panel.html"
    order = 130
    icon = "table"
    heading = _("Coverage gaps in your units")
    empty = _("No one in your units is left untrained in this cycle.")
    full_label = _("Training coverage")

    def full_url(self):
        return reverse("reports_admin:coverage")

    def rows(self):
        tops = scope_top_units(viewer=self.viewer)
        gaps = coverage_gaps(viewer=self.viewer, period=current_cycle(), top_units=tops)
        coverage, missing = reverse("reports_admin:coverage"), reverse("reports_admin:missing")
        top_paths = {u.path for u in tops}
        items = [
            {
                "row": row,
                "attached": row.key in top_paths,
                "url": f"{coverage}?unit={row.unit.pk}",
                "village_url": f"{missing}?unit={row.unit.pk}&list=village",
                "township_url": f"{missing}?unit={row.unit.pk}&list=township",
                "rotation_url": f"{missing}?unit={row.unit.pk}&list=rotation",
            }
            for row in gaps.rows[:PANEL_ROWS]
        ]
        return {"items": items, "total": gaps.total, "period": gaps.period}
