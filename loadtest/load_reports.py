"""An organiser who keeps opening the report pages while the load test runs.

    python scripts/load_reports.py --url http://127.0.0.1:8010 --login xy_organiser \
        --password Demo@2026 --stop-file var/prod-local/load.stop

Logs in through the real form (plain HTTP: prod-local's cookies are not Secure), then
cycles through the pages until the stop file exists (or --max-seconds pass) and prints
one line per page: requests, errors, p50/p95/max in ms. Standard library only.
"""

import argparse
import http.cookiejar
import os
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request

PAGES = ["/admin/reports/", "/admin/reports/coverage/", "/admin/reports/classes/", "/admin/"]


def _opener():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    return opener, jar


def login(opener, jar, base, username, password):
    page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/login/", data=data, headers={"Referer": base + "/accounts/login/"}
    )
    opener.open(request, timeout=30).read()
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise SystemExit(f"could not log in as {username}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8010")
    parser.add_argument("--login", default="xy_organiser")
    parser.add_argument("--password", default="Demo@2026")
    parser.add_argument("--stop-file", default="")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between pages")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    opener, jar = _opener()
    login(opener, jar, base, args.login, args.password)

    timings = {page: [] for page in PAGES}
    errors = dict.fromkeys(PAGES, 0)
    started = time.monotonic()
    while time.monotonic() - started < args.max_seconds:
        for page in PAGES:
            t0 = time.perf_counter()
            try:
                with opener.open(base + page, timeout=60) as response:
                    response.read()
                    ok = response.status == 200 and "/login/" not in response.url
            except (urllib.error.URLError, TimeoutError):
                ok = False
            timings[page].append((time.perf_counter() - t0) * 1000)
            errors[page] += 0 if ok else 1
            time.sleep(args.pause)
        if args.stop_file and os.path.exists(args.stop_file):
            break

    for page in PAGES:
        values = sorted(timings[page])
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"organiser {page}: {len(values)} requests, {errors[page]} errors, "
            f"p50 {statistics.median(values):.0f} ms, p95 {p95:.0f} ms, max {values[-1]:.0f} ms"
        )


if __name__ == "__main__":
    main()
