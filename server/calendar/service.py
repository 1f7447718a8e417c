"""Calendar data for one local date range (spec 03 §10, §12).

A request costs a fixed number of queries whatever the number of rows: appointments (JSON
rendered by PostgreSQL through ``server.appointments.read``, so the calendar and the
appointment list render identically), their resource bookings (JSON from PostgreSQL as
well), absences (+2 for ``remaining_days``), breaks, active resources, the doctors of the
availability summary, and one ``SchedulingData`` load (``scheduling_data.load``) from which
``availability_summary`` answers for every doctor at once. The skeleton object is rendered
by orjson with the database-rendered arrays spliced in as fragments.

Decisions where the spec is silent:

* Parameters are checked in the order of the 03 §10.1 table (``date``, ``doctor_id``,
  ``patient_id``, ``type_id``); the first bad one answers. An empty value counts as absent
  (as in suggest, 03 §9.2), so ``date=`` is "missing". Integers are coerced like every
  other integer of this server (``parse_int``); ids outside 1 … 2⁶³−1 answer the 00 §12
  text as the ``detail`` string. A date whose range cannot be represented (e.g. the week
  of 9999-12-31) is answered like a malformed date.
* A doctor's own-data restriction and ``doctor_id`` combine for appointments (as in the
  appointment list, 03 §6.1: a doctor asking for another doctor sees none); for
  operations, absences, breaks and ``available_doctors`` the spec says the doctor's own
  scope wins, so ``doctor_id`` is ignored for a doctor there.
* ``patient_flows`` (additive, ``docs/calendar-blocks.md``): per listed appointment its
  active patient flow, else its latest finished one, as ``{"id", "appointment_id",
  "status"}``; ordered by ``appointment_id``. One more query.
* ``counts_only`` empties ``appointments``, ``resource_bookings`` and ``patient_flows``:
  operations, absences, breaks, resources and ``available_doctors`` are returned as usual;
  ``day_counts`` follows ``patient_flows`` as the last key.
* Operations are not rendered here: the operations package plugs its renderer in with
  :func:`register_operations_loader` (``server.operations.calendar``); the loader gets a
  :class:`CalendarScope` (range, doctor scope, filters) and returns the JSON array text.
  Without a loader ``operations`` is ``[]``.
* The two audit rows are written in one transaction of their own after the response body
  is built (a failure is logged, the read still answers).

Cost (``bench/calendar_views.py``: 20,000 appointments, 26 weeks, 8 doctors, 6 rooms): a
week with ≈ 770 appointments takes ≈ 40 ms of Python and ≈ 25 ms of PostgreSQL CPU time;
about 20 ms of the Python part is the availability summary, mostly
``scheduling_data.load`` turning every appointment of the range into engine objects.
"""

from __future__ import annotations

import calendar as _calendar
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from server.appointments import read
from server.bookings import scheduling_data
from server.calendar import scoping
from server.core import timefmt
from server.core.access import Principal
from server.core.errors import bad_request
from server.core.fields import BIGINT_MAX, parse_int
from server.core.query import bool_param
from server.core.state import AppState
from server.master_data import render as master_render
from server.master_data.models import Resource
from server.users.models import Role, User
from server.users.scoping import doctor_role
from server.working_hours.models import DoctorAbsence, DoctorBreak
from server.working_hours.specs import DOCTOR_ABSENCES, DOCTOR_BREAKS
from shared.scheduling import availability_summary

log = logging.getLogger(__name__)

VIEWS = ("day", "week", "month")
DATE_REQUIRED = "date query parameter is required (YYYY-MM-DD)."
DATE_FORMAT = "date must be in format YYYY-MM-DD."
ID_TOO_LARGE = f"Ensure this value is less than or equal to {BIGINT_MAX}."
ID_TOO_SMALL = "Ensure this value is greater than or equal to 1."
SUBSTITUTION_AUDIT = "doctor_substitution_list"


@dataclass(frozen=True)
class CalendarRequest:
    """The validated query of one calendar request."""

    view: str
    first_day: date
    last_day: date
    doctor_id: int | None = None
    patient_id: int | None = None
    type_id: int | None = None
    include_available_doctors: bool = True
    counts_only: bool = False  # only ever true on the month view

    @property
    def audit_action(self) -> str:
        return f"calendar_{self.view}"


@dataclass(frozen=True)
class CalendarScope:
    """What a loader needs to select the rows of one calendar response.

    ``range_start`` … ``range_stop`` is the half-open instant range of the local days
    ``first_day`` … ``last_day`` (items overlapping it are "in range"). ``own_doctor_id``
    is set for callers with role doctor (their own rows / team memberships only); then
    ``doctor_id`` is ``None``. ``type_id`` is left out on purpose: it does not apply to
    operations (03 §10.2).
    """

    tz: ZoneInfo
    first_day: date
    last_day: date
    range_start: datetime
    range_stop: datetime
    own_doctor_id: int | None
    doctor_id: int | None
    patient_id: int | None


