"""Simulate a synchronised exam: N trainees start within seconds, answer every question
(with duplicate and out-of-order saves, as phones on a bad network send them) and submit
(a tenth of them twice at once). Lost answers and double grading are counted from the
database afterwards, never assumed. Bench data is removed at the end unless --keep.

In process (default) the exam services are called from a thread pool. With `--url` a
running server is driven over HTTP exactly as the exam page drives it: the quiz page, the
start form, the exam page, quiz.js's JSON autosaves with X-CSRFToken and sequence numbers,
the submit form (a tenth posted twice at once from two tabs) and the result page, each
trainee a browser run by Locust (loadtest.drive). The server must share this database and
SECRET_KEY: the trainees' sessions are created here, as `bench_checkin --url` does, and the
questions and option tokens of each attempt are read here too, not parsed from the page.
Timings are then whole HTTP round trips.

    python manage.py bench_exam --trainees 300 --questions 50
    python manage.py bench_exam --trainees 300 --questions 50 --url http://127.0.0.1:8010
"""

import contextlib
import json
import random
import threading
import time
import uuid
from datetime import date
from decimal import Decimal
from importlib import import_module
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.urls import Resolver404, resolve, reverse
from wagtail.models import ModelLogEntry

from assessments.grading import score_answer
from assessments.models import Attempt, AttemptQuestion, Question, QuestionCategory, Quiz, QuizSlot
from assessments.option_tokens import option_tokens
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.questions import question_create
from loadtest.bench import logged_in_session_key, threads_map
from people.models import OrgUnit, User
from training.models import Enrolment, TrainingClass


def pct(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k] * 1000


def make_questions(category, n, actor=None):
    questions = []
    for i in range(n):
        kind = ["single", "multiple", "true_false", "fill_in"][i % 4]
        if kind == "single":
            q = question_create(
                category=category,
                type=kind,
                stem=f"单选题 {i}",
                options=[("甲", True), ("乙", False), ("丙", False), ("丁", False)],
            )
        elif kind == "multiple":
            q = question_create(
                category=category,
                type=kind,
                stem=f"多选题 {i}",
                scoring="partial",
                options=[("甲", True), ("乙", True), ("丙", False), ("丁", False)],
            )
        elif kind == "true_false":
            q = question_create(category=category, type=kind, stem=f"判断题 {i}", true_false=True)
        else:
            q = question_create(
                category=category, type=kind, stem=f"填空题 {i}", accepted=["片区化组团式"]
            )
        questions.append(q)
    return questions


def answer_value(qtype, keys, rng):
    """What a trainee picks for a question of this type with these option keys."""
    if qtype == "single":
        return rng.choice(keys)
    if qtype == "multiple":
        return sorted(rng.sample(keys, rng.randint(1, len(keys))))
    if qtype == "true_false":
        return rng.random() < 0.7
    if qtype == "essay":
        return "结合本地实际，谈谈片区化组团式发展的做法。"
    return rng.choice(["片区化、组团式", "片区化组团式", "组团式"])


def answer_for(aq, rng):
    return answer_value(aq.version.data["type"], aq.option_order, rng)


class Step:
    """One autosave: a new answer (gets the next sequence number), or a resend of an
    earlier one with that one's number (a retry, or an old save arriving late)."""

    __slots__ = ("position", "value", "ref", "_seq")

    def __init__(self, position, value, ref=None):
        self.position, self.value, self.ref, self._seq = position, value, ref, None

    @property
    def seq(self):
        return self.ref.seq if self.ref is not None else self._seq

    @seq.setter
    def seq(self, value):
        self._seq = value


