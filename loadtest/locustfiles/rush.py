"""The year-end rush (年终冲刺): trainees catching up on their hours before the year closes.

Run by `make capacity` (loadtest/capacity.py), phase by phase, against the production
profile; the data comes from `manage.py capacity_data` (CAPACITY_DATA, a JSON file) and
check-in codes are signed with the server's DJANGO_SECRET_KEY, as the display page signs
them. Users, one class per path, pick one on the command line:

- FloorUser: /healthz, the same gunicorn with no database: what the stack itself costs.
- HeartbeatUser, AnswerUser, CheckinUser, LessonUser, MyLearningUser: one hot path each,
  back to back (closed loop), rotating over the trainees (the heartbeat limit is per
  trainee: 12 a minute).
- RushTrainee + Organiser: the mixed profile. A trainee opens a lesson and sends a
  heartbeat every 15 s while reading; now and then saves a quiz answer, opens 我的学习 or
  the case library, or checks in. Organisers open the overview.

Trainees are logged in by session keys made in the database (no login request per user);
POSTs carry a CSRF cookie of our own and the same value in X-CSRFToken, which Django
accepts. With `--processes N`, process i takes every Nth trainee (no two processes send
one lesson view's or attempt's sequence numbers).
"""

import json
import os
import random
import time

import gevent
from locust import FastHttpUser, constant, events, task

DATA = json.loads(open(os.environ["CAPACITY_DATA"]).read())  # noqa: SIM115
PATHS = DATA["paths"]
CSRF = "capacityloadtestcsrfsecret000000"  # 32 characters: a CSRF secret as Django makes one
T0 = float(os.environ.get("CAPACITY_T0", time.time()))

_sign = None


def checkin_code(session_id: int) -> str:
    """A check-in code as the display page makes it (attendance.tokens, same secret)."""
    global _sign
    if _sign is None:
        from django.conf import settings

        if not settings.configured:
            settings.configure(SECRET_KEY=os.environ["DJANGO_SECRET_KEY"])
        from attendance.tokens import token_make

        _sign = token_make
    return _sign(session_id=session_id)


class Share:
    """This process's trainees, and the sequence numbers it sends for them."""

    trainees: list = DATA["trainees"]
    answering: list = [t for t in DATA["trainees"] if t["answer"]]
    seqs: dict = {}
    turn = 0

    @classmethod
    def partition(cls, index: int, count: int):
        cls.trainees = DATA["trainees"][index::count]
        cls.answering = [t for t in cls.trainees if t["answer"]]

    @classmethod
    def next(cls, pool=None):
        pool = pool or cls.trainees
        cls.turn += 1
        return pool[cls.turn % len(pool)]

    @classmethod
    def seq(cls, key, *, ms=False) -> int:
        """Above the last one sent for `key`: for answers the clock in ms, as quiz.js sends
        them; for heartbeats, whose numbers stay under a million, centiseconds since the
        run started (capacity_data set the lesson views' counters back to 0)."""
        now = int(time.time() * 1000) if ms else int((time.time() - T0) * 100) + 1
        value = max(now, cls.seqs.get(key, 0) + 1)
        cls.seqs[key] = value
        return value


@events.init.add_listener
def _partition(environment, **_kw):
    runner = environment.runner
    index = getattr(runner, "worker_index", 0) or 0
    count = int(os.environ.get("CAPACITY_PROCESSES", "1"))
    if hasattr(runner, "worker_index"):
        Share.partition(index, count)


def _headers(trainee_session: str, **extra) -> dict:
    return {"Cookie": f"sessionid={trainee_session}; csrftoken={CSRF}", **extra}


