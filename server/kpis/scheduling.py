"""Scheduling KPIs (08 §4, appointments only) for ``GET /api/kpi/scheduling/``.

Default periods: the current calendar week (``slot_utilization``, ``doctor_utilization``,
``room_utilization``; trends against the previous week) and last_30 (``no_show`` against
the 30 days before, ``completion_rate``, ``cancellation``/``lead_time``/``rebooking`` by
creation date, ``avg_duration``, ``new_patient`` with future appointments, ``peak_load``);
``trends.weeks`` are 12 rolling 7-day windows ending now. With ``from``/``to`` every one of
these periods is ``[from, to]`` (comparisons: the equally long period before it; the 12
windows end at ``to + 1 day 00:00``). Capacity over a custom period counts every date of it;
the doctor absence factor ``(5 − absence_days)/5`` of a week becomes
``1 − 7·absence_days/(5·days)`` (identical for 7 days).

K-11: cancelled appointments are left out of the completion and rebooking denominators.
Everything is real data; 08 §4 has no fabricated keys. Added: ``period``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server.core import timefmt
from server.kpis.common import (
    APPT_MINUTES_SQL,
    BOOKED_SQL,
    DOCTORS_CTE,
    LOCAL_START_SQL,
    NO_SHOW_SQL,
    PAST_SQL,
    WEEKDAYS,
    PanelQuery,
    capped,
    direction,
    doctor_week_rows,
    in_range,
    one,
    pct,
    practice_minutes,
    r1,
    resource_minutes,
    rows,
    weekday_sql,
)

TREND_WEEKS = 12
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
SLOT_MINUTES = 30

_WEEK = in_range("a.start_time", "wk_start", "wk_end")
_PREV_WEEK = in_range("a.start_time", "pwk_start", "pwk_end")
_MAIN_SQL = f"""
    WITH {DOCTORS_CTE}
    SELECT count(*) FILTER (WHERE {BOOKED_SQL} AND {_WEEK}),
           coalesce(sum({APPT_MINUTES_SQL}) FILTER (
               WHERE {BOOKED_SQL} AND {_WEEK}), 0)::float8,
           count(*) FILTER (WHERE {BOOKED_SQL} AND {_PREV_WEEK}),
           count(*) FILTER (WHERE {PAST_SQL} AND {in_range("a.start_time")}),
           count(*) FILTER (WHERE {NO_SHOW_SQL} AND {in_range("a.start_time")}),
           count(*) FILTER (WHERE {PAST_SQL} AND {in_range("a.start_time", "p_start", "p_end")}),
           count(*) FILTER (WHERE {NO_SHOW_SQL} AND {in_range("a.start_time", "p_start", "p_end")}),
           count(*) FILTER (WHERE a.status <> 'cancelled' AND {in_range("a.start_time")}),
           count(*) FILTER (WHERE a.status = 'completed' AND {in_range("a.start_time")}),
           avg({APPT_MINUTES_SQL}) FILTER (
               WHERE {BOOKED_SQL} AND a.start_time >= :start AND a.end_time <= :end)::float8,
           (SELECT count(*) FROM docs),
           (SELECT count(*) FROM resources r WHERE r.active AND r.type = 'room')
    FROM appointments a WHERE a.start_time >= :lower
"""  # noqa: S608

_LEAD_HOURS = "(extract(epoch FROM (a.start_time - a.created_at)) / 3600.0)::float8"
_CREATED_SQL = f"""
    SELECT count(*),
           count(*) FILTER (WHERE a.status = 'cancelled'),
           count(*) FILTER (WHERE a.status = 'cancelled'
                            AND a.start_time < CAST(:now AS timestamptz) + interval '24 hours'),
           count(*) FILTER (WHERE {BOOKED_SQL}),
           avg({_LEAD_HOURS}) FILTER (WHERE {BOOKED_SQL}),
           min({_LEAD_HOURS}) FILTER (WHERE {BOOKED_SQL}),
           max({_LEAD_HOURS}) FILTER (WHERE {BOOKED_SQL}),
           count(*) FILTER (WHERE {BOOKED_SQL} AND {LOCAL_START_SQL}::date
                            = (a.created_at AT TIME ZONE CAST(:tz AS text))::date),
           count(*) FILTER (WHERE a.status <> 'cancelled'),
           count(*) FILTER (WHERE a.status <> 'cancelled'
                            AND a.updated_at - a.created_at > interval '1 hour')
    FROM appointments a WHERE {in_range("a.created_at")}
