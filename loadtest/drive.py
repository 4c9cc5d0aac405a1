"""Locust as a library, for the bench commands that drive a running server over HTTP
(`bench_checkin --url`, `bench_exam --url`, `load_reports`).

The commands keep their own plan (who scans or answers what, in which order) and count
the results from the database afterwards; Locust runs the simulated users: a local runner
of FastHttpUser users on gevent, headless, each request through geventhttpclient (about a
fifth of the CPU of `requests` per call, CPU the server shares on a small machine).

Gevent is not monkey-patched here (LOCUST_SKIP_MONKEY_PATCH): FastHttpUser's sockets are
gevent's own, and the Django side of the command (its database connection, and in the
tests the live server's threads) stays on ordinary threads. Everything the users do runs
in this one thread, so their work must not touch the database: the commands read and
write it between runs, never inside one.
"""

import logging
import os
import time
from http.cookiejar import Cookie
from urllib.parse import urlsplit

os.environ.setdefault("LOCUST_SKIP_MONKEY_PATCH", "1")

import gevent  # noqa: E402
from gevent.event import Event  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.contrib.fasthttp import FastHttpSession  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.event import Events  # noqa: E402
from locust.exception import StopUser  # noqa: E402

# Locust warns about spawn rates over 100: ours start every user at once on purpose.
logging.getLogger("locust").setLevel(logging.ERROR)

HEADERS = {"User-Agent": "cadre-lms loadtest (like a phone browser)", "Accept-Language": "zh-hans"}
TIMEOUT = 60.0


class Driver:
    """One Locust event hub for a whole command: its sessions (one per simulated person,
    each with its own cookie jar) outlive the runs that use them."""

    def __init__(self, base: str):
        target = urlsplit(base)
        if target.scheme not in ("http", "https") or not target.hostname:
            raise ValueError(f"not an http(s) URL: {base}")
        self.base = base.rstrip("/")
        self.host = target.hostname
        self.events = Events()

    def session(self, cookies: dict[str, str] | None = None) -> FastHttpSession:
        """A browser of its own: cookie jar, keep-alive connection, the default headers."""
        http = FastHttpSession(
            self.base,
            request_event=self.events.request,
            user=None,
            network_timeout=TIMEOUT,
            connection_timeout=TIMEOUT,
            max_retries=0,
            concurrency=2,
            headers=dict(HEADERS),
        )
        for name, value in (cookies or {}).items():
            set_cookie(http, self.host, name, value)
        return http

    def run(self, fn, items, *, users: int) -> list:
        """fn(item) for every item, on `users` Locust users that take the items in order
        from one queue (a closed loop of `users` in flight). Returns the results in the
        items' order; an exception of fn is its item's result, not raised."""
        items = list(items)
        results: list = [None] * len(items)
        if not items:
            return results
        queue = iter(enumerate(items))
        pending = [len(items)]
        done = Event()

        class Worker(FastHttpUser):
            host = self.base
            wait_time = constant(0)

            @task
            def work(self):
                job = next(queue, None)
                if job is None:
                    raise StopUser()
                i, item = job
                try:
                    results[i] = fn(item)
                except Exception as exc:  # counted by the caller, never hidden
                    results[i] = exc
                finally:
                    pending[0] -= 1
                    if not pending[0]:
                        done.set()

        users = max(1, min(users, len(items)))
        env = Environment(user_classes=[Worker], events=self.events, host=self.base)
        runner = env.create_local_runner()
        try:
            runner.start(users, spawn_rate=users * 10)
            while not done.wait(timeout=1.0):
                pass
        finally:
            runner.quit()
        return results


def set_cookie(http: FastHttpSession, host: str, name: str, value: str) -> None:
    if "." not in host:  # the cookie jar's name for "localhost" and other dotless hosts
        host += ".local"
    http.cookiejar.set_cookie(
        Cookie(
            version=0,
            name=name,
            value=value,
            port=None,
            port_specified=False,
            domain=host,
            domain_specified=False,
            domain_initial_dot=False,
            path="/",
            path_specified=True,
            secure=False,
            expires=None,
            discard=True,
            comment=None,
            comment_url=None,
            rest={},
        )
    )


def cookie(http: FastHttpSession, name: str) -> str:
    """A cookie the server set (e.g. csrftoken: Django takes its value as the form token,
    so no page has to be read for one)."""
    return next((c.value for c in http.cookiejar if c.name == name), "")


def sleep_until(moment: float) -> None:
    """Wait (cooperatively) until time.perf_counter() reaches `moment`."""
    gevent.sleep(max(0.0, moment - time.perf_counter()))
