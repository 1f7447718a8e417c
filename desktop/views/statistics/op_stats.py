"""OP statistics sections (04 §5.8): overview tiles; rooms, devices, surgeons, types as bars."""

from __future__ import annotations

from typing import Any

from desktop.views.statistics.content import (
    COUNT,
    MINUTES,
    PERCENT,
    Bar,
    Content,
    Table,
    Tile,
    color_of,
    name_of,
    number,
    tiles_content,
    translate,
    when,
)
from desktop.views.statistics.numbers import with_unit


def op_overview(body: dict[str, Any]) -> Content:
    count = int(body.get("op_count") or 0)
    return tiles_content(
        [
            Tile(translate("Statistik", "Operationen"), float(count), COUNT),
            Tile(
                translate("Statistik", "OP-Zeit gesamt"),
                number(body.get("total_op_minutes")),
                MINUTES,
            ),
            Tile(
                translate("Statistik", "⌀ OP-Dauer"),
                when(count, body.get("average_op_duration")),
                MINUTES,
                decimals=1,
            ),
        ]
    )


def op_rooms(body: dict[str, Any]) -> Content:
    rows = body.get("rooms") or []
    bars = tuple(
        Bar(
            name_of(row["room"]),
            float(row["utilization"]) * 100,
            with_unit(float(row["utilization"]) * 100, 1, PERCENT),
            color_of(row["room"]),
        )
        for row in rows
    )
    table = Table(
        (
            translate("Statistik", "Raum"),
            translate("Statistik", "Belegt (Minuten)"),
            translate("Statistik", "Verfügbar (Minuten)"),
            translate("Statistik", "Auslastung (%)"),
        ),
        (None, 0, 0, 1),
        tuple(
            (
                name_of(row["room"]),
                row["used_minutes"],
                row["total_minutes"],
                float(row["utilization"]) * 100,
            )
            for row in rows
        ),
    )
    return Content(table=table, bars=bars, axis_unit=translate("Statistik", "Auslastung in %"))


def op_devices(body: dict[str, Any]) -> Content:
    rows = body.get("devices") or []
    bars = tuple(
        Bar(
            name_of(row["device"]),
            float(row["usage_minutes"]),
            with_unit(float(row["usage_minutes"]), 0, MINUTES),
            color_of(row["device"]),
        )
        for row in rows
    )
    table = Table(
        (translate("Statistik", "Gerät"), translate("Statistik", "Nutzung (Minuten)")),
        (None, 0),
        tuple((name_of(row["device"]), row["usage_minutes"]) for row in rows),
    )
    return Content(table=table, bars=bars, axis_unit=translate("Statistik", "Nutzung in Minuten"))


def op_surgeons(body: dict[str, Any]) -> Content:
    rows = body.get("surgeons") or []
    bars = tuple(
        Bar(
            name_of(row["surgeon"]),
            float(row["op_count"]),
            translate("Statistik", "{0} OPs · {1}").format(
                row["op_count"], with_unit(float(row["total_op_minutes"]), 0, MINUTES)
            ),
            color_of(row["surgeon"]),
        )
        for row in rows
    )
    table = Table(
        (
            translate("Statistik", "Operateur"),
            translate("Statistik", "Operationen (Anzahl)"),
            translate("Statistik", "OP-Zeit (Minuten)"),
            translate("Statistik", "⌀ OP-Dauer (Minuten)"),
        ),
        (None, 0, 0, 1),
        tuple(
            (
                name_of(row["surgeon"]),
                row["op_count"],
                row["total_op_minutes"],
                row["average_op_duration"],
            )
            for row in rows
        ),
    )
    return Content(table=table, bars=bars, axis_unit=translate("Statistik", "Anzahl Operationen"))


def op_types(body: dict[str, Any]) -> Content:
    rows = body.get("types") or []
    bars = tuple(
        Bar(
            name_of(row["type"]),
            float(row["count"]),
            translate("Statistik", "{0} · ⌀ {1}").format(
                row["count"], with_unit(float(row["avg_duration"]), 0, MINUTES)
            ),
            color_of(row["type"]),
        )
        for row in rows
    )
    table = Table(
        (
            translate("Statistik", "OP-Art"),
            translate("Statistik", "Anzahl"),
            translate("Statistik", "⌀ Dauer (Minuten)"),
            translate("Statistik", "Kürzeste (Minuten)"),
            translate("Statistik", "Längste (Minuten)"),
        ),
        (None, 0, 1, 0, 0),
        tuple(
            (
                name_of(row["type"]),
                row["count"],
                row["avg_duration"],
                row["min_duration"],
                row["max_duration"],
            )
            for row in rows
        ),
    )
    return Content(table=table, bars=bars, axis_unit=translate("Statistik", "Anzahl Operationen"))
