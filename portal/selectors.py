"""What the trainee's home page shows. Each app adds a section by registering a provider.

A provider is `f(request) -> dict | None` (a dict with `template` and its context). Apps
register theirs in `AppConfig.ready()` with `register_home_section(order, provider)`, so
the portal depends on no app and every app keeps its own queries.
"""

from collections.abc import Callable

_PROVIDERS: list[tuple[int, Callable]] = []


def register_home_section(order: int, provider: Callable) -> None:
    if all(p is not provider for _o, p in _PROVIDERS):
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda item: item[0])


def home_sections(*, request) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    sections = []
    for _order, provider in _PROVIDERS:
        section = provider(request)
        if section:
            sections.append(section)
    return sections
