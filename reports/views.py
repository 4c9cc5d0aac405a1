"""Report screens in the Wagtail admin. Each view parses the URL, calls one selector and
renders (or exports) what it returns; every query is scoped to the viewer's units."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Q, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ledger.models import CreditEntry
from people.choosers import OrgUnitChooser
from people.models import OrgUnit, User
from training.models import Enrolment, TrainingClass

from . import charts, tables
from .class_report import class_get_for_report, class_report
from .coverage import MISSING_LISTS, annotate_status, coverage_report, missing_list
from .db import analytic_queries
from .errors import BadListKind, BadPage, ReportParameterError, UnitNotInScope
from .exports import export_format, export_response
from .overview import overview_cached
from .params import current_cycle, page_parse, period_parse, scope_top_units, unit_parse, year_parse
from .requirements import requirements_get
from .scope import may_view_reports, person_q, report_class_list

PAGE_SIZE = 50
REPORTS_HOME = {"url": "", "label": _("Reports")}

MISSING_LABELS = {
    "village": _("Village Party secretaries without provincial or city-level training"),
    "township": _("Township Party secretaries without provincial or city-level training"),
    "rotation": _("Village cadres without rotation training"),
    "credit": _("People short of their credit hours"),
    "all": _("Everyone"),
}


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    """Scope, parameters and errors shared by every report screen."""

    header_icon = "table"
    url_name = ""
    # The unit chooser above the report jumps to any unit of the viewer's (not only a
    # child of the one shown); reports of one class or one person have no unit to choose.
    choose_unit = True

    def dispatch(self, request, *args, **kwargs):
        if not may_view_reports(request.user):
            raise PermissionDenied
        self.viewer = request.user
        self.top_units = scope_top_units(viewer=request.user)
        try:
            with analytic_queries():
                self.parse(request)
                response = super().dispatch(request, *args, **kwargs)
                if hasattr(response, "render") and not self.export:
                    response.render()
                return response
        except ReportParameterError as exc:
            return TemplateResponse(
                request,
                "reports/error.html",
                {
                    "page_title": gettext("Report"),
                    "header_title": gettext("Report"),
                    "header_icon": "warning",
                    "breadcrumbs_items": [],
                    "error": exc,
                    "back_url": reverse(f"reports_admin:{self.url_name or 'overview'}"),
                },
                status=exc.status,
            )

    def parse(self, request):
        get = request.GET
        self.unit = unit_parse(get.get("unit"), viewer=self.viewer)
        if self.unit is None and len(self.top_units) == 1:
            self.unit = self.top_units[0]
        self.export = export_format(get.get("export"))

    # Links that keep the current parameters, with some replaced.
    def params(self) -> dict:
        out = {}
        if self.unit is not None:
            out["unit"] = self.unit.pk
        return out

    def link(self, name: str = "", **changes) -> str:
        params = {**self.params(), **changes}
        params = {k: v for k, v in params.items() if v not in (None, "")}
        url = reverse(f"reports_admin:{name or self.url_name}")
        return f"{url}?{urlencode(params)}" if params else url

    def unit_trail(self) -> list[OrgUnit]:
        """The selected unit and its ancestors inside the viewer's units (for breadcrumbs)."""
        if self.unit is None:
            return []
        prefixes = [
            self.unit.path[:i]
            for i in range(OrgUnit.steplen, len(self.unit.path) + 1, OrgUnit.steplen)
        ]
        tops = [u.path for u in self.top_units]
        return [
            u
            for u in OrgUnit.objects.filter(path__in=prefixes).order_by("path")
            if any(u.path.startswith(t) for t in tops)
        ]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("reports_admin:overview"), "label": gettext("Reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trail"] = [{"unit": u, "url": self.link(unit=u.pk)} for u in self.unit_trail()]
        context["unit"] = self.unit
        context["many_tops"] = len(self.top_units) > 1
        context["all_url"] = self.link(unit="") if len(self.top_units) > 1 else ""
        context["export_xlsx"] = self.link(export="xlsx", **self.extra_export_params())
        context["export_csv"] = self.link(export="csv", **self.extra_export_params())
        if self.choose_unit and self.top_units:
            context["unit_chooser"] = self.unit_chooser()
        return context

    def unit_chooser(self) -> dict:
        widget = OrgUnitChooser(show_clear_link=False)
        return {
            "action": reverse(f"reports_admin:{self.url_name}"),
            "hidden": [(k, v) for k, v in self.params().items() if k not in ("unit", "p")],
            # Empty: the trail above already names the unit shown.
            "widget": widget.render("unit", None, attrs={"id": "report-unit"}),
            "media": widget.media,
        }

    def extra_export_params(self) -> dict:
        return {}

    def render_to_response(self, context, **kwargs):
        if self.export:
            return self.export_response(context)
        return super().render_to_response(context, **kwargs)


