"""Waiting-list KPIs for ``GET /api/kpi/waiting-list/`` (issue 18, docs/kpis.md).

Per local calendar week (Monday first): minutes freed by appointments (cancelled, deleted,
moved, no-show — the part that still lay ahead when it was freed, as the matcher recorded
it), minutes rebooked from the waiting list into freed slots (bookings with a freed slot
whose appointment is not cancelled), and their ratio. Only real rows; weeks without data
are zeros, the rate is null when nothing was freed.

Default period: the current week and the 11 before it; ``from``/``to`` replace it (the
weeks touching it are listed, rows are counted inside it).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.kpis.common import PanelQuery, Period

DEFAULT_WEEKS = 12

_WEEKS_SQL = text(
    """
    WITH weeks AS (
        SELECT g::date AS week_start
          FROM generate_series(CAST(:first_monday AS date), CAST(:last_monday AS date),
                               interval '7 days') AS g
    ),
    freed AS (
        SELECT date_trunc('week', s.period_start AT TIME ZONE CAST(:tz AS text))::date
                   AS week_start,
               sum(s.freed_minutes) AS minutes
          FROM waiting_list_freed_slots s
         WHERE s.source = 'appointment' AND s.freed_minutes > 0
           AND s.period_start >= :start AND s.period_start < :end
         GROUP BY 1
    ),
    rebooked AS (
        SELECT date_trunc('week', a.start_time AT TIME ZONE CAST(:tz AS text))::date
                   AS week_start,
               sum(extract(epoch FROM (a.end_time - a.start_time)) / 60.0) AS minutes
          FROM waiting_list_entries e
          JOIN appointments a ON a.id = e.booked_appointment_id
         WHERE e.freed_slot_id IS NOT NULL AND a.status <> 'cancelled'
           AND a.start_time >= :start AND a.start_time < :end
         GROUP BY 1
    )
    SELECT w.week_start, coalesce(f.minutes, 0)::bigint, coalesce(r.minutes, 0)::bigint
      FROM weeks w
      LEFT JOIN freed f ON f.week_start = w.week_start
      LEFT JOIN rebooked r ON r.week_start = w.week_start
     ORDER BY w.week_start
    """
)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _rate(rebooked: int, freed: int) -> float | None:
    return round(rebooked / freed, 3) if freed else None


def _week(week_start: date, freed: int, rebooked: int) -> dict[str, Any]:
    year, week, _ = week_start.isocalendar()
    return {
        "week_start": week_start.isoformat(),
        "iso_week": f"{year}-W{week:02d}",
        "freed_minutes": freed,
        "rebooked_minutes": rebooked,
        "rebook_rate": _rate(rebooked, freed),
    }


def compute(session: Session, query: PanelQuery) -> dict[str, Any]:
    tz = query.tz
    if query.custom is not None:
        period = query.custom
    else:
        this_monday = _monday(query.calendar.today)
        first = this_monday - timedelta(weeks=DEFAULT_WEEKS - 1)
        period = Period.of(first, this_monday + timedelta(days=6), tz)
    rows = session.execute(
        _WEEKS_SQL,
        {
            "first_monday": _monday(period.first),
            "last_monday": _monday(period.last),
            "tz": tz.key,
            "start": period.start,
            "end": period.end,
        },
    ).all()
    weeks = [_week(week_start, int(freed), int(rebooked)) for week_start, freed, rebooked in rows]
    freed_total = sum(w["freed_minutes"] for w in weeks)
    rebooked_total = sum(w["rebooked_minutes"] for w in weeks)
    return {
        **period.dates(),
        "weeks": weeks,
        "totals": {
            "freed_minutes": freed_total,
            "rebooked_minutes": rebooked_total,
            "rebook_rate": _rate(rebooked_total, freed_total),
        },
    }
