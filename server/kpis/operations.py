"""Operations dashboard KPIs (08 §3 with K-2, K-3, K-4, K-11) for ``GET /api/kpi/operations/``.

Period: ``[today − (days − 1), today]`` (K-2, ``days`` 1…366, default 30) or ``[from, to]``.
``patient_flow`` is the board of today (flows whose status changed since today 00:00)
whatever the period — it is the "realtime" funnel of the panel.

Omitted (K-5, fabricated in the original, 08 §7): ``flow_times`` (replaced by
``patient_flow_times``: real wait/treatment averages from the status events, 05 §4),
``punctuality``, ``documentation``, ``services`` — no real data source exists for them.
Added (K-4): ``total_operations``, ``in_progress``, ``completion_rate``,
``avg_duration_minutes`` and ``period.from``/``period.to``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.appointments.models import APPOINTMENT_STATUSES
from server.core import timefmt
from server.kpis.common import (
    ACTIVE_OP_SQL,
    APPT_MINUTES_SQL,
    BOOKED_SQL,
    DAY_SERIES_SQL,
    LOCAL_OP_START_SQL,
    LOCAL_START_SQL,
    NO_SHOW_SQL,
    OP_MINUTES_SQL,
    PAST_SQL,
    WEEKDAYS,
    PanelQuery,
    Period,
    capped,
    flow_times,
    in_range,
    one,
    pct,
    practice_minutes,
    r1,
    resource_minutes,
    rows,
)
from server.operations.models import OPERATION_STATUSES
from server.patient_flow.models import FLOW_STATUSES
from server.patient_flow.status import LABELS

LABELS_BY_DAYS = {
    1: "Heute",
    7: "Letzte 7 Tage",
    30: "Letzte 30 Tage",
    90: "Letzte 90 Tage",
    365: "Letztes Jahr",
}
HOURS = range(6, 22)
HIGH_UTILIZATION = 80

_APPT_SQL = f"""
    SELECT count(*),
           count(*) FILTER (WHERE a.status = 'cancelled'),
           count(*) FILTER (WHERE {BOOKED_SQL}),
           coalesce(sum({APPT_MINUTES_SQL}) FILTER (WHERE {BOOKED_SQL}), 0)::float8,
           count(*) FILTER (WHERE a.status = 'completed'),
           count(*) FILTER (WHERE {PAST_SQL}),
           count(*) FILTER (WHERE {NO_SHOW_SQL}),
           count(*) FILTER (WHERE {PAST_SQL} AND a.status = 'completed')
    FROM appointments a WHERE {in_range("a.start_time")}
"""  # noqa: S608

_OP_MINUTES_FLOOR = "greatest(0, floor(extract(epoch FROM (o.end_time - o.start_time)) / 60))"
_OP_SQL = f"""
    SELECT count(*) FILTER (WHERE {ACTIVE_OP_SQL}),
           coalesce(sum({OP_MINUTES_SQL}) FILTER (WHERE {ACTIVE_OP_SQL}), 0)::float8,
           count(*) FILTER (WHERE o.status = 'done'),
           count(*) FILTER (WHERE o.status <> 'cancelled'),
           avg({_OP_MINUTES_FLOOR}) FILTER (WHERE o.status <> 'cancelled')::float8,
           (SELECT count(*) FROM operations r WHERE r.status = 'running')
    FROM operations o WHERE {in_range("o.start_time")}
"""  # noqa: S608

_STATUS_SQL = f"""
    SELECT 'a', a.status, count(*) FROM appointments a WHERE {in_range("a.start_time")}
    GROUP BY a.status
    UNION ALL
    SELECT 'o', o.status, count(*) FROM operations o WHERE {in_range("o.start_time")}
    GROUP BY o.status
"""  # noqa: S608

_DAILY_SQL = f"""
    WITH c AS (
        SELECT {LOCAL_START_SQL}::date AS d, count(*) AS n FROM appointments a
        WHERE a.status = 'completed' AND {in_range("a.start_time")} GROUP BY 1)
    SELECT days.d, coalesce(c.n, 0) FROM {DAY_SERIES_SQL} days LEFT JOIN c ON c.d = days.d
    ORDER BY days.d
"""  # noqa: S608

_HOURLY_SQL = f"""
    SELECT 'a', extract(hour FROM {LOCAL_START_SQL})::int, count(*) FROM appointments a
    WHERE {in_range("a.start_time")} GROUP BY 2
    UNION ALL
    SELECT 'o', extract(hour FROM {LOCAL_OP_START_SQL})::int, count(*) FROM operations o
    WHERE {in_range("o.start_time")} GROUP BY 2
"""  # noqa: S608

_FLOW_BOARD_SQL = """
    SELECT pf.status, count(*) FROM patient_flows pf WHERE pf.status_changed_at >= :today_start
    GROUP BY pf.status
