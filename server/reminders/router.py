"""HTTP layer of ``server.reminders`` (docs/reminders.md): thin; rules live in ``service``.

Importing this module installs the planning listener (every appointment flush re-plans its
reminders); the router's lifespan tells the planner which app settings (test clock, time
zone) belong to the app's engine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from sqlalchemy import select

from server.appointments import scoping as appointment_scoping
from server.appointments.models import Appointment
from server.core.access import ADMIN, ASSISTANT, BILLING, DOCTOR, Authorized, register_policy
from server.core.access import roles as role_set
from server.core.body import Body, openapi_body
from server.core.errors import ValidationFailed, not_found
from server.core.fields import ChoiceField, FieldError, PrimaryKeyField
from server.core.ids import parse_path_id
from server.core.pagination import paginate
from server.core.state import AppState, SessionDep, StateDep
from server.core.timefmt import parse_datetime
from server.reminders import planning, service
from server.reminders.models import Reminder
from server.users.scoping import own_rows_of
from shared.domain.reminders import ReminderStatus

planning.install()


@asynccontextmanager
async def _bind_planner(app: FastAPI) -> AsyncIterator[None]:
    state = getattr(app.state, "praxi", None)
    if isinstance(state, AppState):
        planning.bind(state.engine, state)
    yield


router = APIRouter(prefix="/api", tags=["reminders"], lifespan=_bind_planner)

ADMIN_ONLY = role_set(ADMIN)
OFFICE = role_set(ADMIN, ASSISTANT)
CONSENT_READ = role_set(ADMIN, ASSISTANT, DOCTOR, BILLING)
CONSENT_WRITE = role_set(ADMIN, ASSISTANT, DOCTOR)
APPOINTMENT_READ = role_set(ADMIN, ASSISTANT, DOCTOR, BILLING)
LIST_READ = role_set(ADMIN, ASSISTANT, DOCTOR)

register_policy("/api/reminder-settings/", read=OFFICE, write=ADMIN_ONLY)
register_policy("/api/reminder-rules/", read=OFFICE, write=ADMIN_ONLY)
register_policy("/api/reminder-rules/{rule_id}/", read=OFFICE, write=ADMIN_ONLY)
register_policy(
    "/api/patients/{patient_id}/reminder-consent/", read=CONSENT_READ, write=CONSENT_WRITE
)
register_policy(
    "/api/appointments/{appointment_id}/reminders/", read=APPOINTMENT_READ, write=ADMIN_ONLY
)
register_policy("/api/reminders/", read=LIST_READ, write=ADMIN_ONLY)
register_policy("/api/reminders/{reminder_id}/retry/", read=OFFICE, write=OFFICE)


# ------------------------------------------------------------------ settings


@router.get("/reminder-settings/")
def get_settings(principal: Authorized, session: SessionDep, state: StateDep) -> dict[str, Any]:
    return service.read_settings(session, state.settings)


@router.put("/reminder-settings/", openapi_extra=openapi_body(service.SETTINGS_SERIALIZER))
def replace_settings(
    body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.update_settings(session, state.settings, principal, body, partial=False)


@router.patch(
    "/reminder-settings/",
    openapi_extra=openapi_body(service.SETTINGS_SERIALIZER, partial=True),
)
def update_settings(
    body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.update_settings(session, state.settings, principal, body, partial=True)


# ------------------------------------------------------------------ rules


@router.get("/reminder-rules/")
def list_rules(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return paginate(
        request,
        session,
        service.rules_statement(),
        lambda rows: service.render_rules(session, rows, state.settings),
        trust_proxy=state.settings.trust_proxy_headers,
    )


@router.post(
    "/reminder-rules/", status_code=201, openapi_extra=openapi_body(service.RULE_SERIALIZER)
)
def create_rule(
    body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.create_rule(session, state.settings, principal, body)


@router.get("/reminder-rules/{rule_id}/")
def get_rule(
    rule_id: str, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.read_rule(session, parse_path_id(rule_id), state.settings)


@router.put("/reminder-rules/{rule_id}/", openapi_extra=openapi_body(service.RULE_SERIALIZER))
def replace_rule(
    rule_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.update_rule(
        session, state.settings, principal, parse_path_id(rule_id), body, partial=False
    )


@router.patch(
    "/reminder-rules/{rule_id}/",
    openapi_extra=openapi_body(service.RULE_SERIALIZER, partial=True),
)
def update_rule(
    rule_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.update_rule(
        session, state.settings, principal, parse_path_id(rule_id), body, partial=True
    )


@router.delete("/reminder-rules/{rule_id}/", status_code=204)
def delete_rule(
    rule_id: str, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    service.delete_rule(session, state.settings, principal, parse_path_id(rule_id))
    return Response(status_code=204)


# ------------------------------------------------------------------ consent


@router.get("/patients/{patient_id}/reminder-consent/")
def get_consent(
    patient_id: str, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    patient = parse_path_id(patient_id)
    body = service.read_consent(session, patient, state.settings)
    state.audit.record_read(
        state.session_factory, principal, "reminder_consent_read", patient_id=patient
    )
    return body


@router.put(
    "/patients/{patient_id}/reminder-consent/",
    openapi_extra=openapi_body(service.CONSENT_SERIALIZER),
)
def replace_consent(
    patient_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.update_consent(
        session, state.settings, principal, parse_path_id(patient_id), body, partial=False
    )


@router.patch(
    "/patients/{patient_id}/reminder-consent/",
    openapi_extra=openapi_body(service.CONSENT_SERIALIZER, partial=True),
)
def update_consent(
    patient_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.update_consent(
        session, state.settings, principal, parse_path_id(patient_id), body, partial=True
    )


# ------------------------------------------------------------------ reminder status


def _page(request: Request, session: Any, state: AppState, statement: Any) -> dict[str, Any]:
    settings = state.settings
    return paginate(
        request,
        session,
        statement.order_by(Reminder.due_at, Reminder.id),
        lambda rows: [service.reminder_json(row, settings) for row in rows],
        trust_proxy=settings.trust_proxy_headers,
    )


@router.get("/appointments/{appointment_id}/reminders/")
def appointment_reminders(
    appointment_id: str,
    request: Request,
    principal: Authorized,
    session: SessionDep,
    state: StateDep,
) -> dict[str, Any]:
    appointment = session.get(Appointment, parse_path_id(appointment_id))
    if appointment is None:
        raise not_found()
    appointment_scoping.ensure_readable(principal, appointment)
    page = _page(
        request, session, state, select(Reminder).where(Reminder.appointment_id == appointment.id)
    )
    state.audit.record_read(
        state.session_factory,
        principal,
        "appointment_reminders_read",
        patient_id=appointment.patient_id,
        meta={"appointment_id": appointment.id},
    )
    return page


_STATUS = ChoiceField(choices=tuple(s.value for s in ReminderStatus))
_CHANNEL = ChoiceField(choices=service.CHANNEL_VALUES)
_ID = PrimaryKeyField()


def _many(request: Request, name: str, field: ChoiceField, errors: dict[str, Any]) -> list[str]:
    values = [
        part.strip()
        for raw in request.query_params.getlist(name)
        for part in raw.split(",")
        if part.strip()
    ]
    try:
        return [field.run(value) for value in values]
    except FieldError as exc:
        errors[name] = exc.messages
        return []


@router.get("/reminders/")
def list_reminders(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    statement = select(Reminder)
    statuses = _many(request, "status", _STATUS, errors)
    if statuses:
        statement = statement.where(Reminder.status.in_(statuses))
    channels = _many(request, "channel", _CHANNEL, errors)
    if channels:
        statement = statement.where(Reminder.channel.in_(channels))
    for name, column in (
        ("patient_id", Reminder.patient_id),
        ("appointment", Reminder.appointment_id),
    ):
        raw = request.query_params.get(name)
        if raw:
            try:
                statement = statement.where(column == _ID.run(raw))
            except FieldError as exc:
                errors[name] = exc.messages
    for name, before in (("due_from", False), ("due_to", True)):
        raw = request.query_params.get(name)
        if raw:
            try:
                moment = parse_datetime(raw, state.settings.tz)
            except ValueError as exc:
                errors[name] = [str(exc)]
                continue
            statement = statement.where(
                Reminder.due_at < moment if before else Reminder.due_at >= moment
            )
    if errors:
        raise ValidationFailed(errors)
    own = own_rows_of(principal)
    if own is not None:
        statement = statement.where(
            Reminder.appointment_id.in_(select(Appointment.id).where(Appointment.doctor_id == own))
        )
    page = _page(request, session, state, statement)
    state.audit.record_read(state.session_factory, principal, "reminder_list_read")
    return page


@router.post("/reminders/{reminder_id}/retry/")
def retry_reminder(
    reminder_id: str, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return service.retry(session, state.settings, principal, parse_path_id(reminder_id))
