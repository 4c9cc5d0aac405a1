"""Visits every URL of the project as every kind of visitor (see harness.py).

URLs come from the resolver, so a new view without a rule fails `test_every_url_has_a_rule`.

The `world` and each rule module's `setup(world)` are built once per pytest process, not
once per test: nested transactions keep every test as isolated as before.

    transaction (this module)      the world; rolled back when the module ends
      savepoint (a rule module)    its setup(world); rolled back before the next module's
        savepoint (one test)       pytest-django's `db`: the request and what it wrote

Tests run grouped by rule module (URLs ordered by module), so each setup runs once.
"""

import importlib
import pkgutil

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.conftest import make_world
from tests.permissions.harness import ACTORS, check

PROJECT_APPS = {
    "people",
    "notifications",
    "portal",
    "training",
    "attendance",
    "ledger",
    "declarations",
    "lectures",
    "courses",
    "assessments",
    "certificates",
    "reports",
}


def _rule_modules():
    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        try:
            modules.append(importlib.import_module(f"tests.{info.name}.permission_rules"))
        except ModuleNotFoundError as exc:
            if not exc.name.endswith("permission_rules"):
                raise
    return modules


RULE_MODULES = _rule_modules()
RULES = {name: (module, rule) for module in RULE_MODULES for name, rule in module.RULES.items()}


def _scoped_viewset_namespaces() -> set[str]:
    """Our `ScopedModelViewSet`s (people, classes …): every URL of theirs has a rule here,
    Wagtail's own views among them (delete, history, usage)."""
    from wagtail.admin.viewsets import viewsets

    from lms.admin_scope import ScopedModelViewSet

    return {vs.url_namespace for vs in viewsets.viewsets if isinstance(vs, ScopedModelViewSet)}


def _project_url_names(resolver=None, namespace=""):
    """Names of URLs whose view lives in one of our apps (front end and admin alike), and
    every URL of our scoped model viewsets."""
    resolver = resolver or get_resolver()
    scoped = _scoped_viewset_namespaces()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _project_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            module = getattr(callback, "view_class", callback).__module__
            if module.split(".")[0] in PROJECT_APPS or namespace.rstrip(":") in scoped:
                yield f"{namespace}{pattern.name}"


def test_every_url_has_a_rule():
    missing = sorted(set(_project_url_names()) - set(RULES))
    assert missing == [], "add these URLs to tests/<app>/permission_rules.py"


def test_rules_name_real_urls():
    stale = sorted(set(RULES) - set(_project_url_names()))
    assert stale == []


class _Matrix:
    """The module's transaction, the world in it, and the savepoint of one rule module."""

    def __init__(self):
        self.outer = transaction.atomic()
        self.outer.__enter__()
        self.outer._from_testcase = True  # as Django's TestCase: durable blocks may nest
        self.savepoint = None
        try:
            self.world = make_world()
        except BaseException:
            self.close()
            raise
        self.module = None
        self.ctx = None

    def ctx_for(self, module):
        if module is self.module:
            return self.ctx
        # Between tests: only this module's transaction and savepoint may be open.
        assert len(connection.atomic_blocks) == (2 if self.savepoint else 1), (
            "a test's transaction is still open: the matrix's `ctx` must be set up before `db`"
        )
        self._rollback_module()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.savepoint._from_testcase = True
        self.world.extra = {}
        try:
            self.ctx = module.setup(self.world) if hasattr(module, "setup") else {}
        except BaseException:
            self._rollback_module()
            raise
        self.module = module
        return self.ctx

    def _rollback_module(self):
        if self.savepoint is not None:
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)
            self.savepoint = None
        self.module = None

    def close(self):
        self._rollback_module()
        transaction.set_rollback(True)
        self.outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _matrix(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        matrix = _Matrix()
        try:
            yield matrix
        finally:
            matrix.close()


@pytest.fixture
def ctx(_matrix, django_db_blocker, url_name):
    """The rule module's objects; made (outside the test's savepoint) when its first test runs."""
    with django_db_blocker.unblock():
        return _matrix.ctx_for(RULES[url_name][0])


@pytest.fixture
def world(_matrix, ctx, db):
    """The module's world (see the docstring); `db` puts each test in its own savepoint."""
    return _matrix.world


# Grouped by rule module, so that each module's setup runs once (the ids do not change).
URL_NAMES = sorted(RULES, key=lambda name: (RULES[name][0].__name__, name))


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_permission_matrix(ctx, client, world, url_name, actor):
    module, rule = RULES[url_name]
    url = reverse(url_name, kwargs=rule.kwargs(world, ctx)) + rule.query
    user = world.actor(actor)
    if user is not None:
        client.force_login(user)
    data = rule.data(world, ctx) if rule.data else None
    response = (
        getattr(client, rule.method)(url, data) if data else getattr(client, rule.method)(url)
    )
    expected = rule.expect[actor]
    assert check(response, expected), (
        f"{rule.method.upper()} {url} as {actor}: expected {expected}, "
        f"got {response.status_code} {response.get('Location', '')}"
    )
