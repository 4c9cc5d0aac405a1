"""A small harness for browser journeys: one `Journey` per test, numbered steps, screenshots.

    @journey_test
    def test_trainee_checks_in(journey, world):
        page = journey.phone()                      # 375×812, or journey.desktop()
        with journey.step("log in"):
            journey.login(page, "13900000001")
        with journey.step("open the QR link"):
            page.goto(journey.url("/attendance/…"))
            expect(page.get_by_role("status")).to_contain_text("已签到")

Every step saves `test-artifacts/journeys/<journey>/NN-<step>.png` when it ends (the
screen the step produced). A failing step saves `NN-<step>-FAILED.png` and the test fails
with "step NN '<step>' failed: …". Pages carry the production content security policy
(see `production_csp`) and a journey fails on any CSP violation, uncaught JS error or
server error (5xx) behind the page.
"""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "journeys"
CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}
# Playwright's default 30 s hides a hang for too long on a 2-core machine; 15 s is plenty.
TIMEOUT_MS = int(os.environ.get("LMS_JOURNEY_TIMEOUT_MS", "15000"))
# `expect` has its own default (5 s); a loaded CI machine needs the same margin as actions.
expect.set_options(timeout=TIMEOUT_MS)

# Browser journeys need live_server with real transactions; serialized_rollback restores the
# rows migrations create (role groups, Wagtail's root page) that the flush between tests
# would otherwise delete.
journey_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def production_csp() -> str:
    """The policy `lms.settings.production` sends, read without activating those settings."""
    import importlib
    import sys

    needed = {
        "DJANGO_SECRET_KEY": "journeys-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_DATABASE_URL": "postgres://lms@127.0.0.1:1/lms",
    }
    saved = {k: os.environ.get(k) for k in needed}
    os.environ.update({k: v for k, v in needed.items() if not os.environ.get(k)})
    try:
        module = sys.modules.get("lms.settings.production") or importlib.import_module(
            "lms.settings.production"
        )
        return module.CONTENT_SECURITY_POLICY
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _slug(text: str) -> str:
    text = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", text.strip().lower())
    return text.strip("-")[:60] or "step"


class StepFailed(AssertionError):
    pass


class Journey:
    def __init__(self, *, name: str, browser, base_url: str, csp: str):
        self.name = name
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.csp = csp
        self.dir = ARTIFACTS / name
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.steps: list[str] = []
        self.problems: list[str] = []  # CSP violations and uncaught page errors
        self._contexts = []
        self._current_page = None

    # Pages -----------------------------------------------------------------------------
    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def new_page(self, *, viewport: dict, locale: str = "zh-CN", **context_options):
        context = self.browser.new_context(
            viewport=viewport,
            locale=locale,
            device_scale_factor=1,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
            **context_options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        self._contexts.append(context)
        if self.csp:
            context.route(re.compile(re.escape(self.base_url) + ".*"), self._with_csp)
        page = context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("response", self._on_response)
        self._current_page = page
        return page

    def phone(self, **options):
        """A trainee's phone: 375×812, touch, Chinese locale."""
        return self.new_page(viewport=PHONE, **options)

    def desktop(self, **options):
        """Staff work on a desktop browser."""
        return self.new_page(viewport=DESKTOP, **options)

    def _with_csp(self, route):
        # Redirects go back to the browser, or it would show the target under the old URL.
        response = route.fetch(max_redirects=0)
        headers = {**response.headers, "content-security-policy": self.csp}
        route.fulfill(response=response, headers=headers)

    def _on_response(self, response):
        # A page's background requests (heartbeats, autosaves, polls) fail silently in the
        # browser; a server error there is a defect the journey must name.
        if response.status >= 500:
            self.problems.append(
                f"server error {response.status}: {response.request.method} {response.url}"
            )

    def _on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"CSP: {text}")

    # Steps -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def step(self, title: str, page=None):
        """A named step; screenshots the page when it ends, and says which step failed."""
        number = len(self.steps) + 1
        self.steps.append(title)
        stem = f"{number:02d}-{_slug(title)}"
        try:
            yield
        except Exception as exc:
            self._shot(page, f"{stem}-FAILED")
            reported = "".join(f"\n  the page reported {problem}" for problem in self.problems)
            raise StepFailed(
                f"journey {self.name!r} step {number:02d} {title!r} failed: {exc}{reported}\n"
                f"screenshots: {self.dir}"
            ) from exc
        self._shot(page, stem)
        if self.problems:
            problems = "\n  ".join(self.problems)
            self.problems = []
            self._shot(page, f"{stem}-FAILED")
            raise StepFailed(
                f"journey {self.name!r} step {number:02d} {title!r}: the page reported\n  "
                f"{problems}"
            )

    def _shot(self, page, stem: str):
        page = page or self._current_page
        if page is None or page.is_closed():
            return
        with contextlib.suppress(Exception):
            page.screenshot(path=str(self.dir / f"{stem}.png"), full_page=True)

    # Common actions --------------------------------------------------------------------
    @staticmethod
    def submit(page, locator):
        """Click a submit button and wait for the page it leads to."""
        with page.expect_navigation():
            page.locator(locator).click() if isinstance(locator, str) else locator.click()

    def login(self, page, login: str, password: str, *, next_path: str = ""):
        """Log in through the real form, as a person types it."""
        page.goto(self.url("/accounts/login/" + (f"?next={next_path}" if next_path else "")))
        page.locator("input[name=login]").fill(login)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()

    def close(self):
        for context in self._contexts:
            with contextlib.suppress(Exception):
                context.close()
        _wait_for_requests_to_finish()


def _wait_for_requests_to_finish(timeout: float = 10.0) -> None:
    """Let the live server finish requests a page had in flight when its browser closed.

    On PostgreSQL (`make test`) the flush after a test would wait for such a request's
    locks; on SQLite in memory, shared with the server's threads, it fails with "database
    table is locked" while a request still reads it (a page's background fetch, say), and
    the next test then starts on unflushed rows.
    """
    import threading
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [
            t
            for t in threading.enumerate()
            if "process_request_thread" in t.name and t is not threading.current_thread()
        ]
        if not busy:
            return
        time.sleep(0.05)
