"""Patient-flow cards from `/api/patient-flow/live/` (05 §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.views.calendar.model import local

# (status, German label, colour) in chain order (05 §3); the labels are source texts, shown
# through ``PatientFlowPage.tr`` (context "PatientFlowPage").
STATUSES: list[tuple[str, str, str]] = [
    ("registered", QT_TRANSLATE_NOOP("PatientFlowPage", "Angemeldet"), "#6C757D"),
    ("waiting", QT_TRANSLATE_NOOP("PatientFlowPage", "Im Wartezimmer"), "#FFC107"),
    ("preparing", QT_TRANSLATE_NOOP("PatientFlowPage", "In Vorbereitung"), "#17A2B8"),
    ("in_treatment", QT_TRANSLATE_NOOP("PatientFlowPage", "In Behandlung"), "#28A745"),
    ("post_treatment", QT_TRANSLATE_NOOP("PatientFlowPage", "Nachbereitung"), "#0D6EFD"),
    ("done", QT_TRANSLATE_NOOP("PatientFlowPage", "Abgeschlossen"), "#198754"),
]
LABELS = {key: label for key, label, _ in STATUSES}


@dataclass
class FlowCard:
    id: int
    status: str
    patient: str
    start: datetime | None
    doctor: str
    room: str
    kind: str
    changed_at: datetime
    is_operation: bool

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> FlowCard:
        appointment = body.get("appointment") or None
        operation = body.get("operation") or None
        patient = doctor = room = kind = ""
        start: datetime | None = None
        if operation:
            patient = str(operation.get("patient_name") or "")
            surgeon = (operation.get("team") or {}).get("primary_surgeon") or {}
            doctor = str(surgeon.get("name", ""))
            room = str((operation.get("op_room") or {}).get("name", ""))
            kind = str((operation.get("op_type") or {}).get("name", ""))
            start = local(operation["start_time"]) if operation.get("start_time") else None
        elif appointment:
            patient = str(appointment.get("patient_name") or "")
            doctor = str(appointment.get("doctor_name") or "")
            room = str(appointment.get("room_name") or "")
            kind = str((appointment.get("type") or {}).get("name", ""))
            start = local(appointment["start_time"]) if appointment.get("start_time") else None
        return cls(
            id=int(body["id"]),
            status=str(body.get("status", "registered")),
            patient=patient or "–",
            start=start,
            doctor=doctor,
            room=room,
            kind=kind,
            changed_at=local(str(body["status_changed_at"])),
            is_operation=bool(operation),
        )
