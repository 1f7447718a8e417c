"""Doctor KPIs (08 §5 with K-2, K-3, K-11) for ``GET /api/kpi/doctors/`` and
``GET /api/kpi/doctors/{id}/``.

Period: ``[today − (days − 1), today]`` (``days`` 1…366, default 30) or ``[from, to]``.
One statement computes the per-doctor figures for a list of doctors (the comparison: every
active doctor; the detail: the one doctor, also when inactive).

* ``volume.daily_counts`` — booked appointments per local date of the period.
* ``peak_times`` — booked appointments by local weekday × hour; ``heatmap`` Mo–Fr × 8…18.
* ``new_patients`` — distinct patients with booked appointments in the period; new = no
  appointment (any status) with this doctor that starts before the period.

Omitted (K-5, fabricated in the original, 08 §7): ``duration.avg_actual``,
``duration.efficiency``, ``satisfaction`` / ``satisfaction_score`` / ``avg_satisfaction``,
``documentation`` / ``documentation_compliance``, ``services`` — no real data source.
``waiting_times`` is replaced by ``patient_flow_times``: real wait/treatment averages of the
flows of the doctor's appointments in the period (status events, 05 §4). Added: ``period``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.core import timefmt
from server.kpis.common import (
    APPT_MINUTES_SQL,
    BOOKED_SQL,
    DAY_SERIES_SQL,
    HOURS_MINUTES_SQL,
    LOCAL_START_SQL,
    NO_SHOW_SQL,
    PAST_SQL,
    WEEKDAYS,
    PanelQuery,
    Period,
    capped,
    flow_times,
    in_range,
    pct,
    r1,
    rows,
    weekday_sql,
)
from server.kpis.operations import period_label

HEATMAP_DAYS = range(5)
HEATMAP_HOURS = range(8, 19)

_STATS_SQL = f"""
    WITH days AS {DAY_SERIES_SQL},
    avail AS (
        SELECT h.doctor_id, sum({HOURS_MINUTES_SQL}) AS mins
        FROM days JOIN doctor_hours h ON h.active AND h.weekday = {weekday_sql("days.d")}
        WHERE h.doctor_id = ANY(:ids) AND NOT EXISTS (
            SELECT 1 FROM doctor_absences ab
            WHERE ab.doctor_id = h.doctor_id AND ab.active
              AND days.d BETWEEN ab.start_date AND ab.end_date)
        GROUP BY h.doctor_id),
    appt AS (
        SELECT a.doctor_id,
               count(*) AS total,
               count(*) FILTER (WHERE a.status = 'completed') AS completed,
               count(*) FILTER (WHERE a.status IN ('scheduled', 'confirmed')) AS scheduled,
               count(*) FILTER (WHERE a.status = 'cancelled') AS cancelled,
               count(*) FILTER (WHERE {BOOKED_SQL}) AS booked,
               sum({APPT_MINUTES_SQL}) FILTER (WHERE {BOOKED_SQL}) AS booked_mins,
               count(DISTINCT {LOCAL_START_SQL}::date) FILTER (WHERE {BOOKED_SQL}) AS booked_days,
               count(*) FILTER (WHERE {PAST_SQL}) AS past,
               count(*) FILTER (WHERE {NO_SHOW_SQL}) AS no_shows,
               count(*) FILTER (WHERE {PAST_SQL} AND a.status = 'completed') AS past_completed,
               avg({APPT_MINUTES_SQL}) FILTER (WHERE a.status = 'completed') AS avg_planned,
               count(DISTINCT a.patient_id) FILTER (WHERE {BOOKED_SQL}) AS patients,
               count(DISTINCT a.patient_id) FILTER (WHERE {BOOKED_SQL} AND NOT EXISTS (
                   SELECT 1 FROM appointments e
                   WHERE e.doctor_id = a.doctor_id AND e.patient_id = a.patient_id
                     AND e.start_time < :start)) AS new_patients
        FROM appointments a
        WHERE a.doctor_id = ANY(:ids) AND {in_range("a.start_time")}
        GROUP BY a.doctor_id)
    SELECT u.id AS doctor_id,
           coalesce(nullif(btrim(u.first_name || ' ' || u.last_name), ''), u.username) AS name,
           u.calendar_color AS color,
           coalesce(avail.mins, 0)::float8 AS available,
           coalesce(appt.booked_mins, 0)::float8 AS booked_mins,
           coalesce(appt.total, 0) AS total, coalesce(appt.completed, 0) AS completed,
           coalesce(appt.scheduled, 0) AS scheduled, coalesce(appt.cancelled, 0) AS cancelled,
           coalesce(appt.booked, 0) AS booked, coalesce(appt.booked_days, 0) AS booked_days,
           coalesce(appt.past, 0) AS past, coalesce(appt.no_shows, 0) AS no_shows,
           coalesce(appt.past_completed, 0) AS past_completed,
           appt.avg_planned::float8 AS avg_planned,
           coalesce(appt.patients, 0) AS patients,
           coalesce(appt.new_patients, 0) AS new_patients
    FROM users u
    LEFT JOIN avail ON avail.doctor_id = u.id
    LEFT JOIN appt ON appt.doctor_id = u.id
    WHERE u.id = ANY(:ids)
    ORDER BY u.id