OperationsLoader = Callable[[Session, CalendarScope], str]


def _no_operations(_session: Session, _scope: CalendarScope) -> str:
    return "[]"


@dataclass
class _Loaders:
    operations: OperationsLoader = _no_operations


_LOADERS = _Loaders()


def operations_loader() -> OperationsLoader:
    """The loader in use (tests swap it and put it back)."""
    return _LOADERS.operations


def register_operations_loader(loader: OperationsLoader) -> None:
    """Plug in the renderer of ``operations`` (JSON array text, ordered ``start_time``,
    ``id``; shape and filters of 03 §10.2). Called once at import by the operations package."""
    _LOADERS.operations = loader


# --- parameters -------------------------------------------------------------------------


def view_range(view: str, day: date) -> tuple[date, date]:
    """Local first and last day: the date, its Monday–Sunday week, or its month."""
    if view == "day":
        return day, day
    if view == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    last = _calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _id_param(params: Mapping[str, str], name: str) -> int | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        value = parse_int(raw)
    except ValueError:
        raise bad_request(f"{name} must be an integer.") from None
    if value > BIGINT_MAX:
        raise bad_request(ID_TOO_LARGE)
    if value < 1:
        raise bad_request(ID_TOO_SMALL)
    return value


def parse_request(view: str, params: Mapping[str, str]) -> CalendarRequest:
    """03 §10.1; errors are ``400 {"detail": "<text>"}``."""
    raw = params.get("date")
    if not raw:
        raise bad_request(DATE_REQUIRED)
    try:
        first_day, last_day = view_range(view, timefmt.parse_date(raw))
        # The range must be representable as instants, with a day to spare on both sides.
        if first_day <= date.min + timedelta(days=1) or last_day >= date.max - timedelta(days=1):
            raise ValueError(DATE_FORMAT)
    except (ValueError, OverflowError):
        raise bad_request(DATE_FORMAT) from None
    return CalendarRequest(
        view=view,
        first_day=first_day,
        last_day=last_day,
        doctor_id=_id_param(params, "doctor_id"),
        patient_id=_id_param(params, "patient_id"),
        type_id=_id_param(params, "type_id"),
        include_available_doctors=bool_param(params.get("include_available_doctors")) is not False,
        counts_only=view == "month" and bool_param(params.get("counts_only")) is True,
    )


def scope_for(request: CalendarRequest, principal: Principal, tz: ZoneInfo) -> CalendarScope:
    own_doctor_id, doctor_id = scoping.doctor_scope(principal, request.doctor_id)
    start, _ = timefmt.local_day_bounds(request.first_day, tz)
    _, stop = timefmt.local_day_bounds(request.last_day, tz)
    return CalendarScope(
        tz=tz,
        first_day=request.first_day,
        last_day=request.last_day,
        range_start=start,
        range_stop=stop,
        own_doctor_id=own_doctor_id,
        doctor_id=doctor_id,
        patient_id=request.patient_id,
    )


# --- the parts of the response ----------------------------------------------------------


def _appointment_filter(
    request: CalendarRequest, scope: CalendarScope
) -> tuple[str, dict[str, Any]]:
    """WHERE clause over ``appointments a`` shared by the list, the bookings and the counts."""
    conditions = [read.overlapping_sql("range_start", "range_end")]
    params: dict[str, Any] = {"range_start": scope.range_start, "range_end": scope.range_stop}
    if scope.own_doctor_id is not None:
        conditions.append("a.doctor_id = :own_doctor_id")
        params["own_doctor_id"] = scope.own_doctor_id
    # For appointments ``doctor_id`` also applies to a doctor (combined with "own", 03 §6.1).
    for name, column in (
        ("doctor_id", "a.doctor_id"),
        ("patient_id", "a.patient_id"),
        ("type_id", "a.type_id"),
    ):
        value = getattr(request, name)
        if value is not None:
            conditions.append(f"{column} = :{name}")
            params[name] = value
    return " AND ".join(conditions), params


_BOOKINGS_SQL = """
SELECT coalesce(json_agg(json_build_object(
           'appointment_id', a.id, 'resource_id', ar.resource_id,
           'start_time', a.start_time, 'end_time', a.end_time)
       ORDER BY a.start_time, a.id, ar.resource_id)::text, '[]')
FROM appointments a JOIN appointment_resources ar ON ar.appointment_id = a.id
WHERE {where}
"""

_DAY_COUNTS_SQL = """
SELECT (a.start_time AT TIME ZONE :tz)::date AS day, count(*) AS n
FROM appointments a WHERE {where} GROUP BY 1
"""


