"""Crawl the site as one person and read what they see, to find words in the wrong language.

    visits = Crawler(client, scope=STAFF, start=["/admin/", *sidebar_urls(html)]).run()
    found = offending(visits, language="zh-hans", content=Content.from_db())
    print(report(found, role="adviser", language="zh-hans"))

What a person *sees* (see `visible_text`): the text of every element in the body and the
page title, plus the attributes a browser shows (placeholder, title, aria-label, alt, a
button's value, Wagtail's tooltips) and the labels of the admin menu, which the browser
draws from JSON. Left out: <script>/<style> (code), an <iframe>'s fallback (never drawn),
hidden inputs (data), and anything the page marks as not to be translated:
`translate="no"` (a name, a brand) or a `lang` attribute other than the page's (the
language switcher's "English").

Screen-reader text (Wagtail's `w-sr-only`, aria-label) counts: a blind reader hears it.

Kept on purpose, although not on screen when the page loads: `hidden` elements,
<template>s and CSS-hidden states. Wagtail shows them later, on a click or a change:
dropdown menus, dialogs, "Autosave is paused", "Save your changes before leaving"
(both named in issue 16, both only in such places). A reader meets them all.

Names and course content are the users' own words, not the interface's: `Content` holds
every string stored in the database, and a word found there is content (see
`Content.from_db` for which fields count).
"""

from __future__ import annotations

import html as html_lib
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from lxml import html as lxml_html

STAFF = "staff"
TRAINEE = "trainee"

# Attributes whose text a browser shows: as a tooltip, inside an empty field, read out by
# a screen reader, or instead of a missing image.
SHOWN_ATTRIBUTES = (
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "alt",
    "data-w-tooltip-content-value",
)
BUTTON_INPUTS = {"submit", "button", "reset"}
# Keys of JSON props (Wagtail's sidebar, telepath widgets) whose strings are drawn on screen.
SHOWN_JSON_KEYS = {"label", "helpText", "help_text", "description", "placeholder"}

# Latin words Chinese screens keep (compared in lower case).
LATIN_ALLOWED = {
    # Codes and addresses, as Chinese writes them too.
    "qr",
    "url",
    "id",
    "ip",
    # File formats and sizes, as upload fields and help texts name them.
    "pdf",
    "xlsx",
    "xls",
    "csv",
    "tsv",
    "zip",
    "ics",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "avif",
    "svg",
    "css",
    "mb",
    "kb",
    # Video and subtitle formats (the lecture library's upload fields).
    "mp",
    "mov",
    "mkv",
    "webm",
    "avi",
    "vtt",
    "webvtt",
    # Names of products.
    "excel",
    "wagtail",
    "javascript",
    "english",  # the language's own name, in the language menus
    # Keys on the keyboard, as printed on it (Wagtail's list of shortcuts).
    "ctrl",
    "alt",
    "shift",
    "esc",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# A token: what sits between spaces and Chinese characters ("xy-2026-xzsj", "a@b.cn").
TOKEN = re.compile(r"[^\s\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
TOKEN_PUNCTUATION = "()[]{}<>\"'“”‘’.,;:!?…·/|*+=-–—_#%&~`^"
# Data, whatever letters it carries: addresses, file names, placeholders to type
# ({name}), codes with digits (DBS-2025-00001, xy-2026-xzsj), dotted identifiers
# (courses.lessonpage, under a page type's name).
DATA_TOKEN = re.compile(
    r"^(https?://|www\.|/)|@|\.(pdf|xlsx|xls|csv|zip|png|jpe?g|gif|svg|docx?|txt|ics)$"
    r"|^\{\w+\}$|^[A-Za-z]+-\d|\d-[A-Za-z]|^[a-z_]+\.[a-z_]+$",
    re.IGNORECASE,
)

DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".xls", ".csv", ".zip", ".ics", ".png", ".jpg", ".svg")
# Views never followed: they sign out, switch language, hand out files or JSON for a
# modal, or render the public page rather than the admin (the trainee crawl reads those).
SKIPPED_VIEW_WORDS = (
    "logout",
    "set_language",
    "javascript_catalog",
    "jsi18n",
    "preview",
    "view_draft",
    "revisions_view",
    "chooser",
    "download",
    "export",
    "_pdf",
    "_xlsx",
    "_zip",
    "calendar_feed",
    "class_calendar",
    "heartbeat",
    "feed",
    "attachment",
    "evidence",
    "submission_file",
    "serve_document",
    "document_serve",
    "wagtaildocs_serve",
    "wagtailimages_serve",
    "template_preview",
    "signin_",
    "_template",
    "usage_count",
    "workflow_history_detail",
    # Links a script completes with the ticked rows (?id=…); without them, a 404.
    "wagtail_bulk_action",
)


# ----------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Chunk:
    """One piece of text as a person meets it; `where` says how (text, placeholder, …)."""

    text: str
    where: str = "text"

    def __str__(self):
        return self.text if self.where == "text" else f"{self.text}  [{self.where}]"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _json_strings(value, keys=SHOWN_JSON_KEYS, found=None):
    found = [] if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str):
                found.append(item)
            else:
                _json_strings(item, keys, found)
    elif isinstance(value, list):
        for item in value:
            _json_strings(item, keys, found)
    return found


