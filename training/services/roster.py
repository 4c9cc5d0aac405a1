"""The roster (花名册): enrolment by hand and by XLSX import with preview and confirm.

An import is two steps. `roster_import_preview` parses the upload, keeps the raw rows
server-side in an ImportBatch and reports every problem with its row number; nothing else
is written. `roster_import_confirm` validates the same rows again against the database of
that moment and, only if every row is still good, creates the missing accounts and
enrolments in one transaction. Rows of people already on the roster are skipped, so
importing the same file twice enrols nobody twice.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.audit import log
from lms.errors import DomainError, PermissionDenied
from lms.spreadsheets import Book
from people.models import User
from people.phones import InvalidPhone, normalize_phone
from people.roles import Role, has_role
from people.selectors import unit_is_managed_by
from people.services import person_create

from ..models import Enrolment, ImportBatch, StudyGroup, TrainingClass
from ..selectors import can_manage_class
from ..spreadsheets import Column, read_rows, write_book
from ..units import UnitIndex


class ClassNotManaged(PermissionDenied):
    code = "class_not_managed"
    message = _("Only organisers of the organising unit may change this roster.")


class ClassClosed(DomainError):
    code = "class_closed"
    message = _("This class is closed; its roster can no longer change.")


class CapacityReached(DomainError):
    code = "capacity_reached"
    message = _("The class is full.")


class AlreadyEnrolled(DomainError):
    code = "already_enrolled"
    message = _("This person is already on the roster.")


class NotATrainee(DomainError):
    code = "not_a_trainee"
    message = _("Only trainees can be enrolled.")


class ImportInvalid(DomainError):
    code = "import_invalid"
    message = _("The file has problems; nothing was imported. Fix them and upload it again.")


class ImportBatchUsed(DomainError):
    code = "import_batch_used"
    message = _("This upload has already been imported.")


NAME, GENDER, PHONE, UNIT, TITLE, RANK, GROUP = (
    "姓名",
    "性别",
    "手机号",
    "单位",
    "职务",
    "职级",
    "组别",
)
ROSTER_COLUMNS = [
    Column(NAME, 12, required=True),
    Column(GENDER, 6),
    Column(PHONE, 15, required=True, aliases=("手机号码", "手机", "联系电话")),
    Column(UNIT, 30, required=True, aliases=("工作单位", "所在单位")),
    Column(TITLE, 28, aliases=("职务（岗位）", "现任职务")),
    Column(RANK, 10),
    Column(GROUP, 8, aliases=("小组", "分组")),
]
# The export's 状态 column, read back: a row marked 退学 (in either language the export
# may have been made in) is skipped, so an old roster does not re-enrol the withdrawn.
STATUS = "状态"
IMPORT_COLUMNS = [*ROSTER_COLUMNS, Column(STATUS, 8, aliases=("学籍状态",))]
WITHDRAWN_LABELS = {"退学", "已退学", "Withdrawn", "withdrawn"}
GENDERS = {"男": User.Gender.MALE, "女": User.Gender.FEMALE, "": ""}
RANKS = {
    "厅局级": User.Rank.BUREAU,
    "厅级": User.Rank.BUREAU,
    "县处级": User.Rank.COUNTY,
    "处级": User.Rank.COUNTY,
    "乡科级": User.Rank.TOWNSHIP,
    "科级": User.Rank.TOWNSHIP,
    "科级以下": User.Rank.STAFF,
    "科员": User.Rank.STAFF,
    "无": User.Rank.NONE,
    "": "",
}
RANK_LABELS = {
    User.Rank.BUREAU: "厅局级",
    User.Rank.COUNTY: "县处级",
    User.Rank.TOWNSHIP: "乡科级",
    User.Rank.STAFF: "科级以下",
    User.Rank.NONE: "无",
}
GENDER_LABELS = {User.Gender.MALE: "男", User.Gender.FEMALE: "女"}

# What a row's problem codes mean, for the preview. Errors block the import.
PROBLEMS = {
    "missing_name": _("Name is missing."),
    "missing_phone": _("Mobile number is missing."),
    "bad_phone": _("Not an 11-digit mainland mobile number."),
    "missing_unit": _("Unit is missing."),
    "unknown_unit": _("No unit of this name in the units you manage."),
    "ambiguous_unit": _("Several units have this name; write it in full, e.g. 罗山县周党镇东湾村."),
    "bad_gender": _("Gender must be 男 or 女."),
    "bad_rank": _("Unknown rank; use 县处级, 乡科级, 科级以下 or 无."),
    "duplicate_row": _("The same mobile number appears in an earlier row."),
    "name_mismatch": _("This mobile number belongs to an account with another name."),
    "person_out_of_scope": _("This mobile number belongs to a person outside your units."),
    "not_a_trainee": _("This mobile number belongs to a staff account, not a trainee."),
    "over_capacity": _("The class would exceed its capacity."),
    "already_enrolled": _("Already on the roster; the row will be skipped."),
    "withdrawn": _("Withdrew from this class earlier; re-enrol by hand if meant."),
    "withdrawn_in_file": _("Marked 退学 in the file's 状态 column; the row will be skipped."),
}
WARNINGS = {"already_enrolled", "withdrawn", "withdrawn_in_file"}


def _position_from_title(title: str) -> str:
    P = User.Position
    if "第一书记" in title:
        return P.FIRST_SECRETARY
    if ("镇" in title or "乡" in title or "街道" in title) and (
        "党委书记" in title or "党工委书记" in title
    ):
        return P.TOWNSHIP_SECRETARY
    if ("村" in title or "社区" in title) and "书记" in title:
        return P.VILLAGE_SECRETARY
    if "村" in title or "社区" in title:
        return P.VILLAGE_CADRE
    if "镇" in title or "乡" in title or "街道" in title:
        return P.TOWNSHIP_CADRE
    return P.OTHER if title else ""


@dataclass
class RosterRow:
    row: int
    raw: dict
    problems: list[str] = field(default_factory=list)
    phone: str = ""
    unit_id: int | None = None
    unit_label: str = ""
    person: User | None = None
    action: str = ""  # "create", "enrol" or "skip"

    @property
    def errors(self) -> list[str]:
        return [p for p in self.problems if p not in WARNINGS]

    @property
    def messages(self) -> list[tuple[str, str]]:
        return [(p, PROBLEMS[p]) for p in self.problems]


@dataclass
class RosterCheck:
    rows: list[RosterRow]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(len(r.errors) for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    @property
    def n_create(self) -> int:
        return self.count("create")

    @property
    def n_enrol(self) -> int:
        return self.count("enrol")

    @property
    def n_skip(self) -> int:
        return self.count("skip")


def _check_manager(actor, klass: TrainingClass) -> None:
    if not can_manage_class(actor, klass):
        raise ClassNotManaged(str(klass.pk))
    if klass.status == TrainingClass.Status.CLOSED:
        raise ClassClosed(str(klass.pk))


def roster_check(*, actor, training_class: TrainingClass, raw_rows: list) -> RosterCheck:
    """Every problem of every row, judged against the database now. Writes nothing."""
    units = UnitIndex(viewer=actor)
    rows = [RosterRow(row=number, raw=raw) for number, raw in raw_rows]
    phones: dict[str, int] = {}
    for r in rows:
        raw = r.raw
        if raw.get(STATUS, "") in WITHDRAWN_LABELS:
            # Nothing of it is written, so nothing of it can be wrong.
            r.problems.append("withdrawn_in_file")
            r.action = "skip"
            continue
        if not raw.get(NAME):
            r.problems.append("missing_name")
        if not raw.get(PHONE):
            r.problems.append("missing_phone")
        else:
            try:
                r.phone = normalize_phone(raw[PHONE])
            except InvalidPhone:
                r.problems.append("bad_phone")
        if not raw.get(UNIT):
            r.problems.append("missing_unit")
        else:
            found = units.find(raw[UNIT])
            if len(found) == 1:
                r.unit_id, r.unit_label = found[0].pk, found[0].full_name
            else:
                r.problems.append("ambiguous_unit" if found else "unknown_unit")
        if raw.get(GENDER, "") not in GENDERS:
            r.problems.append("bad_gender")
        if raw.get(RANK, "") not in RANKS:
            r.problems.append("bad_rank")
        if r.phone:
            if r.phone in phones:
                r.problems.append("duplicate_row")
            else:
                phones[r.phone] = r.row

    people = {
        p.phone: p for p in User.objects.filter(phone__in=list(phones)).select_related("org_unit")
    }
    enrolments = {
        e.trainee_id: e
        for e in Enrolment.objects.filter(
            training_class=training_class, trainee__in=list(people.values())
        )
    }
    seats_left = None
    if training_class.capacity is not None:
        taken = training_class.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
        seats_left = training_class.capacity - taken
    for r in rows:
        if "withdrawn_in_file" in r.problems:
            continue
        person = people.get(r.phone) if "duplicate_row" not in r.problems else None
        if person is not None:
            r.person = person
            if person.full_name and raw_name(r) and person.full_name != raw_name(r):
                r.problems.append("name_mismatch")
            if not has_role(person, Role.TRAINEE):
                r.problems.append("not_a_trainee")
            if person.org_unit is None or not unit_is_managed_by(person.org_unit, actor):
                r.problems.append("person_out_of_scope")
            enrolment = enrolments.get(person.pk)
            if enrolment is not None:
                r.problems.append(
                    "withdrawn"
                    if enrolment.status == Enrolment.Status.WITHDRAWN
                    else "already_enrolled"
                )
                r.action = "skip"
            else:
                r.action = "enrol"
        elif r.phone:
            r.action = "create"
        if r.action in ("create", "enrol") and seats_left is not None:
            if seats_left <= 0:
                r.problems.append("over_capacity")
            seats_left -= 1
    return RosterCheck(rows=rows)


def raw_name(r: RosterRow) -> str:
    return r.raw.get(NAME, "")


def roster_import_preview(*, actor, training_class: TrainingClass, upload, filename: str = ""):
    """Parse and keep the upload; returns (batch, check). Only the batch is written."""
    _check_manager(actor, training_class)
    raw_rows = read_rows(upload, IMPORT_COLUMNS, file_name=filename)
    import_batches_purge()
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.ROSTER,
        training_class=training_class,
        created_by=actor,
        filename=filename[:200],
        rows=raw_rows,
    )
    return batch, roster_check(actor=actor, training_class=training_class, raw_rows=raw_rows)


def import_batches_purge(*, older_than=datetime.timedelta(days=1)) -> int:
    """Uploads never confirmed hold names and phones; they do not outlive a day."""
    cutoff = timezone.now() - older_than
    deleted, _per_model = ImportBatch.objects.filter(
        confirmed_at=None, created_at__lt=cutoff
    ).delete()
    return deleted


def import_batch_get(*, actor, training_class: TrainingClass, pk, kind: str) -> ImportBatch:
    """The organiser's own pending upload for this class, or 404."""
    try:
        return ImportBatch.objects.get(
            pk=pk, training_class=training_class, created_by=actor, kind=kind
        )
    except (ImportBatch.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@dataclass
class RosterImportResult:
    created: list[tuple[User, str]]
    enrolled: int
    skipped: int


def _group(klass: TrainingClass, name: str, cache: dict) -> StudyGroup | None:
    if not name:
        return None
    if name not in cache:
        cache[name], _created = StudyGroup.objects.get_or_create(training_class=klass, name=name)
    return cache[name]


@transaction.atomic
def roster_import_confirm(*, actor, batch: ImportBatch) -> RosterImportResult:
    """Write the whole file or nothing. Initial passwords are returned, never stored."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.confirmed_at is not None:
        raise ImportBatchUsed(str(batch.pk))
    # The class row lock serialises imports and hand enrolments, so capacity holds.
    klass = TrainingClass.objects.select_for_update().get(pk=batch.training_class_id)
    _check_manager(actor, klass)
    check = roster_check(actor=actor, training_class=klass, raw_rows=batch.rows)
    if not check.is_valid:
        raise ImportInvalid(f"{check.error_count} problems")
    units = UnitIndex(viewer=actor)
    groups: dict[str, StudyGroup] = {}
    created, enrolled, skipped = [], 0, 0
    for r in check.rows:
        if r.action == "skip":
            skipped += 1
            continue
        person = r.person
        if r.action == "create":
            title = r.raw.get(TITLE, "")
            person, password = person_create(
                actor=actor,
                full_name=r.raw[NAME],
                phone=r.phone,
                org_unit=units.get(r.unit_id),
                gender=GENDERS[r.raw.get(GENDER, "")],
                position=_position_from_title(title),
                job_title=title,
                rank=RANKS[r.raw.get(RANK, "")],
            )
            created.append((person, password))
        enrolment = Enrolment(
            training_class=klass,
            trainee=person,
            group=_group(klass, r.raw.get(GROUP, ""), groups),
        )
        enrolment.full_clean()
        enrolment.save()
        enrolled += 1
    batch.confirmed_at = timezone.now()
    batch.rows = []  # the file's personal data is not kept once imported
    batch.save(update_fields=["confirmed_at", "rows"])
    log(
        klass,
        "training.roster_import",
        user=actor,
        data={
            "file": batch.filename,
            "created": len(created),
            "enrolled": enrolled,
            "skipped": skipped,
        },
    )
    return RosterImportResult(created=created, enrolled=enrolled, skipped=skipped)


@transaction.atomic
def enrolment_add(*, actor, training_class: TrainingClass, trainee: User) -> Enrolment:
    """Enrol one person by hand. Re-enrols a withdrawn trainee; refuses a second row."""
    klass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    _check_manager(actor, klass)
    if not has_role(trainee, Role.TRAINEE):
        raise NotATrainee(str(trainee.pk))
    if trainee.org_unit is None or not unit_is_managed_by(trainee.org_unit, actor):
        raise PermissionDenied(str(trainee.pk))
    enrolment = Enrolment.objects.filter(training_class=klass, trainee=trainee).first()
    if enrolment is not None and enrolment.status != Enrolment.Status.WITHDRAWN:
        raise AlreadyEnrolled(str(trainee.pk))
    if klass.capacity is not None:
        taken = klass.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
        if taken >= klass.capacity:
            raise CapacityReached(str(klass.pk))
    if enrolment is None:
        enrolment = Enrolment(training_class=klass, trainee=trainee)
    enrolment.status = Enrolment.Status.ENROLLED
    enrolment.full_clean()
    enrolment.save()
    log(enrolment, "training.enrolment_add", user=actor, data={"class": klass.pk})
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor, enrolment: Enrolment, reason: str) -> Enrolment:
    """退学: the row stays (attendance and records refer to it), its status changes."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check_manager(actor, enrolment.training_class)
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return enrolment
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.committee_role = ""
    enrolment.save(update_fields=["status", "committee_role"])
    log(enrolment, "training.enrolment_withdraw", user=actor, data={"reason": reason})
    return enrolment


def roster_template() -> Book:
    example = [
        [
            "（示例，导入前请删除本行）张三",
            "男",
            "13800000000",
            "罗山县周党镇东湾村",
            "东湾村党支部书记",
            "无",
            "第一组",
        ],
    ]
    notes = [
        ["姓名、手机号、单位为必填项。"],
        ["单位请写全称，如“罗山县周党镇东湾村”；本单位管理范围内唯一的名称也可识别。"],
        ["手机号可带空格、短横线或 +86，系统统一保存为 11 位。"],
        ["职级填写：县处级、乡科级、科级以下、无。性别填写：男、女。"],
        ["组别可空；填写后自动建立学习小组。"],
        ["已在本班名单中的学员会被跳过，同一文件重复导入不会重复报名。"],
        ["从花名册导出的文件可直接导入；“状态”为“退学”的行会被跳过。"],
    ]
    return write_book(
        [
            ("花名册", ROSTER_COLUMNS, example),
            ("填写说明", [Column("说明", 90)], notes),
        ]
    )


def roster_export(*, training_class: TrainingClass, include_withdrawn: bool = False) -> Book:
    """The roster in the import format, plus committee role and status.

    Withdrawn trainees only when asked for: the file is often the start of the next
    class's roster. If they are in it, their 状态 says 退学 and an import skips them.
    """
    columns = [
        Column("序号", 6),
        *ROSTER_COLUMNS,
        Column("班委", 10),
        Column(STATUS, 8),
    ]
    rows = []
    enrolments = training_class.enrolments.select_related("trainee__org_unit", "group").order_by(
        "group__sort_order", "group__name", "trainee__full_name"
    )
    if not include_withdrawn:
        enrolments = enrolments.exclude(status=Enrolment.Status.WITHDRAWN)
    for n, e in enumerate(enrolments, start=1):
        t = e.trainee
        rows.append(
            [
                n,
                t.full_name,
                GENDER_LABELS.get(t.gender, ""),
                t.phone or "",
                t.org_unit.full_name if t.org_unit else "",
                t.job_title,
                RANK_LABELS.get(t.rank, ""),
                e.group.name if e.group else "",
                str(e.get_committee_role_display()) if e.committee_role else "",
                str(e.get_status_display()),
            ]
        )
    return write_book([("花名册", columns, rows)])


def passwords_sheet(created: list[tuple[User, str]]) -> Book:
    """初始密码单 handed to the new trainees; built in the response, never saved."""
    columns = [
        Column("姓名", 12),
        Column("手机号（登录名）", 18),
        Column("初始密码", 16),
        Column("单位", 30),
    ]
    rows = [
        [p.full_name, p.phone, password, p.org_unit.full_name if p.org_unit else ""]
        for p, password in created
    ]
    return write_book([("初始密码", columns, rows)])
