"""The rush's users keep one task each `pace` seconds from their own random start.

Locust's constant_pacing counted the first interval from the user's creation: the sleep
that spread the first beats was taken off the second wait, and all 400 trainees' second
beats fell in the same second, 15 s after the spawn (`make capacity`, mixed rush).

Locust patches the standard library with gevent when imported, so the locustfile is
imported in a process of its own."""

import json
import os
import subprocess
import sys
from pathlib import Path

CHECK = """
import pytest
from loadtest.locustfiles import rush

clock = [1000.0]
rush.time.monotonic = lambda: clock[0]
firsts = []
for _ in range(200):
    user = object.__new__(rush.RushTrainee)  # no Locust environment needed
    first = user.wait_time()
    assert 0 <= first <= user.pace, first
    firsts.append(first)
    user.started = clock[0]  # the task starts ...
    clock[0] += 2.5  # ... and takes 2.5 s
    assert user.wait_time() == pytest.approx(user.pace - 2.5), user.wait_time()
# Spread over the whole pace, not bunched: users started together stay apart.
assert min(firsts) < 3 and max(firsts) > 12, (min(firsts), max(firsts))
print("ok")
"""


def test_each_user_waits_a_random_part_of_the_pace_first_then_the_pace_from_its_last_task(
    tmp_path,
):
    data = tmp_path / "capacity.json"
    data.write_text(json.dumps({"paths": {}, "trainees": [], "session_id": 0, "organiser": ""}))
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**os.environ, "CAPACITY_DATA": str(data), "PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-2000:]
