"""Main dashboard KPIs (08 §2) for ``GET /api/kpi/overview/``.

Periods: ``today``/``week``/``month`` counts are always the calendar periods of 08 §1. The
analysis periods — the current week (``trend``, ``doctor_utilization``,
``room_utilization``), last_30 (``appointments.status_counts``, ``avg_duration_mins``,
``peak_hours``, ``peak_days``, future appointments included) and the current month
(``operations.status_counts``, future operations included) — are all replaced by
``[from, to]`` when the request gives both (08 §9); the trend then compares with the
equally long period before it. ``available_mins`` / ``weekly_open_mins`` are the template
minutes of every date of that period (for the default week exactly the weekly sum).

Everything is real data; 08 §2 has no fabricated keys. Added: ``period`` (the analysis
dates).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.appointments.models import APPOINTMENT_STATUSES
from server.core import timefmt
from server.kpis.common import (
    APPT_MINUTES_SQL,
    LOCAL_START_SQL,
    WEEKDAYS,
    PanelQuery,
    Period,
    calculate_trend,
    capped,
    doctor_week_rows,
    in_range,
    one,
    peak,
    practice_minutes,
    r1,
    resource_minutes,
    rows,
    weekday_sql,
)
from server.operations.models import OPERATION_STATUSES

_USERS_SQL = """
    SELECT count(*) FILTER (WHERE u.is_active),
           count(*) FILTER (WHERE u.is_active AND ro.name = 'doctor'),
           count(*) FILTER (WHERE u.is_active AND ro.name = 'assistant'),
           count(*) FILTER (WHERE u.is_active AND ro.name = 'admin'),
           greatest((SELECT count(*) FROM patients),
                    (SELECT count(DISTINCT a.patient_id) FROM appointments a))
    FROM users u LEFT JOIN roles ro ON ro.id = u.role_id
