#!/usr/bin/env python
"""List Wagtail's own strings that have no Simplified Chinese translation.

    .venv/bin/python scripts/wagtail_zh_missing.py            list what is still missing
    .venv/bin/python scripts/wagtail_zh_missing.py --stale    list our entries Wagtail dropped

Wagtail's zh_Hans catalogues lack some of the msgids its `en` catalogues have, so the admin
shows those in English. `locale_wagtail/zh_Hans/LC_MESSAGES/{django,djangojs}.po` (listed in
LOCALE_PATHS after our own `locale/`) translates them. After upgrading Wagtail, run this
script: every line it prints is a msgid to add to the matching catalogue in locale_wagtail
(msgid/msgctxt copied exactly from Wagtail's en catalogue), then `make compile-messages`.
`tests/lms/test_wagtail_chinese.py` fails while anything is listed.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "locale_wagtail" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django.po", "djangojs.po")

Key = tuple[str | None, str]


def wagtail_root() -> Path:
    import wagtail

    return Path(wagtail.__file__).resolve().parent


def _translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def english_entries() -> dict[str, dict[Key, tuple[polib.POEntry, Path]]]:
    """Per domain file name, Wagtail's en msgids with the entry and the catalogue."""
    found: dict[str, dict[Key, tuple[polib.POEntry, Path]]] = {d: {} for d in DOMAINS}
    for domain in DOMAINS:
        for path in sorted(wagtail_root().glob(f"**/locale/en/LC_MESSAGES/{domain}")):
            for entry in polib.pofile(str(path)):
                if not entry.obsolete and entry.msgid:
                    found[domain].setdefault((entry.msgctxt, entry.msgid), (entry, path))
    return found


def chinese_keys(domain: str, *, with_overrides: bool = True) -> set[Key]:
    """The msgids with a Chinese translation, from Wagtail's zh_Hans (+ ours)."""
    paths = sorted(wagtail_root().glob(f"**/locale/zh_Hans/LC_MESSAGES/{domain}"))
    if with_overrides and (OVERRIDES / domain).exists():
        paths.append(OVERRIDES / domain)
    keys: set[Key] = set()
    for path in paths:
        keys |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if _translated(e)}
    return keys


def missing(*, with_overrides: bool = True) -> list[str]:
    """'domain: [context] msgid' for each en msgid without Chinese."""
    lines = []
    for domain, entries in english_entries().items():
        have = chinese_keys(domain, with_overrides=with_overrides)
        for (ctxt, msgid), (_entry, path) in entries.items():
            if (ctxt, msgid) not in have:
                app = path.relative_to(wagtail_root()).parts[0]
                where = f"{domain} ({app})" + (f" [context {ctxt!r}]" if ctxt else "")
                lines.append(f"{where}: {msgid!r}")
    return lines


def stale() -> list[str]:
    """Entries in locale_wagtail whose msgid Wagtail's en catalogues no longer have."""
    lines = []
    for domain, entries in english_entries().items():
        path = OVERRIDES / domain
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if (entry.msgctxt, entry.msgid) not in entries:
                lines.append(f"{domain}: {entry.msgid!r}")
    return lines


def main(argv: list[str]) -> int:
    lines = stale() if "--stale" in argv else missing()
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