"""


def period_label(days: int, custom: Period | None) -> str:
    if custom is not None:
        return f"{custom.first:%d.%m.%Y} – {custom.last:%d.%m.%Y}"
    return LABELS_BY_DAYS.get(days, f"Letzte {days} Tage")


def _category(index: float) -> tuple[str, str]:
    if index >= 70:
        return "critical", "Kritisch"
    if index >= 50:
        return "high", "Hoch"
    if index >= 30:
        return "medium", "Mittel"
    return "low", "Niedrig"


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


def compute(session: Session, query: PanelQuery) -> dict[str, Any]:
    cal, custom, tz = query.calendar, query.custom, query.tz
    period = query.period()
    days = period.days
    base = query.base_params()
    params = {**base, **period.params(), "today_start": cal.day().start}

    (
        appt_total,
        appt_cancelled,
        appt_booked,
        appt_minutes,
        appt_completed,
        past,
        no_shows,
        past_completed,
    ) = one(session, _APPT_SQL, params)
    op_active, op_minutes, op_done, op_total, op_avg, op_running = one(session, _OP_SQL, params)
    available = practice_minutes(session, period)
    booked = appt_minutes + op_minutes

    daily = rows(session, _DAILY_SQL, params)
    daily_data = [{"day": day.isoformat(), "count": count} for day, count in daily]
    busiest = max(daily, key=lambda row: row[1], default=None)
    throughput_total = appt_completed + op_done

    no_show_rate = pct(no_shows, past)
    cancellation_rate = pct(appt_cancelled, appt_total)

    resource_list = []
    for row in resource_minutes(session, period, base):
        used = row[4] + row[5]
        resource_list.append(
            {
                "id": row.id,
                "name": row.name,
                "type": row.type,
                "color": row.color,
                "utilization": capped(used, available),
                "booked_hours": r1(used / 60),
                "available_hours": r1(available / 60),
            }
        )
    ranked = sorted(resource_list, key=lambda item: (-item["utilization"], item["id"]))
    rooms = [item for item in ranked if item["type"] == "room"]
    devices = [item for item in ranked if item["type"] == "device"]
    high = [item for item in ranked if item["utilization"] >= HIGH_UTILIZATION]

    resource_score = min(100.0, 20.0 * len(high))
    no_show_score = min(100.0, 5 * no_show_rate)
    cancel_score = min(100.0, 3 * cancellation_rate)
    index = round(0.5 * resource_score + 0.3 * no_show_score + 0.2 * cancel_score, 1)
    category, category_label = _category(index)

    hourly_counts: dict[tuple[str, int], int] = {
        (kind, hour): count for kind, hour, count in rows(session, _HOURLY_SQL, params)
    }
    distribution = [
        {
            "hour": hour,
            "appointments": hourly_counts.get(("a", hour), 0),
            "operations": hourly_counts.get(("o", hour), 0),
            "total": hourly_counts.get(("a", hour), 0) + hourly_counts.get(("o", hour), 0),
        }
        for hour in HOURS
    ]
    peak_row = max(distribution, key=lambda item: item["total"])

    status_counts: dict[tuple[str, str], int] = {
        (kind, status): count for kind, status, count in rows(session, _STATUS_SQL, params)
    }
    appt_status = {s: status_counts.get(("a", s), 0) for s in APPOINTMENT_STATUSES}
    op_status = {s: status_counts.get(("o", s), 0) for s in OPERATION_STATUSES}

    board = dict(rows(session, _FLOW_BOARD_SQL, params))
    statuses = [
        {
            "status": status,
            "label": LABELS[status][0],
            "count": int(board.get(status, 0)),
            "color": LABELS[status][1],
        }
        for status in FLOW_STATUSES
    ]

    return {
        "period": {
            "label": period_label(days, custom),
            "days": days,
            **period.dates(),
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
        },
        "utilization": {
            "utilization": capped(booked, available),
            "booked_hours": r1(booked / 60),
            "available_hours": r1(available / 60),
            "appointment_count": appt_booked,
            "operation_count": op_active,
        },
        "throughput": {
            "appointments": appt_completed,
            "operations": op_done,
            "total": throughput_total,
            "avg_per_day": round(throughput_total / days, 1),
            "daily_data": daily_data,
            "peak_day": WEEKDAYS[busiest[0].weekday()] if busiest and busiest[1] else None,
            "peak_count": busiest[1] if busiest else 0,
        },
        "no_show": {
            "no_show_count": no_shows,
            "completed": past_completed,
            "total_past": past,
            "no_show_rate": no_show_rate,
        },
        "cancellation": {
            "cancellation_rate": cancellation_rate,
            "cancelled_count": appt_cancelled,
            "total": appt_total,
        },
        "resources": {
            "resources": ranked,
            "rooms": rooms,
            "devices": devices,
            "avg_room_utilization": _mean([item["utilization"] for item in rooms]),
            "avg_device_utilization": _mean([item["utilization"] for item in devices]),
            "bottleneck_room": rooms[0] if rooms else None,
            "bottleneck_device": devices[0] if devices else None,
        },
        "bottleneck": {
            "index": index,
            "category": category,
            "label": category_label,
            "resource_score": round(resource_score, 1),
            "no_show_score": round(no_show_score, 1),
            "cancel_score": round(cancel_score, 1),
            "high_util_count": len(high),
            "high_util_resources": high[:5],
            "contributing_factors": [
                {"name": "Ressourcenauslastung", "score": round(resource_score, 1), "weight": 0.5},
                {"name": "No-Show-Rate", "score": round(no_show_score, 1), "weight": 0.3},
                {"name": "Stornoquote", "score": round(cancel_score, 1), "weight": 0.2},
            ],
        },
        "hourly": {
            "distribution": distribution,
            "peak_hour": peak_row["hour"] if peak_row["total"] else None,
            "peak_count": peak_row["total"],
        },
        "status_distribution": {
            "appointments": appt_status,
            "operations": op_status,
            "total_appointments": appt_total,
            "total_operations": sum(op_status.values()),
        },
        "patient_flow": {
            "statuses": statuses,
            "total_active": sum(item["count"] for item in statuses if item["status"] != "done"),
            "done_today": int(board.get("done", 0)),
            "in_treatment": int(board.get("in_treatment", 0)),
            "waiting": int(board.get("waiting", 0)),
        },
        "patient_flow_times": flow_times(session, period, base),
        "total_operations": op_total,
        "in_progress": op_running,
        "completion_rate": pct(op_done, op_total),
        "avg_duration_minutes": r1(op_avg),
        "generated_at": timefmt.format_datetime(cal.now, tz),
    }
