"""The JSON of a booked chain and who may see which chains.

A chain is "own" for a doctor when they take at least one of its steps
(``appointment_chains.doctor_ids``); doctors list and read only those, every other role
with access reads all (a foreign chain answers 404 like an unknown one would, so a doctor
cannot probe ids).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from server.appointments.models import Appointment, AppointmentResource
from server.chains.models import AppointmentChain, AppointmentChainStep
from server.core.access import Principal
from server.core.timefmt import format_datetime
from server.operations.models import Operation, OperationDevice
from server.users.models import User
from server.users.scoping import own_rows_of


def visible(principal: Principal) -> ColumnElement[bool]:
    own = own_rows_of(principal)
    if own is None:
        return true()
    return AppointmentChain.doctor_ids.contains([own])


def is_visible(principal: Principal, chain: AppointmentChain) -> bool:
    own = own_rows_of(principal)
    return own is None or own in chain.doctor_ids


def links(session: Session, chain_id: int) -> list[AppointmentChainStep]:
    return list(
        session.scalars(
            select(AppointmentChainStep)
            .where(AppointmentChainStep.chain_id == chain_id)
            .order_by(AppointmentChainStep.position)
        )
    )


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(ids)))}


def steps_json(session: Session, chain: AppointmentChain, tz: ZoneInfo) -> list[dict[str, Any]]:
    rules = {rule["position"]: rule for rule in chain.rules}
    items: list[dict[str, Any]] = []
    doctors: set[int] = set()
    for link in links(session, chain.id):
        rule = rules.get(link.position, {})
        if link.appointment_id is not None:
            appointment = session.get(Appointment, link.appointment_id)
            assert appointment is not None
            resource_ids = sorted(
                session.scalars(
                    select(AppointmentResource.resource_id).where(
                        AppointmentResource.appointment_id == appointment.id
                    )
                )
            )
            rooms = [r for r in resource_ids if r in rule.get("room_ids", ())]
            booking: Appointment | Operation = appointment
            doctor_id = appointment.doctor_id
            room = rooms[0] if rooms else None
            resources = [r for r in resource_ids if r != room]
        else:
            operation = session.get(Operation, link.operation_id)
            assert operation is not None
            booking = operation
            doctor_id = operation.primary_surgeon_id
            room = operation.op_room_id
            resources = sorted(
                session.scalars(
                    select(OperationDevice.resource_id).where(
                        OperationDevice.operation_id == operation.id
                    )
                )
            )
        doctors.add(doctor_id)
        items.append(
            {
                "position": link.position,
                "name": link.name,
                "kind": "appointment" if link.appointment_id is not None else "operation",
                "appointment_id": link.appointment_id,
                "operation_id": link.operation_id,
                "start_time": format_datetime(booking.start_time, tz),
                "end_time": format_datetime(booking.end_time, tz),
                "status": booking.status,
                "doctor": doctor_id,
                "room": room,
                "resource_ids": resources,
            }
        )
    names = _names(session, doctors)
    for item in items:
        item["doctor_name"] = names.get(item["doctor"], "")
    return items


def chain_json(session: Session, chain: AppointmentChain, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": chain.id,
        "template": chain.template_id,
        "name": chain.name,
        "patient_id": chain.patient_id,
        "status": chain.status,
        "step_count": chain.step_count,
        "steps": steps_json(session, chain, tz),
        "created_at": format_datetime(chain.created_at, tz),
        "updated_at": format_datetime(chain.updated_at, tz),
    }
