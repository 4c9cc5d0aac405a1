"""The screens end to end: roster import in the admin, trainee pages, feeds, 评教, people."""

import base64
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from people.models import User
from training.models import CalendarFeed, Enrolment, NoticeReceipt, SessionEvaluation

from .factories import ClassSessionFactory, NoticeFactory, class_for_world, xlsx
from .test_roster_import import HEADERS, good_rows


def _upload(client, klass, rows):
    upload = xlsx(HEADERS, rows)
    return client.post(reverse("training_admin:roster_import", args=[klass.pk]), {"file": upload})


def test_roster_import_through_the_admin(client, world):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    bad = [*good_rows(world), [4, "王五", "男", "12345", "火星", "", "", ""]]
    response = _upload(client, klass, bad)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert 'data-code="bad_phone"' in html and 'data-code="unknown_unit"' in html
    # Confirming a file with problems writes nothing.
    users = User.objects.count()
    client.post(response["Location"])
    assert User.objects.count() == users
    assert Enrolment.objects.filter(training_class=klass).count() == 1  # trainee_a from the factory

    response = _upload(client, klass, good_rows(world))
    done = client.post(response["Location"])
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    html = done.content.decode()
    new = User.objects.get(phone="13800001001")
    password = re.search(r"<code>([^<]+)</code>", html).group(1)
    assert new.check_password(password)
    # The password sheet travels inside this page, not behind a URL.
    data = re.search(r'base64,([A-Za-z0-9+/=]+)"', html).group(1)
    sheet = load_workbook(io.BytesIO(base64.b64decode(data)))["初始密码"]
    assert [c.value for c in sheet[1]][:3] == ["姓名", "手机号（登录名）", "初始密码"]
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} >= {password}
    # Reloading the confirmed batch does not import again or show passwords again.
    again = client.get(response["Location"])
    assert again.status_code == 302
    assert Enrolment.objects.filter(training_class=klass).count() == 3


def test_roster_export_is_an_xlsx_with_chinese_headers(client, world):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    response = client.get(reverse("training_admin:roster_export", args=[klass.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue()))["花名册"]
    assert [c.value for c in sheet[1]][:3] == ["序号", "姓名", "性别"]
    assert sheet.cell(2, 2).value == world.trainee_a.full_name


def test_another_organisers_batch_is_not_found(client, world):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    response = _upload(client, klass, good_rows(world))
    client.force_login(world.city_organiser)  # may manage the class, but did not upload
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"]).status_code == 404


def test_trainee_sees_their_class_page_and_timetable(client, world):
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, title="先导区建设专题", instructor=world.instructor)
    NoticeFactory(training_class=klass, author=world.adviser, title="集合通知")
    client.force_login(world.trainee_a)
    page = client.get(reverse("training:my_classes")).content.decode()
    assert klass.name in page
    page = client.get(reverse("training:class_detail", args=[klass.pk])).content.decode()
    assert "先导区建设专题" in page and "集合通知" in page and world.adviser.phone in page


def test_opening_a_notice_records_the_receipt(client, world):
    klass = class_for_world(world)
    notice = NoticeFactory(training_class=klass, author=world.adviser)
    client.force_login(world.trainee_a)
    assert client.get(reverse("training:notice_detail", args=[notice.pk])).status_code == 200
    client.get(reverse("training:notice_detail", args=[notice.pk]))
    assert NoticeReceipt.objects.filter(notice=notice, reader=world.trainee_a).count() == 1
    client.force_login(world.adviser)
    page = client.get(reverse("training_admin:notice_receipts", args=[klass.pk, notice.pk]))
    assert "1 / 1" in page.content.decode() or "1" in page.content.decode()


