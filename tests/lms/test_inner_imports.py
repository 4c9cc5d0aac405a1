"""An import inside a function only where a comment says why (issue 18).

Imports belong at the top of the module, where import-linter sees the layering and a
cycle shows at once. Some must wait: a slow library loaded on first use, an app's
models in `AppConfig.ready()`, a lower layer reaching up by a documented hook. Each such
import carries its reason in a comment on its line or the line above; a run of imports
that follow one another (blank lines between them allowed) shares the comment above the
first.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "lms",
    "people",
    "training",
    "courses",
    "assessments",
    "attendance",
    "ledger",
    "lectures",
    "certificates",
    "declarations",
    "reports",
    "portal",
    "notifications",
]


def unexplained_inner_imports(source: str) -> list[int]:
    """Line numbers of imports inside a function with no reason given in a comment."""
    lines = source.splitlines()

    def commented(lineno: int) -> bool:
        here = lines[lineno - 1]
        above = lines[lineno - 2].strip() if lineno > 1 else ""
        return "#" in here or above.startswith("#")

    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            body = getattr(node, "body", None)
            if not isinstance(body, list):
                continue
            for block in (body, getattr(node, "orelse", []), getattr(node, "finalbody", [])):
                explained = False  # the run of imports this one belongs to has a reason
                previous = None
                for statement in block:
                    if not isinstance(statement, ast.Import | ast.ImportFrom):
                        explained, previous = False, None
                        continue
                    starts_run = previous is None or any(
                        lines[n - 1].strip() and not lines[n - 1].strip().startswith("#")
                        for n in range(previous.end_lineno + 1, statement.lineno)
                    )
                    explained = commented(statement.lineno) or (explained and not starts_run)
                    if not explained:
                        found.append(statement.lineno)
                    previous = statement
    return sorted(set(found))


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_import_inside_a_function_says_why():
    unexplained = [
        f"{path.relative_to(ROOT)}:{lineno}"
        for path in app_modules()
        for lineno in unexplained_inner_imports(path.read_text())
    ]
    assert not unexplained, (
        "Import at the top of the module, or say in a comment on the line or the line "
        "above why it must wait:\n" + "\n".join(unexplained)
    )


def test_the_check_finds_an_import_without_a_reason():
    source = (
        "def f():\n"
        "    # Imported here: slow to import.\n"
        "    import json\n"
        "    import csv\n"
        "\n"
        "    import io\n"
        "    x = 1\n"
        "    import re\n"
        "    if x:\n"
        "        from os import path  # lazy: why not\n"
        "        import sys\n"
        "    return x\n"
        "\n"
        "\n"
        "def g():\n"
        "    class C:\n"
        "        def h(self):\n"
        "            import zlib\n"
    )
    assert unexplained_inner_imports(source) == [8, 18]


def test_a_module_level_import_needs_no_reason():
    assert unexplained_inner_imports("import json\n\n\ndef f():\n    return json\n") == []
