"""What the trainee's home page shows. Each app adds a section through a Wagtail hook.

A section provider is `f(request) -> dict | None` (a dict with `template` and its context).
Apps register theirs in their `wagtail_hooks.py` with
`hooks.register(HOME_SECTION_HOOK, provider, order=N)` (lowest order first), so the portal
depends on no app and every app keeps its own queries.
"""

from wagtail import hooks

HOME_SECTION_HOOK = "portal_home_section"


def home_sections(*, request) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    sections = []
    for provider in hooks.get_hooks(HOME_SECTION_HOOK):
        section = provider(request)
        if section:
            sections.append(section)
    return sections