def answer_plan(questions, rng):
    """The saves a trainee on a bad network sends for [(position, type, option keys)]:
    a fifth of the answers changed once, a tenth of the saves repeated, and every
    overwritten save arriving again at the end. Returns (steps, final answer per position)."""
    steps, final, last, late = [], {}, {}, []
    for position, qtype, keys in questions:
        for _change in range(2 if rng.random() < 0.2 else 1):
            step = Step(position, answer_value(qtype, keys, rng))
            steps.append(step)
            if position in last:
                late.append(Step(position, last[position].value, ref=last[position]))
            last[position] = step
            final[position] = step.value
        if rng.random() < 0.1:  # a retry of the same save
            steps.append(Step(position, final[position], ref=last[position]))
    steps.extend(late)  # older saves arriving late
    return steps, final


def exam_questions(attempt_id):
    """[(position, type, option tokens in the order the page shows them)] of an attempt:
    what the exam page offers its trainee, read from the database (the bench shares it)
    instead of from the page. tests/loadtest/test_bench_exam.py checks the page agrees."""
    rows = (
        AttemptQuestion.objects.filter(attempt_id=attempt_id)
        .order_by("position")
        .values_list("position", "version__data", "option_order")
    )
    questions = []
    for position, data, keys in rows:
        if data["type"] in ("single", "multiple"):
            tokens = option_tokens(attempt_id=attempt_id, position=position, keys=keys or [])
            questions.append((position, data["type"], [tokens[k] for k in keys]))
        else:
            questions.append((position, data["type"], []))
    return questions


class Unexpected(Exception):
    """A response the browser would not have got on the happy path."""


class Unreachable(Exception):
    """No HTTP answer at all (connection refused, timeout)."""


class HttpTrainee:
    """One phone: a browser of its own (a Locust FastHttpSession with its cookie jar: the
    session made here, the CSRF cookie from the server)."""

    def __init__(self, user, session_key, http):
        self.user = user
        self.http = http
        self.session_key = session_key
        self.attempt_id = None
        self.questions = []
        self.offset_ms = 0
        self.last_seq = 0

    def next_seq(self):
        """quiz.js's nextSeq(): the server-corrected clock in ms, always increasing."""
        self.last_seq = max(int(time.time() * 1000) + self.offset_ms, self.last_seq + 1)
        return self.last_seq


class _Collecting:
    """run(fn, *a): a worker's step; its exception is counted and shown, never hidden."""

    def run(self, fn, *a):
        try:
            return fn(*a)
        except Exception as exc:
            with self.lock:
                self.errors.append(repr(exc))
            return None
        finally:
            self.release()

    def release(self):
        """What a worker thread gives back after each step (nothing by default)."""


