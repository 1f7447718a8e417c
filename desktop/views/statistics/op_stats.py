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
    t,
    tiles_content,
    when,
)
from desktop.views.statistics.numbers import with_unit


def op_overview(body: dict[str, Any]) -> Content:
    count = int(body.get("op_count") or 0)
    return tiles_content(
        [
            Tile(t("Operationen"), float(count), COUNT),
            Tile(t("OP-Zeit gesamt"), number(body.get("total_op_minutes")), MINUTES),
            Tile(
                t("⌀ OP-Dauer"),
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
        (t("Raum"), t("Belegt (Minuten)"), t("Verfügbar (Minuten)"), t("Auslastung (%)")),
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
    return Content(table=table, bars=bars, axis_unit=t("Auslastung in %"))


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
        (t("Gerät"), t("Nutzung (Minuten)")),
        (None, 0),
        tuple((name_of(row["device"]), row["usage_minutes"]) for row in rows),
    )
    return Content(table=table, bars=bars, axis_unit=t("Nutzung in Minuten"))


def op_surgeons(body: dict[str, Any]) -> Content:
    rows = body.get("surgeons") or []
    bars = tuple(
        Bar(
            name_of(row["surgeon"]),
            float(row["op_count"]),
            t("{0} OPs · {1}").format(
                row["op_count"], with_unit(float(row["total_op_minutes"]), 0, MINUTES)
            ),
            color_of(row["surgeon"]),
        )
        for row in rows
    )
    table = Table(
        (
            t("Operateur"),
            t("Operationen (Anzahl)"),
            t("OP-Zeit (Minuten)"),
            t("⌀ OP-Dauer (Minuten)"),
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
    return Content(table=table, bars=bars, axis_unit=t("Anzahl Operationen"))


def op_types(body: dict[str, Any]) -> Content:
    rows = body.get("types") or []
    bars = tuple(
        Bar(
            name_of(row["type"]),
            float(row["count"]),
            t("{0} · ⌀ {1}").format(
                row["count"], with_unit(float(row["avg_duration"]), 0, MINUTES)
            ),
            color_of(row["type"]),
        )
        for row in rows
    )
    table = Table(
        (
            t("OP-Art"),
            t("Anzahl"),
            t("⌀ Dauer (Minuten)"),
            t("Kürzeste (Minuten)"),
            t("Längste (Minuten)"),
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
    return Content(table=table, bars=bars, axis_unit=t("Anzahl Operationen"))
