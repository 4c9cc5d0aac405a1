import datetime
import io
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from training.models import ClassSession, Enrolment, Notice, StudyGroup, TrainingClass

SHANGHAI = ZoneInfo("Asia/Shanghai")
_codes = itertools.count(1)

HALF_DAY_HOURS = {
    ClassSession.HalfDay.MORNING: (8, 30, 11, 30),
    ClassSession.HalfDay.AFTERNOON: (14, 30, 17, 30),
    ClassSession.HalfDay.EVENING: (19, 0, 21, 0),
}


class TrainingClassFactory(DjangoModelFactory):
    class Meta:
        model = TrainingClass
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"乡镇党委书记能力提升培训班（第{n}期）")
    code = factory.LazyFunction(lambda: f"xy-2026-{next(_codes):03d}")
    provider = "大别山干部学院"
    venue = "大别山干部学院 第一教室"
    start_date = datetime.date(2026, 7, 1)
    end_date = datetime.date(2026, 7, 7)
    credit_hours = Decimal("42.0")
    status = TrainingClass.Status.RUNNING

    @factory.post_generation
    def advisers(self, create, extracted, **kwargs):
        if extracted:
            self.advisers.add(*extracted)


# Tests put sessions hours or days before "now"; a roster enrolled long before them is
# what a class normally looks like. Pass enrolled_at to enrol someone mid-class.
LONG_AGO = datetime.datetime(2020, 1, 1, 9, 0, tzinfo=SHANGHAI)


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    training_class = factory.SubFactory(TrainingClassFactory)

    @classmethod
    def _create(cls, model_class, *args, enrolled_at=LONG_AGO, **kwargs):
        # enrolled_at is auto_now_add, which ignores a value given to create().
        enrolment = super()._create(model_class, *args, **kwargs)
        model_class.objects.filter(pk=enrolment.pk).update(enrolled_at=enrolled_at)
        enrolment.enrolled_at = enrolled_at
        return enrolment


class ClassSessionFactory(DjangoModelFactory):
    """A half-day session; give `date` and `half_day`, the times follow."""

    class Meta:
        model = ClassSession

    training_class = factory.SubFactory(TrainingClassFactory)
    date = datetime.date(2026, 7, 2)
    half_day = ClassSession.HalfDay.MORNING
    title = "宜居宜业和美乡村先导区建设"
    credit_hours = Decimal("3.0")
    starts_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            o.date, datetime.time(*HALF_DAY_HOURS[o.half_day][:2]), SHANGHAI
        )
    )
    ends_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(
            o.date, datetime.time(*HALF_DAY_HOURS[o.half_day][2:]), SHANGHAI
        )
    )


def class_for_world(world, **kwargs) -> TrainingClass:
    """A running class of 罗山县 with trainee_a enrolled and `adviser` advising it.

    trainee_b sits in a second class of 息县 advised by adviser_other.
    """
    klass = TrainingClassFactory(organising_unit=world.county_a, advisers=[world.adviser], **kwargs)
    EnrolmentFactory(training_class=klass, trainee=world.trainee_a)
    other = TrainingClassFactory(organising_unit=world.county_b, advisers=[world.adviser_other])
    EnrolmentFactory(training_class=other, trainee=world.trainee_b)
    world.extra["class_a"], world.extra["class_b"] = klass, other
    return klass


class StudyGroupFactory(DjangoModelFactory):
    class Meta:
        model = StudyGroup

    training_class = factory.SubFactory(TrainingClassFactory)
    name = factory.Sequence(lambda n: f"第{n}组")


class NoticeFactory(DjangoModelFactory):
    class Meta:
        model = Notice

    training_class = factory.SubFactory(TrainingClassFactory)
    title = "明天上午现场教学，7:30 在学院门口集合"
    body = "请穿便于步行的鞋，带好笔记本。"


def xlsx(headers: list[str], rows: list[list]) -> io.BytesIO:
    """An in-memory workbook as an organiser would upload it."""
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "upload.xlsx"
    return buffer
