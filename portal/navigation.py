"""The trainee's main navigation; the base template renders it on every page."""

from django.utils.translation import gettext_lazy as _

# (key, label, path). Paths, not URL names: two entries are Wagtail pages (/courses/,
# /cases/) whose slugs organisers control, the rest are app URLs.
MAIN_NAV = [
    ("learning", _("My learning"), "/learning/"),
    ("courses", _("Courses"), "/courses/"),
    ("electives", _("Self-selected study"), "/learning/electives/"),
    ("cases", _("Case library"), "/cases/"),
    ("classes", _("My classes"), "/classes/"),
    ("assessments", _("Quizzes and assignments"), "/assessments/"),
    ("certificates", _("My certificates"), "/certificates/"),
    ("ledger", _("My credit hours"), "/ledger/"),
]
