#!/usr/bin/env python
"""Fill msgstr entries of a .po catalogue from a JSON object {msgid: msgstr}.

    .venv/bin/python scripts/po_fill.py people/locale/zh_Hans/LC_MESSAGES/django.po t.json
    .venv/bin/python scripts/po_fill.py --todo people/locale/zh_Hans/LC_MESSAGES/django.po

Plural entries take a list of forms. Fuzzy flags are cleared on the entries it fills.
"""

import json
import sys

import polib


def main(argv: list[str]) -> int:
    if argv[:1] == ["--todo"]:
        for path in argv[1:]:
            po = polib.pofile(path)
            for entry in po.untranslated_entries() + po.fuzzy_entries():
                print(json.dumps(entry.msgid, ensure_ascii=False))
        return 0
    path, mapping_path = argv
    with open(mapping_path, encoding="utf-8") as fh:
        mapping = json.load(fh)
    po = polib.pofile(path)
    filled = 0
    for entry in po:
        if entry.msgid not in mapping:
            continue
        value = mapping[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.save(path)
    left = len(po.untranslated_entries()) + len(po.fuzzy_entries())
    print(f"{path}: filled {filled}, still untranslated or fuzzy {left}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