# The flow the desk cares about per appointment: its active one, else its latest finished one
# (05 D-PF-07 allows one active flow per appointment, but finished ones stay as history).
_FLOWS_SQL = """
SELECT coalesce(json_agg(json_build_object(
           'id', f.id, 'appointment_id', f.appointment_id, 'status', f.status)
       ORDER BY f.appointment_id)::text, '[]')
FROM (
    SELECT DISTINCT ON (pf.appointment_id) pf.id, pf.appointment_id, pf.status
    FROM appointments a JOIN patient_flows pf ON pf.appointment_id = a.id
    WHERE {where}
    ORDER BY pf.appointment_id, pf.status = 'done', pf.id DESC
) f
"""


def _patient_flows_json(session: Session, where: str, params: dict[str, Any]) -> str:
    result: str = session.execute(text(_FLOWS_SQL.format(where=where)), params).scalar_one()
    return result


def _resource_bookings_json(session: Session, where: str, params: dict[str, Any]) -> str:
    result: str = session.execute(text(_BOOKINGS_SQL.format(where=where)), params).scalar_one()
    return result


def _day_counts(
    session: Session, request: CalendarRequest, where: str, params: dict[str, Any], tz: ZoneInfo
) -> list[dict[str, Any]]:
    rows = session.execute(
        text(_DAY_COUNTS_SQL.format(where=where)), {**params, "tz": tz.key}
    ).all()
    counts = {row.day: row.n for row in rows}
    days = (request.first_day + timedelta(days=i) for i in range(request.last_day.day))
    return [{"date": timefmt.format_date(d), "appointments": counts.get(d, 0)} for d in days]


def _absences(session: Session, scope: CalendarScope, state: AppState) -> list[dict[str, Any]]:
    statement = select(DoctorAbsence).where(
        DoctorAbsence.active.is_(True),
        DoctorAbsence.start_date <= scope.last_day,
        DoctorAbsence.end_date >= scope.first_day,
    )
    doctor = scope.own_doctor_id if scope.own_doctor_id is not None else scope.doctor_id
    if doctor is not None:
        statement = statement.where(DoctorAbsence.doctor_id == doctor)
    rows = session.scalars(
        statement.order_by(
            DoctorAbsence.doctor_id,
            DoctorAbsence.start_date,
            DoctorAbsence.end_date,
            DoctorAbsence.id,
        )
    ).all()
    return DOCTOR_ABSENCES.render(session, rows, state)


def _breaks(session: Session, scope: CalendarScope, state: AppState) -> list[dict[str, Any]]:
    statement = select(DoctorBreak).where(
        DoctorBreak.active.is_(True),
        DoctorBreak.date >= scope.first_day,
        DoctorBreak.date <= scope.last_day,
    )
    doctor = scope.own_doctor_id if scope.own_doctor_id is not None else scope.doctor_id
    if doctor is not None:  # practice-wide breaks plus that doctor's
        statement = statement.where(
            (DoctorBreak.doctor_id.is_(None)) | (DoctorBreak.doctor_id == doctor)
        )
    rows = session.scalars(
        statement.order_by(
            DoctorBreak.date,
            DoctorBreak.start_time,
            DoctorBreak.doctor_id.asc().nulls_last(),
            DoctorBreak.id,
        )
    ).all()
    return DOCTOR_BREAKS.render(session, rows, state)


def _resources(session: Session, tz: ZoneInfo) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Resource)
        .where(Resource.active.is_(True))
        .order_by(Resource.type, Resource.name, Resource.id)
    )
    return [master_render.resource(row, tz) for row in rows]


def _summary_doctors(
    session: Session, request: CalendarRequest, scope: CalendarScope
) -> list[User]:
    """03 §12: the requesting doctor; else ``doctor_id`` if an active doctor; else all."""
    statement = (
        select(User)
        .join(Role, Role.id == User.role_id)
        .where(doctor_role(), User.is_active.is_(True))
    )
    if scope.own_doctor_id is not None:
        statement = statement.where(User.id == scope.own_doctor_id)
    elif request.doctor_id is not None:
        statement = statement.where(User.id == request.doctor_id)
    return list(session.scalars(statement.order_by(User.id)))


def _available_doctors(
    session: Session, request: CalendarRequest, scope: CalendarScope, now: datetime
) -> list[dict[str, Any]]:
    doctors = _summary_doctors(session, request, scope)
    if not doctors:
        return []
    by_id = {doctor.id: doctor for doctor in doctors}
    # The summary asks only about the doctors' own time: their bookings suffice (§12).
    data = scheduling_data.load_cached(
        session,
        scope.tz,
        scope.first_day,
        scope.last_day,
        doctor_ids=list(by_id),
        only_doctors_bookings=True,
    )
    summary = availability_summary(
        data,
        by_id,
        scope.first_day,
        scope.last_day,
        today=now.astimezone(scope.tz).date(),
        now=now,
    )
    return [
        {
            "id": item.doctor_id,
            "name": by_id[item.doctor_id].display_name,
            "color": by_id[item.doctor_id].calendar_color,
            "available": item.available,
            "reason": None if item.reason is None else item.reason.value,
        }
        for item in summary
    ]


