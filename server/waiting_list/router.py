"""HTTP layer of ``server.waiting_list`` (docs/waiting-list.md): thin; rules live in
``entries``, ``booking``, ``matching`` and ``matcher``.

The router's lifespan runs the matcher thread of the app (``matcher.running``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import BigInteger, func, literal, select
from sqlalchemy.orm import Session

from server.bookings.routes import booking_request, id_or_404
from server.core import clock
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    NOBODY,
    Authorized,
    Principal,
    register_policy,
    roles,
)
from server.core.body import Body, openapi_body
from server.core.errors import ValidationFailed, not_found
from server.core.fields import INVALID_INT, parse_int
from server.core.pagination import paginate
from server.core.state import AppState, SessionDep, StateDep
from server.waiting_list import booking, entries, expiry, matcher, matching, render, scoping
from server.waiting_list.models import FreedSlot, WaitingListEntry
from shared.domain.waiting_list import EntryStatus, Priority

router = APIRouter(prefix="/api", tags=["waiting-list"], lifespan=matcher.running)

STAFF = roles(ADMIN, ASSISTANT)
ENTRY_READERS = roles(ADMIN, ASSISTANT, DOCTOR)
COUNT_READERS = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
ENTRIES_PATH = "/api/waiting-list/entries/"
ENTRY_PATH = "/api/waiting-list/entries/{entry_id:id}/"
BOOK_PATH = "/api/waiting-list/entries/{entry_id:id}/book/"
SLOTS_PATH = "/api/waiting-list/freed-slots/"
SLOT_PATH = "/api/waiting-list/freed-slots/{slot_id:id}/"
COUNTS_PATH = "/api/waiting-list/counts/"
register_policy(ENTRIES_PATH, read=ENTRY_READERS, write=STAFF)
register_policy(ENTRY_PATH, read=ENTRY_READERS, write=STAFF)
register_policy(BOOK_PATH, read=STAFF, write=STAFF)
register_policy(SLOTS_PATH, read=STAFF, write=NOBODY)
register_policy(SLOT_PATH, read=STAFF, write=NOBODY)
register_policy(COUNTS_PATH, read=COUNT_READERS, write=NOBODY)

MAX_OPEN_SLOTS = 50
DEFAULT_STATUSES = ("waiting", "offered")
BAD_STATUS = "„{value}“ ist kein gültiger Status."
BAD_PRIORITY = "„{value}“ ist keine gültige Priorität."


def _write(state: AppState, principal: Principal) -> entries.Write:
    settings = state.settings
    return entries.Write(state.session_factory, principal, settings.tz, clock.now(settings))


def _expire(state: AppState) -> None:
    settings = state.settings
    expiry.expire_due(state.session_factory, clock.now(settings), settings.tz)


def _statuses(raw: str | None) -> list[str]:
    if raw is None or raw.strip() == "":
        return list(DEFAULT_STATUSES)
    if raw.strip() == "all":
        return [status.value for status in EntryStatus]
    values = [part.strip() for part in raw.split(",") if part.strip()]
    for value in values:
        if value not in {status.value for status in EntryStatus}:
            raise ValidationFailed({"status": [BAD_STATUS.format(value=value[:50])]})
    return values


def _int_param(request: Request, name: str, errors: dict[str, Any]) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return parse_int(raw)
    except ValueError:
        errors[name] = [INVALID_INT]
        return None


@router.get("/waiting-list/entries/")
def list_entries(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    statuses = _statuses(request.query_params.get("status"))
    priority = request.query_params.get("priority")
    if priority is not None and priority not in {p.value for p in Priority}:
        errors["priority"] = [BAD_PRIORITY.format(value=priority[:50])]
    ids = {name: _int_param(request, name, errors) for name in ("doctor", "type", "patient_id")}
    if errors:
        raise ValidationFailed(errors)
    _expire(state)
    query = (
        select(WaitingListEntry)
        .where(WaitingListEntry.status.in_(statuses), scoping.visible_condition(principal))
        .order_by(
            (WaitingListEntry.priority != Priority.URGENT.value),
            WaitingListEntry.created_at,
            WaitingListEntry.id,
        )
    )
    if priority is not None:
        query = query.where(WaitingListEntry.priority == priority)
    if ids["doctor"] is not None:
        query = query.where(
            (func.cardinality(WaitingListEntry.doctor_ids) == 0)
            | (literal(ids["doctor"], BigInteger) == func.any(WaitingListEntry.doctor_ids))
        )
    if ids["type"] is not None:
        query = query.where(WaitingListEntry.type_id == ids["type"])
    if ids["patient_id"] is not None:
        query = query.where(WaitingListEntry.patient_id == ids["patient_id"])
    tz = state.settings.tz
    body = paginate(
        request,
        session,
        query,
        lambda rows: render.entries_json(session, rows, tz),
        trust_proxy=state.settings.trust_proxy_headers,
    )
    state.audit.record_read(state.session_factory, principal, "waiting_list_entry_list")
    return body


@router.post(
    "/waiting-list/entries/",
    status_code=201,
    openapi_extra=openapi_body(entries.CREATE),
)
def create_entry(body: Body, principal: Authorized, state: StateDep) -> dict[str, Any]:
    raw = body.json()
    return entries.create(_write(state, principal), raw)


@router.get("/waiting-list/entries/{entry_id:id}/")
def get_entry(
    entry_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    entry_id = id_or_404(entry_id)
    _expire(state)
    row = entries.read_one(session, principal, entry_id)
    body = render.entry_json(session, row, state.settings.tz)
    state.audit.record_read(
        state.session_factory,
        principal,
        "waiting_list_entry_view",
        patient_id=row.patient_id,
        meta={"entry_id": row.id},
    )
    return body


@router.patch(
    "/waiting-list/entries/{entry_id:id}/",
    openapi_extra=openapi_body(entries.UPDATE, partial=True),
)
def update_entry(
    entry_id: int, body: Body, principal: Authorized, state: StateDep
) -> dict[str, Any]:
    return entries.update(_write(state, principal), id_or_404(entry_id), body)


@router.delete("/waiting-list/entries/{entry_id:id}/", status_code=204)
def delete_entry(entry_id: int, principal: Authorized, state: StateDep) -> Response:
    entries.delete(_write(state, principal), id_or_404(entry_id))
    return Response(status_code=204)


@router.post("/waiting-list/entries/{entry_id:id}/book/", status_code=201)
def book_entry(entry_id: int, body: Body, principal: Authorized, state: StateDep) -> dict[str, Any]:
    return booking.book(booking_request(state, principal), id_or_404(entry_id), body)


def _slot_body(
    session: Session, slot: FreedSlot, state: AppState, candidates: list[dict[str, Any]]
) -> dict[str, Any]:
    names = render.user_names(session, [slot.doctor_id])
    return render.slot_json(slot, names, state.settings.tz, candidates)


def _candidates(session: Session, slot: FreedSlot, state: AppState) -> list[dict[str, Any]]:
    settings = state.settings
    return matching.current_candidates(session, slot, now=clock.now(settings), tz=settings.tz)


@router.get("/waiting-list/freed-slots/")
def list_freed_slots(
    principal: Authorized, session: SessionDep, state: StateDep
) -> list[dict[str, Any]]:
    _expire(state)
    now = clock.now(state.settings)
    slots = session.scalars(
        select(FreedSlot)
        .where(FreedSlot.candidate_count > 0, FreedSlot.period_end > now)
        .order_by(FreedSlot.id.desc())
        .limit(MAX_OPEN_SLOTS)
    ).all()
    result = []
    for slot in slots:
        candidates = _candidates(session, slot, state)
        if candidates:
            result.append(_slot_body(session, slot, state, candidates))
    state.audit.record_read(
        state.session_factory,
        principal,
        "waiting_list_slot_list",
        meta={"slot_ids": [slot["id"] for slot in result]},
    )
    return result


@router.get("/waiting-list/freed-slots/{slot_id:id}/")
def get_freed_slot(
    slot_id: int, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    slot = session.get(FreedSlot, id_or_404(slot_id))
    if slot is None:
        raise not_found()
    _expire(state)
    candidates = _candidates(session, slot, state)
    body = _slot_body(session, slot, state, candidates)
    state.audit.record_read(
        state.session_factory,
        principal,
        "waiting_list_slot_view",
        meta={"slot_id": slot.id, "entry_ids": [c["entry"]["id"] for c in candidates]},
    )
    return body


@router.get("/waiting-list/counts/")
def counts(principal: Authorized, session: SessionDep, state: StateDep) -> dict[str, int]:
    _expire(state)
    now = clock.now(state.settings)
    own = scoping.own_doctor(principal)
    visible = scoping.visible_condition(principal)
    by_status = dict(
        session.execute(
            select(WaitingListEntry.status, func.count())
            .where(visible, WaitingListEntry.status.in_(DEFAULT_STATUSES))
            .group_by(WaitingListEntry.status)
        ).all()
    )
    urgent = session.scalar(
        select(func.count()).where(
            visible,
            WaitingListEntry.status.in_(DEFAULT_STATUSES),
            WaitingListEntry.priority == Priority.URGENT.value,
        )
    )
    slots = select(func.count()).where(FreedSlot.candidate_count > 0, FreedSlot.period_end > now)
    if own is not None:
        slots = slots.where(FreedSlot.doctor_id == own)
    return {
        "waiting": int(by_status.get("waiting", 0)),
        "offered": int(by_status.get("offered", 0)),
        "urgent": int(urgent or 0),
        "open_slots": int(session.scalar(slots) or 0),
    }