def parse(page_html: str):
    """The page as an lxml tree (None for an empty body); the helpers below take either."""
    return lxml_html.document_fromstring(page_html) if page_html.strip() else None


def _tree(page):
    return parse(page) if isinstance(page, str) else page


def visible_text(page) -> list[Chunk]:
    """The text a person can meet on the page (see the module docstring)."""
    tree = _tree(page)
    if tree is None:
        return []
    page_lang = (tree.get("lang") or "").lower()
    chunks: list[Chunk] = []

    title = tree.find(".//head/title")
    if title is not None and _norm(title.text_content()):
        chunks.append(Chunk(_norm(title.text_content()), "page title"))
    for script in tree.iter("script"):
        if script.get("type") == "application/json":
            try:
                data = json.loads(script.text or "null")
            except ValueError:
                continue
            for text in _json_strings(data):
                # Labels may carry markup (Wagtail's menu keeps some as HTML).
                text = _norm(lxml_html.fromstring(f"<div>{text}</div>").text_content())
                if text:
                    chunks.append(Chunk(text, f"#{script.get('id') or 'json'}"))

    body = tree.find("body")
    if body is None:
        body = tree

    def walk(element, parts: list[str]):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("script", "style", "iframe") or not tag:
            # Comments and processing instructions carry no text; their tails do.
            return
        if element.get("translate") == "no":
            return
        lang = (element.get("lang") or "").lower()
        if lang and page_lang and not lang.startswith(page_lang.split("-")[0]):
            return
        if tag == "input" and (element.get("type") or "").lower() == "hidden":
            return
        for name in SHOWN_ATTRIBUTES:
            value = element.get(name)
            if value and _norm(value):
                chunks.append(Chunk(_norm(value), name))
        kind = (element.get("type") or "").lower()
        if tag == "input" and kind in BUTTON_INPUTS and element.get("value"):
            chunks.append(Chunk(_norm(element.get("value")), "button"))
        if tag == "option" and element.get("label"):
            chunks.append(Chunk(_norm(element.get("label")), "option label"))
        # Block elements end a run of text; inline ones continue it.
        block = tag not in INLINE_TAGS
        if block:
            _flush(parts, chunks)
        if element.text:
            parts.append(element.text)
        # lxml parses a <template>'s content as its children: read as the page using it.
        for child in element:
            walk(child, parts)
            if child.tail:
                parts.append(child.tail)
        if block:
            _flush(parts, chunks)

    parts: list[str] = []
    walk(body, parts)
    _flush(parts, chunks)
    return chunks


INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "data",
    "dfn",
    "em",
    "i",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "wbr",
    "svg",
    "use",
    "label",
}


def _flush(parts: list[str], chunks: list[Chunk]) -> None:
    text = _norm("".join(parts))
    parts.clear()
    if text:
        chunks.append(Chunk(text))


def links(page, base_url: str) -> list[str]:
    """The page's link targets in document order (GET: <a href>), as absolute paths."""
    tree = _tree(page)
    if tree is None:
        return []
    found = []
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urlsplit(urljoin(base_url, href))
        if url.netloc not in ("", "testserver") or url.scheme not in ("", "http", "https"):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


