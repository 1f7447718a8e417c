"""Remaining vacation days (02 §7.1, §7.4), computed when read from the stored absences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from server.users.models import User
from server.working_hours.models import DoctorAbsence
from shared.domain import absences


def _active_vacations(
    session: Session, doctor_years: Iterable[tuple[int, int]]
) -> dict[int, list[absences.VacationSpan]]:
    """Active vacation absences of the given doctors touching the given years (one query)."""
    pairs = set(doctor_years)
    if not pairs:
        return {}
    touches = [
        and_(
            DoctorAbsence.doctor_id == doctor_id,
            DoctorAbsence.start_date <= date(year, 12, 31),
            DoctorAbsence.end_date >= date(year, 1, 1),
        )
        for doctor_id, year in pairs
    ]
    rows = session.execute(
        select(
            DoctorAbsence.id,
            DoctorAbsence.doctor_id,
            DoctorAbsence.start_date,
            DoctorAbsence.end_date,
        ).where(
            DoctorAbsence.active.is_(True),
            func.lower(func.trim(DoctorAbsence.reason)) == absences.VACATION_REASON,
            or_(*touches),
        )
    )
    found: dict[int, list[absences.VacationSpan]] = {}
    for absence_id, doctor_id, start, end in rows:
        found.setdefault(doctor_id, []).append(absences.VacationSpan(absence_id, start, end))
    return found


def _allowances(session: Session, doctor_ids: Iterable[int]) -> dict[int, int]:
    ids = set(doctor_ids)
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.vacation_days_per_year).where(User.id.in_(ids)))
    return {row.id: row.vacation_days_per_year for row in rows}


def remaining_days_for(session: Session, rows: Sequence[DoctorAbsence]) -> dict[int, int]:
    """``remaining_days`` of each vacation absence in ``rows``; two queries for any page size."""
    vacations = [row for row in rows if absences.is_vacation(row.reason)]
    spans = _active_vacations(session, ((r.doctor_id, r.start_date.year) for r in vacations))
    allowances = _allowances(session, (r.doctor_id for r in vacations))
    result: dict[int, int] = {}
    for row in vacations:
        year = row.start_date.year
        others = [s for s in spans.get(row.doctor_id, []) if s.absence_id != row.id]
        result[row.id] = absences.remaining_vacation_days(
            allowance=allowances.get(row.doctor_id, 30),
            year=year,
            own_workdays=absences.workdays_between(row.start_date, row.end_date),
            other_vacations=others,
        )
    return result


def remaining_days_preview(
    session: Session,
    *,
    doctor_id: int,
    start: date,
    own_workdays: int,
    exclude_id: int | None,
) -> int:
    year = start.year
    spans = _active_vacations(session, [(doctor_id, year)]).get(doctor_id, [])
    allowance = _allowances(session, [doctor_id]).get(doctor_id, 30)
    return absences.remaining_vacation_days(
        allowance=allowance,
        year=year,
        own_workdays=own_workdays,
        other_vacations=[s for s in spans if s.absence_id != exclude_id],
    )
