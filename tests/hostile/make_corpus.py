"""Write the hostile corpus to a directory, to try the files by hand in a browser.

    .venv/bin/python tests/hostile/make_corpus.py /tmp/hostile

Tests get the same files from the `hostile_files` fixture (written once per session into
a temporary directory) or straight as bytes from `tests.hostile.corpus`.
"""

import re
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.hostile import corpus  # noqa: E402


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", name)[:80] or "file"


def write_corpus(directory: Path, *, big: bool = True) -> dict[str, Path]:
    """Every spreadsheet and upload of the corpus as a file; returns {name: path}."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, make in corpus.SPREADSHEETS.items():
        if not big and name == "roster_10000_rows":
            continue
        path = directory / f"{name}.xlsx"
        path.write_bytes(make())
        written[name] = path
    for name in corpus.UPLOADS:
        filename, _content_type, data = corpus.upload(name)
        path = directory / f"{name}--{_safe(filename)}"
        path.write_bytes(data)
        written[name] = path
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "test-artifacts/hostile")
    for name, path in write_corpus(target).items():
        print(f"{path.stat().st_size:>10}  {name:28}  {path}")
