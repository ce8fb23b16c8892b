"""Privacy rules of the published output: aggregates only, and no cell small enough to point at one owner.

A count from 1 to 4 is shown as ``"<5"`` (:data:`SMALL_CELL`), in every breakdown and in the total; zero cells
are left out. Addresses appear only with ``--per-address``, meant for notifying owners, and that output says so
in :data:`PER_ADDRESS_NOTICE`. Note: this is primary suppression only; a suppressed cell may still be worked
out from a total and its other cells, so publish totals and breakdowns with that in mind (docs/measure.md).
"""

from __future__ import annotations

MIN_CELL = 5
SMALL_CELL = "<5"
PER_ADDRESS_NOTICE = (
    "This output lists addresses. It is meant for notifying the owners of exposed devices, not for "
    "publication: publish the aggregates only."
)
PER_ADDRESS_NOTICE_NL = (
    "Deze uitvoer noemt adressen. Zij is bedoeld om eigenaren van zichtbare apparaten te waarschuwen, niet "
    "om te publiceren: publiceer alleen de totalen."
)


def cell(count: int) -> int | str:
    """A count as published: ``"<5"`` for 1..4, else the number."""
    return SMALL_CELL if 0 < count < MIN_CELL else count


def difference(current: int | str, previous: int | str | None) -> int | None:
    """The change between two published cells; None when either is suppressed or absent."""
    if isinstance(current, int) and isinstance(previous, int):
        return current - previous
    return None
