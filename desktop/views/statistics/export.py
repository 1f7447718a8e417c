"""CSV and PNG export of the Statistik screen; callable with a path (no dialog needed).

CSV decisions:

* **Semicolon-separated, UTF-8 with BOM, CRLF line ends.** Excel on a German Windows splits
  on ``;`` (the comma is the decimal separator there) and only recognises UTF-8 — umlauts in
  "Gerätenutzung" or "Müller" — when the file starts with a byte-order mark; without it Excel
  assumes the ANSI code page and shows "GerÃ¤te". LibreOffice and Python's ``csv`` (with
  ``encoding="utf-8-sig"``) read the same file without trouble.
* **Numbers with a decimal comma and no thousands separator** ("1234,5"): German Excel reads
  that as a number, while "1.234,5" is at risk of turning into a date or text.
* **One file for the whole screen**, not a file per section: staff export "the statistics for
  January" as one thing to file or mail. The file starts with the range and the time of
  export; every section follows as a block (its title, a header row, its rows) separated by
  an empty line, in screen order. A section the server refused (403) or could not answer is
  listed with its message instead of a table, so a missing table never reads as zero.

PNG: the rendered report widget (``QWidget.grab()``), all sections at their on-screen size,
including the parts scrolled out of view.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop.views.statistics.content import Cell, Content, Section, translate
from desktop.views.statistics.numbers import german_number
from desktop.views.statistics.ranges import DateRange


@dataclass(frozen=True)
class Outcome:
    """What a section shows: its content, or the message that replaced it."""

    section: Section
    content: Content | None
    message: str = ""


def _cell(value: Cell, decimals: int | None) -> str:
    if value is None:
        return ""
    if decimals is None or isinstance(value, str):
        return str(value)
    return german_number(float(value), decimals, grouping=False)


def csv_rows(rng: DateRange, exported_at: datetime, outcomes: list[Outcome]) -> list[list[str]]:
    rows: list[list[str]] = [
        [translate("Statistik", "PraxiApp – Statistik")],
        [translate("Statistik", "Zeitraum"), f"{rng.first:%d.%m.%Y}", f"{rng.last:%d.%m.%Y}"],
        [translate("Statistik", "Exportiert am"), f"{exported_at:%d.%m.%Y %H:%M}"],
    ]
    for outcome in outcomes:
        rows.append([])
        rows.append([outcome.section.title])
        if outcome.content is None:
            rows.append([outcome.message])
            continue
        table = outcome.content.table
        rows.append(list(table.headers))
        if not table.rows:
            rows.append([translate("Statistik", "Keine Daten im gewählten Zeitraum.")])
        for row in table.rows:
            rows.append([_cell(value, table.decimals[i]) for i, value in enumerate(row)])
    return rows


def write_csv(
    path: str | Path, rng: DateRange, exported_at: datetime, outcomes: list[Outcome]
) -> Path:
    target = Path(path)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerows(csv_rows(rng, exported_at, outcomes))
    return target


def write_png(widget: QWidget, path: str | Path) -> Path:
    target = Path(path)
    if not widget.grab().save(str(target), "PNG"):
        raise OSError(
            translate("Statistik", "Das Bild konnte nicht gespeichert werden: {0}").format(target)
        )
    return target


def suggested_name(rng: DateRange, suffix: str) -> str:
    return f"Statistik_{rng.first:%Y-%m-%d}_bis_{rng.last:%Y-%m-%d}.{suffix}"
