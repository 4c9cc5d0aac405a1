"""Issue 14: every snippet view that takes an object answers 404 outside the user's scope.

The reproductions first (a county organiser editing the city's final exam, deleting a city
class's assignment with a trainee's work in it …), then the object matrix: every URL of a
snippet viewset or snippet chooser that carries a `pk`, found with the resolver, is tried
by every actor with GET and POST on an object in their scope (200/302, or 405 when the
view takes no POST) and on one outside it (404). A snippet model without an entry in
`SCOPES` fails `test_every_snippet_object_url_has_a_rule`.
"""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Assignment, QuestionCategory, Quiz
from assessments.services.written import submission_save
from certificates.models import CertificateTemplate
from courses.models import CaseApproach
from declarations.models import Declaration
from ledger.models import CreditRequirement
from notifications.models import Delivery, EventRule
from tests.assessments.factories import AssignmentFactory, quiz_with, single
from tests.declarations.factories import declare
from tests.permissions.harness import ACTORS, ADMIN_DENIED, LOGIN, NOT_FOUND, check
from tests.training.factories import ClassSessionFactory, TrainingClassFactory, class_for_world

pytestmark = pytest.mark.django_db

MATRIX_ACTORS = [*ACTORS, "instructor", "adviser", "city_organiser", "admin"]
ADMIN_STAFF = {"instructor", "instructor_other", "adviser", "adviser_other"} | {
    "organiser",
    "organiser_other",
    "city_organiser",
    "admin",
}
GRADERS = {"instructor", "instructor_other", "organiser", "organiser_other", "city_organiser"}


# --- the things the reproductions and the matrix act on --------------------------------


def _build(world) -> dict:
    """罗山县's class (taught by `instructor`), 息县's class, and a city class with its final
    exam; in each a quiz with a question, an assignment; templates per unit and a system one."""
    klass_a = class_for_world(world)
    klass_b = world.extra["class_b"]
    ClassSessionFactory(training_class=klass_a, instructor=world.instructor)
    city_class = TrainingClassFactory(organising_unit=world.city)
    o = {"klass_a": klass_a, "klass_b": klass_b, "city_class": city_class}
    for key, klass in (("a", klass_a), ("b", klass_b), ("city", city_class)):
        question = single(stem=f"{key}的题目")
        o[f"question_{key}"] = question
        o[f"quiz_{key}"] = quiz_with(
            [question], training_class=klass, is_final_exam=(key == "city"), title=f"{key}考试"
        )
        o[f"assignment_{key}"] = AssignmentFactory(training_class=klass, title=f"{key}心得")
    o["category"] = QuestionCategory.objects.create(name="范围测试分类")
    for key, unit in (("city", world.city), ("a", world.county_a), ("b", world.county_b)):
        o[f"template_{key}"] = CertificateTemplate.objects.create(
            name=f"{unit.name}结业证书", org_unit=unit
        )
    o["template_system"] = CertificateTemplate.objects.create(name="系统结业证书")
    o["requirement"] = CreditRequirement.objects.order_by("pk").first()
    o["approach"] = CaseApproach.objects.create(name="区域党委+特色产业", slug="qydw")
    for key, person in (("a", world.trainee_a), ("b", world.trainee_b)):
        o[f"delivery_{key}"] = Delivery.objects.create(
            key=f"scope:{key}", event="notice_posted", recipient=person, channel="sms"
        )
    o["rule"] = EventRule.objects.get(event="notice_posted")
    for key, person in (("a", world.trainee_a), ("b", world.trainee_b)):
        o[f"declaration_{key}"] = declare(person)
    return o


@pytest.fixture
def things(world):
    return _build(world)