class HttpExam:
    """Drives a running server the way the exam page does: the quiz page, the start form,
    the exam page, quiz.js's JSON autosaves (X-CSRFToken, sequence numbers from the
    server-corrected clock), the submit form and the result page. Each trainee is a
    browser run by Locust users (loadtest.drive), `workers` of them in flight. Trainees
    are logged in by sessions created here, so the server must share this database and
    SECRET_KEY; forms carry the csrftoken cookie's value, as Django accepts."""

    def __init__(self, command, base, quiz, users, workers):
        self.out = command.stdout
        self.base, self.quiz, self.users, self.workers = base, quiz, users, workers
        self.start_t, self.answer_t, self.submit_t = [], [], []
        self.page_t, self.result_t = [], []
        self.errors = []
        self.unexpected: dict[str, int] = {}
        self.requests = 0
        self.intended: dict[int, dict[int, object]] = {}
        self.attempt_ids = []
        self.lock = threading.Lock()
        self.trainees = []

    # -- plumbing ----------------------------------------------------------------------

    def request(self, trainee, name, method, path, *, expect, timings=None, http=None, **kw):
        url = path if path.startswith("http") else self.base + path
        if method == "POST":
            # What a browser adds to a same-origin POST; CSRF checks the Origin.
            kw.setdefault("headers", {}).update({"Origin": self.base, "Referer": url})
        t = time.perf_counter()
        response = (http or trainee.http).request(
            method, url, name=name, allow_redirects=False, **kw
        )
        elapsed = time.perf_counter() - t
        self.requests += 1
        if response.status_code == 0:
            raise Unreachable(f"{method} {url}: {response.error!r}")
        if timings is not None:
            timings.append(elapsed)
        if response.status_code != expect:
            key = f"{name} {response.status_code}"
            self.unexpected[key] = self.unexpected.get(key, 0) + 1
            raise Unexpected(
                f"{method} {url} -> {response.status_code} "
                f"{response.headers.get('Location', '')} {(response.text or '')[:200]!r}"
            )
        return response

    def pool(self, fn, items):
        """fn(item) for each item on `workers` Locust users; errors counted, never hidden."""
        results = self.driver.run(fn, items, users=self.workers)
        for i, result in enumerate(results):
            if isinstance(result, Exception):
                self.errors.append(repr(result))
                results[i] = None
        return results

    # -- the exam ----------------------------------------------------------------------

    def go(self):
        from loadtest.drive import Driver, cookie

        out = self.out
        t0 = time.perf_counter()
        self.driver = Driver(self.base)
        for user in self.users:
            key = logged_in_session_key(user)
            http = self.driver.session({settings.SESSION_COOKIE_NAME: key})
            self.trainees.append(HttpTrainee(user, key, http))
        detail = reverse("assessments:quiz_detail", args=[self.quiz.pk])
        start_path = reverse("assessments:attempt_start", args=[self.quiz.pk])

        def open_quiz(tr):  # the trainee waits on the quiz page for the exam to open
            self.request(tr, "quiz page", "GET", detail, expect=200)
            if not cookie(tr.http, "csrftoken"):
                raise Unexpected(f"no CSRF cookie from {detail} for {tr.user.username}")
            return tr

        # One first, alone: a server that does not share this database and SECRET_KEY
        # sends everybody to the login page, which is worth one clear message.
        first = self.driver.run(open_quiz, self.trainees[:1], users=1)[0]
        if isinstance(first, Unreachable):
            raise CommandError(f"cannot reach {self.base}: {first}")
        if isinstance(first, Unexpected):
            raise CommandError(
                f"{self.base} does not serve this bench's exam to its trainees ({first}); "
                "does it share this database and SECRET_KEY?"
            )
        if isinstance(first, Exception):
            raise first
        self.pool(open_quiz, self.trainees[1:])
        out.write(f"sessions and quiz pages {time.perf_counter() - t0:.1f}s")

        def start(tr):
            # The Locust users are all started at once: the first `workers` trainees
            # press the start button together.
            response = self.request(
                tr,
                "start",
                "POST",
                start_path,
                expect=302,
                timings=self.start_t,
                data={"csrfmiddlewaretoken": cookie(tr.http, "csrftoken")},
            )
            location = response.headers["Location"]
            try:
                match = resolve(urlsplit(location).path)
            except Resolver404:
                match = None
            if match is None or match.url_name != "attempt_take":
                raise Unexpected(f"start sent {tr.user.username} to {location}")
            # The browser follows the redirect to the exam page.
            self.request(
                tr,
                "exam page",
                "GET",
                urljoin(self.base, location),
                expect=200,
                timings=self.page_t,
            )
            tr.attempt_id = match.kwargs["pk"]
            return tr.attempt_id

        t0 = time.perf_counter()
        self.attempt_ids = self.pool(start, self.trainees)
        out.write(f"start phase {time.perf_counter() - t0:.1f}s")
        for tr in self.trainees:  # between the runs: the users never touch the database
            if tr.attempt_id:
                tr.questions = exam_questions(tr.attempt_id)

        def answer_all(tr):
            csrf = cookie(tr.http, "csrftoken")
            answer_url = reverse("assessments:attempt_answer", args=[tr.attempt_id])
            steps, final = answer_plan(tr.questions, random.Random(tr.attempt_id))
            keys = {position: keys for position, _type, keys in tr.questions}
            for step in steps:
                if step.ref is None:
                    step.seq = tr.next_seq()
                value = step.value
                if isinstance(value, list):  # checked boxes, in page order
                    value = [k for k in keys[step.position] if k in value]
                response = self.request(
                    tr,
                    "answer",
                    "POST",
                    answer_url,
                    expect=200,
                    timings=self.answer_t if step.ref is None else None,
                    data=json.dumps({"position": step.position, "answer": value, "seq": step.seq}),
                    headers={"Content-Type": "application/json", "X-CSRFToken": csrf},
                )
                body = response.json()
                if not body.get("ok"):
                    raise Unexpected(f"autosave refused: {body}")
                if body.get("serverNow"):
                    tr.offset_ms = body["serverNow"] - int(time.time() * 1000)
            self.intended[tr.attempt_id] = final

        t0 = time.perf_counter()
        self.pool(answer_all, [tr for tr in self.trainees if tr.attempt_id])
        out.write(f"answer phase {time.perf_counter() - t0:.1f}s")

        def submit(job):
            import gevent

            tr, twice = job
            submit_path = reverse("assessments:attempt_submit", args=[tr.attempt_id])
            post = {
                "data": {"csrfmiddlewaretoken": cookie(tr.http, "csrftoken")},
                "expect": 302,
                "timings": self.submit_t,
            }
            if not twice:
                response = self.request(tr, "submit", "POST", submit_path, **post)
            else:
                # A double tap: a second tab of the same phone, both posts in flight at once.
                other = self.driver.session()
                for c in tr.http.cookiejar:
                    other.cookiejar.set_cookie(c)
                second = gevent.spawn(
                    self.request, tr, "submit", "POST", submit_path, http=other, **post
                )
                response = self.request(tr, "submit", "POST", submit_path, **post)
                second.get()  # its exception, if any, is this trainee's
            result_path = reverse("assessments:attempt_result", args=[tr.attempt_id])
            if urlsplit(response.headers["Location"]).path != result_path:
                raise Unexpected(f"submit sent {tr.user.username} to {response.headers}")
            self.request(
                tr,
                "result page",
                "GET",
                urljoin(self.base, response.headers["Location"]),
                expect=200,
                timings=self.result_t,
            )

        jobs = [(tr, i % 10 == 0) for i, tr in enumerate(self.trainees) if tr.attempt_id]
        t0 = time.perf_counter()
        self.pool(submit, jobs)
        out.write(f"submit phase {time.perf_counter() - t0:.1f}s")

    def report(self):
        wrong = ", ".join(f"{k}: {n}" for k, n in sorted(self.unexpected.items())) or "none"
        self.out.write(
            f"http: {self.requests} requests, unexpected responses {wrong}; "
            f"exam page p50 {pct(self.page_t, 50):.0f} ms p95 {pct(self.page_t, 95):.0f} ms, "
            f"result page p95 {pct(self.result_t, 95):.0f} ms"
        )

    def cleanup(self):
        store_class = import_module(settings.SESSION_ENGINE).SessionStore
        for tr in self.trainees:
            store_class(session_key=tr.session_key).delete()


