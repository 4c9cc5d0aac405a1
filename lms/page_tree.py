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
"""

from django.db import connection
from django.db.models import BooleanField, IntegerField
from django.db.models.expressions import RawSQL
from wagtail.models import PageLogEntry, PageViewRestriction


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
