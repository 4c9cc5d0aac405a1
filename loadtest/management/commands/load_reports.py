"""An organiser who keeps opening the report pages while the load test runs.

    python manage.py load_reports --url http://127.0.0.1:8010 --login xy_organiser \
        --password Demo@2026 --stop-file var/prod-local/load.stop

Logs in through the real form (plain HTTP: prod-local's cookies are not Secure; the CSRF
token is the csrftoken cookie's value), then cycles through the pages until the stop file
exists (or --max-seconds pass) and prints one line per page: requests, errors, p50/p95/max
in ms. The organiser is one Locust user (loadtest.drive).
"""

import os
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PAGES = ["/admin/reports/", "/admin/reports/coverage/", "/admin/reports/classes/", "/admin/"]


class Command(BaseCommand):
    help = "An organiser opening the report pages over HTTP until told to stop."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8010")
        parser.add_argument("--login", default="xy_organiser")
        parser.add_argument("--password", default="Demo@2026")
        parser.add_argument("--stop-file", default="")
        parser.add_argument("--max-seconds", type=float, default=600)
        parser.add_argument("--pause", type=float, default=0.5, help="seconds between pages")

    def handle(self, *args, url, login, password, stop_file, max_seconds, pause, **options):
        import gevent

        from loadtest.drive import Driver, cookie

        driver = Driver(url)
        timings = {page: [] for page in PAGES}
        errors = dict.fromkeys(PAGES, 0)

        def organiser(_item):
            http = driver.session()
            login_path = "/accounts/login/"
            http.get(login_path, name="login page")
            http.post(
                login_path,
                data={
                    "csrfmiddlewaretoken": cookie(http, "csrftoken"),
                    "login": login,
                    "password": password,
                },
                headers={"Referer": driver.base + login_path, "Origin": driver.base},
                name="login",
            )
            if not cookie(http, settings.SESSION_COOKIE_NAME):
                raise CommandError(f"could not log in as {login}")
            started = time.monotonic()
            while time.monotonic() - started < max_seconds:
                for page in PAGES:
                    t0 = time.perf_counter()
                    response = http.get(page, name=page, allow_redirects=False)
                    timings[page].append((time.perf_counter() - t0) * 1000)
                    errors[page] += response.status_code != 200
                    gevent.sleep(pause)
                if stop_file and os.path.exists(stop_file):
                    break

        (outcome,) = driver.run(organiser, [None], users=1)
        if isinstance(outcome, Exception):
            raise outcome
        for page in PAGES:
            values = sorted(timings[page])
            if not values:
                continue
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            self.stdout.write(
                f"organiser {page}: {len(values)} requests, {errors[page]} errors, "
                f"p50 {statistics.median(values):.0f} ms, p95 {p95:.0f} ms, max {values[-1]:.0f} ms"
            )
