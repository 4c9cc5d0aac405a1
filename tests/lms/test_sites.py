"""The request's Wagtail Site and root paths come from the process's copy (lms/sites.py):
no query for them on a page view, a Site saved here is seen at once, one changed by
another process within SITES_MAX_AGE, and the home page itself is always read fresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from lms import sites

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    from demo import portal as demo

    context: dict = {}
    demo.seed(context)
    return context["home"]


def _site_queries(client, path="/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "wagtailcore_site" in q["sql"]]


def test_a_second_page_view_reads_no_site(client, home):
    assert _site_queries(client)  # the first view of this process reads it
    assert _site_queries(client) == []


def test_the_home_page_is_served_from_a_fresh_row(client, home):
    client.get("/")
    home.title = "新的首页标题"
    home.save_revision().publish()
    home.refresh_from_db()
    type(home).objects.filter(pk=home.pk).update(title="另一个进程改的标题")
    assert "另一个进程改的标题" in client.get("/").content.decode()


def test_a_site_saved_in_this_process_is_seen_at_once(client, home):
    client.get("/")
    site = Site.objects.get(is_default_site=True)
    site.site_name = "先导区培训"
    site.save()  # post_save clears this process's copy
    assert _site_queries(client)


def test_a_site_changed_elsewhere_is_seen_after_the_max_age(client, home, settings):
    client.get("/")
    Site.objects.update(site_name="别的进程改的")  # no signal here: as another process
    assert _site_queries(client) == []
    settings.SITES_MAX_AGE = 0
    assert _site_queries(client)
    assert sites.site_for_host("testserver", 80).site_name == "别的进程改的"


def test_no_site_for_the_host_is_kept_as_none_and_the_page_is_not_found(client, home):
    Site.objects.all().delete()
    sites.sites_clear()
    assert client.get("/").status_code == 404