"""  # noqa: S608

_ACTIVE_DOCTORS_SQL = """
    SELECT u.id FROM users u JOIN roles ro ON ro.id = u.role_id
    WHERE ro.name = 'doctor' AND u.is_active ORDER BY u.id
"""

_PROFILE_SQL = f"""
    SELECT u.id, u.username, u.first_name, u.last_name, u.email, u.calendar_color,
           u.is_active,
           (SELECT array_agg(DISTINCT h.weekday ORDER BY h.weekday) FROM doctor_hours h
            WHERE h.doctor_id = u.id AND h.active) AS weekdays,
           (SELECT coalesce(sum({HOURS_MINUTES_SQL}), 0)::float8 FROM doctor_hours h
            WHERE h.doctor_id = u.id AND h.active) AS weekly_minutes
    FROM users u JOIN roles ro ON ro.id = u.role_id
    WHERE u.id = :doctor_id AND ro.name = 'doctor'
"""  # noqa: S608

_DAILY_SQL = f"""
    WITH c AS (
        SELECT {LOCAL_START_SQL}::date AS d, count(*) AS n FROM appointments a
        WHERE a.doctor_id = :doctor_id AND {BOOKED_SQL} AND {in_range("a.start_time")}
        GROUP BY 1)
    SELECT days.d, coalesce(c.n, 0) FROM {DAY_SERIES_SQL} days LEFT JOIN c ON c.d = days.d
    ORDER BY days.d
"""  # noqa: S608

_PEAK_SQL = f"""
    SELECT {weekday_sql(LOCAL_START_SQL)}, extract(hour FROM {LOCAL_START_SQL})::int, count(*)
    FROM appointments a
    WHERE a.doctor_id = :doctor_id AND {BOOKED_SQL} AND {in_range("a.start_time")}
    GROUP BY 1, 2
"""  # noqa: S608

_FLOW_FILTER = (
    "AND pf.appointment_id IN (SELECT a.id FROM appointments a WHERE a.doctor_id = :doctor_id)"
)


def display_name(first: str, last: str, username: str) -> str:
    full = f"{first} {last}".strip()
    return f"Dr. {full}" if full else username


def period_info(period: Period, custom: Period | None) -> dict[str, Any]:
    return {"label": period_label(period.days, custom), "days": period.days, **period.dates()}


def _stats(session: Session, period: Period, ids: list[int], base: dict[str, Any]) -> list[Any]:
    return rows(session, _STATS_SQL, {**base, **period.params(), "ids": ids})


def _comparison_row(row: Any) -> tuple[dict[str, Any], float, float]:
    """The row of 08 §5 plus the unrounded utilization and no-show rate (for the means)."""
    utilization = min(100.0, row.booked_mins / row.available * 100) if row.available else 0.0
    no_show_rate = row.no_shows / row.past * 100 if row.past else 0.0
    item = {
        "doctor_id": row.doctor_id,
        "name": row.name,
        "color": row.color,
        "utilization": round(utilization, 1),
        "appointments": row.total,
        "completed": row.completed,
        "avg_per_day": round(row.booked / row.booked_days, 1) if row.booked_days else 0.0,
        "no_show_rate": round(no_show_rate, 1),
        "cancellation_rate": round(row.cancelled / max(1, row.total) * 100, 1),
        "new_patient_rate": pct(row.new_patients, row.patients),
    }
    return item, utilization, no_show_rate


def comparison(session: Session, query: PanelQuery) -> dict[str, Any]:
    cal, custom, tz = query.calendar, query.custom, query.tz
    period = query.period()
    base = query.base_params()
    ids = [row[0] for row in rows(session, _ACTIVE_DOCTORS_SQL, {})]
    computed = [_comparison_row(row) for row in _stats(session, period, ids, base)]
    doctors = sorted(
        (item for item, _, _ in computed),
        key=lambda item: (-item["utilization"], item["doctor_id"]),
    )
    count = len(computed)
    return {
        "period": period_info(period, custom),
        "doctors": doctors,
        "aggregates": {
            "doctor_count": count,
            "avg_utilization": round(sum(c[1] for c in computed) / count, 1) if count else 0.0,
            "avg_no_show_rate": round(sum(c[2] for c in computed) / count, 1) if count else 0.0,
            "total_appointments": sum(item["appointments"] for item in doctors),
        },
        "generated_at": timefmt.format_datetime(cal.now, tz),
    }


def profile(session: Session, doctor_id: int) -> Any | None:
    """The doctor's profile row, or None when ``doctor_id`` is not a doctor (→ 404)."""
    return session.execute(text(_PROFILE_SQL), {"doctor_id": doctor_id}).one_or_none()