# ----------------------------------------------------------------------------- content
class Content:
    """Every string the database holds: what users wrote (names, courses, classes)."""

    def __init__(self, values: Iterable[str]):
        values = {_norm(v) for v in values if v and _norm(v)}
        self.values = values
        self.text = "\n".join(sorted(values))
        self._seen: dict[str, bool] = {}
        # Latin is matched by whole words and tokens: "add" inside "address" is no reason
        # to let an untranslated "Add" through.
        self.tokens = {t.strip(TOKEN_PUNCTUATION) for t in TOKEN.findall(self.text)}
        self.words = set(LATIN_WORD.findall(self.text))

    def __contains__(self, text: str) -> bool:
        if text not in self._seen:
            # One character could be anywhere in a lesson; it is content only when it is a
            # whole value (a one-character given name or a short code).
            self._seen[text] = text in self.values if len(text) < 2 else text in self.text
        return self._seen[text]

    def covers(self, text: str) -> bool:
        """Held, or made of held values and punctuation or digits written one after
        another ("赵建军（大别山干部学院培训部班主任）", "#先导区#片区化")."""
        return text in self or self._segments(text)

    def _segments(self, text: str) -> bool:
        reachable = [True] + [False] * len(text)
        for end in range(1, len(text) + 1):
            reachable[end] = (reachable[end - 1] and not CJK.match(text[end - 1])) or any(
                reachable[start] and text[start:end] in self.values
                for start in range(max(0, end - 60), end - 1)
            )
        return reachable[-1]

    @classmethod
    def from_db(cls) -> Content:
        """Char, text, rich text, stream and JSON fields of every model, except fields with
        choices: their stored keys (`township_secretary`, `True`) must never reach a
        screen, so they must not count as content."""
        from django.apps import apps
        from django.db import models

        text_fields = (models.CharField, models.TextField, models.JSONField)
        values: list[str] = []
        for model in apps.get_models():
            meta = model._meta
            if (
                meta.proxy
                or meta.app_label in SKIPPED_CONTENT_APPS
                or meta.label_lower in SKIPPED_CONTENT_MODELS
            ):
                continue
            names = [
                f.attname
                for f in model._meta.concrete_fields
                if (isinstance(f, text_fields) or _is_stream(f))
                and not f.choices
                and f.name not in SKIPPED_CONTENT_FIELDS
            ]
            if not names:
                continue
            for row in model._base_manager.values_list(*names):
                for value in row:
                    values.extend(_strings(value))
        # A language's name is written in that language wherever one is chosen.
        values.extend(str(name) for _code, name in settings.LANGUAGES)
        return cls(values)


# Sessions, audit payloads, task results and search indexes repeat interface text in the
# language of whoever caused them; they are no one's content.
SKIPPED_CONTENT_APPS = {
    "sessions",
    "admin",
    "django_tasks_database",
    "django_tasks_db",
    "wagtailsearch",
    "contenttypes",
    "wagtailadmin",
}
# Django writes permission names in English when it migrates; they are interface text
# (the group form shows them), so they must be translated on screen, not taken as content.
# Then copies of content (revisions), and rows of references, renditions and tokens: their
# strings are paths, hashes and ids that no one reads.
SKIPPED_CONTENT_MODELS = {
    "auth.permission",
    "wagtailcore.revision",
    "wagtailcore.referenceindex",
    "wagtailcore.locale",
    "wagtailimages.rendition",
    "wagtailusers.userprofile",
    "account.emailconfirmation",
    "training.calendarfeed",
}
SKIPPED_CONTENT_FIELDS = {
    "password",
    "data",
    "session_data",
    "token",
    "key",
    "key_hash",
    "hash",
    "file_hash",
    "content_hash",
    "verification_code",
    "option_order",
    "source_key",
    "action",  # audit entries: the screens show the action's label, never this
    "object_id",
    "to_object_id",
    "parent_object_id",
    "path",
    "url_path",
    "contentpath",
    "position",
}
# Keys of stored JSON (StreamField blocks, snapshots) that hold ids and type names.
SKIPPED_JSON_KEYS = {"id", "type", "_type"}


def _is_stream(field) -> bool:
    return field.__class__.__name__ in ("StreamField", "RichTextField")


