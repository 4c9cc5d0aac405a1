"""Moving the renditions of lectures transcoded before they were private.

Until the renditions moved to PRIVATE_MEDIA_ROOT, the worker wrote them under
MEDIA_ROOT/lectures/<folder>/, which nginx served to anyone with the URL. The data
migration 0002 moves them (and `manage.py lectures_move_private` does the same again,
e.g. after restoring an old media backup). Safe to repeat: a folder already moved is
left alone, and one present in both places is reported, never overwritten.
"""

import shutil
from collections.abc import Iterable
from pathlib import Path


def move_renditions(folders: Iterable, *, public_root, private_root) -> dict[str, list[str]]:
    """Move each `lectures/<folder>/` from `public_root` to `private_root`."""
    outcome = {"moved": [], "already": [], "both": [], "missing": []}
    for folder in folders:
        old = Path(public_root) / "lectures" / str(folder)
        new = Path(private_root) / "lectures" / str(folder)
        if old.is_dir() and not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, new)
            outcome["moved"].append(str(folder))
        elif old.is_dir():
            outcome["both"].append(str(folder))
        elif new.is_dir():
            outcome["already"].append(str(folder))
        else:
            outcome["missing"].append(str(folder))
    return outcome
