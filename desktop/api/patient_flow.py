"""Patient flows over the API (05), as typed objects: check-in and moves along the chain.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
patient_flow.check_in(api, 42), self)``), never on the UI thread. Views get :class:`Flow`
objects with :class:`PatientFlowStatus` values and German messages, never URLs or JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.i18n import QT_TRANSLATE_NOOP
from shared.domain.statuses import PatientFlowStatus

LIST_PATH = "/api/patient-flow/"
LIVE_PATH = "/api/patient-flow/live/"

translate = QCoreApplication.translate

#: The German name of each status (05 §3), shown through ``translate("PatientFlow", …)``.
STATUS_LABELS: dict[PatientFlowStatus, str] = {
    PatientFlowStatus.REGISTERED: QT_TRANSLATE_NOOP("PatientFlow", "Angemeldet"),
    PatientFlowStatus.WAITING: QT_TRANSLATE_NOOP("PatientFlow", "Im Wartezimmer"),
    PatientFlowStatus.PREPARING: QT_TRANSLATE_NOOP("PatientFlow", "In Vorbereitung"),
    PatientFlowStatus.IN_TREATMENT: QT_TRANSLATE_NOOP("PatientFlow", "In Behandlung"),
    PatientFlowStatus.POST_TREATMENT: QT_TRANSLATE_NOOP("PatientFlow", "Nachbereitung"),
    PatientFlowStatus.DONE: QT_TRANSLATE_NOOP("PatientFlow", "Abgeschlossen"),
}


def status_label(status: PatientFlowStatus) -> str:
    return translate("PatientFlow", STATUS_LABELS[status])


def _local(value: str) -> datetime:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


@dataclass(frozen=True)
class Flow:
    """One patient's visit (05 §5), with what a board card shows of its appointment or OP."""

    id: int
    status: PatientFlowStatus
    patient: str
    start: datetime | None
    doctor: str
    room: str
    kind: str
    changed_at: datetime
    is_operation: bool
    appointment_id: int | None = None
    arrival: datetime | None = None
    #: The number the patient is called by (issue 20), e.g. "A-017"; "" before numbers existed.
    call_number: str = ""
    #: The room of the last "Aufrufen", "" if not called yet.
    called_room: str = ""
    #: Minutes since arrival until treatment began (or until the server's now), 05 §4.
    wait_minutes: int | None = None

    @property
    def next_status(self) -> PatientFlowStatus | None:
        return self.status.next


def _flow(body: dict[str, Any]) -> Flow:
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
        start = _local(operation["start_time"]) if operation.get("start_time") else None
    elif appointment:
        patient = str(appointment.get("patient_name") or "")
        doctor = str(appointment.get("doctor_name") or "")
        room = str(appointment.get("room_name") or "")
        kind = str((appointment.get("type") or {}).get("name", ""))
        start = _local(appointment["start_time"]) if appointment.get("start_time") else None
    arrival = body.get("arrival_time")
    return Flow(
        id=int(body["id"]),
        status=PatientFlowStatus(str(body.get("status") or PatientFlowStatus.REGISTERED)),
        patient=patient or "–",
        start=start,
        doctor=doctor,
        room=room,
        kind=kind,
        changed_at=_local(str(body["status_changed_at"])),
        is_operation=bool(operation),
        appointment_id=int(appointment["id"]) if appointment else None,
        arrival=_local(str(arrival)) if arrival else None,
        call_number=str(body.get("call_number") or ""),
        called_room=str((body.get("last_call") or {}).get("room") or ""),
        wait_minutes=(
            int(body["wait_time_minutes"]) if body.get("wait_time_minutes") is not None else None
        ),
    )


class FlowRefused(ApiError):
    """The server refused a check-in or a move (400); the message says why, in German."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.status, error.body, error.method, error.path)
        self.server_text = _first_text(error.body)

    def __str__(self) -> str:
        return german_message(self.server_text) if self.server_text else super().__str__()


def _first_text(body: Any) -> str:
    if isinstance(body, dict):
        for value in body.values():
            items = value if isinstance(value, list) else [value]
            if items and items[0]:
                return str(items[0])
    return ""


_MESSAGES = {
    "Für diesen Termin bzw. diese Operation existiert bereits ein aktiver Patientenfluss.": (
        QT_TRANSLATE_NOOP("PatientFlow", "Der Patient ist für diesen Termin bereits angemeldet.")
    ),
    "Cannot create a patient flow for a cancelled appointment or operation.": QT_TRANSLATE_NOOP(
        "PatientFlow", "Für einen abgesagten Termin kann niemand angemeldet werden."
    ),
}
_TRANSITION = re.compile(r"^Ungültiger Übergang (\w+) -> (\w+)\.$")


def german_message(server_text: str) -> str:
    """A refusal as the front desk reads it; unknown texts stay verbatim."""
    transition = _TRANSITION.match(server_text)
    if transition:
        old, new = (PatientFlowStatus(value) for value in transition.groups())
        following = old.next
        if following is None:
            return translate("PatientFlow", "Der Besuch ist abgeschlossen.")
        return translate(
            "PatientFlow",
            "„{0}“ → „{1}“ geht nicht: nur der nächste Schritt „{2}“ ist möglich.",
        ).format(status_label(old), status_label(new), status_label(following))
    known = _MESSAGES.get(server_text)
    return translate("PatientFlow", known) if known else server_text


def _refusals(error: ApiError) -> ApiError:
    return FlowRefused(error) if error.status == 400 else error


def live(api: ApiClient) -> list[Flow]:
    """Every unfinished visit, newest activity first (05 §7)."""
    return [_flow(body) for body in api.get(LIVE_PATH)]


def board(api: ApiClient, day: date) -> list[Flow]:
    """What the board shows: every unfinished visit (also from earlier days, as the original
    did) and the visits finished on ``day``, so a patient who leaves stays visible in the last
    column until the day ends.

    Two reads, day first: a visit that finishes between them is still in the day's list (a
    moment old) instead of missing from both; the next change notice reloads it anyway."""
    of_day = [_flow(body) for body in api.get(LIST_PATH, date=day.isoformat())]
    unfinished = live(api)
    shown = {flow.id for flow in unfinished}
    # Of the day's visits, the unfinished list has the newer state; the rest are finished.
    return unfinished + [flow for flow in of_day if flow.id not in shown]


def active_for_appointment(api: ApiClient, appointment_id: int) -> Flow | None:
    """The unfinished visit of this appointment, if the patient has been checked in."""
    return next((flow for flow in live(api) if flow.appointment_id == appointment_id), None)


def check_in(api: ApiClient, appointment_id: int) -> Flow:
    """ "Patient ist da": a new visit in ``registered`` that starts now (05 §7, D-PF-05)."""
    try:
        return _flow(api.post(LIST_PATH, {"appointment_id": appointment_id}))
    except ApiError as exc:
        raise _refusals(exc) from exc


def move(api: ApiClient, flow_id: int, status: PatientFlowStatus) -> Flow:
    """One step along the chain; the server refuses skips and steps back (05 §3)."""
    try:
        return _flow(api.patch(f"{LIST_PATH}{flow_id}/status/", {"status": status.value}))
    except ApiError as exc:
        raise _refusals(exc) from exc
