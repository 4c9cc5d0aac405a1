"""The watch-time rule, as pure arithmetic on one viewer's state (no database).

A heartbeat reports a segment the player says it played since its previous beat:
`start` (where playing began, after the last beat or a seek) to `end` (where it is now).
The server trusts the positions only as far as its own clock allows:

- the segment is credited only up to what could be played at the allowed speed in the
  wall-clock time the server saw since the previous beat (`budget`); a faster player is
  credited at the cap, never more;
- time is counted only between two beats of a *playing* player: the first beat after a
  pause, a hidden tab or a gap longer than the cap restarts the clock and earns nothing;
- with skipping refused (until the video has been watched once to the end), a segment
  that starts past the furthest point watched, or runs past what the budget allows, is
  refused: the answer names the position the player must go back to;
- only parts not credited before count: watching a part twice adds nothing.
"""

import datetime
from dataclasses import dataclass, field

# Seconds of position either side of a boundary that still count as contiguous: players
# report positions a few frames apart, and a seek lands on a keyframe.
POSITION_SLACK = 2.0
# Unused wall-clock budget carried to the next beat, at most (seconds): network jitter
# makes one beat late and the next early; honest players at the cap lose nothing.
CARRY_LIMIT = 5.0


def merge(intervals: list[list[float]], start: float, end: float) -> list[list[float]]:
    """The union of sorted disjoint intervals and [start, end]."""
    result: list[list[float]] = []
    placed = False
    for a, b in intervals:
        if b < start:
            result.append([a, b])
        elif a > end:
            if not placed:
                result.append([start, end])
                placed = True
            result.append([a, b])
        else:
            start, end = min(a, start), max(b, end)
    if not placed:
        result.append([start, end])
    return sorted(result)


def covered(intervals: list[list[float]]) -> float:
    return sum(b - a for a, b in intervals)


def new_coverage(intervals: list[list[float]], start: float, end: float) -> float:
    """Seconds of [start, end] not yet in `intervals`."""
    return covered(merge(intervals, start, end)) - covered(intervals)


@dataclass
class WatchState:
    intervals: list[list[float]] = field(default_factory=list)
    furthest: float = 0.0
    position: float = 0.0
    playing: bool = False
    clock: datetime.datetime | None = None  # the server's reference for the next beat
    watched_once: bool = False


@dataclass(frozen=True)
class BeatOutcome:
    credited: float
    refused: bool
    allowed_position: float | None  # where the player must seek back to, if refused


def apply_beat(
    state: WatchState,
    *,
    start: float,
    end: float,
    playing: bool,
    now: datetime.datetime,
    duration: float,
    max_speed: float,
    cap_seconds: float,
    skip_forbidden: bool,
) -> BeatOutcome:
    """Apply one heartbeat to `state` (changed in place) and say what it earned."""
    start = min(max(start, 0.0), duration)
    end = min(max(end, 0.0), duration)
    enforce = skip_forbidden and not state.watched_once
    limit = state.furthest + POSITION_SLACK

    if enforce and start > limit:
        # A seek ahead of anything watched: refused, nothing credited, clock restarts.
        state.position = state.furthest
        state.playing = playing
        state.clock = now if playing else None
        return BeatOutcome(0.0, True, state.furthest)

    gap = (now - state.clock).total_seconds() if state.clock and state.playing else None
    counting = gap is not None and 0 <= gap <= cap_seconds
    credited = 0.0
    refused = False
    allowed = None
    reached = start
    if counting and end > start:
        budget = gap * max_speed
        played_end = min(end, start + budget)
        if enforce and end > played_end + POSITION_SLACK * max_speed and end > limit:
            refused = True
            allowed = max(played_end, min(state.furthest, end))
        credited = new_coverage(state.intervals, start, played_end)
        state.intervals = merge(state.intervals, start, played_end)
        reached = played_end
        # The clock moves on by the time the credited part needed at the cap, but never
        # lags `now` by more than the carry: a slow player cannot bank time for a skip.
        used = (played_end - start) / max_speed
        state.clock = min(
            now,
            max(
                state.clock + datetime.timedelta(seconds=used),
                now - datetime.timedelta(seconds=CARRY_LIMIT),
            ),
        )
    else:
        if enforce and end > limit:
            # Positions moved ahead with no time to play them (a seek while paused).
            refused = True
            allowed = state.furthest
            end = state.furthest
        state.clock = now if playing else None

    if start <= limit and reached > state.furthest:
        state.furthest = reached
    if state.furthest >= duration - POSITION_SLACK:
        state.watched_once = True
    state.position = allowed if refused else end
    if not playing:
        state.clock = None
    state.playing = playing
    return BeatOutcome(round(credited, 3), refused, allowed)
