"""The data of the year-end rush profile (`make capacity`, loadtest/locustfiles/rush.py),
in the database of a running production profile. Safe to run again: the people, class,
course link and quiz are looked up first; each run adds a fresh check-in session, resets
the lesson views' heartbeat counters and makes new logged-in sessions.

    python manage.py capacity_data --trainees 2000 --answering 400 \
        --out var/prod-local/capacity.json

- `--trainees` trainees (cap-0001…) on one running class (code "capacity") that has a
  demo course with lessons on its curriculum, so the lessons, 我的学习 and the case library
  are theirs to open. Enough of them that the closed-loop heartbeat phase stays under the
  per-trainee limit (COURSES_HEARTBEAT_RATE_PER_MINUTE, 12 beats a minute).
- one lesson view (study token) per trainee for the heartbeats;
- `--answering` of them with an open attempt of a 10-question fill-in quiz, for the
  autosaves;
- a check-in session running now;
- a logged-in session per trainee and one for the organiser, made here (no login request
  per user, as bench_checkin does).

The JSON written to --out is what the Locust processes read: the paths, the session
keys, the study tokens and the attempts. It holds live session keys: it stays in var/.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, QuestionCategory, Quiz, QuizSlot
from assessments.services.attempts import attempt_start
from assessments.services.questions import question_create
from courses.models import CaseStudyIndexPage, ClassCourse, CoursePage, LessonPage, StudyView
from courses.services import study_view_open
from loadtest.bench import logged_in_session_key
from people.models import OrgUnit, User
from people.roles import Role
from training.models import ClassSession, Enrolment, TrainingClass

CLASS_CODE = "capacity"
PREFIX = "cap-"
QUESTIONS = 10


class Command(BaseCommand):
    help = "Seed the year-end rush profile's trainees, lesson views, attempts and sessions."

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=2000)
        parser.add_argument("--answering", type=int, default=400)
        parser.add_argument("--organiser", default="xy_organiser")
        parser.add_argument("--out", default="var/prod-local/capacity.json")

    def handle(self, *args, trainees, answering, organiser, out, **options):
        organiser_user = User.objects.filter(username=organiser).first()
        if organiser_user is None:
            raise CommandError(f"no user {organiser}: seed the demo first (seed_demo)")
        lesson = (
            LessonPage.objects.live().filter(min_study_minutes__gt=0).order_by("path").first()
            or LessonPage.objects.live().order_by("path").first()
        )
        if lesson is None:
            raise CommandError("no live lesson: seed the demo first (seed_demo)")
        course = CoursePage.objects.ancestor_of(lesson).live().first()
        cases = CaseStudyIndexPage.objects.live().first()
        people = self._trainees(trainees)
        klass = self._class(people, course)
        session = self._checkin_session(klass)
        tokens = self._study_tokens(people, lesson, course)
        attempts = self._attempts(klass, people[:answering])
        keys = {p.pk: logged_in_session_key(p) for p in people}
        data = {
            "paths": {
                "floor": "/healthz",
                "heartbeat": reverse("courses:heartbeat"),
                "lesson": lesson.get_url(),
                "my_learning": reverse("courses:my_learning"),
                "cases": cases.get_url() if cases else reverse("courses:my_learning"),
                "checkin": reverse("attendance:checkin", kwargs={"session_pk": session.pk}),
                "overview": reverse("reports_admin:overview"),
            },
            "session_id": session.pk,
            "organiser": logged_in_session_key(organiser_user),
            "trainees": [
                {
                    "session": keys[p.pk],
                    "study": tokens[p.pk],
                    "answer": attempts.get(p.pk),
                }
                for p in people
            ],
        }
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(data))
        self.stdout.write(
            f"capacity data: {len(people)} trainees, {len(attempts)} open attempts, "
            f"lesson {data['paths']['lesson']}, check-in session {session.pk} -> {out}"
        )

    def _trainees(self, n):
        unit = OrgUnit.objects.filter(code="CAP0").first() or OrgUnit.add_root(
            code="CAP0", name="容量测试单位", level=OrgUnit.Level.PROVINCE
        )
        names = [f"{PREFIX}{i:04d}" for i in range(1, n + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        User.objects.bulk_create(
            [
                User(username=name, full_name=f"容量学员{name[-4:]}", org_unit=unit, password="!")
                for name in names
                if name not in existing
            ]
        )
        people = list(User.objects.filter(username__in=names).order_by("username"))
        Group.objects.get(name=str(Role.TRAINEE)).user_set.add(*people)
        return people

    def _class(self, people, course):
        today = timezone.localdate()
        klass, _ = TrainingClass.objects.get_or_create(
            code=CLASS_CODE,
            defaults={
                "name": "年终冲刺容量测试班",
                "organising_unit": people[0].org_unit,
                "provider": "capacity",
                "start_date": today,
                "end_date": today + datetime.timedelta(days=365),
                "credit_hours": Decimal("3.0"),
                "status": TrainingClass.Status.RUNNING,
            },
        )
        Enrolment.objects.bulk_create(
            [Enrolment(training_class=klass, trainee=p) for p in people], ignore_conflicts=True
        )
        if course is not None:
            ClassCourse.objects.get_or_create(training_class=klass, course=course)
        return klass

    def _checkin_session(self, klass):
        now = timezone.now()
        return ClassSession.objects.create(
            training_class=klass,
            date=timezone.localdate(),
            half_day=ClassSession.HalfDay.MORNING,
            starts_at=now - datetime.timedelta(minutes=1),
            ends_at=now + datetime.timedelta(hours=3),
            title=f"容量测试 {timezone.localtime(now):%H:%M:%S}",
            credit_hours=Decimal("3.0"),
        )

    def _study_tokens(self, people, lesson, course):
        """One lesson view per trainee, as opening the lesson makes; its heartbeat
        counter starts again at 0 on each run (the profile counts from 1)."""
        views = dict(  # the newest view of each trainee (later rows win)
            StudyView.objects.filter(trainee__in=people, lesson=lesson)
            .order_by("pk")
            .values_list("trainee_id", "pk")
        )
        for person in people:
            if person.pk not in views:
                views[person.pk] = study_view_open(trainee=person, lesson=lesson, course=course).pk
        StudyView.objects.filter(pk__in=views.values()).update(last_seq=0, last_beat_at=None)
        tokens = dict(StudyView.objects.filter(pk__in=views.values()).values_list("pk", "token"))
        return {trainee: str(tokens[pk]) for trainee, pk in views.items()}

    def _attempts(self, klass, people):
        quiz = Quiz.objects.filter(title="容量测试测验", training_class=klass).first()
        if quiz is None:
            category = QuestionCategory.objects.create(name="容量测试")
            for i in range(QUESTIONS):
                question_create(
                    category=category, type="fill_in", stem=f"填空题 {i}", accepted=["组团式"]
                )
            quiz = Quiz.objects.create(
                title="容量测试测验",
                training_class=klass,
                attempts_allowed=0,
                layout=Quiz.Layout.ONE_PAGE,
            )
            QuizSlot.objects.create(quiz=quiz, category=category, draw_count=QUESTIONS)
        open_attempts = dict(
            Attempt.objects.filter(
                quiz=quiz, trainee__in=people, status=Attempt.Status.IN_PROGRESS
            ).values_list("trainee_id", "pk")
        )
        for person in people:
            if person.pk not in open_attempts:
                open_attempts[person.pk] = attempt_start(quiz=quiz, trainee=person).pk
        return {
            trainee: reverse("assessments:attempt_answer", args=[pk])
            for trainee, pk in open_attempts.items()
        }