"""  # noqa: S608

_NEW_PATIENT_SQL = f"""
    WITH s AS (
        SELECT a.patient_id FROM appointments a
        WHERE {BOOKED_SQL} AND a.start_time >= :start AND a.start_time < :set_end),
    firsts AS (
        SELECT e.patient_id, min(e.start_time) AS first_start FROM appointments e
        WHERE e.patient_id IN (SELECT patient_id FROM s) GROUP BY e.patient_id)
    SELECT count(*), count(*) FILTER (WHERE {in_range("firsts.first_start")})
    FROM s JOIN firsts USING (patient_id)
"""  # noqa: S608

_PEAK_SQL = f"""
    SELECT {weekday_sql(LOCAL_START_SQL)}, extract(hour FROM {LOCAL_START_SQL})::int, count(*)
    FROM appointments a WHERE {in_range("a.start_time")} GROUP BY 1, 2
"""  # noqa: S608

_TRENDS_SQL = f"""
    SELECT w.i, count(a.id),
           count(a.id) FILTER (WHERE a.status = 'completed'),
           count(a.id) FILTER (WHERE a.status = 'cancelled'),
           count(a.id) FILTER (WHERE {NO_SHOW_SQL})
    FROM unnest(CAST(:w_starts AS timestamptz[]), CAST(:w_ends AS timestamptz[]))
         WITH ORDINALITY AS w(s, e, i)
    LEFT JOIN appointments a ON a.start_time >= w.s AND a.start_time < w.e
    GROUP BY w.i ORDER BY w.i