def _strings(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        if "<" in value and ">" in value:
            value = re.sub(r"<[^>]+>", " ", value)
        value = html_lib.unescape(value)
        if value.lstrip().startswith(("[", "{")):
            try:
                return _strings(json.loads(value))
            except ValueError:
                pass
        return [value] + value.splitlines()
    if isinstance(value, dict):
        items = (item for key, item in value.items() if key not in SKIPPED_JSON_KEYS)
        return [s for item in items for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    if hasattr(value, "raw_data"):  # a StreamValue
        return _strings(list(value.raw_data))
    return []


# ----------------------------------------------------------------------------- checking
def latin_words(chunk: Chunk, content: Content) -> list[str]:
    """Latin words in a Chinese page's chunk that are neither allowed nor content."""
    if chunk.text in content.values:
        return []
    found = []
    for token in TOKEN.findall(chunk.text):
        if not LATIN_WORD.search(token) or DATA_TOKEN.search(token):
            continue
        bare = token.strip(TOKEN_PUNCTUATION)
        if bare in content.tokens:
            continue
        for word in LATIN_WORD.findall(bare):
            # One letter is a label (选项 A, Ctrl + s), not a word.
            if len(word) > 1 and word.lower() not in LATIN_ALLOWED and word not in content.words:
                found.append(word)
    return found


def chinese_words(chunk: Chunk, content: Content) -> list[str]:
    """Chinese in an English page's chunk that is not content.

    A run without Latin letters ("信阳市乡镇（街道）党（工）委书记能力提升培训班: ") is
    content when the database holds it, or holds each of its parts between separators
    ("每年网络培训 50；村(社区)干部每年脱产培训 90": two requirements); a part may be
    names written one after the other (a unit's full name, "信阳市罗山县周党镇")."""
    if chunk.text in content:
        return []
    found = []
    for run in NON_LATIN_RUN.findall(chunk.text):
        run = run.strip(RUN_STRIP)
        if not CJK.search(run) or content.covers(run):
            continue
        for piece in SEPARATOR.split(run):
            piece = piece.strip(RUN_STRIP)
            if CJK.search(piece) and not content.covers(piece):
                found.append(piece)
    return found


NON_LATIN_RUN = re.compile(r"[^A-Za-z]+")
SEPARATOR = re.compile(r"[\s,;:|/·•–—、，；：。！？]+")
RUN_STRIP = " \t\n.,;:!?-–—·•|/()[]'\"…、，；：。！？"


# ----------------------------------------------------------------------------- crawling
@dataclass
class Visit:
    url: str
    view: str
    status: int
    depth: int
    seconds: float
    chunks: list[Chunk] = field(default_factory=list)
    is_form: bool = False
    error: str = ""
    redirected_to: str = ""
    key: tuple = ()

    @property
    def where(self) -> str:
        moved = f" → {self.redirected_to}" if self.redirected_to else ""
        return f"{self.url}{moved}  ({self.view})"


@dataclass
class Crawler:
    """Breadth first from `start`: each view once (for Wagtail pages, once per page type),
    links followed to `max_depth`. The first link to a view is the one followed: the first
    row of a list, the first page of a type."""

    client: object
    scope: str
    start: list[str]
    max_depth: int = 3
    max_pages: int = 400
    extra: list[str] = field(default_factory=list)  # visited whatever their key
    # Which forms to send back blank, to read their errors: add forms, or every form (the
    # login and password pages, whose errors come from allauth and Django).
    send_blank_forms: str = "add"
    visits: list[Visit] = field(default_factory=list)
    _page_types: dict = field(default_factory=dict)

    def run(self) -> list[Visit]:
        self._seen_keys: set = set()
        seen_urls: set = set()
        queue: list[tuple[str, int]] = [(u, 0) for u in self.start + self.extra]
        forced = set(self.extra)
        while queue and len(self.visits) < self.max_pages:
            url, depth = queue.pop(0)
            if url in seen_urls:
                continue
            key = self.key(url, at_start=depth == 0)
            if key is None or (key in self._seen_keys and url not in forced):
                continue
            seen_urls.add(url)
            self._seen_keys.add(key)
            visit, body = self.fetch(url, depth, key)
            if visit is None:
                continue
            self.visits.append(visit)
            blank = self.send_blank_forms == "all" or ADD_VIEW.search(view_name(visit))
            if visit.is_form and visit.status == 200 and blank:
                sent = self.send_blank(visit, body)
                if sent is not None:
                    self.visits.append(sent)
            leaf = self.scope == STAFF and not urlsplit(visit.url).path.startswith("/admin/")
            if body is not None and depth < self.max_depth and not leaf:
                queue.extend((link, depth + 1) for link in links(body, visit.url))
        return self.visits

    def fetch(self, url: str, depth: int, key) -> tuple[Visit | None, object]:
        """GET the page (following redirects); a redirect to a screen already read is
        kept without its text, so that a refusal (Wagtail sends to the dashboard) shows."""
        started = time.monotonic()
        final = url
        visit = Visit(url=url, view=key[0], status=0, depth=depth, seconds=0, key=key)
        try:
            response = self.client.get(url)
            for _hop in range(5):
                if response.status_code not in (301, 302, 303, 307, 308):
                    break
                target = urlsplit(urljoin(final, response["Location"]))
                if target.netloc not in ("", "testserver"):
                    return None, None
                final = target.path + (f"?{target.query}" if target.query else "")
                visit.redirected_to = final
                final_key = self.key(final, at_start=True)
                if final_key is None:
                    return None, None
                if final_key in self._seen_keys:
                    visit.status = response.status_code
                    visit.seconds = time.monotonic() - started
                    return visit, None
                self._seen_keys.add(final_key)
                response = self.client.get(final)
        except Exception as exc:  # a server error: the crawl reports it with the rest
            visit.status, visit.error = 500, f"{type(exc).__name__}: {exc}"
            visit.seconds = time.monotonic() - started
            return visit, None
        if "text/html" not in response.get("Content-Type", ""):
            return None, None
        tree = parse(response.content.decode(response.charset or "utf-8", errors="replace"))
        visit.status = response.status_code
        visit.seconds = time.monotonic() - started
        visit.chunks = visible_text(tree)
        visit.is_form = has_form(tree)
        return visit, tree if response.status_code == 200 else None

    def send_blank(self, form: Visit, page) -> Visit | None:
        """The add form sent as it came, blank, as a browser sends it (hidden fields and
        defaults included): its error messages are screens too ("The page could not be
        created due to validation errors", "This field is required")."""
        if page.xpath("//*[@data-controller='w-block']"):
            return None  # a StreamField: its fields are built by a script, only a browser sends it
        started = time.monotonic()
        view = f"{view_name(form)} · sent blank"
        action, values = form_values(page)
        target = urljoin(form.redirected_to or form.url, action)
        target = urlsplit(target).path + (f"?{urlsplit(target).query}" if "?" in target else "")
        visit = Visit(url=target, view=view, status=0, depth=form.depth, seconds=0)
        visit.key = (view, *form.key[1:])
        data: dict[str, list[str]] = {}
        for name, value in values:
            data.setdefault(name, []).append(value)
        try:
            response = self.client.post(target, data)
        except Exception as exc:
            visit.status, visit.error = 500, f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == 405:
                return None  # a form a script sends elsewhere (a quiz's answers)
            visit.status = response.status_code
            if "text/html" in response.get("Content-Type", ""):
                visit.chunks = visible_text(response.content.decode(errors="replace"))
        visit.seconds = time.monotonic() - started
        return visit

    def key(self, url: str, *, at_start: bool = False):
        """What makes two URLs the same screen: the view, its non-numeric arguments, and
        for Wagtail's page views the page type. None: not to be visited."""
        path = urlsplit(url).path
        if path.lower().endswith(DOWNLOAD_SUFFIXES):
            return None
        in_admin = path.startswith("/admin/")
        if self.scope == TRAINEE and in_admin and not at_start:
            return None
        try:
            match = resolve(path)
        except Resolver404:
            return None
        name = match.view_name or match.func.__name__
        if any(word in name for word in SKIPPED_VIEW_WORDS):
            return None
        if self.scope == STAFF and not in_admin and not at_start:
            # Out of the admin only into our own apps' pages (the check-in display), and
            # never the public page tree: the trainee's crawl reads that.
            module = getattr(match.func, "view_class", match.func).__module__
            if name == "wagtail_serve" or module.split(".")[0] not in PROJECT_APPS:
                return None
        args = tuple(
            sorted(
                (k, v)
                for k, v in match.kwargs.items()
                if not str(v).isdigit() and not UUID.match(str(v)) and k not in ("token", "code")
            )
        )
        page_type = None
        if name == "wagtail_serve":
            page_type = self.page_type_at(path)
            args = ()
        elif name.startswith("wagtailadmin_pages:") or name == "wagtailadmin_explore":
            for kwarg in ("page_id", "parent_page_id", "pk", "id"):
                if kwarg in match.kwargs:
                    page_type = self.page_type(int(match.kwargs[kwarg]))
                    break
        return (name, args, page_type)

    def page_type(self, page_id: int):
        if page_id not in self._page_types:
            from wagtail.models import Page

            self._page_types[page_id] = (
                Page.objects.filter(pk=page_id).values_list("content_type__model", flat=True)
            ).first()
        return self._page_types[page_id]

    def page_type_at(self, path: str):
        from wagtail.models import Page, Site

        if path not in self._page_types:
            site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            url_path = site.root_page.url_path + path.strip("/") + ("/" if path != "/" else "")
            page = Page.objects.filter(url_path=url_path.replace("//", "/"))
            model = page.values_list("content_type__model", flat=True).first()
            # Routable pages: by the shape of the path.
            self._page_types[path] = model or f"depth {path.count('/')}"
        return self._page_types[path]


# Views that add something: `…:add`, `class_create`, `enrol_add`, `leave_create`.
ADD_VIEW = re.compile(r"(^|[:_])(add|create|new)$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
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


def view_name(visit: Visit) -> str:
    """The name of the view that answered (after any redirect)."""
    try:
        match = resolve(urlsplit(visit.redirected_to or visit.url).path)
    except Resolver404:
        return visit.view
    return match.view_name


def _writing_forms(tree):
    for form in tree.iter("form"):
        action = form.get("action") or ""
        if (form.get("method") or "").lower() == "post" and "/i18n/" not in action:
            yield form


def _has_field(form) -> bool:
    for element in form.iter("input", "select", "textarea"):
        kind = (element.get("type") or "text").lower()
        if element.tag != "input" or kind not in ("hidden", "submit", "button", "reset"):
            return True
    return False


def form_values(page) -> tuple[str, list[tuple[str, str]]]:
    """Where the page's first writing form goes ("" for the page itself) and what it sends
    as it is (lxml's form_values: the fields a browser would submit, without a button)."""
    tree = _tree(page)
    for form in _writing_forms(tree):
        if _has_field(form):
            return form.get("action") or "", list(form.form_values())
    return "", []


def has_form(page) -> bool:
    """A page with a form that writes (POST) and a field a person fills in: an add or edit
    form, not a filter bar or a delete confirmation."""
    tree = _tree(page)
    return tree is not None and any(_has_field(form) for form in _writing_forms(tree))


# ----------------------------------------------------------------------------- reporting
def offending(visits: list[Visit], *, language: str, content: Content) -> dict:
    """{(text, where): (words, [pages])} for every piece of text in the wrong language."""
    check = latin_words if language.startswith("zh") else chinese_words
    found: dict = {}
    for visit in visits:
        for chunk in dict.fromkeys(visit.chunks):
            words = check(chunk, content)
            if words:
                entry = found.setdefault((chunk.text, chunk.where), (words, []))
                entry[1].append(visit.where)
    return found


def report(found: dict, *, role: str, language: str, pages: int = 3) -> str:
    """One line per offending text (the most widespread first), with where it was seen."""
    lines = [f"{language} · {role}: {len(found)} texts in the wrong language"]
    ordered = sorted(found.items(), key=lambda item: (-len(item[1][1]), item[1][1][0]))
    for (text, where), (words, seen_on) in ordered:
        shown = text if len(text) < 160 else text[:157] + "…"
        kind = "" if where == "text" else f" [{where}]"
        lines.append(f"  {', '.join(dict.fromkeys(words))}  ←  {shown!r}{kind}")
        more = f" … and {len(seen_on) - pages} more pages" if len(seen_on) > pages else ""
        for page in seen_on[:pages]:
            lines.append(f"        on {page}")
        if more:
            lines.append(f"       {more}")
    return "\n".join(lines)


def sidebar_urls(page_html: str) -> list[str]:
    """The admin menu's links (items and sub-menu items), from the sidebar's JSON."""
    tree = lxml_html.document_fromstring(page_html)
    for script in tree.iter("script"):
        if script.get("id") == "wagtail-sidebar-props":
            data = json.loads(script.text)
            return [u for u in _json_strings(data, keys={"url"}) if u.startswith("/admin/")]
    return []
