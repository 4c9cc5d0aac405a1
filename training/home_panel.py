"""The admin home's training panels: an instructor's coming sessions, an organiser's classes
of the week."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lms.admin_home import ViewerPanel

from . import selectors_home


class UpcomingSessionsPanel(ViewerPanel):
    name = "sessions_upcoming"
    template_name = "training/admin/home_sessions.html"
    order = 112
    icon = "time"
    heading = _("Your coming sessions")
    empty = _("You have no coming sessions.")
    full_label = _("All my sessions")

    def full_url(self):
        return reverse("training_admin:my_evaluations")

    def rows(self):
        items, total = selectors_home.sessions_upcoming(viewer=self.viewer)
        return {"items": items, "total": total}


class ClassesThisWeekPanel(ViewerPanel):
    name = "classes_this_week"
    template_name = "training/admin/home_classes.html"
    order = 120
    icon = "group"
    heading = _("Classes this week")
    empty = _("No class of your units runs or ends this week.")
    full_label = _("All classes")

    def full_url(self):
        return reverse("training_class:index")

    def rows(self):
        items, total = selectors_home.classes_this_week(viewer=self.viewer)
        return {"items": items, "total": total}
