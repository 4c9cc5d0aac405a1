"""What answer checking and scoring need of a question version, cached per process.

A version's content never changes (editing a question inserts a new version), and its
`content_hash` is the SHA-256 of that content, so an entry keyed by the hash can never
be stale: an edited question has a new version with a new hash, and a version id that a
database reuses (SQLite after a rolled-back transaction, a restored dump) comes with the
hash of its own content. Callers read the hash in the same query that reads the version
id (a join on the primary key), so a warm cache costs no query and no JSON decoding.

Only the grading fields are kept (type, option keys and their correctness, scoring, the
true/false key, accepted answers), read-only: enough for `answer_clean` and
`score_answer`, and nothing a page could render by mistake.
"""

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from .grading import normalise_text
from .models import QuestionVersion

# About half a kilobyte each: a few megabytes at most, far more versions than the
# exams running at once use. When full it starts again rather than tracking use.
MAX_ENTRIES = 10_000

_cache: dict[str, Mapping] = {}


def grading_fields(data: dict) -> Mapping:
    """The read-only grading part of a version's `data`."""
    return MappingProxyType(
        {
            "type": data["type"],
            "options": tuple(
                MappingProxyType({"key": o["key"], "correct": o["correct"]})
                for o in data.get("options") or ()
            ),
            "scoring": data.get("scoring"),
            "true_false": data.get("true_false"),
            "accepted": tuple(data.get("accepted") or ()),
            # Made here with the current rule (once per process and version), not read
            # from the snapshot's `accepted_normalised`, which an older rule may have made.
            "accepted_match": frozenset(
                filter(None, (normalise_text(a) for a in data.get("accepted") or ()))
            ),
        }
    )


def version_grading_data(versions: Iterable[tuple[int, str]]) -> dict[int, Mapping]:
    """{version id: grading fields} for (version id, content hash) pairs.

    One query for the versions not cached yet, none when all are."""
    found: dict[int, Mapping] = {}
    missing: dict[int, str] = {}
    for version_id, content_hash in versions:
        entry = _cache.get(content_hash)
        if entry is None:
            missing[version_id] = content_hash
        else:
            found[version_id] = entry
    if missing:
        rows = QuestionVersion.objects.filter(pk__in=list(missing)).values_list(
            "pk", "content_hash", "data"
        )
        if len(_cache) + len(missing) > MAX_ENTRIES:
            _cache.clear()
        for version_id, content_hash, data in rows:
            entry = grading_fields(data)
            found[version_id] = entry
            _cache[content_hash] = entry
    return found


def version_cache_clear() -> None:
    _cache.clear()
