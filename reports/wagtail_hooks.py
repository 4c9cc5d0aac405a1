from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_urls
from .home_panel import CoverageGapsPanel
from .scope import may_view_reports


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/", include(admin_urls, namespace="reports_admin"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_reports(request.user)


def _items():
    return [
        ReportMenuItem(
            # Its own context: training's "Overview" (a class's tab) is 概况, this is 总览.
            pgettext_lazy("reports menu", "Overview"),
            reverse_lazy("reports_admin:overview"),
            name="report-overview",
            icon_name="view",
            order=100,
        ),
        ReportMenuItem(
            _("Training coverage"),
            reverse_lazy("reports_admin:coverage"),
            name="report-coverage",
            icon_name="group",
            order=200,
        ),
        ReportMenuItem(
            _("Who is missing"),
            reverse_lazy("reports_admin:missing"),
            name="report-missing",
            icon_name="warning",
            order=300,
        ),
        ReportMenuItem(
            _("Class reports"),
            reverse_lazy("reports_admin:classes"),
            name="report-classes",
            icon_name="list-ul",
            order=400,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    # Not "Reports"/报表: Wagtail has its own menu of that name (workflows, site history).
    return SubmenuMenuItem(
        _("Training statistics"),
        Menu(items=_items()),
        name="training-reports",
        icon_name="table",
        order=250,
    )


@hooks.register("construct_homepage_panels")
def add_coverage_gaps_panel(request, panels):
    if may_view_reports(request.user):
        panels.append(CoverageGapsPanel(request.user))
