"""Patient overview KPIs (08 §6 "overview" rows) for ``GET /api/kpi/patients/overview/``.

* ``total_patients`` — rows of the patients table.
* ``active_patients`` — distinct patients with booked appointments starting in the last
  180 days ``[today − 179 days 00:00, tomorrow 00:00)`` (or ``[from, to]``).
* ``inactive_patients`` = ``max(0, total − active)``; ``active_rate = active / max(1, total)``.
* ``patients_today`` — distinct patients with scheduled/confirmed appointments today (always
  the calendar day).
* ``new_this_month`` — patients with exactly one appointment (any status) starting between the
  month start and now (or in ``[from, to]``).

Omitted (K-5, 08 §7): the per-patient status and risk score, vitals, labs, diagnoses,
medications, documents — fabricated in the original and not part of the overview; the endpoint
returns only the counts above (plus ``period``, ``generated_at``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.core import timefmt
from server.kpis.common import BOOKED_SQL, PanelQuery, in_range, one

ACTIVE_DAYS = 180

_SQL = f"""
    SELECT (SELECT count(*) FROM patients),
           (SELECT count(DISTINCT a.patient_id) FROM appointments a
            WHERE {BOOKED_SQL} AND {in_range("a.start_time")}),
           (SELECT count(DISTINCT a.patient_id) FROM appointments a
            WHERE a.status IN ('scheduled', 'confirmed')
              AND {in_range("a.start_time", "day_start", "day_end")}),
           (SELECT count(*) FROM (
                SELECT a.patient_id FROM appointments a
                WHERE {in_range("a.start_time", "new_start", "new_end")}
                GROUP BY a.patient_id HAVING count(*) = 1) once)
"""  # noqa: S608


def compute(session: Session, query: PanelQuery) -> dict[str, Any]:
    cal, custom, tz = query.calendar, query.custom, query.tz
    active_period = query.last(ACTIVE_DAYS)
    month = cal.month()
    today = cal.day()
    params = {
        **active_period.params(),
        "day_start": today.start,
        "day_end": today.end,
        "new_start": custom.start if custom else month.start,
        "new_end": custom.end if custom else cal.now,
    }
    total, active, today_count, new_count = one(session, _SQL, params)
    return {
        "period": {
            "active": active_period.dates(),
            "new": custom.dates() if custom else month.dates(),
            "custom": custom is not None,
        },
        "total_patients": total,
        "active_patients": active,
        "inactive_patients": max(0, total - active),
        "active_rate": round(active / max(1, total) * 100, 1),
        "patients_today": today_count,
        "new_this_month": new_count,
        "generated_at": timefmt.format_datetime(cal.now, tz),
    }
