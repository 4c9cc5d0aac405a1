"""loadtest.bench.threads_map: pool.map's results and errors, one connection per thread."""

import threading

import pytest

from loadtest.bench import threads_map


def test_results_come_back_in_order_from_at_most_workers_threads():
    seen = set()

    def square(n):
        seen.add(threading.get_ident())
        return n * n

    assert threads_map(square, range(20), 3) == [n * n for n in range(20)]
    assert 1 <= len(seen) <= 3


def test_an_item_that_fails_raises_in_the_caller():
    def boom(n):
        if n == 5:
            raise ValueError("item 5")
        return n

    with pytest.raises(ValueError, match="item 5"):
        threads_map(boom, range(10), 2)