def test_calendar_feed_by_token_and_renewal(client, world):
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass, title="先导区建设专题")
    client.force_login(world.trainee_a)
    client.get(reverse("training:my_calendar"))
    token = CalendarFeed.objects.get(user=world.trainee_a).token
    assert len(token) >= 32
    client.logout()
    feed = client.get(reverse("training:calendar_feed", args=[token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert "先导区建设专题" in feed.content.decode()
    assert client.get(reverse("training:calendar_feed", args=["guess" * 8])).status_code == 404
    client.force_login(world.trainee_a)
    client.post(reverse("training:my_calendar"))
    assert client.get(reverse("training:calendar_feed", args=[token])).status_code == 404


def test_trainee_rates_a_finished_session_once(client, world):
    klass = class_for_world(world)
    past = timezone.localdate() - datetime.timedelta(days=1)
    klass.start_date, klass.end_date = past, past + datetime.timedelta(days=3)
    klass.save()
    session = ClassSessionFactory(training_class=klass, date=past)
    client.force_login(world.trainee_a)
    url = reverse("training:session_evaluate", args=[session.pk])
    data = {"content": "5", "teaching": "4", "usefulness": "5", "comment": "案例鲜活"}
    assert client.post(url, data).status_code == 302
    client.post(url, {**data, "content": "1"})
    (evaluation,) = SessionEvaluation.objects.filter(session=session)
    assert (evaluation.content, evaluation.comment) == (5, "案例鲜活")


def test_instructor_sees_comments_without_names(client, world):
    klass = class_for_world(world)
    session = ClassSessionFactory(training_class=klass, instructor=world.instructor)
    SessionEvaluation.objects.create(
        session=session,
        trainee=world.trainee_a,
        content=5,
        teaching=5,
        usefulness=4,
        comment="很好",
    )
    client.force_login(world.instructor)
    page = client.get(reverse("training_admin:session_evaluations", args=[session.pk]))
    html = page.content.decode()
    assert "很好" in html and world.trainee_a.full_name not in html
    client.force_login(world.organiser)
    html = client.get(
        reverse("training_admin:session_evaluations", args=[session.pk])
    ).content.decode()
    assert world.trainee_a.full_name in html


# --- People management ------------------------------------------------------------------


def test_county_organiser_lists_only_their_people(client, world):
    client.force_login(world.organiser)
    html = client.get(reverse("people_admin:index")).content.decode()
    assert world.trainee_a.full_name in html and world.trainee_b.full_name not in html
    html = client.get(reverse("people_admin:index"), {"q": world.trainee_b.phone}).content.decode()
    assert world.trainee_b.full_name not in html
    assert client.get(reverse("people_admin:edit", args=[world.trainee_b.pk])).status_code == 404
    response = client.post(reverse("people_admin:reset_password", args=[world.trainee_b.pk]))
    assert response.status_code == 404
    world.trainee_b.refresh_from_db()
    assert not world.trainee_b.must_change_password


def test_organiser_creates_a_person_and_sees_the_password_once(client, world):
    client.force_login(world.organiser)
    response = client.post(
        reverse("people_admin:add"),
        {
            "full_name": "周新",
            "phone": "１３８ ００００ ７７７７",
            "org_unit": world.village_a.pk,
            "role": "学员",
            "position": "village_secretary",
        },
    )
    assert response.status_code == 200
    person = User.objects.get(phone="13800007777")
    password = re.search(r"<code data-password>([^<]+)</code>", response.content.decode()).group(1)
    assert person.check_password(password) and person.must_change_password
    assert person.groups.filter(name="学员").exists()
    # Outside the organiser's units: refused, nothing created.
    response = client.post(
        reverse("people_admin:add"),
        {
            "full_name": "越界",
            "phone": "13800007778",
            "org_unit": world.village_b.pk,
            "role": "学员",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(phone="13800007778").exists()


def test_organiser_edits_and_resets_within_scope(client, world):
    client.force_login(world.organiser)
    url = reverse("people_admin:edit", args=[world.trainee_a.pk])
    response = client.post(
        url,
        {"full_name": "学员甲改", "phone": world.trainee_a.phone, "org_unit": world.township_a.pk},
    )
    assert response.status_code == 302
    world.trainee_a.refresh_from_db()
    assert (world.trainee_a.full_name, world.trainee_a.org_unit) == ("学员甲改", world.township_a)
    # Moving someone into another county is refused.
    client.post(
        url,
        {"full_name": "学员甲改", "phone": world.trainee_a.phone, "org_unit": world.village_b.pk},
    )
    world.trainee_a.refresh_from_db()
    assert world.trainee_a.org_unit == world.township_a
    response = client.post(reverse("people_admin:reset_password", args=[world.trainee_a.pk]))
    password = re.search(r"<code data-password>([^<]+)</code>", response.content.decode()).group(1)
    world.trainee_a.refresh_from_db()
    assert world.trainee_a.check_password(password) and world.trainee_a.must_change_password


@pytest.mark.parametrize("url_name", ["wagtailusers_users:index", "wagtailusers_groups:index"])
def test_organisers_do_not_get_wagtails_users_area(client, world, url_name):
    client.force_login(world.organiser)
    response = client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    assert "/login/" not in response.get("Location", "")


def test_apps_add_their_tabs_to_the_class_screens(client, world):
    klass = class_for_world(world)
    client.force_login(world.organiser)
    page = client.get(reverse("training_admin:class_overview", args=[klass.pk])).content.decode()
    # courses registers a tab through the training_class_admin_tabs hook.
    assert reverse("courses_admin:class_courses", args=[klass.pk]) in page
    assert "网络课程" in page


def test_class_and_session_forms_load_their_widgets_scripts(client, world):
    """The date and time pickers and the lesson chooser need their scripts on the page
    (without them the console reads `initDateChooser is not defined`)."""
    klass = class_for_world(world)
    client.force_login(world.organiser)
    pages = [
        reverse("training_class:add"),
        reverse("training_class:edit", args=[klass.pk]),
        reverse("training_admin:session_create", args=[klass.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "wagtailadmin/js/date-time-chooser.js" in html, url
    html = client.get(pages[2]).content.decode()
    assert "wagtailadmin/js/page-chooser.js" in html
