"""Waiting-list KPI sections (``GET /api/kpi/waiting-list/``, docs/waiting-list.md §9).

Freed minutes are appointment time given back while it still lay ahead (cancelled, deleted,
moved, no-show); rebooked minutes are the appointments booked from the waiting list into
such a slot and not cancelled since. The rate is the server's (rebooked / freed); a week in
which nothing was freed has none, and its bar reads "nichts frei geworden" instead of 0 %.
"""

from __future__ import annotations

from typing import Any

from desktop.views.statistics.content import (
    MINUTES,
    PERCENT,
    Bar,
    Content,
    Table,
    Tile,
    number,
    tiles_content,
    translate,
    when,
)
from desktop.views.statistics.numbers import with_unit


def _percent(rate: Any) -> float | None:
    return None if rate is None else float(rate) * 100


def kpi_waiting_list(body: dict[str, Any]) -> Content:
    totals = body.get("totals") or {}
    freed = totals.get("freed_minutes")
    rebooked = totals.get("rebooked_minutes")
    return tiles_content(
        [
            Tile(
                translate("Statistik", "Frei gewordene Zeit"),
                number(freed),
                MINUTES,
                note=translate("Statistik", "abgesagt, gelöscht, verschoben, nicht erschienen"),
            ),
            Tile(
                translate("Statistik", "Aus der Warteliste nachbesetzt"),
                number(rebooked),
                MINUTES,
                note=translate("Statistik", "Buchungen über „Nachrücker“"),
            ),
            Tile(
                translate("Statistik", "Nachbesetzungsquote"),
                when(freed, _percent(totals.get("rebook_rate"))),
                PERCENT,
                1,
                translate("Statistik", "nachbesetzt / frei geworden"),
            ),
        ]
    )


def _week_label(week: dict[str, Any]) -> str:
    """``"KW 49"`` from the ISO week ``"2026-W49"``."""
    iso = str(week.get("iso_week") or "")
    number_part = iso.rpartition("W")[2]
    return translate("Statistik", "KW {0}").format(int(number_part)) if number_part else iso


def kpi_waiting_list_weeks(body: dict[str, Any]) -> Content:
    weeks = body.get("weeks") or []
    bars = []
    for week in weeks:
        rate = _percent(week.get("rebook_rate"))
        freed = float(week.get("freed_minutes") or 0)
        rebooked = float(week.get("rebooked_minutes") or 0)
        caption = (
            translate("Statistik", "nichts frei geworden")
            if rate is None
            else translate("Statistik", "{0} · {1} von {2}").format(
                with_unit(rate, 1, PERCENT),
                with_unit(rebooked, 0, MINUTES),
                with_unit(freed, 0, MINUTES),
            )
        )
        bars.append(Bar(_week_label(week), rate or 0.0, caption))
    table = Table(
        (
            translate("Statistik", "Woche"),
            translate("Statistik", "Wochenbeginn"),
            translate("Statistik", "Frei geworden (Minuten)"),
            translate("Statistik", "Nachbesetzt (Minuten)"),
            translate("Statistik", "Nachbesetzungsquote (%)"),
        ),
        (None, None, 0, 0, 1),
        tuple(
            (
                _week_label(week),
                str(week.get("week_start") or ""),
                week.get("freed_minutes") or 0,
                week.get("rebooked_minutes") or 0,
                _percent(week.get("rebook_rate")),
            )
            for week in weeks
        ),
    )
    return Content(
        table=table, bars=tuple(bars), axis_unit=translate("Statistik", "Nachbesetzt in %")
    )