class Base(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    # One connection per user, kept alive, as a browser does.
    concurrency = 1

    def expect(self, method, path, *, name, status=200, json_ok=False, **kw):
        with self.client.request(
            method, path, name=name, allow_redirects=False, catch_response=True, **kw
        ) as response:
            if response.status_code != status:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
            elif json_ok and not response.json().get("ok"):
                response.failure(f"refused: {response.text[:200]}")

    # -- the hot paths -----------------------------------------------------------------

    def heartbeat(self, trainee):
        self.expect(
            "POST",
            PATHS["heartbeat"],
            name="heartbeat",
            data=f"token={trainee['study']}&seq={Share.seq(trainee['study'])}",
            headers=_headers(
                trainee["session"],
                **{"X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded"},
            ),
            json_ok=True,
        )

    def answer(self, trainee):
        position = random.randint(1, 10)
        url = trainee["answer"]
        body = {"position": position, "answer": random.choice(["组团式", "片区化"]), "seq": 0}
        body["seq"] = Share.seq((url, position), ms=True)
        self.expect(
            "POST",
            url,
            name="answer-save",
            data=json.dumps(body),
            headers=_headers(
                trainee["session"],
                **{"X-CSRFToken": CSRF, "Content-Type": "application/json"},
            ),
            json_ok=True,
        )

    def checkin(self, trainee):
        self.expect(
            "GET",
            PATHS["checkin"],
            name="checkin",
            params={"t": checkin_code(DATA["session_id"])},
            headers=_headers(trainee["session"]),
        )

    def page(self, trainee, which):
        self.expect(
            "GET", PATHS[which], name=which.replace("_", "-"), headers=_headers(trainee["session"])
        )


class FloorUser(Base):
    @task
    def floor(self):
        self.expect("GET", PATHS["floor"], name="floor")


class HeartbeatUser(Base):
    @task
    def go(self):
        self.heartbeat(Share.next())


class AnswerUser(Base):
    @task
    def go(self):
        self.answer(Share.next(Share.answering))


class CheckinUser(Base):
    @task
    def go(self):
        self.checkin(Share.next())


class LessonUser(Base):
    @task
    def go(self):
        self.page(Share.next(), "lesson")


class MyLearningUser(Base):
    @task
    def go(self):
        self.page(Share.next(), "my_learning")


class Paced(Base):
    """One task each `pace` seconds, counted from the start of the previous task, the
    first after a random part of `pace`: users started together stay spread out.

    Not Locust's constant_pacing: it counts the first interval from the user's creation,
    so a sleep in on_start to spread the first tasks was taken off the second wait, and
    every user's second task fell `pace` seconds after the spawn, all at once (400
    trainees' beats and pages in the same second at 15 s and 30 s of the rush)."""

    abstract = True
    pace = 15.0
    started = None

    def wait_time(self):
        if self.started is None:
            return random.uniform(0, self.pace)
        return max(0.0, self.pace - (time.monotonic() - self.started))

    def on_start(self):
        gevent.sleep(self.wait_time())


class RushTrainee(Paced):
    """One trainee reading: a heartbeat every 15 s, and between beats now and then one
    other thing a trainee does in the rush."""

    weight = 40
    pace = 15.0

    def on_start(self):
        # Already reading (capacity_data opened the lesson for each trainee): the first
        # beats spread over the first 15 s, as a room of readers' do, instead of 400
        # lesson pages at once; the lesson is opened again now and then below.
        self.me = Share.next()
        super().on_start()

    @task
    def reading(self):
        self.started = time.monotonic()
        self.heartbeat(self.me)
        roll = random.random()
        if roll < 0.25 and self.me["answer"]:
            self.answer(self.me)
        elif roll < 0.35:
            self.page(self.me, "my_learning")
        elif roll < 0.42:
            self.page(self.me, "cases")
        elif roll < 0.47:
            self.page(self.me, "lesson")
        elif roll < 0.50:
            self.checkin(self.me)


class Organiser(Paced):
    weight = 1
    pace = 10.0

    @task
    def overview(self):
        self.started = time.monotonic()
        self.expect(
            "GET",
            PATHS["overview"],
            name="overview",
            headers={"Cookie": f"sessionid={DATA['organiser']}"},
        )
