"""The organiser's corner of the admin home: certificates to issue — classes that ended and
wait to be closed, and closed classes whose certificates are not all issued."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.admin_home import ViewerPanel

from .selectors_home import classes_to_certify


class CertificatesToIssuePanel(ViewerPanel):
    name = "certificates_to_issue"
    template_name = "certificates/admin/home_panel.html"
    order = 135
    icon = "success"
    heading = _("Certificates to issue")
    empty = _("No class waits to be closed or for its certificates.")
    full_label = _("Completion and certificates")

    def full_url(self):
        return reverse("certificates_admin:index")

    def rows(self):
        items, total = classes_to_certify(viewer=self.viewer)
        return {"items": items, "total": total}