@contextmanager
def _rolled_back():
    """A request that deletes something must not take it away from the next request."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- the reproductions --------------------------------------------------------------------


def test_county_organiser_cannot_edit_city_final_exam(client, world, things):
    exam = things["quiz_city"]
    client.force_login(world.organiser)
    url = reverse("wagtailsnippets_assessments_quiz:edit", args=[exam.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": exam.title, "pass_mark": "1"}).status_code == 404
    exam.refresh_from_db()
    assert exam.pass_mark == Decimal("60")
    # The city's own organiser still edits it.
    client.force_login(world.city_organiser)
    assert client.get(url).status_code == 200


def test_county_organiser_cannot_delete_city_assignment(client, world, things):
    work = things["assignment_city"]
    submission_save(
        assignment=work,
        trainee=world.trainee_a,
        text="心得",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    client.force_login(world.organiser)
    url = reverse("wagtailsnippets_assessments_assignment:delete", args=[work.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    bulk = reverse("wagtail_bulk_action", args=["assessments", "assignment", "delete"])
    assert client.get(f"{bulk}?id={work.pk}").status_code == 404
    assert client.post(f"{bulk}?id={work.pk}").status_code == 404
    # Mixed with one of their own: only their own is offered and deleted.
    own = things["assignment_a"]
    page = client.get(f"{bulk}?id={work.pk}&id={own.pk}")
    assert page.status_code == 200 and work.title not in page.content.decode()
    client.post(f"{bulk}?id={work.pk}&id={own.pk}")
    assert Assignment.objects.filter(pk=work.pk).exists()
    assert work.submissions.count() == 1
    assert not Assignment.objects.filter(pk=own.pk).exists()


def test_instructor_not_teaching_cannot_edit_quiz(client, world, things):
    quiz = things["quiz_a"]
    url = reverse("wagtailsnippets_assessments_quiz:edit", args=[quiz.pk])
    client.force_login(world.instructor_other)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "改了"}).status_code == 404
    quiz.refresh_from_db()
    assert quiz.title == "a考试"
    client.force_login(world.instructor)
    assert client.get(url).status_code == 200


def test_instructor_not_teaching_cannot_edit_its_questions(client, world, things):
    url = reverse("wagtailsnippets_assessments_question:edit", args=[things["question_a"].pk])
    client.force_login(world.instructor_other)
    assert client.get(url).status_code == 404
    client.force_login(world.instructor)
    assert client.get(url).status_code == 200


def test_organiser_cannot_change_parent_unit_certificate_template(client, world, things):
    from certificates.forms import CompletionRuleForm

    city = things["template_city"]
    client.force_login(world.organiser)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[city.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名", "title": "结业证书"}).status_code == 404
    city.refresh_from_db()
    assert city.name == "信阳市结业证书"
    own = reverse(
        "wagtailsnippets_certificates_certificatetemplate:edit", args=[things["template_a"].pk]
    )
    assert client.get(own).status_code == 200
    # Used, though: the city's and the system template can be chosen for a class.
    choices = set(
        CompletionRuleForm(for_user=world.organiser)
        .fields["certificate_template"]
        .queryset.values_list("name", flat=True)
    )
    assert choices == {"信阳市结业证书", "罗山县结业证书", "系统结业证书"}
    # The city organiser changes its counties' templates; only administrators the system one.
    client.force_login(world.city_organiser)
    assert client.get(own).status_code == 200
    system = things["template_system"].pk
    url = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[system])
    assert client.get(url).status_code == 404


def test_organiser_cannot_use_a_sibling_county_template(world, things):
    from certificates.services import completion_rule_update
    from lms.errors import PermissionDenied

    klass = things["klass_a"]
    with pytest.raises(PermissionDenied):
        completion_rule_update(
            actor=world.organiser, training_class=klass, certificate_template=things["template_b"]
        )
    rule = completion_rule_update(
        actor=world.organiser, training_class=klass, certificate_template=things["template_city"]
    )
    assert rule.certificate_template == things["template_city"]


def test_organiser_files_a_new_template_under_own_unit_only(world):
    form_class = CertificateTemplate.snippet_viewset.get_edit_handler().get_form_class()
    form = form_class(for_user=world.organiser)
    units = set(form.fields["org_unit"].queryset.values_list("name", flat=True))
    assert units == {"罗山县", "周党镇", "东湾村"}
    assert form.fields["org_unit"].required
    assert "is_default" not in form.fields


def test_site_history_is_not_open_to_organisers(client, world):
    from wagtail.admin.menu import reports_menu
    from wagtail.test.utils import WagtailTestUtils  # noqa: F401  (Wagtail's own test helper)

    url = reverse("wagtailadmin_reports:site_history")
    results = reverse("wagtailadmin_reports:site_history_results")
    for actor in ("organiser", "city_organiser", "instructor", "adviser"):
        client.force_login(getattr(world, actor))
        assert client.get(url).status_code == 403, actor
        assert client.get(results).status_code == 403, actor
    client.force_login(world.admin)
    assert client.get(url).status_code == 200

    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.city_organiser
    assert "site-history" not in {i.name for i in reports_menu.menu_items_for_request(request)}
    request.user = world.admin
    assert "site-history" in {i.name for i in reports_menu.menu_items_for_request(request)}


# --- the object matrix --------------------------------------------------------------------

# Per snippet model: which of `_build`'s objects each actor may reach in the admin object
# views (`manage`), and through the chooser (`choose`). docs/permissions.md says why.
ALL = object()
CLASS_WORK = {
    "organiser": {"a"},
    "organiser_other": {"b"},
    "city_organiser": {"a", "b", "city"},
    "instructor": {"a"},
    "admin": ALL,
}


def _keys(prefix: str, scope: dict) -> dict:
    return {
        actor: keys if keys is ALL else {f"{prefix}_{k}" for k in keys}
        for actor, keys in scope.items()
    }


SCOPES = {
    Quiz: {
        "objects": ["quiz_a", "quiz_b", "quiz_city"],
        "manage": _keys("quiz", CLASS_WORK),
        "choose": _keys("quiz", CLASS_WORK),
    },
    Assignment: {
        "objects": ["assignment_a", "assignment_b", "assignment_city"],
        "manage": _keys("assignment", CLASS_WORK),
        "choose": _keys("assignment", CLASS_WORK),
    },
    "assessments.question": {
        "objects": ["question_a", "question_b", "question_city"],
        "manage": _keys("question", CLASS_WORK),
        "choose": {**dict.fromkeys(GRADERS, ALL), "admin": ALL},
    },
    QuestionCategory: {
        "objects": ["category"],
        "manage": {"admin": ALL},
        "choose": {**dict.fromkeys(GRADERS, ALL), "admin": ALL},
    },
    CertificateTemplate: {
        "objects": ["template_a", "template_b", "template_city", "template_system"],
        "manage": {
            **_keys("template", {"organiser": {"a"}, "organiser_other": {"b"}}),
            "city_organiser": {"template_a", "template_b", "template_city"},
            "admin": ALL,
        },
        "choose": {
            "organiser": {"template_a", "template_city", "template_system"},
            "organiser_other": {"template_b", "template_city", "template_system"},
            "city_organiser": {"template_a", "template_b", "template_city", "template_system"},
            "admin": ALL,
        },
    },
    CreditRequirement: {
        "objects": ["requirement"],
        "manage": {"admin": ALL},
        "choose": dict.fromkeys(ADMIN_STAFF, ALL),
    },
    CaseApproach: {
        "objects": ["approach"],
        "manage": {"admin": ALL},
        "choose": dict.fromkeys(ADMIN_STAFF, ALL),
    },
    # The delivery log: messages to people of the organiser's units (read-only).
    Delivery: {
        "objects": ["delivery_a", "delivery_b"],
        "manage": {
            **_keys("delivery", {"organiser": {"a"}, "organiser_other": {"b"}}),
            "city_organiser": {"delivery_a", "delivery_b"},
            "admin": ALL,
        },
        "choose": {
            **_keys("delivery", {"organiser": {"a"}, "organiser_other": {"b"}}),
            "city_organiser": {"delivery_a", "delivery_b"},
            "admin": ALL,
        },
    },
    EventRule: {"objects": ["rule"], "manage": {"admin": ALL}, "choose": {"admin": ALL}},
    # 学时申报: organisers read and decide the declarations of people in their units.
    Declaration: {
        "objects": ["declaration_a", "declaration_b"],
        "manage": {
            **_keys("declaration", {"organiser": {"a"}, "organiser_other": {"b"}}),
            "city_organiser": {"declaration_a", "declaration_b"},
            "admin": ALL,
        },
        "choose": {
            **_keys("declaration", {"organiser": {"a"}, "organiser_other": {"b"}}),
            "city_organiser": {"declaration_a", "declaration_b"},
            "admin": ALL,
        },
    },
}


def _label(model) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


SCOPES = {_label(model): rule for model, rule in SCOPES.items()}


def _object_url_names(resolver=None, namespace=""):
    """(url name, model label, kind) of every snippet and snippet-chooser URL with a pk."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _object_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if "pk" not in pattern.pattern.regex.groupindex:
                continue
            ns = namespace.rstrip(":").split(":")[-1]
            for prefix, kind in (
                ("wagtailsnippets_", "manage"),
                ("wagtailsnippetchoosers_", "choose"),
            ):
                if ns.startswith(prefix):
                    app, model = ns[len(prefix) :].split("_", 1)
                    yield f"{namespace}{pattern.name}", f"{app}.{model}", kind