class Command(BaseCommand):
    help = (
        "Benchmark a synchronised exam: in process against the configured database, or "
        "with --url over HTTP against a running server that shares this database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=300)
        parser.add_argument("--questions", type=int, default=50)
        parser.add_argument(
            "--workers", type=int, default=None, help="trainees in flight at once (threads)"
        )
        parser.add_argument(
            "--url",
            default="",
            help="base URL of a running server (same database and SECRET_KEY): drive the "
            "exam pages over HTTP as the browser does, instead of calling the services",
        )
        parser.add_argument("--keep", action="store_true", help="keep the bench data")

    def handle(self, *args, trainees, questions, workers, url, keep, **options):
        vendor = connection.vendor
        if vendor == "sqlite" and not url:
            # SQLite takes the write lock at BEGIN IMMEDIATE and waits for it, instead of
            # failing with "database is locked" when a reader upgrades; PostgreSQL needs nothing.
            options = connections.settings["default"].setdefault("OPTIONS", {})
            options.setdefault("transaction_mode", "IMMEDIATE")
            options.setdefault("timeout", 30)
            connections.close_all()
        workers = workers or (16 if vendor == "postgresql" or url else 4)
        tag = uuid.uuid4().hex[:8]
        out = self.stdout
        mode = f"http {url}" if url else "in process"
        out.write(f"database: {vendor}, workers: {workers}, {mode}, bench tag {tag}")
        t0 = time.perf_counter()
        klass, quiz, category, users = self.setup(tag, trainees, questions)
        out.write(f"setup {time.perf_counter() - t0:.1f}s")

        self._grading_objects = None
        self._session_keys = []
        run = None
        try:
            if url:
                run = HttpExam(self, url.rstrip("/"), quiz, users, workers)
            else:
                run = InProcessExam(self, quiz, users, workers)
            run.go()
            lost, double = self.verify(trainees, quiz, run)
            grade_ms, grade_pure_ms = self.bench_grading(tag)
        finally:
            if not keep:
                self.cleanup(tag, klass, quiz, category, run)
        out.write(
            f"grading a 100-question attempt: submit {grade_ms:.1f} ms "
            f"(answer checking alone {grade_pure_ms:.2f} ms)"
        )
        out.write(
            f"exam: {trainees} trainees, start p50 {pct(run.start_t, 50):.0f} ms "
            f"p95 {pct(run.start_t, 95):.0f} ms, "
            f"answer p95 {pct(run.answer_t, 95):.0f} ms, "
            f"submit p95 {pct(run.submit_t, 95):.0f} ms, "
            f"lost {lost}, double-graded {double}"
        )

    # -- setup and checks (both modes) ---------------------------------------------------

    def setup(self, tag, trainees, questions):
        with transaction.atomic():
            unit = OrgUnit.objects.filter(depth=1).first() or OrgUnit.add_root(
                name=f"bench-{tag}", level="province", code=f"b{tag}"
            )
            klass = TrainingClass.objects.create(
                name=f"bench exam {tag}",
                code=f"bench-{tag}",
                organising_unit=unit,
                provider="bench",
                start_date=date.today(),
                end_date=date.today(),
                credit_hours=Decimal("1"),
                status="running",
            )
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"bench-{tag}-{i}", full_name=f"考生{i}", phone=None, password="!"
                    )
                    for i in range(trainees)
                ]
            )
            if not users[0].pk:
                users = list(
                    User.objects.filter(username__startswith=f"bench-{tag}-").order_by("pk")
                )
            Enrolment.objects.bulk_create(
                [Enrolment(training_class=klass, trainee=u) for u in users]
            )
            category = QuestionCategory.objects.create(name=f"bench-{tag}")
            make_questions(category, questions)
            quiz = Quiz.objects.create(
                title=f"bench exam {tag}",
                training_class=klass,
                is_final_exam=True,
                time_limit_minutes=60,
                attempts_allowed=1,
                shuffle_questions=True,
                shuffle_options=True,
                layout=Quiz.Layout.ONE_PAGE,
            )
            QuizSlot.objects.create(quiz=quiz, category=category, draw_count=questions)
        return klass, quiz, category, users

    def verify(self, trainees, quiz, run):
        """Count from the database: every intended answer stored, every attempt graded once."""
        out = self.stdout
        started = [a for a in run.attempt_ids if a]
        lost = trainees - len(started)
        for attempt_id, final in run.intended.items():
            rows = AttemptQuestion.objects.filter(attempt_id=attempt_id).values_list(
                "position", "answer", "option_order"
            )
            stored, key_of = {}, {}
            for position, answer, keys in rows:
                stored[position] = answer
                # Over HTTP the bench answered with the page's option tokens; the server
                # stores the keys they stand for.
                tokens = option_tokens(attempt_id=attempt_id, position=position, keys=keys or [])
                key_of[position] = {token: key for key, token in tokens.items()}
            for position, value in final.items():
                keys = key_of.get(position, {})
                if isinstance(value, list):
                    expected = sorted(keys.get(v, v) for v in value)
                elif isinstance(value, str):
                    expected = keys.get(value, value)
                else:
                    expected = value
                if stored.get(position) != expected:
                    lost += 1
        lost += len(started) - len(run.intended)
        attempts = Attempt.objects.filter(quiz=quiz)
        # Each trainee's attempt is the one the bench drove (over HTTP: the one the start
        # redirected to), and nobody got a second one.
        owners = dict(attempts.values_list("pk", "trainee_id"))
        foreign = sum(
            1
            for user, a in zip(run.users, run.attempt_ids, strict=True)
            if a and owners.get(a) != user.pk
        )
        # Graded more than once; an attempt never graded is counted as lost (not submitted).
        double = attempts.filter(graded_count__gt=1).count()
        not_submitted = attempts.exclude(status=Attempt.Status.SUBMITTED).count()
        ct = ContentType.objects.get_for_model(Attempt)
        submit_logs = ModelLogEntry.objects.filter(
            content_type=ct,
            action="assessments.attempt_submit",
            object_id__in=[str(a) for a in started],
        ).count()
        double += max(0, submit_logs - attempts.count())
        if run.errors:
            out.write(f"errors: {len(run.errors)} e.g. {run.errors[:3]}")
        out.write(
            f"attempts {attempts.count()}, not submitted {not_submitted}, "
            f"submit log entries {submit_logs}, attempts not the trainee's own {foreign}"
        )
        run.report()
        return lost + not_submitted + foreign, double

    def bench_grading(self, tag):
        with transaction.atomic():
            user = User.objects.create(
                username=f"bench-{tag}-grader", full_name="考生", password="!"
            )
            category = QuestionCategory.objects.create(name=f"bench-{tag}-100")
            make_questions(category, 100)
            quiz = Quiz.objects.create(title=f"bench 100 {tag}", attempts_allowed=0)
            QuizSlot.objects.create(quiz=quiz, category=category, draw_count=100)
        self._grading_objects = (quiz, category)
        attempt = attempt_start(quiz=quiz, trainee=user)
        rng = random.Random(1)
        aqs = list(attempt.questions.select_related("version"))
        for aq in aqs:
            aq.answer = answer_for(aq, rng)
            if isinstance(aq.answer, list):
                aq.answer = sorted(aq.answer)
        AttemptQuestion.objects.bulk_update(aqs, ["answer"])
        t = time.perf_counter()
        for aq in aqs:
            score_answer(aq.version.data, aq.answer, aq.points)
        pure = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        attempt_submit(attempt_id=attempt.pk, trainee=user)
        full = (time.perf_counter() - t) * 1000
        return full, pure

    def cleanup(self, tag, klass, quiz, category, run):
        quizzes, categories = [quiz], [category]
        if self._grading_objects:
            quizzes.append(self._grading_objects[0])
            categories.append(self._grading_objects[1])
        with transaction.atomic():
            ct = ContentType.objects.get_for_model(Attempt)
            attempt_ids = list(
                Attempt.objects.filter(quiz__in=quizzes).values_list("pk", flat=True)
            )
            ModelLogEntry.objects.filter(
                content_type=ct, object_id__in=[str(pk) for pk in attempt_ids]
            ).delete()
            self._cleanup_deadline_jobs(attempt_ids)
            Attempt.objects.filter(quiz__in=quizzes).delete()
            QuizSlot.objects.filter(quiz__in=quizzes).delete()
            Quiz.objects.filter(pk__in=[q.pk for q in quizzes]).delete()
            for cat in categories:
                Question.objects.filter(category=cat).update(current_version=None)
                Question.objects.filter(category=cat).delete()
                cat.delete()
            Enrolment.objects.filter(training_class=klass).delete()
            klass.delete()
            User.objects.filter(username__startswith=f"bench-{tag}-").delete()
            OrgUnit.objects.filter(code=f"b{tag}").delete()
        if run is not None:
            run.cleanup()

    def _cleanup_deadline_jobs(self, attempt_ids):
        """Each timed attempt queued a job for its deadline; drop the bench's ones."""
        try:
            from django_tasks_db.models import DBTaskResult
        except ImportError:  # another task backend: nothing stored here
            return
        if not attempt_ids or "django_tasks_db" not in {
            a.split(".")[0] for a in settings.INSTALLED_APPS
        }:
            return
        wanted = set(attempt_ids)
        path = "assessments.tasks.submit_attempt_if_overdue"
        ready = DBTaskResult.objects.filter(task_path=path, status="READY")
        doomed = [
            pk
            for pk, ak in ready.values_list("pk", "args_kwargs")
            if (ak or {}).get("args") and ak["args"][0] in wanted
        ]
        DBTaskResult.objects.filter(pk__in=doomed, status="READY").delete()


