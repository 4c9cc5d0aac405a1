"""Every test here is marked `permissions`: scripts/test.sh runs the matrices on SQLite
with the rest, and again on PostgreSQL, where scoping queries meet the real planner."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.permissions)
