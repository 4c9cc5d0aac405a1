"""Fixtures for the browser journeys (see README.md here).

Playwright's sync API runs an asyncio loop in this thread; Django refuses database access
from a thread with a running loop unless told it is safe, which it is here (one thread
drives the browser, the live server answers in its own thread).
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.journeys.harness import Journey, production_csp  # noqa: E402


@pytest.fixture(scope="session")
def csp():
    return production_csp()


@pytest.fixture(autouse=True)
def _as_in_production(settings):
    """Production settings that change what pages do in the browser."""
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False


@pytest.fixture
def journey(request, browser, live_server, csp):
    name = request.node.name.removeprefix("test_")
    journey = Journey(name=name, browser=browser, base_url=live_server.url, csp=csp)
    yield journey
    journey.close()


@pytest.fixture
def site():
    """The home page and default Site, as `seed_demo` makes them."""
    from demo import portal as demo

    context = {}
    demo.seed(context)
    return context["home"]
