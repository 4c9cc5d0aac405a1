"""The Wagtail Site of a request and the sites' root paths, kept per process.

Wagtail looks both up on every request that serves or links to a page: the Site by the
request's host (a query), its home page's specific row (a query), and the root paths
every `pageurl` needs (a read of the shared cache: a query with the database cache).
Sites change a handful of times in a deployment's life, so each process keeps what it
read for `SITES_MAX_AGE` seconds (60) and hands it to Wagtail through the attributes
Wagtail itself caches them on for one request (`Site.find_for_request` and
`Page._get_site_root_paths` read `request._wagtail_site` and
`request._wagtail_cached_site_root_paths` first). A Site saved or deleted in this process
is seen at once; in another process within `SITES_MAX_AGE`.

The home page kept here is used for routing only (its path, depth and URL path: see
portal.models.HomePage.route); the home page itself is served from a fresh row.
"""

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

_lock = threading.Lock()
_sites: dict[tuple[str, int], tuple[float, Site | None]] = {}
_root_paths: list = []
_root_paths_read_at = -1e9
_MAX_HOSTS = 64  # host names come from the request: bounded (ALLOWED_HOSTS checks them too)


def _max_age() -> float:
    return settings.SITES_MAX_AGE


def sites_clear(**_kwargs) -> None:
    """Forget what this process read (a Site was saved or deleted; tests)."""
    global _root_paths_read_at
    with _lock:
        _sites.clear()
        _root_paths.clear()
        _root_paths_read_at = -1e9


post_save.connect(sites_clear, sender=Site, dispatch_uid="lms.sites.saved")
post_delete.connect(sites_clear, sender=Site, dispatch_uid="lms.sites.deleted")


def site_for_host(hostname: str, port: int) -> Site | None:
    """Wagtail's Site for this host and port (its rules: get_site_for_hostname), with its
    home page as its specific model, or None when no site matches."""
    key = (hostname, port)
    now = time.monotonic()
    hit = _sites.get(key)
    if hit is not None and now - hit[0] < _max_age():
        return hit[1]
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        site = None
    if site is not None:
        site.root_page = site.root_page.specific  # the one query routing would make each time
    with _lock:
        if len(_sites) >= _MAX_HOSTS:
            _sites.clear()
        _sites[key] = (now, site)
    return site


def site_root_paths() -> list:
    """`Site.get_site_root_paths()`, read again after `SITES_MAX_AGE`."""
    global _root_paths_read_at
    now = time.monotonic()
    if now - _root_paths_read_at >= _max_age():
        paths = Site.get_site_root_paths()
        with _lock:
            _root_paths[:] = paths
            _root_paths_read_at = now
    return list(_root_paths)


class WagtailSiteMiddleware:
    """Hands Wagtail the request's Site and root paths from this process's copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail: no host check
        request._wagtail_site = site_for_host(hostname, request.get_port())
        request._wagtail_cached_site_root_paths = site_root_paths()
        return self.get_response(request)
