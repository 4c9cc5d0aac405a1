"""Column layouts and row generators shared by the report pages and their exports."""

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from people.models import OrgUnit, User

from .exports import Column

ATTENDANCE_SERIES = [
    ("present", _("Present")),
    ("late", _("Late")),
    ("left_early", _("Left early")),
    ("on_leave", _("On leave")),
    ("absent", _("Absent")),
]
STATUS_SHORT = {
    "present": _("P"),
    "late": _("L"),
    "left_early": _("E"),
    "on_leave": _("V"),
    "absent": _("A"),
    "": "·",
}
REASON_LABELS = {
    "leave_over_cap": _("Leave over the cap"),
    "absence_over_limit": _("Absences over the limit"),
    "failed_quiz": _("Failed quiz"),
}


def overview_table(o):
    columns = [
        Column(gettext("Item"), 36),
        Column(gettext("Value"), 16, "number"),
        Column(gettext("Note"), 30),
    ]

    def rows():
        yield (gettext("Year"), o.year, "")
        yield (gettext("Classes running"), o.classes_running, "")
        yield (gettext("Classes upcoming"), o.classes_upcoming, "")
        yield (gettext("Trainees in training"), o.trainees_in_training, "")
        if o.attendance_today is not None:
            yield (
                gettext("Attendance today (%)"),
                o.attendance_today["rate"],
                f"{o.attendance_today['attended']}/{o.attendance_today['total']}",
            )
        yield (
            gettext("Completion rate (%)"),
            o.completion["rate"],
            f"{o.completion['completed']}/{o.completion['total']}",
        )
        if o.certificates_issued is not None:
            yield (gettext("Certificates issued"), o.certificates_issued, "")
        yield (
            gettext("Credit-hour compliance (%)"),
            o.compliance["rate"],
            f"{o.compliance['compliant']}/{o.compliance['total']}",
        )
        for r in o.completion_by_unit:
            yield (
                gettext("Completion: %(unit)s (%%)") % {"unit": r["label"]},
                r["rate"],
                f"{r['completed']}/{r['total']}",
            )

    return columns, rows()


def coverage_table(report, rows):
    columns = [
        Column(gettext("Unit"), 22),
        Column(gettext("Village Party secretaries"), 12, "number"),
        Column(gettext("Trained"), 10, "number"),
        Column(gettext("In training"), 10, "number"),
        Column(gettext("Not trained"), 10, "number"),
        Column(gettext("Coverage (%)"), 10, "percent"),
        Column(gettext("Township Party secretaries"), 12, "number"),
        Column(gettext("Trained"), 10, "number"),
        Column(gettext("In training"), 10, "number"),
        Column(gettext("Not trained"), 10, "number"),
        Column(gettext("Coverage (%)"), 10, "percent"),
        Column(gettext("Village cadres"), 10, "number"),
        Column(gettext("Rotation trained"), 12, "number"),
        Column(gettext("Rotation coverage (%)"), 14, "percent"),
        Column(gettext("Headcount"), 10, "number"),
        Column(gettext("Meet credit hours"), 12, "number"),
        Column(gettext("Compliance (%)"), 12, "percent"),
        Column(gettext("Period start"), 12, "date"),
        Column(gettext("Period end"), 12, "date"),
    ]

    def line(label, r):
        return (
            label,
            r.village_total,
            r.village_trained,
            r.village_enrolled,
            r.village_missing,
            r.village_rate,
            r.township_total,
            r.township_trained,
            r.township_enrolled,
            r.township_missing,
            r.township_rate,
            r.cadre_total,
            r.cadre_rotated,
            r.rotation_rate,
            r.ranked_total,
            r.compliant,
            r.compliance_rate,
            report.period.start,
            report.period.end,
        )

    def gen():
        for item in rows:
            yield line(item["label"], item["row"])
        yield line(gettext("Total"), report.total)

    return columns, gen()


def people_table(queryset, kind):
    # Translated once, not once per row.
    positions = {k: str(v) for k, v in User.Position.choices}
    ranks = {k: str(v) for k, v in User.Rank.choices}
    columns = [
        Column(pgettext("person", "Name"), 12),
        Column(gettext("Mobile phone"), 14),
        Column(gettext("City"), 10),
        Column(gettext("County / district"), 12),
        Column(gettext("Township / subdistrict"), 14),
        Column(gettext("Village / community"), 14),
        Column(gettext("Position"), 16),
        Column(gettext("Rank"), 14),
        Column(gettext("In-person hours this year"), 12, "number"),
        Column(gettext("Online hours this year"), 12, "number"),
        Column(gettext("Hours in five years"), 12, "number"),
        Column(gettext("Meets credit hours"), 10),
    ]
    if kind in ("village", "township"):
        columns.append(Column(gettext("Enrolled in such a class"), 14))
    fields = [
        "full_name",
        "phone",
        "org_unit__path",
        "org_unit__depth",
        "org_unit__name",
        "position",
        "rank",
        "hours_in_person",
        "hours_online",
        "hours_five_years",
        "meets",
    ]
    if kind in ("village", "township"):
        fields.append("enrolled")
    names = UnitNames()

    def gen():
        # Only the listed columns are selected: the unit-name subqueries the list page
        # annotates are left out, and the names come from `names` instead.
        for row in queryset.values_list(*fields).iterator(chunk_size=2000):
            name, phone, path, depth, own, position, rank, *rest = row
            yield [
                name,
                phone,
                *(names.at(path or "", depth or 0, own or "", d) for d in (2, 3, 4, 5)),
                positions.get(position, position),
                ranks.get(rank, rank),
                *rest,
            ]

    return columns, gen()


