""" "Aufrufen" (issue 20, docs/call-up-display.md): call a checked-in patient into a room.

A call records number, room and time for the call-up displays; the flow's status does not
change (the chain of 05 §3 stays as it is). The number itself is drawn at check-in
(``numbers``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.core.access import Principal
from server.core.body import RawBody
from server.core.events import publish
from server.core.fields import CharField, Serializer
from server.patient_flow import numbers, read, service
from server.patient_flow.models import FlowCall
from shared.domain.events import LiveEntity

CALL_SERIALIZER = Serializer("PatientFlowCall", {"room": CharField(max_length=100)})


def call(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    flow_id: int,
    body: RawBody,
    now: datetime,
    tz: ZoneInfo,
) -> str:
    """``POST /api/patient-flow/{id}/call/``: call the patient into ``room``.

    Same checks as a status change (role, 404 for unknown and a doctor's foreign flows, 403
    for a finished visit), then the body (400). One transaction: the call, the flow's number
    (drawn now for a flow checked in before numbers existed), the audit row and two live
    notices (``call`` created for the displays, ``patient_flow`` updated for the boards).
    """
    with factory() as session, session.begin():
        links = service.Links(session, lock=False)
        flow = service._load_for_write(session, principal, flow_id, links)
        room = CALL_SERIALIZER.validate(body.json())["room"]
        numbers.assign_number(session, flow, now, tz)
        assert flow.call_number is not None
        entry = FlowCall(
            flow_id=flow.id,
            call_number=flow.call_number,
            room=room,
            called_at=now,
            called_by=principal.id,
        )
        session.add(entry)
        session.flush()
        link = links.of_flow(flow)
        record(
            session,
            principal,
            "patient_flow_call",
            patient_id=link.patient_id if link else None,
            meta={"flow_id": flow.id, "call_number": flow.call_number, "room": room},
        )
        publish(session, LiveEntity.CALL, entry.id, "created")
        publish(session, LiveEntity.PATIENT_FLOW, flow.id, "updated")
        session.flush()
        rendered = read.object_json(session, flow.id, now)
        assert rendered is not None
        return rendered