class InProcessExam(_Collecting):
    """Calls the services from worker threads, each with its own database connection kept
    for the whole phase, as an app process keeps its connection between requests."""

    def __init__(self, command, quiz, users, workers):
        self.out = command.stdout
        self.quiz, self.users, self.workers = quiz, users, workers
        self.start_t, self.answer_t, self.submit_t = [], [], []
        self.errors = []
        self.intended: dict[int, dict[int, object]] = {}
        self.attempt_ids = []
        self.lock = threading.Lock()

    def go(self):
        quiz, users, workers, lock, out = self.quiz, self.users, self.workers, self.lock, self.out
        barrier = threading.Barrier(min(workers, len(users)))

        def start(user):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            t = time.perf_counter()
            attempt = attempt_start(quiz=quiz, trainee=user)
            elapsed = time.perf_counter() - t  # before the lock: waiting for it is not the call's
            with lock:
                self.start_t.append(elapsed)
            return attempt.pk

        t0 = time.perf_counter()
        self.attempt_ids = threads_map(lambda u: self.run(start, u), users, workers)
        out.write(f"start phase {time.perf_counter() - t0:.1f}s")

        def answer_all(args):
            user, attempt_id = args
            # Plain rows: this thread's bookkeeping competes for the GIL with the others' saves.
            rows = (
                AttemptQuestion.objects.filter(attempt_id=attempt_id)
                .order_by("position")
                .values_list("position", "version__data", "option_order")
            )
            steps, final = answer_plan(
                [(position, data["type"], keys) for position, data, keys in rows],
                random.Random(attempt_id),
            )
            seq = 0
            for step in steps:
                if step.ref is None:
                    seq += 1
                    step.seq = seq
                t = time.perf_counter()
                attempt_answer_save(
                    attempt_id=attempt_id,
                    trainee=user,
                    position=step.position,
                    answer=step.value,
                    seq=step.seq,
                )
                if step.ref is None:
                    elapsed = time.perf_counter() - t
                    with lock:
                        self.answer_t.append(elapsed)
            with lock:
                self.intended[attempt_id] = final

        t0 = time.perf_counter()
        threads_map(
            lambda a: self.run(answer_all, a),
            [(u, a) for u, a in zip(users, self.attempt_ids, strict=True) if a],
            workers,
        )
        out.write(f"answer phase {time.perf_counter() - t0:.1f}s")

        def submit(args):
            user, attempt_id = args
            t = time.perf_counter()
            attempt_submit(attempt_id=attempt_id, trainee=user)
            elapsed = time.perf_counter() - t
            with lock:
                self.submit_t.append(elapsed)

        jobs = []
        for i, (u, a) in enumerate(zip(users, self.attempt_ids, strict=True)):
            if a:
                jobs.append((u, a))
                if i % 10 == 0:
                    jobs.append((u, a))  # a double tap, in flight at the same time
        t0 = time.perf_counter()
        threads_map(lambda j: self.run(submit, j), jobs, workers)
        out.write(f"submit phase {time.perf_counter() - t0:.1f}s")

    def report(self):
        pass

    def cleanup(self):
        pass
