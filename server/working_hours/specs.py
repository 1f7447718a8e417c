"""The four working-time resources: fields, checks, scoping and JSON shapes (02 §5–§8)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.core import timefmt
from server.core.access import Principal
from server.core.crud import CrudSpec
from server.core.errors import ValidationFailed
from server.core.fields import (
    BooleanField,
    CharField,
    DateField,
    Field,
    IntegerField,
    PrimaryKeyField,
    Serializer,
    TimeField,
    does_not_exist,
)
from server.core.state import AppState
from server.users.models import User
from server.users.scoping import is_doctor
from server.working_hours import scoping, vacation
from server.working_hours.models import DoctorAbsence, DoctorBreak, DoctorHours, PracticeHours
from shared.domain import absences

WEEKDAY_MESSAGE = "Wochentag muss zwischen 0 (Montag) und 6 (Sonntag) liegen."
TIME_ORDER_MESSAGE = "Endzeit muss nach der Startzeit liegen."
DATE_ORDER_MESSAGE = "Enddatum muss am oder nach dem Startdatum liegen."
NOT_A_DOCTOR_MESSAGE = 'Der Arzt muss die Rolle "doctor" haben.'
UNIQUE_HOURS_MESSAGE = (
    "The fields doctor, weekday, start_time, end_time, active must make a unique set."
)
# The API field ``doctor`` is stored in the column ``doctor_id``.
STORED_AS = {"doctor": "doctor_id"}
Render = Callable[[Session, Sequence[Any], AppState], list[dict[str, Any]]]
ABSENCE_COLOR = "#FF4500"
BREAK_COLOR = "#FFD700"


def _weekday() -> IntegerField:
    return IntegerField(
        min_value=None,
        max_value=None,
        validators=[lambda day: None if 0 <= day <= 6 else WEEKDAY_MESSAGE],
    )


def _query_int(request: Request, name: str, errors: dict[str, list[str]]) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    field = IntegerField()
    try:
        value: int = field.run(raw)
    except Exception as exc:  # FieldError carries the DRF text
        errors[name] = list(getattr(exc, "messages", ["A valid integer is required."]))
        return None
    return value


def _query_date(request: Request, name: str, errors: dict[str, list[str]]) -> date | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return timefmt.parse_date(raw)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return None


def _check_time_order(data: dict[str, Any]) -> None:
    if data["start_time"] >= data["end_time"]:
        raise ValidationFailed({"end_time": [TIME_ORDER_MESSAGE]})


def _check_doctor(session: Session, doctor_id: int | None) -> None:
    """The referenced user exists and has the role doctor (new role check, 02 §6.3)."""
    if doctor_id is None:
        return
    user = session.get(User, doctor_id) if doctor_id >= 1 else None
    if user is None:
        raise ValidationFailed({"doctor": [does_not_exist(doctor_id)]})
    if not is_doctor(user):
        raise ValidationFailed({"doctor": [NOT_A_DOCTOR_MESSAGE]})


def _shape(row: Any, fields: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    """The JSON of a row: its id, ``fields``, then the timestamps."""
    return {
        "id": row.id,
        **fields,
        "created_at": timefmt.format_datetime(row.created_at, tz),
        "updated_at": timefmt.format_datetime(row.updated_at, tz),
    }


def _render_each(fields: Callable[[Any], dict[str, Any]]) -> Render:
    def render(_session: Session, rows: Sequence[Any], state: AppState) -> list[dict[str, Any]]:
        tz = state.settings.tz
        return [_shape(row, fields(row), tz) for row in rows]

    return render


def _doctor_rows(
    model: Any,
    *,
    entity: str,
    serializer: Serializer,
    order_by: Callable[[], Sequence[Any]],
    check: Callable[[Session, dict[str, Any], Any, Principal], None],
    render: Render,
    filters: Callable[[Select[Any], Request], Select[Any]] | None = None,
) -> CrudSpec[Any]:
    """A resource whose rows belong to a doctor: a doctor sees only own rows, the API field
    ``doctor`` is the column ``doctor_id``, and ``?doctor_id=`` filters unless ``filters``."""
    return CrudSpec(
        model=model,
        entity=entity,
        serializer=serializer,
        order_by=order_by,
        scope=scoping.scope(model.doctor_id),
        filters=filters or _doctor_id_filter(model.doctor_id),
        check=check,
        render=render,
        create_row=_create_with_doctor(model),
        stored_as=STORED_AS,
    )


# --- practice hours ---------------------------------------------------------------------

HOURS_FIELDS: dict[str, Field] = {
    "weekday": _weekday(),
    "start_time": TimeField(),
    "end_time": TimeField(),
    "active": BooleanField(default=True),
}


def _check_practice_hours(
    _session: Session, data: dict[str, Any], _row: PracticeHours | None, _p: Principal
) -> None:
    _check_time_order(data)


def _hours_fields(row: PracticeHours | DoctorHours) -> dict[str, Any]:
    return {
        "weekday": row.weekday,
        "start_time": timefmt.format_time(row.start_time),
        "end_time": timefmt.format_time(row.end_time),
        "active": row.active,
    }


PRACTICE_HOURS = CrudSpec[PracticeHours](
    model=PracticeHours,
    entity="practice_hours",
    serializer=Serializer("PracticeHours", HOURS_FIELDS),
    order_by=lambda: (PracticeHours.weekday, PracticeHours.start_time, PracticeHours.id),
    check=_check_practice_hours,
    render=_render_each(_hours_fields),
    create_row=lambda data: PracticeHours(**data),
)


# --- doctor hours -----------------------------------------------------------------------


def _doctor_id_filter(column: Any) -> Any:
    def apply(statement: Select[Any], request: Request) -> Select[Any]:
        errors: dict[str, list[str]] = {}
        doctor_id = _query_int(request, "doctor_id", errors)
        if errors:
            raise ValidationFailed(errors)
        return statement if doctor_id is None else statement.where(column == doctor_id)

    return apply


def _check_doctor_hours(
    session: Session, data: dict[str, Any], row: DoctorHours | None, _p: Principal
) -> None:
    _check_doctor(session, data["doctor"])
    duplicate = session.scalar(
        select(DoctorHours.id).where(
            DoctorHours.doctor_id == data["doctor"],
            DoctorHours.weekday == data["weekday"],
            DoctorHours.start_time == data["start_time"],
            DoctorHours.end_time == data["end_time"],
            DoctorHours.active.is_(data["active"]),
            DoctorHours.id != (row.id if row else 0),
        )
    )
    if duplicate is not None:
        raise ValidationFailed({"non_field_errors": [UNIQUE_HOURS_MESSAGE]})
    _check_time_order(data)


def _doctor_hours_fields(row: DoctorHours) -> dict[str, Any]:
    return {"doctor": row.doctor_id, **_hours_fields(row)}


def _create_with_doctor(model: Any) -> Any:
    def create(data: dict[str, Any]) -> Any:
        values = dict(data)
        values["doctor_id"] = values.pop("doctor")
        return model(**values)

    return create


DOCTOR_HOURS = _doctor_rows(
    DoctorHours,
    entity="doctor_hours",
    serializer=Serializer("DoctorHours", {"doctor": PrimaryKeyField(), **HOURS_FIELDS}),
    order_by=lambda: (
        DoctorHours.doctor_id,
        DoctorHours.weekday,
        DoctorHours.start_time,
        DoctorHours.id,
    ),
    check=_check_doctor_hours,
    render=_render_each(_doctor_hours_fields),
)


# --- doctor absences --------------------------------------------------------------------

ABSENCE_FIELDS: dict[str, Field] = {
    "doctor": PrimaryKeyField(),
    "start_date": DateField(),
    "end_date": DateField(),
    "reason": CharField(max_length=255, allow_blank=True, allow_null=True, default=None),
    "active": BooleanField(default=True),
}


def _check_absence(
    session: Session, data: dict[str, Any], row: DoctorAbsence | None, principal: Principal
) -> None:
    scoping.ensure_writable(principal, data, row)
    _check_doctor(session, data["doctor"])
    if data["end_date"] < data["start_date"]:
        raise ValidationFailed({"end_date": [DATE_ORDER_MESSAGE]})


def _render_absences(
    session: Session, rows: Sequence[DoctorAbsence], state: AppState
) -> list[dict[str, Any]]:
    tz = state.settings.tz
    remaining = vacation.remaining_days_for(session, rows)
    return [
        _shape(
            row,
            {
                "doctor": row.doctor_id,
                "start_date": timefmt.format_date(row.start_date),
                "end_date": timefmt.format_date(row.end_date),
                "reason": row.reason,
                "color": ABSENCE_COLOR,
                "active": row.active,
                "duration_workdays": absences.workdays_between(row.start_date, row.end_date),
                "return_date": timefmt.format_date(absences.return_date(row.end_date)),
                "remaining_days": remaining.get(row.id),
            },
            tz,
        )
        for row in rows
    ]


DOCTOR_ABSENCES = _doctor_rows(
    DoctorAbsence,
    entity="doctor_absence",
    serializer=Serializer("DoctorAbsence", ABSENCE_FIELDS),
    order_by=lambda: (
        DoctorAbsence.doctor_id,
        DoctorAbsence.start_date,
        DoctorAbsence.end_date,
        DoctorAbsence.id,
    ),
    check=_check_absence,
    render=_render_absences,
)


# --- doctor breaks ----------------------------------------------------------------------

BREAK_FIELDS: dict[str, Field] = {
    "doctor": PrimaryKeyField(allow_null=True, default=None),
    "date": DateField(),
    "start_time": TimeField(),
    "end_time": TimeField(),
    "reason": CharField(max_length=255, allow_blank=True, allow_null=True, default=None),
    "active": BooleanField(default=True),
}


def _break_filters(statement: Select[Any], request: Request) -> Select[Any]:
    errors: dict[str, list[str]] = {}
    doctor_id = _query_int(request, "doctor_id", errors)
    start = _query_date(request, "start_date", errors)
    end = _query_date(request, "end_date", errors)
    if errors:
        raise ValidationFailed(errors)
    if doctor_id is not None:
        statement = statement.where(DoctorBreak.doctor_id == doctor_id)
    if start is not None:
        statement = statement.where(DoctorBreak.date >= start)
    if end is not None:
        statement = statement.where(DoctorBreak.date <= end)
    return statement


def _check_break(
    session: Session, data: dict[str, Any], row: DoctorBreak | None, principal: Principal
) -> None:
    scoping.ensure_writable(principal, data, row)
    _check_doctor(session, data["doctor"])
    _check_time_order(data)


def _break_fields(row: DoctorBreak) -> dict[str, Any]:
    return {
        "doctor": row.doctor_id,
        "date": timefmt.format_date(row.date),
        "start_time": timefmt.format_time(row.start_time),
        "end_time": timefmt.format_time(row.end_time),
        "reason": row.reason,
        "color": BREAK_COLOR,
        "active": row.active,
    }


# A doctor sees own breaks only; practice-wide rows (doctor null) are not listed (02 §8.2).
DOCTOR_BREAKS = _doctor_rows(
    DoctorBreak,
    entity="doctor_break",
    serializer=Serializer("DoctorBreak", BREAK_FIELDS),
    order_by=lambda: (
        DoctorBreak.date,
        DoctorBreak.start_time,
        DoctorBreak.doctor_id.asc().nulls_last(),
        DoctorBreak.id,
    ),
    filters=_break_filters,
    check=_check_break,
    render=_render_each(_break_fields),
)
