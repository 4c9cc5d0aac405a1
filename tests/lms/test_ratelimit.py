"""The one counter behind the certificate lookup and heartbeat limits."""

import datetime
from unittest import mock

from django.core.cache import cache
from django.utils import timezone

from lms.ratelimit import hit


def test_a_key_passes_its_limit_then_is_refused_until_the_next_window():
    cache.clear()
    start = datetime.datetime(2026, 12, 4, 8, 0, 5, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=start):
        assert [hit("t:a", limit=3, window=60) for _ in range(4)] == [True, True, True, False]
        assert hit("t:b", limit=3, window=60)  # another key counts on its own
    with mock.patch.object(timezone, "now", return_value=start + datetime.timedelta(seconds=60)):
        assert hit("t:a", limit=3, window=60)


def test_an_evicted_counter_starts_again_at_one():
    cache.clear()
    with mock.patch.object(cache, "incr", side_effect=ValueError):
        assert hit("t:c", limit=1, window=60)
