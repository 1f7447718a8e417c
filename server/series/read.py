"""The series representation (docs/series-and-chains.md): its row plus its appointments,
each an ``AppointmentRead`` rendered by the appointments' own SQL."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import orjson
from sqlalchemy.orm import Session

from server.appointments import read as appointment_read
from server.core.timefmt import format_datetime
from server.series.models import AppointmentSeries

_MEMBERS = (
    "a.id IN (SELECT appointment_id FROM appointment_series_members WHERE series_id = :series_id)"
)


def series_json(session: Session, series: AppointmentSeries, tz: ZoneInfo) -> str:
    session.flush()
    session.refresh(series)
    head = {
        "id": series.id,
        "patient_id": series.patient_id,
        "doctor": series.doctor_id,
        "type": series.type_id,
        "rule": series.rule,
        "count": series.occurrence_count,
        "skipped": sorted(series.skipped or []),
        "notes": series.notes,
        "created_at": format_datetime(series.created_at, tz),
        "updated_at": format_datetime(series.updated_at, tz),
    }
    appointments = appointment_read.array_json(session, _MEMBERS, {"series_id": series.id})
    return orjson.dumps(head).decode()[:-1] + ',"appointments":' + appointments + "}"