"""


def _counts_sql(table: str, alias: str, extra: str = "") -> str:
    """Counts of rows starting in the windows day, week, month, cur, prev (in this order)."""
    counts = ",\n".join(
        f"count(*) FILTER (WHERE {in_range(f'{alias}.start_time', f'{w}_start', f'{w}_end')})"
        for w in ("day", "week", "month", "cur", "prev")
    )
    return f"SELECT {counts} {extra} FROM {table} {alias} WHERE {alias}.start_time >= :lower"  # noqa: S608


_APPT_AVG = (
    f", avg({APPT_MINUTES_SQL}) FILTER (WHERE a.start_time >= :set_start "
    "AND a.start_time < :set_end)"
)


def _status_counts(
    session: Session, table: str, statuses: tuple[str, ...], params: dict[str, Any]
) -> dict[str, int]:
    found = dict(
        rows(
            session,
            f"SELECT x.status, count(*) FROM {table} x "  # noqa: S608
            "WHERE x.start_time >= :set_start AND x.start_time < :set_end GROUP BY x.status",
            params,
        )
    )
    return {status: int(found.get(status, 0)) for status in statuses}


def compute(session: Session, query: PanelQuery) -> dict[str, Any]:
    cal, custom, tz = query.calendar, query.custom, query.tz
    base = query.base_params()
    week = query.week()
    previous = week.previous(tz)
    last30 = query.last(30)
    month = query.month()
    set_end = query.set_end()  # last_30 / month sets include the future
    windows: dict[str, Period] = {
        "day_": cal.day(),
        "week_": cal.week(),
        "month_": cal.month(),
        "cur_": week,
        "prev_": previous,
    }
    params = dict(base)
    for prefix, period in windows.items():
        params[f"{prefix}start"] = period.start
        params[f"{prefix}end"] = period.end
    params["lower"] = min(p.start for p in (*windows.values(), last30, month))

    total, doctors, assistants, admins, patients = one(session, _USERS_SQL, params)

    appt_params = {**params, "set_start": last30.start, "set_end": set_end}
    a_day, a_week, a_month, a_cur, a_prev, avg_minutes = one(
        session, _counts_sql("appointments", "a", _APPT_AVG), appt_params
    )
    op_params = {**params, "set_start": month.start, "set_end": set_end}
    o_day, o_week, o_month, o_cur, o_prev = one(session, _counts_sql("operations", "o"), params)

    resources = resource_minutes(session, week, base)
    rooms = [r for r in resources if r.type == "room"]
    devices = [r for r in resources if r.type == "device"]
    open_minutes = practice_minutes(session, week)

    doctor_rows = doctor_week_rows(session, week, base)
    doctor_utilization = sorted(
        (
            {
                "id": doc_id,
                "name": name,
                "color": color,
                "available_mins": r1(available),
                "booked_mins": r1(booked),
                "utilization": capped(booked, available),
            }
            for doc_id, name, color, available, booked, _count, _absent in doctor_rows
        ),
        key=lambda item: (-item["utilization"], item["id"]),
    )
    room_utilization = sorted(
        (
            {
                "id": room.id,
                "name": room.name,
                "color": room.color,
                "booked_mins": r1(room[4] + room[5]),
                "weekly_open_mins": r1(open_minutes),
                "utilization": capped(room[4] + room[5], open_minutes),
            }
            for room in rooms
        ),
        key=lambda item: (-item["utilization"], item["id"]),
    )

    peak_params = {**base, "start": last30.start, "end": last30.end}
    hours = dict(
        rows(
            session,
            f"SELECT extract(hour FROM {LOCAL_START_SQL})::int, count(*) FROM appointments a "  # noqa: S608
            "WHERE a.start_time >= :start AND a.start_time < :end GROUP BY 1",
            peak_params,
        )
    )
    weekdays = dict(
        rows(
            session,
            f"SELECT {weekday_sql(LOCAL_START_SQL)}, count(*) FROM appointments a "  # noqa: S608
            "WHERE a.start_time >= :start AND a.start_time < :end GROUP BY 1",
            peak_params,
        )
    )
    hourly = {hour: int(hours.get(hour, 0)) for hour in range(24)}
    daily = {WEEKDAYS[day]: int(weekdays.get(day, 0)) for day in range(7)}
    peak_hour, peak_hour_count = peak(list(hourly.items()), 9)
    peak_day, peak_day_count = peak(list(daily.items()), "Mo")

    return {
        "period": {
            "week": week.dates(),
            "last_30": last30.dates(),
            "month": month.dates(),
            "custom": custom is not None,
        },
        "users": {
            "total_users": total,
            "total_doctors": doctors,
            "total_assistants": assistants,
            "total_admins": admins,
        },
        "patients": patients,
        "appointments": {
            "today": a_day,
            "week": a_week,
            "month": a_month,
            "status_counts": _status_counts(
                session, "appointments", APPOINTMENT_STATUSES, appt_params
            ),
            "avg_duration_mins": r1(avg_minutes),
            "trend": calculate_trend(a_cur, a_prev),
        },
        "operations": {
            "today": o_day,
            "week": o_week,
            "month": o_month,
            "status_counts": _status_counts(session, "operations", OPERATION_STATUSES, op_params),
            "trend": calculate_trend(o_cur, o_prev),
        },
        "resources": {
            "total_rooms": len(rooms),
            "total_devices": len(devices),
            "rooms": [{"id": r.id, "name": r.name, "color": r.color} for r in rooms],
            "devices": [{"id": r.id, "name": r.name, "color": r.color} for r in devices],
        },
        "doctor_utilization": doctor_utilization,
        "room_utilization": room_utilization,
        "peak_hours": {"hourly": hourly, "peak_hour": peak_hour, "peak_count": peak_hour_count},
        "peak_days": {"daily": daily, "peak_day": peak_day, "peak_count": peak_day_count},
        "generated_at": timefmt.format_datetime(cal.now, tz),
    }
