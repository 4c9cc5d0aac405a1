"""A lecture's files are private: the lesson page gives its viewer a signed, expiring
token bound to their session, and only that token opens the playlists and segments."""

import re
import time

import pytest
from django.core.files.base import ContentFile

from lectures import stream
from lectures.files import move_renditions
from tests.courses.factories import enrol, lessons_of, make_course, site_indexes
from tests.lectures.factories import ready_lecture
from tests.lectures.test_lesson_completion import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture(settings):
    lecture = ready_lecture(title="基层治理讲座", duration=12)
    folder = lecture.media_folder
    folder.mkdir(parents=True)
    (folder / "master.m3u8").write_text("#EXTM3U\n240p.m3u8\n")
    (folder / "240p.m3u8").write_text("#EXTM3U\n#EXTINF:6,\n240p_000.ts\n")
    (folder / "240p_000.ts").write_bytes(b"G" * 188)
    (folder / "poster.jpg").write_bytes(b"\xff\xd8\xff\xe0poster")
    return lecture


@pytest.fixture
def lesson(world, lecture):
    index, _cases = site_indexes()
    course = make_course(index, lessons=1, minutes=1)
    enrol(world.trainee_a, course)
    lesson = lessons_of(course)[0]
    place(lesson, lecture, 90)
    return lesson


def master_url(client, lesson) -> str:
    response = client.get(lesson.url)
    assert response.status_code == 200
    found = re.search(r'data-master="([^"]+)"', response.content.decode())
    assert found, "the lesson page gives its viewer the lecture's URL"
    return found.group(1)


def test_the_files_are_not_under_media_root(settings, lecture):
    assert str(lecture.media_folder).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not (settings.MEDIA_ROOT / "lectures").exists()


def test_an_enrolled_trainee_plays_the_playlist_and_its_relative_segments(client, world, lesson):
    client.force_login(world.trainee_a)
    master = master_url(client, lesson)
    assert master.endswith("/master.m3u8") and "/lectures/stream/" in master
    response = client.get(master)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert b"240p.m3u8" in b"".join(response.streaming_content)
    base = master.rsplit("/", 1)[0]
    segment = client.get(f"{base}/240p_000.ts")
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    assert client.get(f"{base}/poster.jpg").status_code == 200


def test_a_segment_costs_no_database_query(client, world, lesson, django_assert_num_queries):
    client.force_login(world.trainee_a)
    base = master_url(client, lesson).rsplit("/", 1)[0]
    with django_assert_num_queries(0):
        assert client.get(f"{base}/240p_000.ts").status_code == 200


def test_anonymous_gets_no_page_and_no_file(client, world, lesson, lecture):
    assert client.get(lesson.url).status_code == 302  # to log in
    token = stream.issue(folder=lecture.folder, session_key=None)
    assert client.get(stream.url(token, "master.m3u8")).status_code == 403


def test_a_trainee_not_enrolled_gets_no_page_and_a_copied_url_opens_nothing(client, world, lesson):
    client.force_login(world.trainee_a)
    master = master_url(client, lesson)
    client.logout()
    client.force_login(world.trainee_b)
    assert client.get(lesson.url).status_code == 403
    assert client.get(master).status_code == 403


def test_logging_out_closes_the_urls(client, world, lesson):
    client.force_login(world.trainee_a)
    master = master_url(client, lesson)
    client.logout()
    assert client.get(master).status_code == 403


def test_an_expired_token_is_refused(client, world, lesson, lecture, settings):
    client.force_login(world.trainee_a)
    session_key = client.session.session_key
    old = stream.issue(folder=lecture.folder, session_key=session_key, now=time.time() - 8 * 3600)
    assert client.get(stream.url(old, "master.m3u8")).status_code == 403
    fresh = stream.issue(folder=lecture.folder, session_key=session_key)
    assert client.get(stream.url(fresh, "master.m3u8")).status_code == 200


def test_a_tampered_token_is_refused(client, world, lesson, lecture):
    other = ready_lecture(title="另一讲")
    client.force_login(world.trainee_a)
    token = master_url(client, lesson).split("/")[-2]
    value, signature = token.rsplit(":", 1)
    forged = value.replace(lecture.folder.hex, other.folder.hex) + ":" + signature
    assert client.get(stream.url(forged, "master.m3u8")).status_code == 403
    assert client.get(stream.url(token[:-2] + "xx", "master.m3u8")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["..%2F..%2Fsources%2Flecture.mp4", "..%2Fsubtitles%2Fx.vtt", "master.m3u8%00.ts",
     "..", "x.mp4", "%2E%2E"],
)  # fmt: skip
def test_a_path_outside_the_folder_is_refused(client, world, lesson, name):
    client.force_login(world.trainee_a)
    base = master_url(client, lesson).rsplit("/", 1)[0]
    assert client.get(f"{base}/{name}").status_code == 404


def test_subtitles_are_private_and_served_with_the_token(client, world, lesson, lecture, settings):
    lecture.subtitles.save("字幕.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:02.000\n"))
    assert str(settings.PRIVATE_MEDIA_ROOT) in lecture.subtitles.path
    with pytest.raises(ValueError):
        lecture.subtitles.url  # noqa: B018 - private files have no public URL
    settings.LECTURES_STREAM_ACCEL_REDIRECT = "/_lecture-files/"  # not for subtitles
    client.force_login(world.trainee_a)
    page = client.get(lesson.url).content.decode()
    src = re.search(r'<track [^>]*src="([^"]+)"', page).group(1)
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vtt")
    assert b"".join(response.streaming_content).startswith(b"WEBVTT")
    assert "X-Accel-Redirect" not in response


def test_nginx_sends_the_file_when_the_setting_says_so(client, world, lesson, settings):
    settings.LECTURES_STREAM_ACCEL_REDIRECT = "/_lecture-files/"
    client.force_login(world.trainee_a)
    master = master_url(client, lesson)
    response = client.get(master)
    folder = master.split("/")[-2].split(".")[0]
    assert response["X-Accel-Redirect"].startswith("/_lecture-files/")
    assert response["X-Accel-Redirect"].endswith("/master.m3u8")
    assert response.content == b""
    assert folder in response["X-Accel-Redirect"].replace("-", "")


def test_old_public_renditions_move_and_moving_again_changes_nothing(settings, lecture):
    public = settings.MEDIA_ROOT / "lectures" / str(lecture.folder)
    public.parent.mkdir(parents=True)
    lecture.media_folder.rename(public)
    outcome = move_renditions(
        [lecture.folder], public_root=settings.MEDIA_ROOT, private_root=settings.PRIVATE_MEDIA_ROOT
    )
    assert outcome["moved"] == [str(lecture.folder)]
    assert (lecture.media_folder / "240p_000.ts").is_file() and not public.exists()
    again = move_renditions(
        [lecture.folder], public_root=settings.MEDIA_ROOT, private_root=settings.PRIVATE_MEDIA_ROOT
    )
    assert again["already"] == [str(lecture.folder)] and not again["moved"]


def test_the_command_moves_what_is_left_and_says_so(settings, lecture):
    from io import StringIO

    from django.core.management import call_command

    public = settings.MEDIA_ROOT / "lectures" / str(lecture.folder)
    public.parent.mkdir(parents=True)
    lecture.media_folder.rename(public)
    out = StringIO()
    call_command("lectures_move_private", stdout=out)
    assert "moved: 1" in out.getvalue() and (lecture.media_folder / "master.m3u8").is_file()
    out = StringIO()
    call_command("lectures_move_private", stdout=out)
    assert "moved: 0" in out.getvalue() and "already: 1" in out.getvalue()
