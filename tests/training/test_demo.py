import datetime

import pytest

from training.models import ClassSession, Enrolment, StudyGroup, TrainingClass


def _seed():
    from demo import people as people_demo
    from demo import training as training_demo

    context: dict = {}
    for module in (people_demo, training_demo):
        module.seed(context)
    return context


def _snapshot():
    return (
        list(
            TrainingClass.objects.order_by("code").values_list(
                "code", "name", "status", "start_date"
            )
        ),
        list(
            ClassSession.objects.order_by("pk").values_list(
                "pk", "title", "starts_at", "instructor_id"
            )
        ),
        list(
            Enrolment.objects.order_by("pk").values_list(
                "pk", "trainee_id", "group_id", "committee_role", "status"
            )
        ),
        list(StudyGroup.objects.order_by("pk").values_list("pk", "name", "leader_id")),
    )


@pytest.mark.django_db
def test_demo_class_is_running_this_week_with_everyone_in_a_group():
    context = _seed()
    klass = context["demo_class"]
    assert klass.name == "信阳市乡镇（街道）党（工）委书记能力提升培训班"
    assert klass.provider == "大别山干部学院" and klass.status == TrainingClass.Status.RUNNING
    assert klass.start_date <= datetime.date(2026, 11, 23) <= klass.end_date
    assert klass.enrolments.count() == 60
    assert not klass.enrolments.filter(group=None).exists()
    assert context["staff"]["adviser"] in klass.advisers.all()
    sessions = klass.sessions.all()
    assert {s.method for s in sessions} >= {"lecture", "case", "field"}
    teachers = {s.instructor for s in sessions if s.instructor}
    assert teachers == {context["staff"]["instructor"], context["staff"]["instructor2"]}
    assert sessions.filter(date=datetime.date(2026, 11, 23)).count() == 2
    assert TrainingClass.objects.filter(status="closed", start_date__year=2025).exists()
    assert TrainingClass.objects.filter(status="enrolling").exists()


@pytest.mark.django_db
def test_demo_twice_changes_nothing():
    _seed()
    first = _snapshot()
    _seed()
    assert _snapshot() == first
