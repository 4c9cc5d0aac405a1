"""Every admin add and edit form works in the browser: no console error, no page error,
for each staff role (issue 16: on the class and session forms the console read
"initDateChooser is not defined", so no date picker and no page chooser). And once the
scripts have drawn the form, what is on screen is Chinese: the language crawl reads the
HTML, this reads what the browser shows (`innerText`), widgets included.

The forms are the ones the language crawl reaches (tests/crawl/harness.py): for each role
the crawl runs through the Django test client on the demo data, and every screen it read
with a form that writes is then opened in headless Chromium, one context per role, signed
in with the crawl's session. Run on its own:

    .venv/bin/python -m pytest tests/crawl/test_console.py -p no:xdist -q

(on SQLite as well as PostgreSQL: it only reads); LMS_CRAWL_ROLES=adviser,instructor
limits it to some roles. The failure lists each URL with its errors; the "screens
crawled" table gives the forms opened per role and the time taken.
"""

import io
import os
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.crawl.conftest import STAFF_ROLES
from tests.crawl.harness import STAFF, Chunk, Content, Crawler, latin_words, sidebar_urls

pytestmark = [
    pytest.mark.browser,
    # The live server reads what the test wrote: committed rows, flushed afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}


def admin_forms(client, user) -> list[str]:
    """The admin screens with a form that writes, as the language crawl finds them."""
    from tests.crawl.test_language import staff_screens

    client.force_login(user)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    start = [reverse("wagtailadmin_home"), *sidebar_urls(home)]
    visits = Crawler(client, scope=STAFF, start=start, extra=staff_screens(user)).run()
    urls = []
    for visit in visits:
        url = visit.redirected_to or visit.url
        if visit.is_form and visit.status == 200 and url.startswith("/admin/"):
            urls.append(url)
    return list(dict.fromkeys(urls))


def test_admin_forms_open_without_console_errors(browser, live_server, client, record_property):
    from people.models import User
    from people.services import roles_sync
    from tests.conftest import _ledger_defaults_ensure

    roles_sync()
    _ledger_defaults_ensure()
    call_command("seed_demo", stdout=io.StringIO())

    content = Content.from_db()
    problems: list[str] = []
    drawn: dict[str, list[str]] = {}
    timings = []
    chosen = os.environ.get("LMS_CRAWL_ROLES", ",".join(STAFF_ROLES)).split(",")
    for role, username in STAFF_ROLES.items():
        if role not in chosen:
            continue
        started = time.monotonic()
        client.logout()
        urls = admin_forms(client, User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        current = {"url": ""}

        def note(kind, text, role=role, current=current):
            problems.append(f"{role} {current['url']}: {kind}: {text}")

        page.on("console", lambda m, note=note: m.type == "error" and note("console", m.text))
        page.on("pageerror", lambda exc, note=note: note("page error", exc))
        page.on(
            "response",
            lambda r, note=note: r.status >= 500 and note("server error", f"{r.status} {r.url}"),
        )
        try:
            for url in urls:
                current["url"] = url
                page.goto(live_server.url + url, wait_until="load")
                for line in page.evaluate("document.body.innerText").splitlines():
                    words = latin_words(Chunk(line.strip()), content) if line.strip() else []
                    if words:
                        drawn.setdefault(line.strip(), []).append(f"{role} {url}")
        finally:
            context.close()
        timings.append((role, len(urls), time.monotonic() - started))

    record_property("crawls", [(f"browser {r}", n, s) for r, n, s in timings])
    assert problems == [], "\n".join(problems)
    english = [f"{text!r} on {', '.join(pages[:3])}" for text, pages in drawn.items()]
    assert english == [], "English on screen once the scripts ran:\n" + "\n".join(english)
