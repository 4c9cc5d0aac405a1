"""Visits every URL of the project as every kind of visitor (see harness.py).

URLs come from the resolver, so a new view without a rule fails `test_every_url_has_a_rule`.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.permissions.harness import ACTORS, check

PROJECT_APPS = {
    "people",
    "portal",
    "training",
    "attendance",
    "ledger",
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


def _project_url_names(resolver=None, namespace=""):
    """Names of URLs whose view lives in one of our apps (front end and admin alike)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _project_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            module = getattr(callback, "view_class", callback).__module__
            if module.split(".")[0] in PROJECT_APPS:
                yield f"{namespace}{pattern.name}"


def test_every_url_has_a_rule():
    missing = sorted(set(_project_url_names()) - set(RULES))
    assert missing == [], "add these URLs to tests/<app>/permission_rules.py"


def test_rules_name_real_urls():
    stale = sorted(set(RULES) - set(_project_url_names()))
    assert stale == []


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("url_name", sorted(RULES))
def test_permission_matrix(client, world, url_name, actor):
    module, rule = RULES[url_name]
    ctx = module.setup(world) if hasattr(module, "setup") else {}
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
