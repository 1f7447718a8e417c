"""The pieces a Statistik section is made of: tiles, bars, the export table.

Screen and CSV export read the same :class:`Content`, so a file never says something the
screen does not. A tile's value None means the server had nothing to compute it from (no past
appointments, no finished flow phase): it reads "keine Daten" instead of the server's formal
0,0, which would look like a measured zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.views.statistics.numbers import german_number

#: lupdate lists ``translate("Statistik", "…")`` calls (context "Statistik" for this package).
translate = QCoreApplication.translate

Cell = str | int | float | None

#: Units (source texts; shown through ``translate("Statistik", unit)``).
MINUTES = QT_TRANSLATE_NOOP("Statistik", "Minuten")
PERCENT = "%"
COUNT = QT_TRANSLATE_NOOP("Statistik", "Anzahl")
DAYS = QT_TRANSLATE_NOOP("Statistik", "Tage")
POINTS = QT_TRANSLATE_NOOP("Statistik", "Punkte")


@dataclass(frozen=True)
class Tile:
    """One key figure; ``value`` None means the server had nothing to compute it from."""

    label: str
    value: float | None
    unit: str
    decimals: int = 0
    note: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    caption: str
    color: str | None = None


@dataclass(frozen=True)
class Table:
    """Rows for the CSV export; ``decimals[i]`` is None for a text column."""

    headers: tuple[str, ...]
    decimals: tuple[int | None, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Content:
    table: Table
    tiles: tuple[Tile, ...] = ()
    bars: tuple[Bar, ...] = ()
    #: Label of the value axis of a bar chart ("Minuten", "%", "Anzahl").
    axis_unit: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    path: str
    build: Callable[[dict[str, Any]], Content] = field(repr=False)
    #: Spans both columns of the screen (tile rows, long bar lists).
    wide: bool = False
    #: One line under the title saying what the numbers are based on.
    hint: str = ""


# -- helpers -----------------------------------------------------------------------------


def number(value: Any) -> float | None:
    return None if value is None else float(value)


def when(condition: Any, value: Any) -> float | None:
    """The server's value, or None when it had nothing to compute it from."""
    return number(value) if condition else None


def tile_value_text(tile: Tile, *, grouping: bool = True) -> str:
    if tile.value is None:
        return translate("Statistik", "keine Daten")
    return german_number(tile.value, tile.decimals, grouping=grouping)


def tiles_content(tiles: list[Tile]) -> Content:
    # Values go into the table already formatted: each row has its own number of decimals.
    table = Table(
        (
            translate("Statistik", "Kennzahl"),
            translate("Statistik", "Wert"),
            translate("Statistik", "Einheit"),
            translate("Statistik", "Hinweis"),
        ),
        (None, None, None, None),
        tuple(
            (tile.label, tile_value_text(tile, grouping=False), tile.unit, tile.note)
            for tile in tiles
        ),
    )
    return Content(table=table, tiles=tuple(tiles))


def name_of(item: Any) -> str:
    return str(item.get("name") or "") if isinstance(item, dict) else ""


def color_of(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    return item.get("color") or item.get("calendar_color")


def of(part: Any, whole: Any) -> str:
    """``"1.234 von 3.720"`` (counts, German grouping)."""
    return translate("Statistik", "{0} von {1}").format(
        german_number(float(part or 0)), german_number(float(whole or 0))
    )
