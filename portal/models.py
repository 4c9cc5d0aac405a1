from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from lms.page_tree import routed_page, routed_page_facts

from .selectors import home_sections

# URL path → page class, per process; a few thousand paths at most (bounded anyway).
_page_types: dict[str, type] = {}
_PAGE_TYPES_MAX = 10_000


def _page_type_remember(url_path: str, model: type) -> None:
    if len(_page_types) >= _PAGE_TYPES_MAX:
        _page_types.clear()
    _page_types[url_path] = model


class HomePage(Page):
    """The site root. Signed-in trainees see their day here; visitors see the welcome."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """The page at the path in one lookup by its URL path, not two queries per level.

        Wagtail's own routing asks each page on the way for its child (and then for that
        child's specific row): seven queries for a lesson, on every lesson view. None of
        our page types routes on its own (no RoutablePageMixin), so the URL path names the
        page; what is not found falls back to Wagtail's walk, which answers 404. The page
        comes with two facts about the whole tree that its view needs (lms.page_tree).
        """
        if not path_components:
            # Served from a fresh row: `self` may be the copy lms.sites keeps per process
            # for routing (its path and URL path), which may be up to a minute old.
            page = type(self).objects.filter(pk=self.pk).first()
            if page is None or not page.live:
                raise Http404
            return RouteResult(page)
        where = {
            "path__startswith": self.path,
            "depth": self.depth + len(path_components),
            "url_path": self.url_path + "/".join(path_components) + "/",
        }
        # The page type seen at this URL path last time: asking that model straight away
        # is one query instead of two (the type, then the page). A path that now names a
        # page of another type finds nothing there and takes the two-query way.
        model = _page_types.get(where["url_path"])
        page = None
        if model is not None:
            page = routed_page(
                model, slug=path_components[-1], depth=where["depth"], url_path=where["url_path"]
            )
        if page is not None and (
            page.specific_class is not model or not page.path.startswith(self.path)
        ):
            page = None  # a page of a subclass (let `specific()` find its own class), or
            # of another site's tree
        if page is None:
            facts = routed_page_facts()
            page = Page.objects.filter(**where).annotate(**facts).specific().first()
            if page is not None:
                _page_type_remember(where["url_path"], type(page))
        if page is None:
            return super().route(request, path_components)
        if not page.live:
            raise Http404
        return RouteResult(page)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(request=request)
        return context
