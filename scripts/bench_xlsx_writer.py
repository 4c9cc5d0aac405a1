"""A 50,000 × 13 report export: XlsxWriter (`lms.spreadsheets.Book`) against the
hand-written writer issue 18 removed (`reports/xlsx.py`, read from git at REV).

One writer per process, so peak RSS (getrusage) is that writer's alone; run both, in
turns, and note the load average (`uptime`) beside the figures:

    .venv/bin/python scripts/bench_xlsx_writer.py handwritten
    .venv/bin/python scripts/bench_xlsx_writer.py xlsxwriter

ROWS=… changes the row count. Results: docs/benchmarks.md, "Spreadsheet writer".
"""

import datetime
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

REV = "0e2a1b4"  # the last commit with reports/xlsx.py
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

import django  # noqa: E402

django.setup()

from reports.exports import Column  # noqa: E402

N = int(os.environ.get("ROWS", 50_000))
COLUMNS = [
    Column(header, width)
    for header, width in [
        ("姓名", 10),
        ("手机号", 14),
        ("单位", 30),
        ("职务", 20),
        ("开班日期", 12),
        ("最近学习", 16),
        ("课时", 8),
        ("学习分钟", 10),
        ("学时", 8),
        ("得分", 8),
        ("达标", 6),
        ("备注", 20),
        ("完成率", 8),
    ]
]


def rows():
    day = datetime.date(2026, 1, 1)
    moment = datetime.datetime(2026, 1, 1, 8, 30, tzinfo=datetime.UTC)
    for i in range(N):
        yield [
            f"学员{i}",
            f"139{i:08d}",
            f"罗山县周党镇东湾村{i % 300}组",
            "村党支部书记",
            day + datetime.timedelta(days=i % 300),
            moment + datetime.timedelta(minutes=i),
            i % 40,
            i % 900,
            float(i % 50) / 2,
            Decimal(i % 100),
            i % 2 == 0,
            "=HYPERLINK(1)" if i % 1000 == 0 else "",
            (i % 100) / 100,
        ]


def handwritten(path: str) -> None:
    source = subprocess.run(
        ["git", "show", f"{REV}:reports/xlsx.py"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    module = {}
    exec(compile(source, "reports/xlsx.py", "exec"), module)  # noqa: S102
    module["write_sheet"](
        path,
        title="名单",
        headers=[c.header for c in COLUMNS],
        widths=[c.width for c in COLUMNS],
        rows=rows(),
    )


def xlsxwriter(path: str) -> None:
    from lms.spreadsheets import Book

    with Book() as book:
        book.sheet("名单", COLUMNS).rows_from(rows())
    with open(path, "wb") as out:
        for chunk in book.response("名单.xlsx").streaming_content:
            out.write(chunk)


def main(which: str) -> None:
    path = os.path.join(tempfile.mkdtemp(), f"{which}.xlsx")
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall = time.process_time(), time.perf_counter()
    {"handwritten": handwritten, "xlsxwriter": xlsxwriter}[which](path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{which:11s} rows={N} wall={wall:.2f}s cpu={cpu:.2f}s "
        f"peak_rss={peak / 1024:.0f}MB (before writing {base / 1024:.0f}MB) "
        f"size={os.path.getsize(path) / 1e6:.1f}MB"
    )
    os.unlink(path)


if __name__ == "__main__":
    main(sys.argv[1])
