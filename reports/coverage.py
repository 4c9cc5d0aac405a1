"""The coverage report: who has been trained, who has not, and where.

Everything is counted in the database in one grouped query per table: people are grouped
by the path prefix of the child unit they sit under (`Substr(path, 1, child_len)`), so the
number of queries stays the same whether a county has 300 people or a province 50,000.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.db.models.lookups import GreaterThanOrEqual

from people.models import OrgUnit, User
from training.models import Enrolment, TrainingClass

from .errors import BadListKind
from .params import Period
from .requirements import ALL_CHANNELS, FIVE_YEARS, YEAR, Requirement, requirements_get
from .scope import person_q

STEPLEN = OrgUnit.steplen
COUNTED_LEVELS = (TrainingClass.Level.PROVINCIAL, TrainingClass.Level.CITY)
VILLAGE_CADRES = (User.Position.VILLAGE_SECRETARY, User.Position.VILLAGE_CADRE)
HOURS_FIELD = DecimalField(max_digits=10, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=HOURS_FIELD)
CHANNELS = ("in_person", "online", "self_selected")

MISSING_LISTS = ("village", "township", "rotation", "credit", "all")


@dataclass
class CoverageRow:
    key: str
    unit: OrgUnit | None
    village_total: int = 0
    village_trained: int = 0
    village_enrolled: int = 0
    township_total: int = 0
    township_trained: int = 0
    township_enrolled: int = 0
    cadre_total: int = 0
    cadre_rotated: int = 0
    ranked_total: int = 0
    compliant: int = 0

    @property
    def village_missing(self) -> int:
        return self.village_total - self.village_trained

    @property
    def township_missing(self) -> int:
        return self.township_total - self.township_trained

    @property
    def cadre_missing(self) -> int:
        return self.cadre_total - self.cadre_rotated

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def village_rate(self):
        return self._rate(self.village_trained, self.village_total)

    @property
    def township_rate(self):
        return self._rate(self.township_trained, self.township_total)

    @property
    def rotation_rate(self):
        return self._rate(self.cadre_rotated, self.cadre_total)

    @property
    def compliance_rate(self):
        return self._rate(self.compliant, self.ranked_total)


@dataclass
class CoverageReport:
    unit: OrgUnit | None
    period: Period
    year: int
    requirements: list[Requirement]
    rows: list[CoverageRow]
    total: CoverageRow
    by_rank: list[dict] = field(default_factory=list)


def _enrolment_exists(period: Period, statuses, **class_filter) -> Exists:
    return Exists(
        Enrolment.objects.filter(
            trainee=OuterRef("pk"),
            status__in=statuses,
            training_class__start_date__gte=period.start,
            training_class__end_date__lte=period.end,
            **{f"training_class__{k}": v for k, v in class_filter.items()},
        )
    )


def people_in_scope(*, viewer, unit: OrgUnit | None) -> QuerySet[User]:
    """Active cadres (people with a position) inside `unit` and the viewer's units."""
    return User.objects.filter(is_active=True).exclude(position="").filter(person_q(viewer, unit))


# The totals every list shows; other (channel, period) pairs a requirement needs get their own.
SHOWN_TOTALS = {
    ("in_person", YEAR): "hours_in_person",
    ("online", YEAR): "hours_online",
    (ALL_CHANNELS, FIVE_YEARS): "hours_five_years",
}


def _trainee_ids(period: Period, statuses, **class_filter):
    """An uncorrelated set of trainee ids: PostgreSQL hashes it once (a hashed SubPlan)
    instead of probing the enrolments once per person."""
    return Enrolment.objects.filter(
        status__in=statuses,
        training_class__start_date__gte=period.start,
        training_class__end_date__lte=period.end,
        **{f"training_class__{k}": v for k, v in class_filter.items()},
    ).values("trainee_id")


