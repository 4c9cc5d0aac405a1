"""The trainee's class pages at phone width (375 px) in headless Chromium: nothing wider
than the screen, the essentials visible."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from .factories import ClassSessionFactory, NoticeFactory, class_for_world

# No serialized_rollback: the flush after a transactional test re-runs post_migrate, which
# recreates the role groups (people.services.roles_sync); restoring them too would collide.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_class_pages_fit_a_phone(live_server, client, world, browser):
    # All database work first: Playwright's sync API runs an event loop in this thread.
    klass = class_for_world(world)
    today = timezone.localdate()
    klass.start_date = today - datetime.timedelta(days=1)
    klass.end_date = today + datetime.timedelta(days=3)
    klass.name = "信阳市乡镇（街道）党（工）委书记能力提升培训班"
    klass.save()
    session = ClassSessionFactory(
        training_class=klass,
        date=today - datetime.timedelta(days=1),
        title="片区化、组团式发展：统筹空间、产业、人才、组织、生态五大要素",
        instructor=world.instructor,
    )
    ClassSessionFactory(training_class=klass, date=today, half_day="afternoon", title="现场教学")
    NoticeFactory(training_class=klass, author=world.adviser)
    client.force_login(world.trainee_a)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    pages = (
        ("/classes/", klass.name),
        (f"/classes/{klass.pk}/", "片区化"),
        (f"/classes/sessions/{session.pk}/evaluate/", "提交评价"),
        ("/classes/calendar/", ".ics"),
    )
    context = browser.new_context(viewport={"width": 375, "height": 812})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        for path, expect in pages:
            page.goto(live_server.url + path)
            assert expect in page.content(), path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} is {width}px wide"
    finally:
        context.close()