"""  # noqa: S608


def _rating(score: float) -> dict[str, str]:
    if score >= 80:
        return {"rating": "excellent", "label": "Exzellent", "color": "#34A853"}
    if score >= 60:
        return {"rating": "good", "label": "Gut", "color": "#1A73E8"}
    if score >= 40:
        return {"rating": "average", "label": "Durchschnitt", "color": "#FBBC05"}
    return {"rating": "poor", "label": "Verbesserungsbedarf", "color": "#EA4335"}


def _windows(end: datetime, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """12 rolling 7-day windows ending at ``end``, oldest first (local wall-clock days)."""
    local_end = end.astimezone(tz)

    def back(weeks: int) -> datetime:
        try:
            return local_end - timedelta(days=7 * weeks)
        except OverflowError:  # windows before year 1 are empty
            return EARLIEST

    return [(back(i + 1), back(i)) for i in reversed(range(TREND_WEEKS))]


def compute(session: Session, query: PanelQuery) -> dict[str, Any]:
    cal, custom, tz = query.calendar, query.custom, query.tz
    base = query.base_params()
    week = query.week()
    prev_week = week.previous(tz)
    last30 = query.last(30)
    prev30 = last30.previous(tz)
    params = {
        **base,
        **last30.params(),
        "wk_start": week.start,
        "wk_end": week.end,
        "pwk_start": prev_week.start,
        "pwk_end": prev_week.end,
        "p_start": prev30.start,
        "p_end": prev30.end,
        "lower": min(prev_week.start, prev30.start),
        "set_end": query.set_end(),
    }

    (
        week_booked,
        week_minutes,
        prev_week_booked,
        past,
        no_shows,
        prev_past,
        prev_no_shows,
        non_cancelled,
        completed,
        avg_duration,
        doctor_count,
        room_count,
    ) = one(session, _MAIN_SQL, params)

    # slot utilization (capacity of the week)
    open_minutes = practice_minutes(session, week)
    factor = min(doctor_count, room_count) if room_count else doctor_count
    total_minutes = open_minutes * factor
    available_slots = int(total_minutes // SLOT_MINUTES)
    slot_rate = pct(week_booked, available_slots)
    slot_trend = pct(week_booked - prev_week_booked, prev_week_booked)

    no_show_rate = pct(no_shows, past)
    no_show_trend = round(no_show_rate - pct(prev_no_shows, prev_past), 1)

    (
        created,
        cancelled,
        late,
        lead_count,
        lead_avg,
        lead_min,
        lead_max,
        same_day,
        rebook_total,
        rebooked,
    ) = one(session, _CREATED_SQL, params)
    cancellation_rate = pct(cancelled, created)
    rebooking_rate = pct(rebooked, rebook_total)

    score = round(
        max(
            0.0,
            min(
                100.0,
                slot_rate - 0.5 * no_show_rate - 0.3 * cancellation_rate - 0.2 * rebooking_rate,
            ),
        ),
        1,
    )

    new_total, new_count = one(session, _NEW_PATIENT_SQL, params)

    peak_counts = {(day, hour): count for day, hour, count in rows(session, _PEAK_SQL, params)}
    matrix = [[peak_counts.get((day, hour), 0) for hour in range(24)] for day in range(7)]
    peak_day, peak_hour, peak_count = 0, 9, 0
    for (day, hour), count in sorted(peak_counts.items()):
        if count > peak_count:
            peak_day, peak_hour, peak_count = day, hour, count

    doctors = []
    for doc_id, name, color, template, booked, count, absent in doctor_week_rows(
        session, week, base
    ):
        available = max(0.0, template * (1 - 7 * absent / (5 * week.days)))
        doctors.append(
            {
                "id": doc_id,
                "name": name,
                "color": color,
                "available_mins": r1(available),
                "booked_mins": r1(booked),
                "utilization": capped(booked, available),
                "appointments": count,
                "absence_days": absent,
            }
        )
    doctors.sort(key=lambda item: (-item["utilization"], item["id"]))

    room_utilization = sorted(
        (
            {
                "id": row.id,
                "name": row.name,
                "color": row.color,
                "booked_mins": r1(row[4]),
                "utilization": capped(row[4], open_minutes),
            }
            for row in resource_minutes(session, week, base)
            if row.type == "room"
        ),
        key=lambda item: (-item["utilization"], item["id"]),
    )

    windows = _windows(custom.end if custom else cal.now, tz)
    trend_rows = rows(
        session,
        _TRENDS_SQL,
        {**base, "w_starts": [s for s, _ in windows], "w_ends": [e for _, e in windows]},
    )
    weeks = [
        {
            "week": f"{windows[i - 1][0]:%d.%m}",
            "total": total,
            "completed": done,
            "cancelled": cancel,
            "no_show": missed,
            "completion_rate": pct(done, total - cancel),
        }
        for i, total, done, cancel, missed in trend_rows
    ]

    completion = {
        "rate": pct(completed, non_cancelled),
        "completed": completed,
        "total": non_cancelled,
    }
    lead_avg_h = float(lead_avg or 0.0)
    lead_min_h = float(lead_min or 0.0)
    lead_max_h = float(lead_max or 0.0)
    return {
        "period": {"week": week.dates(), "last_30": last30.dates(), "custom": custom is not None},
        "slot_utilization": {
            "available_slots": available_slots,
            "booked_slots": week_booked,
            "utilization_rate": slot_rate,
            "booked_minutes": r1(week_minutes),
            "total_minutes": r1(total_minutes),
            "trend": slot_trend,
            "trend_direction": direction(slot_trend),
        },
        "no_show": {
            "no_show_count": no_shows,
            "total": past,
            "no_show_rate": no_show_rate,
            "trend": no_show_trend,
            "trend_direction": direction(no_show_trend),
        },
        "completion_rate": completion,
        "cancellation": {
            "cancellation_rate": cancellation_rate,
            "cancelled_count": cancelled,
            "total_appointments": created,
            "late_cancellations": late,
            "early_cancellations": cancelled - late,
        },
        "lead_time": {
            "avg_lead_time_days": r1(lead_avg_h / 24),
            "avg_lead_time_hours": r1(lead_avg_h),
            "min_lead_time_hours": r1(lead_min_h),
            "max_lead_time_days": r1(lead_max_h / 24),
            "same_day_bookings": same_day,
            "same_day_rate": pct(same_day, lead_count),
            "avg_days": r1(lead_avg_h / 24),
            "min_days": r1(lead_min_h / 24),
            "max_days": r1(lead_max_h / 24),
        },
        "avg_duration": r1(avg_duration),
        "rebooking": {
            "rebooked_count": rebooked,
            "total": rebook_total,
            "rebooking_rate": rebooking_rate,
        },
        "efficiency": {
            "score": score,
            **_rating(score),
            "components": {
                "slot_utilization": slot_rate,
                "no_show_rate": no_show_rate,
                "cancellation_rate": cancellation_rate,
                "rebooking_rate": rebooking_rate,
            },
        },
        "new_patient": {
            "new_patient_appointments": new_count,
            "total_appointments": new_total,
            "new_patient_rate": pct(new_count, new_total),
        },
        "peak_load": {
            "matrix": matrix,
            "days": list(WEEKDAYS),
            "peak_day": WEEKDAYS[peak_day],
            "peak_hour": peak_hour,
            "peak_count": peak_count,
        },
        "doctor_utilization": doctors,
        "room_utilization": room_utilization,
        "trends": {"weeks": weeks},
        "efficiency_score": score,
        "no_show_rate": {"rate": no_show_rate, "no_show": no_shows, "total": past},
        "generated_at": timefmt.format_datetime(cal.now, tz),
    }
