"""Wagtail documents are course material: served by Wagtail's view to those who may read
a course that uses them, to nobody else, and never straight from MEDIA_URL."""

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from wagtail.documents import get_document_model

from tests.courses.factories import lessons_of

PDF = b"%PDF-1.4\n% course handout\n"


def _document(title="政策原文"):
    document = get_document_model()(title=title)
    document.file.save("policy.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _use_in_lesson(lesson, document):
    lesson.body = [
        {"type": "text", "value": {"text": "<p>请下载政策原文。</p>"}},
        {"type": "document", "value": {"document": document.pk, "description": ""}},
    ]
    lesson.save_revision().publish()


@pytest.fixture
def handout(course):
    """A document used by the first lesson of `course` (given to trainee_a only)."""
    document = _document()
    _use_in_lesson(lessons_of(course)[0], document)
    return document


def _get(client, document):
    return client.get(document.url)


def test_documents_are_served_through_wagtails_view(handout):
    assert handout.url == f"/documents/{handout.pk}/{handout.filename}"


def test_anonymous_is_sent_to_log_in(client, handout):
    response = _get(client, handout)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_trainee_of_the_course_gets_the_file(client, world, handout):
    client.force_login(world.trainee_a)
    response = _get(client, handout)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_trainee_not_on_the_course_gets_nothing(client, world, handout):
    client.force_login(world.trainee_b)
    assert _get(client, handout).status_code == 404


@pytest.mark.parametrize("actor", ["instructor", "instructor_other", "adviser", "organiser"])
def test_staff_get_the_file(client, world, handout, actor):
    client.force_login(world.actor(actor))
    assert _get(client, handout).status_code == 200


def test_a_document_no_course_uses_is_not_for_trainees(client, world, course):
    document = _document("未使用的文件")
    client.force_login(world.trainee_a)
    assert _get(client, document).status_code == 404


def test_a_document_of_an_unpublished_lesson_is_not_for_trainees(client, world, course, handout):
    lessons_of(course)[0].unpublish()
    client.force_login(world.trainee_a)
    assert _get(client, handout).status_code == 404


def test_media_url_does_not_serve_documents_even_in_development(rf, handout):
    """lms/urls.py mounts media_serve on MEDIA_URL when DEBUG is on."""
    from lms.urls import media_serve

    for path in [handout.file.name, f"x/../{handout.file.name}", f"/{handout.file.name}"]:
        with pytest.raises(Http404):
            media_serve(rf.get(f"/media/{path}"), path)
    # The rest of MEDIA_URL (images) is still served.
    from django.core.files.storage import default_storage

    name = default_storage.save("original_images/cover.txt", ContentFile(b"cover"))
    assert media_serve(rf.get(f"/media/{name}"), name).status_code == 200


def test_nginx_never_serves_the_documents_folder():
    from pathlib import Path

    from django.conf import settings

    conf = (Path(settings.BASE_DIR) / "deploy" / "nginx-lms.conf").read_text()
    block = conf[conf.index("location ^~ /media/documents/") :]
    assert block[: block.index("}")].split("{")[1].split() == ["return", "404;"]


def test_an_electives_lesson_documents_wait_for_enrolment(client, world, course, handout):
    """Every trainee may read an elective's course page (to decide whether to enrol); its
    lessons, and the files they link, only once enrolled."""
    from courses.services import course_self_enrol

    course.self_selectable = True
    course.save_revision().publish()
    client.force_login(world.trainee_b)
    assert client.get(course.url).status_code == 200
    assert _get(client, handout).status_code == 404
    course_self_enrol(trainee=world.trainee_b, course=course)
    assert _get(client, handout).status_code == 200
