"""Practice KPI sections (08 §9 with ``from``/``to``; keys and omissions in ``docs/kpis.md``).

Only keys the server really computes are shown; those it deliberately omits (punctuality,
documentation, services, satisfaction — fabricated in the original, Decision K-5) have no
tile at all.
"""

from __future__ import annotations

from typing import Any

from desktop.views.statistics.content import (
    COUNT,
    DAYS,
    MINUTES,
    PERCENT,
    POINTS,
    Bar,
    Content,
    Table,
    Tile,
    number,
    of,
    tiles_content,
    translate,
    when,
)
from desktop.views.statistics.numbers import with_unit

# Tiles that the practice panel and a doctor's own panel share (the panels name the
# cancelled count differently: ``cancelled_count`` vs ``cancelled``).


def _utilisation(use: dict[str, Any]) -> Tile:
    return Tile(
        translate("Statistik", "Auslastung"),
        when(use.get("available_hours"), use.get("utilization")),
        PERCENT,
        1,
        translate("Statistik", "{0} von {1} Std. belegt").format(
            with_unit(float(use.get("booked_hours") or 0), 1, ""),
            with_unit(float(use.get("available_hours") or 0), 1, ""),
        ),
    )


def _no_show(no_show: dict[str, Any]) -> Tile:
    return Tile(
        translate("Statistik", "No-Show-Rate"),
        when(no_show.get("total_past"), no_show.get("no_show_rate")),
        PERCENT,
        1,
        of(no_show.get("no_show_count", 0), no_show.get("total_past", 0)),
    )


def _cancellation(cancel: dict[str, Any], count_key: str) -> Tile:
    return Tile(
        translate("Statistik", "Stornoquote"),
        when(cancel.get("total"), cancel.get("cancellation_rate")),
        PERCENT,
        1,
        of(cancel.get(count_key, 0), cancel.get("total", 0)),
    )


def kpi_operations(body: dict[str, Any]) -> Content:
    use = body.get("utilization") or {}
    through = body.get("throughput") or {}
    no_show = body.get("no_show") or {}
    cancel = body.get("cancellation") or {}
    flows = body.get("patient_flow_times") or {}
    neck = body.get("bottleneck") or {}
    return tiles_content(
        [
            _utilisation(use),
            Tile(
                translate("Statistik", "Termine"),
                number(use.get("appointment_count")),
                COUNT,
                note=translate("Statistik", "gebucht, ohne Stornos"),
            ),
            Tile(
                translate("Statistik", "Abgeschlossen"),
                number(through.get("total")),
                COUNT,
                note=translate("Statistik", "⌀ {0} pro Tag").format(
                    with_unit(float(through.get("avg_per_day") or 0), 1, "")
                ),
            ),
            _no_show(no_show),
            _cancellation(cancel, "cancelled_count"),
            Tile(
                translate("Statistik", "⌀ Wartezeit"),
                when(flows.get("wait_count"), flows.get("avg_wait_minutes")),
                MINUTES,
                1,
                translate("Statistik", "{0} Patienten").format(flows.get("wait_count", 0)),
            ),
            Tile(
                translate("Statistik", "⌀ Behandlungszeit"),
                when(flows.get("treatment_count"), flows.get("avg_treatment_minutes")),
                MINUTES,
                1,
                translate("Statistik", "{0} Patienten").format(flows.get("treatment_count", 0)),
            ),
            Tile(
                translate("Statistik", "Engpass-Index"),
                number(neck.get("index")),
                POINTS,
                1,
                str(neck.get("label") or ""),
            ),
        ]
    )


