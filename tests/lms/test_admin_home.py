"""The admin home shows each role its day: an adviser today's sessions and leave to
decide, an instructor what waits for grading, an organiser classes that await closing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_role_finds_its_work_on_the_admin_home(client, world):
    from attendance.services import leave_request_create
    from tests.attendance.factories import session_around
    from tests.training.factories import class_for_world

    klass = class_for_world(world, end_date=timezone.localdate() + datetime.timedelta(days=3))
    now = timezone.now()
    session_around(
        klass, start=now.replace(microsecond=0), title="今日专题课", instructor=world.instructor
    )
    later = session_around(klass, start=now + datetime.timedelta(days=1), title="明日课")
    leave_request_create(
        trainee=world.trainee_a, training_class=klass, sessions=[later], reason="参加县委全会"
    )
    html = _home(client, world.adviser)
    assert "今日专题课" in html
    assert 'data-pending-leave="1"' in html and "1 条请假申请待审批" in html
    assert "data-at-risk" not in html
    # Marked absent by staff on four dates: past the 旷课 limit, so the class shows.
    from attendance.models import AttendanceRecord
    from tests.attendance.factories import AttendanceRecordFactory

    for days in (5, 4, 3, 2):
        held = session_around(klass, start=now - datetime.timedelta(days=days))
        AttendanceRecordFactory(
            session=held,
            trainee=world.trainee_a,
            status=AttendanceRecord.Status.ABSENT,
            source=AttendanceRecord.Source.ADVISER,
        )
    html = _home(client, world.adviser)
    assert 'data-at-risk="1"' in html and f"{klass.name}：1 名学员预警" in html
    # Another county's adviser sees neither.
    html = _home(client, world.adviser_other)
    assert "今日专题课" not in html and "data-pending-leave" not in html

    html = _home(client, world.instructor)
    assert "暂无待评阅的作答" in html
    from assessments.services.written import submission_save
    from tests.assessments.factories import AssignmentFactory

    submission_save(
        assignment=AssignmentFactory(training_class=klass), trainee=world.trainee_a, text="心得"
    )
    html = _home(client, world.instructor)
    assert 'data-waiting="0 1"' in html and "书面作业 1 份" in html
    assert "暂无待评阅的作答" in _home(client, world.instructor_other)

    ended = class_for_world(
        world,
        name="已经结束的示范班",
        start_date=timezone.localdate() - datetime.timedelta(days=10),
        end_date=timezone.localdate() - datetime.timedelta(days=8),
    )
    html = _home(client, world.organiser)
    assert "已结束、待结班的培训班" in html and ended.name in html
    assert reverse("certificates_admin:class_detail", args=[ended.pk]) in html
    html = _home(client, world.organiser_other)
    assert ended.name not in html
