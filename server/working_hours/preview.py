"""``GET /api/doctor-absences/preview/`` (02 §7.4): the numbers of a not-yet-saved absence.

The affected appointments carry patient names with birth dates, so a preview that lists any
is a patient read and is audited like the others (``doctor_absence_preview``, best effort,
patient null, meta ``{"doctor_id", "start_date", "end_date", "patient_ids"}``). A preview
that lists none shows no patient data and writes nothing: the form asks for it on every edit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from server.appointments.models import Appointment
from server.audit.service import record_read
from server.core import timefmt
from server.core.access import Principal
from server.core.errors import bad_request
from server.core.fields import parse_int
from server.core.state import AppState
from server.patients.render import display_names
from server.working_hours import scoping, vacation
from shared.domain import absences

AUDIT_ACTION = "doctor_absence_preview"


def _date_param(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return timefmt.parse_date(raw)
    except ValueError as exc:
        raise bad_request(f"{name} must be in format YYYY-MM-DD.") from exc


def _doctor_param(request: Request, session: Session) -> int | None:
    """An existing doctor's id, or None for missing/non-integer/unknown values."""
    raw = request.query_params.get("doctor_id")
    if raw is None:
        return None
    try:
        doctor_id = parse_int(raw)
    except ValueError:
        return None
    return doctor_id


def _resolve_doctor(request: Request, session: Session, principal: Principal) -> int | None:
    return scoping.previewed_doctor(session, principal, _doctor_param(request, session))


def affected_appointments(
    session: Session, doctor_id: int, start: date, end: date, state: AppState
) -> list[dict[str, Any]]:
    """The doctor's non-cancelled appointments on the local days ``start``…``end`` (02 §7.4).

    Two queries whatever the count. An absence never changes them; the list only informs.
    """
    tz = state.settings.tz
    range_start = timefmt.local_day_bounds(start, tz)[0]
    range_end = timefmt.local_day_bounds(end, tz)[1]
    rows = session.scalars(
        select(Appointment)
        .where(
            Appointment.doctor_id == doctor_id,
            Appointment.status != "cancelled",
            Appointment.start_time < range_end,
            Appointment.end_time > range_start,
        )
        .order_by(Appointment.start_time, Appointment.id)
    ).all()
    names = display_names(session, (row.patient_id for row in rows))
    return [
        {
            "id": row.id,
            "patient_id": row.patient_id,
            "patient_name": names[row.patient_id],
            "start_time": timefmt.format_datetime(row.start_time, tz),
            "end_time": timefmt.format_datetime(row.end_time, tz),
            "status": row.status,
        }
        for row in rows
    ]


def preview(
    request: Request, session: Session, state: AppState, principal: Principal
) -> dict[str, Any]:
    doctor_id = _resolve_doctor(request, session, principal)
    start = _date_param(request, "start_date")
    end = _date_param(request, "end_date")
    reason = request.query_params.get("reason")
    exclude_raw = request.query_params.get("exclude_id")
    try:
        exclude_id = parse_int(exclude_raw) if exclude_raw else None
    except ValueError:
        exclude_id = None

    complete = start is not None and end is not None and end >= start
    workdays = absences.workdays_between(start, end) if complete else 0  # type: ignore[arg-type]
    remaining = None
    if doctor_id is not None and start is not None and absences.is_vacation(reason):
        remaining = vacation.remaining_days_preview(
            session, doctor_id=doctor_id, start=start, own_workdays=workdays, exclude_id=exclude_id
        )
    affected: list[dict[str, Any]] = []
    if doctor_id is not None and complete:
        affected = affected_appointments(session, doctor_id, start, end, state)  # type: ignore[arg-type]
    if affected and start is not None and end is not None:
        session.close()  # give the connection back before the audit's own transaction
        record_read(
            state.session_factory,
            principal,
            AUDIT_ACTION,
            meta={
                "doctor_id": doctor_id,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "patient_ids": sorted({row["patient_id"] for row in affected}),
            },
        )
    return {
        "duration_workdays": workdays,
        "return_date": timefmt.format_date(absences.return_date(end)) if end else None,
        "remaining_days": remaining,
        "affected_appointments": affected,
    }
