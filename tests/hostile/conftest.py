"""The hostile corpus as fixtures (tests elsewhere import `tests.hostile.corpus` directly)."""

import pytest

from tests.hostile import corpus as _corpus
from tests.hostile.make_corpus import write_corpus


@pytest.fixture(scope="session")
def hostile_files(tmp_path_factory):
    """{name: Path} of every corpus file, written once per session."""
    return write_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def corpus():
    return _corpus
