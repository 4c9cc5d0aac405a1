"""重新转码: a failed conversion, or one stuck with no progress, can be started again from
the library, once however often it is clicked, by those who may change the lecture."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from lectures import errors, services
from lectures.models import Lecture
from tests.lectures.factories import ready_lecture

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The lecture ids handed to the worker (nothing is converted here)."""
    ids = []

    class Task:
        def enqueue(self, pk):
            ids.append(pk)

    monkeypatch.setattr("lectures.services.transcode_lecture", Task())
    return ids


def failed(world, **fields):
    return ready_lecture(
        uploaded_by=world.organiser,
        status=Lecture.Status.FAILED,
        progress=0,
        duration=None,
        failure_reason="无法读取视频文件",
        **fields,
    )


def stuck(world, minutes):
    return ready_lecture(
        uploaded_by=world.organiser,
        status=Lecture.Status.TRANSCODING,
        progress=40,
        duration=None,
        progress_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )


def retry_url(lecture):
    return reverse("lecture_library:retranscode", args=[lecture.pk])


def test_a_failed_lecture_is_queued_again_once_however_often_it_is_clicked(
    client, world, queued, django_capture_on_commit_callbacks
):
    lecture = failed(world)
    client.force_login(world.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(retry_url(lecture), follow=True)
        second = client.post(retry_url(lecture), follow=True)
    assert queued == [lecture.pk]
    lecture.refresh_from_db()
    assert lecture.status == Lecture.Status.QUEUED and lecture.failure_reason == ""
    assert "已重新排队" in first.content.decode()
    assert "没有再次排队" in second.content.decode()
    entries = ModelLogEntry.objects.filter(action="lectures.retranscode", object_id=lecture.pk)
    assert entries.count() == 1
    assert entries.get().user_id == world.organiser.pk
    assert entries.get().data["reason"] == "无法读取视频文件"


def test_a_conversion_that_is_moving_on_is_left_to_finish(world, queued, settings):
    settings.LECTURES_TRANSCODE_STUCK_MINUTES = 30
    lecture = stuck(world, minutes=5)
    assert services.transcode_retry(actor=world.organiser, lecture=lecture) is False
    lecture.refresh_from_db()
    assert lecture.status == Lecture.Status.TRANSCODING and lecture.progress == 40


def test_a_conversion_with_no_progress_for_longer_than_the_setting_is_started_again(
    world, queued, settings, django_capture_on_commit_callbacks
):
    settings.LECTURES_TRANSCODE_STUCK_MINUTES = 30
    lecture = stuck(world, minutes=31)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.transcode_retry(actor=world.organiser, lecture=lecture) is True
    assert queued == [lecture.pk]
    lecture.refresh_from_db()
    assert lecture.status == Lecture.Status.QUEUED and lecture.progress == 0


def test_a_ready_lecture_is_not_converted_again(world, queued):
    lecture = ready_lecture(uploaded_by=world.organiser)
    with pytest.raises(errors.TranscodeNotRetryable):
        services.transcode_retry(actor=world.organiser, lecture=lecture)
    assert queued == []


@pytest.mark.parametrize("actor", ["organiser_other", "instructor_other"])
def test_out_of_scope_staff_are_refused(client, world, queued, actor):
    lecture = failed(world)
    client.force_login(getattr(world, actor))
    assert client.get(retry_url(lecture)).status_code == 404
    assert client.post(retry_url(lecture)).status_code == 404
    with pytest.raises(errors.LectureNotYours):
        services.transcode_retry(actor=getattr(world, actor), lecture=lecture)
    lecture.refresh_from_db()
    assert lecture.status == Lecture.Status.FAILED and queued == []


def test_the_library_offers_it_on_failed_and_stuck_rows_only(client, world, settings):
    settings.LECTURES_TRANSCODE_STUCK_MINUTES = 30
    broken, hung = failed(world, title="失败的讲座"), stuck(world, minutes=45)
    moving, ready = stuck(world, minutes=1), ready_lecture(uploaded_by=world.organiser)
    client.force_login(world.organiser)
    page = client.get(reverse("lecture_library:index")).content.decode()
    assert retry_url(broken) in page and retry_url(hung) in page
    assert retry_url(moving) not in page and retry_url(ready) not in page
    confirm = client.get(retry_url(broken)).content.decode()
    assert "无法读取视频文件" in confirm and "重新转码" in confirm
