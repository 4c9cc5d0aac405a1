"""Whose recordings the library shows: the uploader's own, those of the people in an
organiser's units, never another county's; the chooser lists ready ones to authors only."""

import pytest
from django.urls import reverse

from .factories import ready_lecture

pytestmark = pytest.mark.django_db


def titles(client, user, name, query=""):
    client.force_login(user)
    response = client.get(reverse(name) + query)
    if response["Content-Type"].startswith("application/json"):  # a chooser's modal
        return response.json()["html"]
    return response.content.decode()


def test_the_library_lists_the_uploaders_and_their_organisers_recordings_only(client, world):
    ready_lecture(title="罗山县讲座", uploaded_by=world.organiser)
    ready_lecture(title="息县讲座", uploaded_by=world.organiser_other)
    own = titles(client, world.organiser, "lecture_library:index")
    assert "罗山县讲座" in own and "息县讲座" not in own
    other = titles(client, world.organiser_other, "lecture_library:index")
    assert "息县讲座" in other and "罗山县讲座" not in other
    assert "罗山县讲座" in titles(client, world.admin, "lecture_library:index")


def test_another_countys_recording_cannot_be_edited_by_its_id(client, world):
    lecture = ready_lecture(title="罗山县讲座", uploaded_by=world.organiser)
    client.force_login(world.organiser_other)
    edit = reverse("lecture_library:edit", args=[lecture.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"title": "改名"}).status_code == 404
    lecture.refresh_from_db()
    assert lecture.title == "罗山县讲座"


def test_the_chooser_lists_ready_recordings_to_authors_but_nothing_to_advisers(client, world):
    ready_lecture(title="罗山县讲座", uploaded_by=world.organiser)
    assert "罗山县讲座" in titles(client, world.instructor_other, "lecture_chooser:choose")
    assert "罗山县讲座" not in titles(client, world.adviser_other, "lecture_chooser:choose")