def kpi_scheduling(body: dict[str, Any]) -> Content:
    slots = body.get("slot_utilization") or {}
    completion = body.get("completion_rate") or {}
    lead = body.get("lead_time") or {}
    efficiency = body.get("efficiency") or {}
    return tiles_content(
        [
            Tile(
                translate("Statistik", "Slot-Auslastung"),
                when(slots.get("available_slots"), slots.get("utilization_rate")),
                PERCENT,
                1,
                of(slots.get("booked_slots", 0), slots.get("available_slots", 0)),
            ),
            Tile(
                translate("Statistik", "Abschlussquote"),
                when(completion.get("total"), completion.get("rate")),
                PERCENT,
                1,
                of(completion.get("completed", 0), completion.get("total", 0)),
            ),
            Tile(
                translate("Statistik", "⌀ Vorlaufzeit"),
                number(lead.get("avg_lead_time_days")),
                DAYS,
                1,
            ),
            Tile(
                translate("Statistik", "Effizienz"),
                number(efficiency.get("score")),
                POINTS,
                1,
                str(efficiency.get("label") or ""),
            ),
        ]
    )


def kpi_patients(body: dict[str, Any]) -> Content:
    return tiles_content(
        [
            Tile(
                translate("Statistik", "Patienten gesamt"),
                number(body.get("total_patients")),
                COUNT,
            ),
            Tile(
                translate("Statistik", "Aktive Patienten"),
                number(body.get("active_patients")),
                COUNT,
                note=translate("Statistik", "mit Termin im Zeitraum"),
            ),
            Tile(translate("Statistik", "Aktivquote"), number(body.get("active_rate")), PERCENT, 1),
            Tile(
                translate("Statistik", "Neue Patienten"),
                number(body.get("new_this_month")),
                COUNT,
                note=translate("Statistik", "erster Termin im Zeitraum"),
            ),
        ]
    )


def kpi_doctors(body: dict[str, Any]) -> Content:
    rows = body.get("doctors") or []
    bars = tuple(
        Bar(
            str(row.get("name") or ""),
            float(row["utilization"]),
            translate("Statistik", "{0} · {1} Termine").format(
                with_unit(float(row["utilization"]), 1, PERCENT), row["appointments"]
            ),
            row.get("color"),
        )
        for row in rows
    )
    table = Table(
        (
            translate("Statistik", "Arzt"),
            translate("Statistik", "Auslastung (%)"),
            translate("Statistik", "Termine (Anzahl)"),
            translate("Statistik", "Abgeschlossen (Anzahl)"),
            translate("Statistik", "⌀ Termine pro Tag"),
            translate("Statistik", "No-Show-Rate (%)"),
            translate("Statistik", "Stornoquote (%)"),
            translate("Statistik", "Neupatienten (%)"),
        ),
        (None, 1, 0, 0, 1, 1, 1, 1),
        tuple(
            (
                str(row.get("name") or ""),
                row["utilization"],
                row["appointments"],
                row["completed"],
                row["avg_per_day"],
                row["no_show_rate"],
                row["cancellation_rate"],
                row["new_patient_rate"],
            )
            for row in rows
        ),
    )
    return Content(table=table, bars=bars, axis_unit=translate("Statistik", "Auslastung in %"))


def kpi_own_doctor(body: dict[str, Any]) -> Content:
    use = body.get("utilization") or {}
    volume = body.get("volume") or {}
    no_show = body.get("no_show") or {}
    cancel = body.get("cancellation") or {}
    new = body.get("new_patients") or {}
    duration = body.get("duration") or {}
    return tiles_content(
        [
            _utilisation(use),
            Tile(translate("Statistik", "Termine"), number(volume.get("total")), COUNT),
            _no_show(no_show),
            _cancellation(cancel, "cancelled"),
            Tile(
                translate("Statistik", "Neupatienten"),
                when(new.get("total_patients"), new.get("new_patient_rate")),
                PERCENT,
                1,
                of(new.get("new_patients", 0), new.get("total_patients", 0)),
            ),
            Tile(
                translate("Statistik", "⌀ Termindauer"),
                when(volume.get("completed"), duration.get("avg_planned")),
                MINUTES,
                1,
                translate("Statistik", "abgeschlossene Termine"),
            ),
        ]
    )
