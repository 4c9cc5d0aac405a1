"""Two facts about the whole page tree that a page view needs, read with the page itself.

A routed page (portal.models.HomePage.route) is fetched with `ROUTED_PAGE_FACTS` as
annotations, so that the rest of its request asks the database nothing more about them:

- `routed_page_log_version`: the newest entry of Wagtail's page log. Wagtail logs every
  publish, unpublish, move, reorder, copy and delete of a page, so whatever a process
  keeps about the tree (courses.outlines) is current while this number stays the same.
- `routed_any_view_restriction`: whether any page of the site has a view restriction
  (Wagtail's privacy setting). Wagtail's `check_view_restrictions` hook asks every page
  view for the restrictions of the page and its ancestors; while there are none at all,
  there is nothing to ask (courses.models.LoginRequiredPageMixin).

A page fetched another way has neither attribute, and its request reads them as before.

`routed_page` is that read for a page of a known type, compiled once per type and
connection (lms.prepared): the ORM compiling it on every page view cost more CPU than any
other query of a lesson view.
"""

from django.db import connection
from django.db.models import BooleanField, IntegerField
from django.db.models.expressions import RawSQL
from wagtail.models import PageLogEntry, PageViewRestriction

from .prepared import Prepared, instance_from_row


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _page_log_version_sql() -> str:
    return f"SELECT COALESCE(MAX(id), 0) FROM {_table(PageLogEntry)}"  # noqa: S608 (a model's own table)


def routed_page_facts() -> dict:
    """The annotations a routed page is read with (see the module docstring)."""
    restriction = f"SELECT 1 FROM {_table(PageViewRestriction)}"  # noqa: S608
    return {
        "routed_page_log_version": RawSQL(
            f"({_page_log_version_sql()})", (), output_field=IntegerField()
        ),
        "routed_any_view_restriction": RawSQL(
            f"EXISTS ({restriction})", (), output_field=BooleanField()
        ),
    }


def page_log_version(page=None) -> int:
    """The page log's newest id: the one `page` was routed with, or read now."""
    version = getattr(page, "routed_page_log_version", None)
    if version is not None:
        return version
    with connection.cursor() as cursor:
        cursor.execute(_page_log_version_sql())
        return cursor.fetchone()[0]


def may_have_view_restrictions(page) -> bool:
    """False only when `page` was routed while no page had a view restriction."""
    return bool(getattr(page, "routed_any_view_restriction", True))


_FACTS = ("routed_page_log_version", "routed_any_view_restriction")
_route_reads: dict[type, tuple[Prepared, list[str]]] = {}


def routed_page(model, *, slug: str, depth: int, url_path: str):
    """The `model` page at this URL path (with its slug and depth, which the URL path
    implies: the slug's index finds it), with the facts above; None if there is none."""
    read = _route_reads.get(model)
    if read is None:
        fields = [f.attname for f in model._meta.concrete_fields]
        prepared = Prepared(
            lambda slug, depth, url_path: (
                model.objects.filter(slug=slug, depth=depth, url_path=url_path)
                .annotate(**routed_page_facts())
                .values_list(*fields, *_FACTS)[:1]
            ),
            slug=str,
            depth=int,
            url_path=str,
        )
        read = _route_reads[model] = (prepared, fields)
    prepared, fields = read
    rows = prepared.rows(slug=slug, depth=depth, url_path=url_path)
    if not rows:
        return None
    *values, version, restricted = rows[0]
    page = instance_from_row(model, dict(zip(fields, values, strict=True)))
    page.routed_page_log_version, page.routed_any_view_restriction = version, restricted
    return page
