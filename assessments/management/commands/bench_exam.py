"""Simulate a synchronised exam: N trainees start within seconds, answer every question
(with duplicate and out-of-order saves, as phones on a bad network send them) and submit
(a tenth of them twice at once). Lost answers and double grading are counted from the
database afterwards, never assumed. Bench data is removed at the end unless --keep."""

import contextlib
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection, connections, transaction
from wagtail.models import ModelLogEntry

from assessments.grading import score_answer
from assessments.models import Attempt, AttemptQuestion, Question, QuestionCategory, Quiz, QuizSlot
from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
from assessments.services.questions import question_create
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


def answer_for(aq, rng):
    data = aq.version.data
    keys = aq.option_order
    if data["type"] == "single":
        return rng.choice(keys)
    if data["type"] == "multiple":
        return sorted(rng.sample(keys, rng.randint(1, len(keys))))
    if data["type"] == "true_false":
        return rng.random() < 0.7
    return rng.choice(["片区化、组团式", "片区化组团式", "组团式"])


class Command(BaseCommand):
    help = "Benchmark a synchronised exam against the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=300)
        parser.add_argument("--questions", type=int, default=50)
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument("--keep", action="store_true", help="keep the bench data")

    def handle(self, *args, trainees, questions, workers, keep, **options):
        vendor = connection.vendor
        if vendor == "sqlite":
            # SQLite takes the write lock at BEGIN IMMEDIATE and waits for it, instead of
            # failing with "database is locked" when a reader upgrades; PostgreSQL needs nothing.
            options = connections.settings["default"].setdefault("OPTIONS", {})
            options.setdefault("transaction_mode", "IMMEDIATE")
            options.setdefault("timeout", 30)
            connections.close_all()
        workers = workers or (16 if vendor == "postgresql" else 4)
        tag = uuid.uuid4().hex[:8]
        out = self.stdout
        out.write(f"database: {vendor}, workers: {workers}, bench tag {tag}")
        t0 = time.perf_counter()
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
                users = list(User.objects.filter(username__startswith=f"bench-{tag}-"))
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
            )
            QuizSlot.objects.create(quiz=quiz, category=category, draw_count=questions)
        out.write(f"setup {time.perf_counter() - t0:.1f}s")

        start_t, answer_t, submit_t = [], [], []
        errors = []
        intended: dict[int, dict[int, object]] = {}
        lock = threading.Lock()
        barrier = threading.Barrier(min(workers, trainees))

        def run(fn, *a):
            try:
                return fn(*a)
            except Exception as exc:  # counted and shown, never hidden
                with lock:
                    errors.append(repr(exc))
                return None
            finally:
                connections.close_all()

        def start(user):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
            t = time.perf_counter()
            attempt = attempt_start(quiz=quiz, trainee=user)
            with lock:
                start_t.append(time.perf_counter() - t)
            return attempt.pk

        t0 = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            attempt_ids = list(pool.map(lambda u: run(start, u), users))
        out.write(f"start phase {time.perf_counter() - t0:.1f}s")

        def answer_all(args):
            user, attempt_id = args
            close_old_connections()
            rng = random.Random(attempt_id)
            aqs = list(
                AttemptQuestion.objects.filter(attempt_id=attempt_id).select_related("version")
            )
            seq = 0
            final = {}
            late_old = []
            for aq in aqs:
                for _change in range(2 if rng.random() < 0.2 else 1):
                    seq += 1
                    value = answer_for(aq, rng)
                    t = time.perf_counter()
                    attempt_answer_save(
                        attempt_id=attempt_id,
                        trainee=user,
                        position=aq.position,
                        answer=value,
                        seq=seq,
                    )
                    with lock:
                        answer_t.append(time.perf_counter() - t)
                    if final.get(aq.position) is not None:
                        late_old.append((aq.position, final[aq.position], seq - 1))
                    final[aq.position] = value
                if rng.random() < 0.1:  # a retry of the same save
                    attempt_answer_save(
                        attempt_id=attempt_id,
                        trainee=user,
                        position=aq.position,
                        answer=final[aq.position],
                        seq=seq,
                    )
            for position, old_value, old_seq in late_old:  # an older save arriving late
                attempt_answer_save(
                    attempt_id=attempt_id,
                    trainee=user,
                    position=position,
                    answer=old_value,
                    seq=old_seq,
                )
            with lock:
                intended[attempt_id] = final

        t0 = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(
                pool.map(
                    lambda a: run(answer_all, a),
                    [(u, a) for u, a in zip(users, attempt_ids, strict=True) if a],
                )
            )
        out.write(f"answer phase {time.perf_counter() - t0:.1f}s")

        def submit(args):
            user, attempt_id = args
            t = time.perf_counter()
            attempt_submit(attempt_id=attempt_id, trainee=user)
            with lock:
                submit_t.append(time.perf_counter() - t)

        jobs = []
        for i, (u, a) in enumerate(zip(users, attempt_ids, strict=True)):
            if a:
                jobs.append((u, a))
                if i % 10 == 0:
                    jobs.append((u, a))  # a double tap, in flight at the same time
        t0 = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda j: run(submit, j), jobs))
        out.write(f"submit phase {time.perf_counter() - t0:.1f}s")

        # Check the database: every intended answer stored, every attempt graded once.
        lost = trainees - len([a for a in attempt_ids if a])
        for attempt_id, final in intended.items():
            stored = dict(
                AttemptQuestion.objects.filter(attempt_id=attempt_id).values_list(
                    "position", "answer"
                )
            )
            for position, value in final.items():
                expected = sorted(value) if isinstance(value, list) else value
                if stored.get(position) != expected:
                    lost += 1
        lost += len([a for a in attempt_ids if a]) - len(intended)
        attempts = Attempt.objects.filter(quiz=quiz)
        double = attempts.exclude(graded_count=1).count()
        not_submitted = attempts.exclude(status=Attempt.Status.SUBMITTED).count()
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Attempt)
        submit_logs = ModelLogEntry.objects.filter(
            content_type=ct,
            action="assessments.attempt_submit",
            object_id__in=[str(a) for a in attempt_ids if a],
        ).count()
        double += max(0, submit_logs - attempts.count())
        if errors:
            out.write(f"errors: {len(errors)} e.g. {errors[:3]}")
        out.write(
            f"attempts {attempts.count()}, not submitted {not_submitted}, "
            f"submit log entries {submit_logs}"
        )

        grade_ms, grade_pure_ms = self.bench_grading(unit, tag)

        if not keep:
            self.cleanup(tag, klass, quiz, category, users)
        out.write(
            f"grading a 100-question attempt: submit {grade_ms:.1f} ms "
            f"(answer checking alone {grade_pure_ms:.2f} ms)"
        )
        out.write(
            f"exam: {trainees} trainees, start p50 {pct(start_t, 50):.0f} ms "
            f"p95 {pct(start_t, 95):.0f} ms, "
            f"answer p95 {pct(answer_t, 95):.0f} ms, submit p95 {pct(submit_t, 95):.0f} ms, "
            f"lost {lost + not_submitted}, double-graded {double}"
        )

    def bench_grading(self, unit, tag):
        with transaction.atomic():
            user = User.objects.create(
                username=f"bench-{tag}-grader", full_name="考生", password="!"
            )
            category = QuestionCategory.objects.create(name=f"bench-{tag}-100")
            make_questions(category, 100)
            quiz = Quiz.objects.create(title=f"bench 100 {tag}", attempts_allowed=0)
            QuizSlot.objects.create(quiz=quiz, category=category, draw_count=100)
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
        self._grading_objects = (quiz, category, user)
        return full, pure

    def cleanup(self, tag, klass, quiz, category, users):
        quiz2, category2, user2 = self._grading_objects
        with transaction.atomic():
            from django.contrib.contenttypes.models import ContentType

            ct = ContentType.objects.get_for_model(Attempt)
            ids = [
                str(pk)
                for pk in Attempt.objects.filter(quiz__in=[quiz, quiz2]).values_list(
                    "pk", flat=True
                )
            ]
            ModelLogEntry.objects.filter(content_type=ct, object_id__in=ids).delete()
            Attempt.objects.filter(quiz__in=[quiz, quiz2]).delete()
            QuizSlot.objects.filter(quiz__in=[quiz, quiz2]).delete()
            Quiz.objects.filter(pk__in=[quiz.pk, quiz2.pk]).delete()
            for cat in (category, category2):
                Question.objects.filter(category=cat).update(current_version=None)
                Question.objects.filter(category=cat).delete()
                cat.delete()
            Enrolment.objects.filter(training_class=klass).delete()
            klass.delete()
            User.objects.filter(username__startswith=f"bench-{tag}-").delete()
            OrgUnit.objects.filter(code=f"b{tag}").delete()
