"""Load, once in the app server's master process, what Django would load on first use in
every worker: compiled templates, translation catalogues, URL patterns, content types.

With gunicorn's preload_app the workers are forked from the master and inherit all of it.
Without this, each new worker (after a deploy, and every `max_requests` when workers are
recycled) compiled the same templates and parsed the same catalogues while serving its first
requests: at a check-in burst right after a restart, the first runs of `bench_checkin`
cost the five workers 15.8 ms of CPU per scan against 12.1 ms once warm.
"""

import logging
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.template import TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation
from wagtail.log_actions import registry

logger = logging.getLogger(__name__)


def _template_names() -> list[str]:
    """Every template of the project and its own apps (not the libraries': Wagtail's admin
    alone has hundreds, compiled when a staff page first needs them)."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [Path(d).resolve() for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(base) and ".venv" not in Path(app.path).parts
    ]
    names = set()
    for root in roots:
        if root.is_dir():
            names.update(str(p.relative_to(root)) for p in root.rglob("*.html"))
    return sorted(names)


def warm_up() -> dict:
    """Returns what it loaded, for the log line."""
    started = time.perf_counter()
    templates = 0
    for name in _template_names():
        try:
            get_template(name)
            templates += 1
        except TemplateSyntaxError:  # a fragment that only parses inside its parent
            pass
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Log in")  # parses every app's catalogue for the language
            get_resolver().reverse_dict  # noqa: B018 - the URL patterns, per language
    registry.scan_for_actions()
    content_types = ContentType.objects.get_for_models(*apps.get_models())
    connections.close_all()  # never hand a connection across fork()
    loaded = {
        "templates": templates,
        "content_types": len(content_types),
        "seconds": round(time.perf_counter() - started, 2),
    }
    logger.info("warmed up: %s", loaded)
    return loaded
