#!/usr/bin/env python
"""List msgids that two catalogues translate differently.

    .venv/bin/python scripts/po_conflicts.py [LANG ...]      (default: zh_Hans en)

Django merges every app's catalogue into one; for a msgid that several apps translate,
the app listed first in INSTALLED_APPS wins everywhere. So ledger's "Withdraw" (撤销)
would show as training's "Withdraw" (退学). A msgid two of our catalogues translate
differently must carry a context (pgettext / {% translate "…" context "…" %}).

Our catalogues also come before Wagtail's, Django's and allauth's: a msgid of theirs
that we translate differently changes their screens too. Those are listed as well.

locale_wagtail/ (Chinese for Wagtail strings Wagtail's zh_Hans leaves empty) counts as one
of ours: it is in LOCALE_PATHS, so it wins over every app's catalogue, ours included. A
msgid it shares with an app must read the same there (or the app's takes a context).

Exits 1 when there is a conflict.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

# The framework's msgids we translate on purpose with another word of the same meaning
# (Wagtail's screens read as well or better with ours). Anything else takes a context.
SAME_MEANING = {
    "Actions",
    "Admin",
    "Breadcrumb",
    "Description",
    "description",
    "Disabled",
    "Filter",
    "History",
    "Log out",
    "Note",
    "Page not found",
    "Reject",
    "Rejected",
    "Reports",
    "Saving…",
    "Sessions",
    "session",
    "sessions",
    "Summary",
    "Views",  # locale_wagtail's search-promotion hits; admindocs' views (not installed)
    "active",
    "created",
    "name",
    "slug",
    "started at",
}


def _project_catalogues(lang: str) -> list[Path]:
    paths = sorted(ROOT.glob(f"*/locale/{lang}/LC_MESSAGES/django.po"))
    paths += [ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"]
    paths += [ROOT / "locale_wagtail" / lang / "LC_MESSAGES" / "django.po"]
    return [p for p in paths if p.exists() and ".venv" not in p.parts]


def _third_party_catalogues(lang: str) -> list[Path]:
    import django
    import wagtail

    roots = [Path(django.__file__).parent, Path(wagtail.__file__).parent]
    try:
        import allauth

        roots.append(Path(allauth.__file__).parent)
    except ImportError:  # pragma: no cover - allauth is a dependency
        pass
    # Django and Wagtail name Simplified Chinese zh_Hans; older packs use zh_CN.
    names = {lang, "zh_CN"} if lang == "zh_Hans" else {lang}
    found = []
    for root in roots:
        for name in names:
            found += root.glob(f"**/locale/{name}/LC_MESSAGES/django.po")
    return sorted(found)


def _entries(path: Path) -> dict[tuple[str | None, str], str]:
    result = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or entry.msgid_plural or not entry.msgstr or "fuzzy" in entry.flags:
            continue
        result[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return result


def _describe(key: tuple[str | None, str], by_text: dict[str, list[str]]) -> tuple[str, str]:
    ctxt, msgid = key
    label = f"{msgid!r}" + (f" (context {ctxt!r})" if ctxt else "")
    where = "; ".join(f"{', '.join(apps)}: {text!r}" for text, apps in by_text.items())
    return label, where


def conflicts(lang: str) -> list[str]:
    ours: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    for path in _project_catalogues(lang):
        name = str(path.relative_to(ROOT)).split(f"/{lang}/")[0].removesuffix("/locale") or "."
        for key, msgstr in _entries(path).items():
            ours.setdefault(key, {}).setdefault(msgstr, []).append(name)
    theirs: dict[tuple[str | None, str], str] = {}
    for path in _third_party_catalogues(lang):
        for key, msgstr in _entries(path).items():
            theirs.setdefault(key, msgstr)
    between_apps, over_framework = [], []
    for key, by_text in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")):
        label, where = _describe(key, by_text)
        if len(by_text) > 1:
            between_apps.append(f"{lang}: {label} is translated differently: {where}")
        if key in theirs and theirs[key] not in by_text and key[1] not in SAME_MEANING:
            over_framework.append(
                f"{lang}: {label} overrides the framework's {theirs[key]!r} with {where}"
            )
    return between_apps + over_framework


def main(argv: list[str]) -> int:
    langs = argv or ["zh_Hans", "en"]
    lines = [line for lang in langs for line in conflicts(lang)]
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