def _flag(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def _summary_hours(channel: str, period: str):
    """A person's hours from their `CreditYear` row of the report year (joined as `cy`)."""
    prefix = "five_" if period == FIVE_YEARS else ""
    channels = CHANNELS if channel == ALL_CHANNELS else (channel,)
    parts = [Coalesce(F(f"cy__{prefix}{c}"), ZERO) for c in channels]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return ExpressionWrapper(total, output_field=HOURS_FIELD)


def annotate_status(
    people: QuerySet[User],
    *,
    period: Period,
    year: int,
    reqs: list[Requirement],
    select: bool = False,
) -> QuerySet[User]:
    """Per person: trained at provincial/city level, enrolled in such a class, rotation
    training done, and whether every credit-hour requirement for their rank is met.

    The class flags are membership in uncorrelated sets (people who completed such a
    class), which the database builds once, whatever the number of people. The hours come
    from the person's `CreditYear` row for `year` (one LEFT JOIN on its unique index): the
    ledger summed per person, kept in step with it by `ledger.summary`. With `select`,
    the person's own totals are added for display; without, everything is an alias."""
    C = Enrolment.Status.COMPLETED
    E = Enrolment.Status.ENROLLED
    people = people.alias(cy=FilteredRelation("credit_years", condition=Q(credit_years__year=year)))
    met = Q()
    for req in reqs:
        enough = GreaterThanOrEqual(
            _summary_hours(req.channel, req.period), Value(req.hours, output_field=HOURS_FIELD)
        )
        met &= Q(enough) if not req.rank else (~req.applies_q() | Q(enough))
    people = people.alias(
        level_trained=_flag(Q(pk__in=_trainee_ids(period, [C], level__in=COUNTED_LEVELS))),
        level_enrolled=_flag(Q(pk__in=_trainee_ids(period, [E], level__in=COUNTED_LEVELS))),
        rotated=_flag(Q(pk__in=_trainee_ids(period, [C], is_rotation=True))),
    )
    meets = _flag(met) if reqs else Value(True, output_field=BooleanField())
    if not select:
        return people.alias(meets=meets)
    sums = {
        name: _summary_hours(channel, period_) for (channel, period_), name in SHOWN_TOTALS.items()
    }
    return people.annotate(**sums, meets=meets)


# Each count: (name, SQL condition over the per-person flags, its parameters).
_COUNTS = [
    ("village_total", "position = %s", [User.Position.VILLAGE_SECRETARY]),
    ("village_trained", "position = %s AND trained", [User.Position.VILLAGE_SECRETARY]),
    (
        "village_enrolled",
        "position = %s AND NOT trained AND enrolled",
        [User.Position.VILLAGE_SECRETARY],
    ),
    ("township_total", "position = %s", [User.Position.TOWNSHIP_SECRETARY]),
    ("township_trained", "position = %s AND trained", [User.Position.TOWNSHIP_SECRETARY]),
    (
        "township_enrolled",
        "position = %s AND NOT trained AND enrolled",
        [User.Position.TOWNSHIP_SECRETARY],
    ),
    ("cadre_total", "position IN (%s, %s)", list(VILLAGE_CADRES)),
    ("cadre_rotated", "position IN (%s, %s) AND rotated", list(VILLAGE_CADRES)),
    ("ranked_total", "1 = 1", []),
    ("compliant", "meets", []),
]
COUNT_NAMES = [name for name, _, _ in _COUNTS]


def status_counts(people: QuerySet[User], group) -> tuple[dict[str, dict], dict[str, dict]]:
    """Counts per child unit (`group`) and per rank, in one statement.

    The flags are computed once per person in an inner query and counted by the outer one:
    written as conditional aggregates straight over the flags, PostgreSQL would rebuild
    each hashed set once per count that mentions it (and the cost estimate then switches
    JIT compilation on, which costs seconds). The inner query is the ORM's own SQL.
    """
    inner = (
        people.annotate(
            key=group,
            trained=F("level_trained"),
            enrolled=F("level_enrolled"),
            did_rotate=F("rotated"),
            ok=F("meets"),
        )
        .order_by()
        .values("key", "rank", "position", "trained", "enrolled", "did_rotate", "ok")
    )
    sql, params = inner.query.sql_with_params()
    columns = ", ".join(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)" for _, cond, _ in _COUNTS)
    count_params = [p for _, _, ps in _COUNTS for p in ps]
    statement = (
        f"WITH p (key, rank, position, trained, enrolled, rotated, meets) AS ({sql}) "
        f"SELECT 'k', key, {columns} FROM p GROUP BY key "
        f"UNION ALL SELECT 'r', rank, {columns} FROM p GROUP BY rank"
    )
    by_key, by_rank = {}, {}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Compiling this one statement with JIT takes longer than running it.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(statement, [*params, *count_params, *count_params])
        for kind, key, *values in cursor.fetchall():
            row = dict(zip(COUNT_NAMES, (int(v or 0) for v in values), strict=True))
            (by_key if kind == "k" else by_rank)[key or ""] = row
    return by_key, by_rank


def child_units(*, unit: OrgUnit | None, top_units: list[OrgUnit]) -> list[OrgUnit]:
    if unit is None:
        return top_units
    return list(unit.get_children().order_by("path"))


def coverage_report(
    *,
    viewer,
    unit: OrgUnit | None,
    top_units: list[OrgUnit],
    period: Period,
    year: int,
) -> CoverageReport:
    """One row per child unit of `unit` (or per top unit of the viewer when unit is None),
    plus a row for people attached to `unit` itself, a total and a table by rank."""
    req = requirements_get()
    children = child_units(unit=unit, top_units=top_units)
    people = annotate_status(
        people_in_scope(viewer=viewer, unit=unit), period=period, year=year, reqs=req
    )
    if unit is not None:
        group = Substr("org_unit__path", 1, len(unit.path) + STEPLEN)
    else:
        group = Case(
            *[When(org_unit__path__startswith=u.path, then=Value(u.path)) for u in top_units],
            default=Value(""),
            output_field=CharField(),
        )
    grouped, ranks = status_counts(people, group)
    rows = [CoverageRow(key=u.path, unit=u, **grouped.pop(u.path, {})) for u in children]
    if unit is not None and unit.path in grouped:
        # People attached to the unit itself (a township secretary sits on the township).
        rows.insert(0, CoverageRow(key=unit.path, unit=None, **grouped.pop(unit.path)))
    total = CoverageRow(key="total", unit=unit)
    for row in rows:
        for name in COUNT_NAMES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    by_rank = [
        {"rank": rank, "total": row["ranked_total"], "compliant": row["compliant"]}
        for rank, row in sorted(ranks.items())
    ]
    labels = dict(User.Rank.choices)
    for item in by_rank:
        item["label"] = labels.get(item["rank"], "—")
        item["requirements"] = [r for r in req if r.applies_to(item["rank"])]
        item["rate"] = CoverageRow._rate(item["compliant"], item["total"])
    return CoverageReport(
        unit=unit,
        period=period,
        year=year,
        requirements=req,
        rows=rows,
        total=total,
        by_rank=by_rank,
    )


def _unit_name_at(depth: int):
    """The name of the person's ancestor unit at `depth` (2 = city … 5 = village), looked up
    by its exact path on the unique index: flat memory, however many rows are exported."""
    return Case(
        When(
            org_unit__depth__gte=depth,
            then=Subquery(
                OrgUnit.objects.filter(
                    path=Substr(OuterRef("org_unit__path"), 1, depth * STEPLEN)
                ).values("name")[:1]
            ),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def missing_list(
    *, viewer, unit: OrgUnit | None, period: Period, year: int, kind: str
) -> QuerySet[User]:
    """Those missing from the coverage: untrained village or township secretaries, village
    cadres without rotation training, people short of their credit hours."""
    if kind not in MISSING_LISTS:
        raise BadListKind(kind)
    req = requirements_get()
    people = annotate_status(
        people_in_scope(viewer=viewer, unit=unit), period=period, year=year, reqs=req, select=True
    )
    P = User.Position
    if kind == "village":
        people = people.filter(position=P.VILLAGE_SECRETARY, level_trained=False).annotate(
            enrolled=ExpressionWrapper(Q(level_enrolled=True), output_field=BooleanField())
        )
    elif kind == "township":
        people = people.filter(position=P.TOWNSHIP_SECRETARY, level_trained=False).annotate(
            enrolled=ExpressionWrapper(Q(level_enrolled=True), output_field=BooleanField())
        )
    elif kind == "rotation":
        people = people.filter(position__in=VILLAGE_CADRES, rotated=False)
    elif kind == "credit":
        people = people.filter(meets=False)
    return people.annotate(
        city_name=_unit_name_at(2),
        county_name=_unit_name_at(3),
        township_name=_unit_name_at(4),
        village_name=_unit_name_at(5),
    ).order_by("org_unit__path", "full_name", "pk")


@dataclass
class CoverageGaps:
    period: Period
    rows: list[CoverageRow]  # units with someone missing, the most missing first
    total: int  # how many units have gaps


def coverage_gaps(*, viewer, period: Period, top_units: list[OrgUnit]) -> CoverageGaps:
    """The units one level below the viewer's top units that still have village or
    township Party secretaries without provincial or city-level training, or village
    cadres without rotation training, in `period` (the admin home's panel; the coverage
    report has the whole table). People attached to a top unit itself count on it.

    Two queries whatever the number of units or people: the counts (one statement, see
    `status_counts`) and the names of the units found."""
    if not top_units:
        return CoverageGaps(period=period, rows=[], total=0)
    people = annotate_status(
        people_in_scope(viewer=viewer, unit=None),
        period=period,
        year=period.start.year,
        reqs=[],
    )
    group = Case(
        *[
            When(
                org_unit__path__startswith=u.path,
                then=Substr("org_unit__path", 1, len(u.path) + STEPLEN),
            )
            for u in top_units
        ],
        default=Value(""),
        output_field=CharField(),
    )
    grouped, _ranks = status_counts(people, group)
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=[k for k in grouped if k])}
    rows = [
        CoverageRow(key=key, unit=units[key], **counts)
        for key, counts in grouped.items()
        if key in units
    ]
    rows = [r for r in rows if r.village_missing or r.township_missing or r.cadre_missing]
    rows.sort(key=lambda r: (-(r.village_missing + r.township_missing + r.cadre_missing), r.key))
    return CoverageGaps(period=period, rows=rows, total=len(rows))