def detail(session: Session, query: PanelQuery, prof: Any) -> dict[str, Any]:
    cal, custom, tz = query.calendar, query.custom, query.tz
    period = query.period()
    base = {**query.base_params(), "doctor_id": prof.id}
    (row,) = _stats(session, period, [prof.id], base)
    params = {**base, **period.params()}
    daily = rows(session, _DAILY_SQL, params)
    peak_counts = {(day, hour): n for day, hour, n in rows(session, _PEAK_SQL, params)}
    matrix = [[peak_counts.get((day, hour), 0) for hour in range(24)] for day in range(7)]
    heat_max = max((matrix[day][hour] for day in HEATMAP_DAYS for hour in HEATMAP_HOURS), default=0)
    heatmap = [
        {
            "day": WEEKDAYS[day],
            "hour": hour,
            "count": matrix[day][hour],
            "intensity": pct(matrix[day][hour], heat_max),
        }
        for day in HEATMAP_DAYS
        for hour in HEATMAP_HOURS
    ]
    busiest = sum(peak_counts.values())
    day_totals = [sum(matrix[day]) for day in range(7)]
    top_day = max(range(7), key=lambda day: (day_totals[day], -day))
    hour_totals = [sum(matrix[day][hour] for day in range(7)) for hour in range(24)]
    top_hour = max(range(24), key=lambda hour: (hour_totals[hour], -hour))

    no_show_rate = pct(row.no_shows, row.past)
    weekly_minutes = float(prof.weekly_minutes)
    return {
        "period": period_info(period, custom),
        "profile": {
            "id": prof.id,
            "username": prof.username,
            "name": display_name(prof.first_name, prof.last_name, prof.username),
            "first_name": prof.first_name,
            "last_name": prof.last_name,
            "email": prof.email,
            "calendar_color": prof.calendar_color,
            "working_days": [WEEKDAYS[day] for day in (prof.weekdays or [])],
            "weekly_hours": r1(weekly_minutes / 60),
            "is_active": prof.is_active,
        },
        "utilization": {
            "utilization": capped(row.booked_mins, row.available),
            "available_hours": r1(row.available / 60),
            "booked_hours": r1(row.booked_mins / 60),
            "appointment_count": row.booked,
        },
        "volume": {
            "total": row.total,
            "completed": row.completed,
            "scheduled": row.scheduled,
            "cancelled": row.cancelled,
            "avg_per_day": round(row.booked / row.booked_days, 1) if row.booked_days else 0.0,
            "avg_per_week": round(row.total / max(1.0, period.days / 7), 1),
            "completion_rate": round(row.completed / max(1, row.total - row.cancelled) * 100, 1),
            "daily_counts": [{"date": day.isoformat(), "count": n} for day, n in daily],
        },
        "no_show": {
            "no_show_count": row.no_shows,
            "no_show_rate": no_show_rate,
            "show_rate": round(100 - no_show_rate, 1),
            "completed": row.past_completed,
            "total_past": row.past,
        },
        "cancellation": {
            "cancelled": row.cancelled,
            "total": row.total,
            "cancellation_rate": round(row.cancelled / max(1, row.total) * 100, 1),
        },
        "duration": {"avg_planned": r1(row.avg_planned)},
        "new_patients": {
            "total_patients": row.patients,
            "new_patients": row.new_patients,
            "new_patient_rate": pct(row.new_patients, row.patients),
        },
        "peak_times": {
            "matrix": matrix,
            "heatmap": heatmap,
            "busiest_hour": top_hour if busiest else None,
            "busiest_day": WEEKDAYS[top_day] if busiest else None,
        },
        "patient_flow_times": flow_times(session, period, base, doctor_filter=_FLOW_FILTER),
        "generated_at": timefmt.format_datetime(cal.now, tz),
    }