class PeriodMixin:
    def parse(self, request):
        super().parse(request)
        self.period = period_parse(start=request.GET.get("start"), end=request.GET.get("end"))
        self.year = year_parse(request.GET.get("year"), default=timezone.localdate().year)

    def params(self):
        return {**super().params(), **self.period.as_query(), "year": self.year}


class OverviewView(ReportView):
    template_name = "reports/overview.html"
    page_title = _("Training overview")
    url_name = "overview"

    def parse(self, request):
        super().parse(request)
        self.year = year_parse(request.GET.get("year"), default=timezone.localdate().year)
        self.sessions_page = page_parse(request.GET.get("sessions"))

    def params(self):
        return {**super().params(), "year": self.year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = overview_cached(
            viewer=self.viewer,
            unit=self.unit,
            top_units=self.top_units,
            year=self.year,
            sessions_page=self.sessions_page,
        )
        context["o"] = data
        context["year"] = self.year
        context["years"] = range(timezone.localdate().year, 2019, -1)
        sessions = data.attendance_by_session
        if sessions.pages > 1:
            n = sessions.number
            # Page 1 holds the newest sessions: "newer" goes back towards it.
            context["sessions_newer"] = self.link(sessions=n - 1 if n > 2 else "") if n > 1 else ""
            context["sessions_older"] = self.link(sessions=n + 1) if n < sessions.pages else ""
        S = tables.ATTENDANCE_SERIES
        context["chart_attendance"] = charts.stacked_hbar_chart(
            sessions.rows,
            series=[(k, str(v)) for k, v in S],
            title=gettext("Attendance by session"),
            empty=gettext("No attendance recorded yet."),
        )
        context["chart_scores"] = charts.column_chart(
            data.score_distribution,
            title=gettext("Quiz score distribution"),
            empty=gettext("No submitted quizzes this year."),
        )
        context["chart_completion"] = charts.hbar_chart(
            [(r["label"], r["rate"]) for r in data.completion_by_unit],
            title=gettext("Completion rate by unit"),
            maximum=100,
            suffix="%",
            empty=gettext("No units to show."),
        )
        context["completion_rows"] = [
            {**r, "url": self.link(unit=r.get("pk"))} for r in data.completion_by_unit
        ]
        return context

    def export_response(self, context):
        o = context["o"]
        columns, rows = tables.overview_table(o)
        return export_response(
            self.export,
            filename="overview",
            title=gettext("Training overview"),
            columns=columns,
            rows=rows,
        )


class CoverageView(PeriodMixin, ReportView):
    template_name = "reports/coverage.html"
    page_title = _("Training coverage")
    url_name = "coverage"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = coverage_report(
            viewer=self.viewer,
            unit=self.unit,
            top_units=self.top_units,
            period=self.period,
            year=self.year,
        )
        rows = []
        for row in report.rows:
            target = row.unit or self.unit
            rows.append(
                {
                    "row": row,
                    "label": row.unit.name if row.unit else gettext("Attached to this unit"),
                    "drill": self.link(unit=row.unit.pk) if row.unit else "",
                    "lists": {
                        kind: self.link("missing", unit=target.pk if target else "", list=kind)
                        for kind in MISSING_LISTS
                    },
                }
            )
        context.update(
            report=report,
            rows=rows,
            period=self.period,
            year=self.year,
            lists={
                kind: {"label": MISSING_LABELS[kind], "url": self.link("missing", list=kind)}
                for kind in MISSING_LISTS
            },
            chart_village=charts.hbar_chart(
                [(r["label"], r["row"].village_rate) for r in rows],
                title=gettext("Village Party secretaries trained at provincial or city level"),
                maximum=100,
                suffix="%",
                empty=gettext("No units to show."),
            ),
            chart_rotation=charts.hbar_chart(
                [(r["label"], r["row"].rotation_rate) for r in rows],
                title=gettext("Village cadres with rotation training"),
                maximum=100,
                suffix="%",
                empty=gettext("No units to show."),
            ),
        )
        return context

    def export_response(self, context):
        columns, rows = tables.coverage_table(context["report"], context["rows"])
        return export_response(
            self.export,
            filename="coverage",
            title=gettext("Training coverage"),
            columns=columns,
            rows=rows,
        )


class MissingListView(PeriodMixin, ReportView):
    template_name = "reports/missing.html"
    page_title = _("Who is missing")
    url_name = "missing"

    def parse(self, request):
        super().parse(request)
        self.kind = request.GET.get("list") or "village"
        if self.kind not in MISSING_LISTS:
            raise BadListKind(self.kind)
        self.page = page_parse(request.GET.get("page"))

    def params(self):
        return {**super().params(), "list": self.kind}

    def get_page_title(self):
        return str(MISSING_LABELS[self.kind])

    def queryset(self):
        return missing_list(
            viewer=self.viewer, unit=self.unit, period=self.period, year=self.year, kind=self.kind
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.queryset().select_related("org_unit"), PAGE_SIZE)
        try:
            page = paginator.page(self.page)
        except EmptyPage as exc:
            raise BadPage(str(self.page)) from exc
        context.update(
            kind=self.kind,
            page_obj=page,
            people=page.object_list,
            period=self.period,
            year=self.year,
            tabs=[
                {"kind": k, "label": MISSING_LABELS[k], "url": self.link(list=k, page="")}
                for k in MISSING_LISTS
            ],
            prev_url=self.link(page=page.previous_page_number()) if page.has_previous() else "",
            next_url=self.link(page=page.next_page_number()) if page.has_next() else "",
            coverage_url=self.link("coverage"),
        )
        return context

    def export_response(self, context):
        columns, rows = tables.people_table(self.queryset(), self.kind)
        return export_response(
            self.export,
            filename=f"missing-{self.kind}",
            title=str(MISSING_LABELS[self.kind]),
            columns=columns,
            rows=rows,
        )

    def get_context_for_export(self):
        return {}


class ClassListView(ReportView):
    template_name = "reports/class_list.html"
    page_title = _("Class reports")
    url_name = "classes"

    def parse(self, request):
        super().parse(request)
        self.page = page_parse(request.GET.get("page"))
        self.status = request.GET.get("status") or ""
        if self.status and self.status not in TrainingClass.Status.values:
            raise ReportParameterError(self.status)
        self.year = (
            year_parse(request.GET.get("year"), default=0) if request.GET.get("year") else None
        )

    def params(self):
        return {**super().params(), "status": self.status, "year": self.year or ""}

    def queryset(self):
        classes = report_class_list(viewer=self.viewer, unit=self.unit)
        if self.status:
            classes = classes.filter(status=self.status)
        if self.year:
            classes = classes.filter(start_date__year=self.year)
        return (
            classes.select_related("organising_unit")
            .annotate(
                visible=Count(
                    "enrolments", filter=person_q(self.viewer, None, field="enrolments__trainee")
                ),
                completed=Count(
                    "enrolments",
                    filter=person_q(self.viewer, None, field="enrolments__trainee")
                    & Q(enrolments__status=Enrolment.Status.COMPLETED),
                ),
            )
            .order_by("-start_date", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.queryset(), PAGE_SIZE)
        try:
            page = paginator.page(self.page)
        except EmptyPage as exc:
            raise BadPage(str(self.page)) from exc
        context.update(
            page_obj=page,
            classes=page.object_list,
            statuses=TrainingClass.Status.choices,
            status=self.status,
            year=self.year,
            years=range(timezone.localdate().year + 1, 2019, -1),
            prev_url=self.link(page=page.previous_page_number()) if page.has_previous() else "",
            next_url=self.link(page=page.next_page_number()) if page.has_next() else "",
        )
        return context

    def export_response(self, context):
        columns, rows = tables.class_list_table(self.queryset())
        return export_response(
            self.export,
            filename="classes",
            title=gettext("Class reports"),
            columns=columns,
            rows=rows,
        )


class ClassReportView(ReportView):
    template_name = "reports/class_report.html"
    page_title = _("Class report")
    url_name = "classes"
    choose_unit = False

    def parse(self, request):
        super().parse(request)
        self.klass = class_get_for_report(viewer=self.viewer, pk_raw=self.kwargs["pk"])

    def get_page_title(self):
        return str(self.klass)

    def link(self, name: str = "", **changes):
        if name:
            return super().link(name, **changes)
        params = {k: v for k, v in changes.items() if v not in (None, "")}
        url = reverse("reports_admin:class", args=[self.klass.pk])
        return f"{url}?{urlencode(params)}" if params else url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = class_report(viewer=self.viewer, klass=self.klass)
        # The trainee × session grid is built here in one pass: a template loop per cell
        # (90 trainees × 14 sessions, each looking up its label) took most of the page.
        short = {k: str(v) for k, v in tables.STATUS_SHORT.items()}
        for line in report.lines:
            line.cells_html = format_html_join(
                "",
                '<td class="report-cell report-cell--{}">{}</td>',
                ((cell or "none", short.get(cell, "")) for cell in line.cells),
            )
        S = tables.ATTENDANCE_SERIES
        context.update(
            report=report,
            klass=self.klass,
            series=S,
            chart_attendance=charts.stacked_hbar_chart(
                [
                    {
                        "label": f"{s['session'].date:%m-%d} {s['session'].get_half_day_display()}",
                        **s,
                    }
                    for s in report.sessions
                ],
                series=[(k, str(v)) for k, v in S],
                title=gettext("Attendance by session"),
                empty=gettext("No attendance recorded yet."),
            ),
            reason_labels=tables.REASON_LABELS,
            status_short=tables.STATUS_SHORT,
            export_xlsx=self.link(export="xlsx"),
            export_csv=self.link(export="csv"),
        )
        return context

    def export_response(self, context):
        columns, rows = tables.class_table(context["report"])
        return export_response(
            self.export,
            filename=f"class-{self.klass.pk}",
            title=self.klass.name,
            columns=columns,
            rows=rows,
        )


class PersonView(ReportView):
    template_name = "reports/person.html"
    page_title = _("Person")
    url_name = "coverage"
    choose_unit = False

    def parse(self, request):
        super().parse(request)
        self.year = year_parse(request.GET.get("year"), default=timezone.localdate().year)
        person = (
            User.objects.filter(person_q(self.viewer, None))
            .filter(pk=self.kwargs["pk"])
            .select_related("org_unit")
            .first()
        )
        if person is None:
            raise UnitNotInScope(
                str(self.kwargs["pk"]),
                message=_("This person does not exist or is outside the units you manage."),
            )
        self.person = person
        self.unit = person.org_unit

    def get_page_title(self):
        return str(self.person)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.person
        enrolments = list(
            Enrolment.objects.filter(trainee=person)
            .select_related("training_class", "training_class__organising_unit")
            .order_by("-training_class__start_date")
        )
        hours = list(
            CreditEntry.objects.filter(person=person)
            .values("earned_on__year")
            .annotate(
                in_person=Sum("hours", filter=Q(channel=CreditEntry.Channel.IN_PERSON)),
                online=Sum("hours", filter=Q(channel=CreditEntry.Channel.ONLINE)),
                self_selected=Sum("hours", filter=Q(channel=CreditEntry.Channel.SELF_SELECTED)),
                total=Sum("hours"),
            )
            .order_by("-earned_on__year")
        )

        status = (
            annotate_status(
                User.objects.filter(pk=person.pk),
                period=current_cycle(),
                year=self.year,
                reqs=requirements_get(),
                select=True,
            )
            .values("hours_in_person", "hours_online", "hours_five_years", "meets")
            .first()
        )
        context.update(
            person=person,
            enrolments=enrolments,
            hours=hours,
            status=status,
            year=self.year,
            requirements=requirements_get(),
            class_url=lambda pk: reverse("reports_admin:class", args=[pk]),
        )
        return context

    def export_response(self, context):
        columns, rows = tables.person_table(context)
        return export_response(
            self.export,
            filename=f"person-{self.person.pk}",
            title=str(self.person),
            columns=columns,
            rows=rows,
        )