def calendar_json(
    session: Session,
    state: AppState,
    principal: Principal,
    request: CalendarRequest,
    now: datetime,
) -> bytes:
    """The complete 03 §10.2 object as JSON bytes."""
    tz = state.settings.tz
    scope = scope_for(request, principal, tz)
    where, params = _appointment_filter(request, scope)
    if request.counts_only:
        return _assemble(session, state, request, scope, now, "[]", "[]", "[]")
    # The appointments' JSON is the largest single part: PostgreSQL renders it on a pooled
    # connection of its own while this thread reads the rest. Each statement already had a
    # snapshot of its own (READ COMMITTED), so answering from two connections changes no
    # guarantee. Hold-and-wait cannot exhaust the pool: this thread gives its connection
    # back before it waits.
    rendering = _CONCURRENT.submit(_appointments_json, state.session_factory, where, params)
    try:
        bookings = _resource_bookings_json(session, where, params)
        flows = _patient_flows_json(session, where, params)
        return _assemble(session, state, request, scope, now, rendering, bookings, flows)
    finally:
        session.close()
        wait([rendering])  # never leave it running behind an error


def _appointments_json(factory: sessionmaker[Session], where: str, params: dict[str, Any]) -> str:
    with factory() as session:
        return read.array_json(session, where, params, with_cancelled=True)


# Small and shared per process: it only ever runs the appointment part of a calendar.
_CONCURRENT = ThreadPoolExecutor(max_workers=4, thread_name_prefix="praxi-calendar")


def _assemble(
    session: Session,
    state: AppState,
    request: CalendarRequest,
    scope: CalendarScope,
    now: datetime,
    appointments: str | Future[str],
    bookings: str,
    flows: str,
) -> bytes:
    """The 03 §10.2 object; ``appointments`` may still be rendering elsewhere."""
    tz = state.settings.tz
    body: dict[str, Any] = {
        "range_start": timefmt.format_datetime(scope.range_start, tz),
        "range_end": timefmt.format_datetime(
            scope.range_stop.astimezone(tz) - timedelta(microseconds=1), tz
        ),
        "appointments": orjson.Fragment(appointments) if isinstance(appointments, str) else None,
        "operations": orjson.Fragment(_LOADERS.operations(session, scope)),
        "absences": _absences(session, scope, state),
        "breaks": _breaks(session, scope, state),
        "resources": _resources(session, tz),
        "resource_bookings": orjson.Fragment(bookings),
        "available_doctors": (
            _available_doctors(session, request, scope, now)
            if request.include_available_doctors
            else []
        ),
        # additive (docs/calendar-blocks.md): lets a calendar show "da" / "in Behandlung"
        "patient_flows": orjson.Fragment(flows),
    }
    if request.counts_only:
        where, params = _appointment_filter(request, scope)
        body["day_counts"] = _day_counts(session, request, where, params, tz)
    if not isinstance(appointments, str):
        session.close()  # back to the pool before waiting (see calendar_json)
        body["appointments"] = orjson.Fragment(appointments.result())
    return orjson.dumps(body)


def record_audit(
    factory: sessionmaker[Session], principal: Principal, request: CalendarRequest
) -> None:
    """The two entries of 03 §10.2 in this order, in one transaction of their own; a failure
    is logged and does not change the response (README "Audit and writes").

    One statement in autocommit mode whose commit does not wait for the WAL flush: these are
    read audits, with the durability ``record_read`` documents (docs/performance.md); the
    unit of work with a flush and a synchronous commit was a tenth of the week's time."""
    params = {
        "user_id": principal.id,
        "role_name": principal.role_name or "",
        "view": request.audit_action,
        "substitution": SUBSTITUTION_AUDIT,
    }
    try:
        with factory() as session:
            engine = session.get_bind().engine
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(_CALENDAR_AUDIT_SQL, params)
    except Exception:
        log.exception("could not write calendar audit entries")


# VALUES rows take their ids in order: the view entry gets the lower one.
_CALENDAR_AUDIT_SQL = text(
    "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
    "INSERT INTO audit_log (user_id, role_name, action) "
    "SELECT entry.user_id, entry.role_name, entry.action FROM relaxed, "
    "(VALUES (1, CAST(:user_id AS bigint), CAST(:role_name AS text), CAST(:view AS text)), "
    "(2, CAST(:user_id AS bigint), CAST(:role_name AS text), CAST(:substitution AS text))) "
    "AS entry (position, user_id, role_name, action) ORDER BY entry.position"
)
