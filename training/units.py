"""Finding an org unit from what people write in a 单位 cell.

"罗山县周党镇东湾村", "信阳市罗山县周党镇东湾村" and "河南省…" all name the same village; a bare
"东湾村" does too if only one unit in the organiser's scope has that name.
"""

import unicodedata

from people.models import OrgUnit
from people.selectors import org_unit_list


class UnitIndex:
    def __init__(self, *, viewer):
        every = {u.path: u for u in OrgUnit.objects.only("id", "path", "depth", "name", "level")}
        self._by_text: dict[str, set[int]] = {}
        self._units: dict[int, OrgUnit] = {}
        step = OrgUnit.steplen
        for unit in org_unit_list(viewer=viewer).only("id", "path", "depth", "name", "level"):
            self._units[unit.pk] = unit
            chain = [every[unit.path[: step * d]] for d in range(1, unit.depth + 1)]
            names = [u.name for u in chain]
            # Every tail of the chain: 东湾村, 周党镇东湾村, 罗山县周党镇东湾村, …
            for i in range(len(names)):
                key = self.normalise("".join(names[i:]))
                self._by_text.setdefault(key, set()).add(unit.pk)

    @staticmethod
    def normalise(text: str) -> str:
        text = unicodedata.normalize("NFKC", text or "")
        return "".join(text.split())

    def find(self, text: str) -> list[OrgUnit]:
        """Units matching the text: one is a hit, none unknown, several ambiguous."""
        hits = self._by_text.get(self.normalise(text))
        return [self._units[pk] for pk in sorted(hits or ())]

    def get(self, pk: int) -> OrgUnit | None:
        return self._units.get(pk)
