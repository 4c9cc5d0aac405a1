"""Every screen a person reaches speaks their language: Chinese with no stray English, and
English with no stray Chinese, for each staff role and for trainees (issue 16).

Each test signs in as one demo account and reads, breadth first, every screen it reaches
(tests/crawl/harness.py): for staff, the admin menu and its sub-menus, each list, and the
add and edit forms and detail screens linked from them (the first row of each list); for
a trainee, the site's navigation, a course, a lesson, a case, their classes, the check-in
result, the leave form, a quiz, assignments, certificates and their credit hours.

    .venv/bin/python -m pytest tests/crawl/test_language.py -q              all of it
    .venv/bin/python -m pytest tests/crawl/test_language.py -q -k "zh and adviser"

A failure lists each page (URL and view) with the offending words and the text they were
found in; `test-artifacts/crawl/<language>-<role>.txt` lists every screen read. The run
ends with a "screens crawled" table: pages read per role and language.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.crawl.conftest import ANONYMOUS, STAFF_ROLES, TRAINEE_ROLES
from tests.crawl.harness import (
    STAFF,
    TRAINEE,
    Crawler,
    offending,
    report,
    sidebar_urls,
    view_name,
)

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "crawl"
LANGUAGES = ["zh-hans", "en"]

# What a trainee's crawl must reach, or it says nothing about those screens.
TRAINEE_VIEWS = {
    ("courses:my_learning", None),
    ("wagtail_serve", "courseindexpage"),
    ("wagtail_serve", "coursepage"),
    ("wagtail_serve", "lessonpage"),
    ("wagtail_serve", "casestudyindexpage"),
    ("wagtail_serve", "casestudypage"),
    ("training:my_classes", None),
    ("training:class_detail", None),
    ("attendance:my_attendance", None),
    ("attendance:checkin", None),
    ("attendance:leave_create", None),
    ("assessments:my_work", None),
    ("assessments:quiz_detail", None),
    ("assessments:attempt_take", None),
    ("assessments:assignment_detail", None),
    ("certificates:my_certificates", None),
    ("ledger:my_ledger", None),
}
# Add and edit forms each staff role must reach (a sample: the crawl finds many more).
STAFF_VIEWS = {
    "superuser": {
        "training_class:add",
        "training_class:edit",
        "training_admin:session_create",
        "training_admin:session_edit",
        "wagtailadmin_pages:add",
        "wagtailadmin_pages:edit",
        "wagtailsnippets_assessments_question:add",
        "wagtailsnippets_assessments_quiz:edit",
        "certificates_admin:class_rule",
    },
    "city_organiser": {
        "training_class:add",
        "training_class:edit",
        "training_admin:session_edit",
        "wagtailadmin_pages:edit",
        "certificates_admin:class_rule",
    },
    "county_organiser": {"training_class:add", "training_class:edit"},
    "instructor": {"wagtailadmin_pages:add", "wagtailadmin_pages:edit"},
    "adviser": {"attendance_admin:record_edit", "attendance_admin:leave_list"},
}


def trainee_screens(client, user) -> list[str]:
    """Screens no link leads to without a step first: the check-in page (a QR code leads
    there), the leave form of a class still to come (given a session to miss), a quiz
    being taken."""
    from assessments.models import Attempt, Quiz
    from attendance.tokens import token_make
    from certificates.models import Certificate
    from people.models import User
    from training.models import ClassSession, Enrolment, TrainingClass
    from training.services.roster import enrolment_add

    admin = User.objects.get(username=STAFF_ROLES["superuser"])
    upcoming = TrainingClass.objects.filter(status=TrainingClass.Status.ENROLLING).first()
    enrolment_add(actor=admin, training_class=upcoming, trainee=user)
    if not upcoming.sessions.exists():
        from tests.training.factories import ClassSessionFactory

        title = ClassSession.objects.order_by("pk").values_list("title", flat=True).first()
        ClassSessionFactory(training_class=upcoming, date=upcoming.start_date, title=title)
    classes = Enrolment.objects.filter(trainee=user).values("training_class")
    session = ClassSession.objects.filter(training_class__in=classes).order_by("-starts_at")[0]
    urls = [
        reverse("attendance:my_attendance"),
        reverse("training:class_detail", kwargs={"pk": upcoming.pk}),
        reverse("attendance:leave_create", kwargs={"class_pk": upcoming.pk}),
        reverse("attendance:checkin", kwargs={"session_pk": session.pk})
        + f"?t={token_make(session_id=session.pk)}",
        reverse("certificates:verify_lookup"),
    ]
    started = Attempt.objects.filter(trainee=user).values("quiz")
    for quiz in Quiz.objects.filter(training_class__in=classes).exclude(pk__in=started):
        response = client.post(reverse("assessments:attempt_start", kwargs={"pk": quiz.pk}))
        if "/attempt/" in response.get("Location", ""):
            urls.append(response["Location"])
            break
    for certificate in Certificate.objects.filter(trainee=user)[:1]:
        urls.append(reverse("certificates:verify", kwargs={"code": certificate.verification_code}))
    return urls


def staff_screens(user) -> list[str]:
    """The timetable of the latest class that has one: the first class of the list (the
    demo's class still enrolling) has no sessions yet, so no session to edit."""
    from training.selectors import class_list_for_staff

    classes = class_list_for_staff(viewer=user).filter(sessions__isnull=False).distinct()
    latest = classes.order_by("-start_date").first()
    return [reverse("training_admin:timetable", kwargs={"pk": latest.pk})] if latest else []


def anonymous_screens() -> list[str]:
    from certificates.models import Certificate

    certificate = Certificate.objects.order_by("pk").first()
    return [
        reverse("account_login"),
        reverse("admin_login"),
        reverse("account_reset_password"),
        reverse("certificates:verify_lookup"),
        reverse("certificates:verify", kwargs={"code": certificate.verification_code}),
    ]


def crawl(client, demo, role: str, language: str):
    from portal.navigation import MAIN_NAV

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if role == ANONYMOUS:
        start = anonymous_screens()
        crawler = Crawler(client, scope=TRAINEE, start=start, max_depth=1, send_blank_forms="all")
        return crawler, start
    user = demo.user(role)
    client.force_login(user)
    if role in STAFF_ROLES:
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        start = [reverse("wagtailadmin_home"), *sidebar_urls(home)]
        return Crawler(client, scope=STAFF, start=start, extra=staff_screens(user)), start
    start = ["/", *(path for _key, _label, path in MAIN_NAV)]
    extra = trainee_screens(client, user)
    crawler = Crawler(client, scope=TRAINEE, start=start, extra=extra, send_blank_forms="all")
    return crawler, start


def _write_artifact(name: str, visits, found_text: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.txt"
    lines = [f"{v.status}  {v.where}" + (f"  {v.error}" if v.error else "") for v in visits]
    path.write_text("\n".join(lines) + "\n\n" + found_text + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", [*STAFF_ROLES, *TRAINEE_ROLES, ANONYMOUS])
def test_every_screen_speaks_the_chosen_language(demo, client, db, role, language, record_property):
    import time

    started = time.monotonic()
    crawler, start = crawl(client, demo, role, language)
    visits = crawler.run()
    seconds = time.monotonic() - started
    record_property("crawl", f"{language} {role}")
    record_property("crawled", len(visits))
    record_property("seconds", seconds)

    found = offending(visits, language=language, content=demo.content)
    text = report(found, role=role, language=language)
    artifact = _write_artifact(f"{language}-{role}", visits, text)
    errors = [f"{v.where}: {v.error}" for v in visits if v.status >= 500]
    assert errors == [], "server errors while crawling:\n" + "\n".join(errors)
    refused_start = [
        v.where for v in visits if v.url in start and v.status != 200 and role != ANONYMOUS
    ]
    assert refused_start == [], f"menu items that do not open (see {artifact})"
    reached = {(view_name(v), v.key[2]) for v in visits if 200 <= v.status < 500}
    if role in TRAINEE_ROLES:
        assert TRAINEE_VIEWS - reached == set(), f"the crawl missed these (see {artifact})"
    elif role in STAFF_ROLES:
        views = {view for view, _type in reached}
        assert STAFF_VIEWS[role] - views == set(), f"the crawl missed these (see {artifact})"
    assert not found, f"{text}\n(every screen read: {artifact})"