class UnitNames:
    """Names of a person's city, county, township and village, from their unit's path.

    The units above the villages are read a city at a time (at most a few hundred rows)
    the first time a row of that city comes by; a village is the person's own unit. So
    an export of 50,000 people costs a query per city, not four subqueries per person,
    and what is held grows with the org tree's upper levels, not with the rows.
    """

    UPPER = 4  # township: the deepest level read in bulk

    def __init__(self):
        self.cache: dict[str, str] = {}
        self.loaded: set[str] = set()

    def at(self, path: str, depth: int, own_name: str, level: int) -> str:
        if depth < level:
            return ""
        if depth == level:
            return own_name
        step = OrgUnit.steplen
        prefix = path[: level * step]
        if prefix not in self.cache:
            city = path[: 2 * step]
            if level <= self.UPPER and city not in self.loaded:
                self.loaded.add(city)
                self.cache.update(
                    OrgUnit.objects.filter(
                        path__startswith=city, depth__gte=2, depth__lte=self.UPPER
                    ).values_list("path", "name")
                )
            if prefix not in self.cache:
                self.cache[prefix] = (
                    OrgUnit.objects.filter(path=prefix).values_list("name", flat=True).first() or ""
                )
        return self.cache[prefix]


def class_list_table(queryset):
    columns = [
        Column(gettext("Class"), 40),
        Column(gettext("Class code"), 16),
        Column(gettext("Organising unit"), 14),
        Column(gettext("Level"), 10),
        Column(gettext("Rotation training"), 8),
        Column(gettext("Start date"), 12, "date"),
        Column(gettext("End date"), 12, "date"),
        Column(gettext("Status"), 10),
        Column(gettext("Trainees"), 10, "number"),
        Column(gettext("Completed"), 10, "number"),
    ]

    def gen():
        for c in queryset.iterator(chunk_size=500):
            yield (
                c.name,
                c.code,
                c.organising_unit.name,
                str(c.get_level_display()),
                c.is_rotation,
                c.start_date,
                c.end_date,
                str(c.get_status_display()),
                c.visible,
                c.completed,
            )

    return columns, gen()


def class_table(report):
    columns = [
        Column(pgettext("person", "Name"), 12),
        Column(gettext("Unit"), 16),
        Column(gettext("Position"), 16),
        Column(gettext("Enrolment"), 10),
        *[Column(str(label), 8, "number") for _, label in ATTENDANCE_SERIES],
        Column(gettext("Leave share (%)"), 10, "percent"),
        Column(gettext("Absent days"), 10, "number"),
        Column(gettext("Best quiz score (%)"), 12, "number"),
        Column(gettext("Failed quizzes"), 10, "number"),
        Column(gettext("Final exam (%)"), 10, "number"),
        Column(gettext("Certificate"), 18),
        Column(gettext("At risk"), 24),
    ]

    def gen():
        for line in report.lines:
            t = line.trainee
            a = line.attendance
            yield (
                str(t),
                t.org_unit.name if t.org_unit else "",
                str(t.get_position_display()),
                str(line.enrolment.get_status_display()),
                *([getattr(a, k) for k, _ in ATTENDANCE_SERIES] if a else [None] * 5),
                (a.leave_share * 100) if a else None,
                a.absent_days if a else None,
                line.best_percent,
                line.quizzes_failed,
                line.final_exam,
                str(getattr(line.certificate, "number", "") or (line.certificate or "")),
                "、".join(str(REASON_LABELS.get(r, r)) for r in line.reasons),
            )

    return columns, gen()


def person_table(context):
    columns = [
        Column(gettext("Class"), 40),
        Column(gettext("Level"), 10),
        Column(gettext("Start date"), 12, "date"),
        Column(gettext("End date"), 12, "date"),
        Column(gettext("Credit hours"), 10, "number"),
        Column(gettext("Enrolment"), 10),
    ]

    def gen():
        for e in context["enrolments"]:
            c = e.training_class
            yield (
                c.name,
                str(c.get_level_display()),
                c.start_date,
                c.end_date,
                c.credit_hours,
                str(e.get_status_display()),
            )

    return columns, gen()