OBJECT_URLS = sorted(set(_object_url_names()))


def test_every_snippet_object_url_has_a_rule():
    assert OBJECT_URLS, "the resolver found no snippet URLs"
    missing = sorted({label for _n, label, _k in OBJECT_URLS} - set(SCOPES))
    assert missing == [], "add these snippet models to SCOPES"


def _outcome(actor: str, in_scope: bool) -> str:
    if actor == "anonymous":
        return LOGIN
    if actor not in ADMIN_STAFF:
        return ADMIN_DENIED
    return "allowed" if in_scope else NOT_FOUND


def _check(response, outcome: str, method: str) -> bool:
    if outcome == ADMIN_DENIED:  # trainees: Wagtail's refusal or its login page
        return check(response, ADMIN_DENIED) or check(response, LOGIN)
    if outcome == "allowed":
        ok = {200, 302} | ({405} if method == "post" else set())
        return response.status_code in ok and "/login/" not in response.get("Location", "")
    return check(response, outcome)


@pytest.mark.parametrize(
    ("url_name", "label", "kind"), OBJECT_URLS, ids=[u[0] for u in OBJECT_URLS]
)
def test_object_matrix(client, world, things, url_name, label, kind):
    rule = SCOPES[label]
    failures = []
    for actor in MATRIX_ACTORS:
        reach = rule[kind].get(actor, set())
        reach = set(rule["objects"]) if reach is ALL else reach
        inside = [k for k in rule["objects"] if k in reach][:1]
        outside = [k for k in rule["objects"] if k not in reach][:1]
        user = world.actor(actor)
        client.logout()
        if user is not None:
            client.force_login(user)
        for key, in_scope in [(k, True) for k in inside] + [(k, False) for k in outside]:
            url = reverse(url_name, kwargs={"pk": things[key].pk})
            expected = _outcome(actor, in_scope)
            for method in ("get", "post"):
                with _rolled_back():
                    response = getattr(client, method)(url)
                if not _check(response, expected, method):
                    failures.append(
                        f"{method.upper()} {url} ({key}) as {actor}: expected {expected}, "
                        f"got {response.status_code} {response.get('Location', '')}"
                    )
    assert failures == []
