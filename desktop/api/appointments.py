"""Appointments over the API (03 §2–§6), as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
appointments.mark_no_show(api, 42), self)``), never on the UI thread. Views get
:class:`AppointmentRecord` objects with :class:`AppointmentStatus` values and German
messages (``str(error)`` of an :class:`~desktop.api.errors.ApiError`), never URLs or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.api.client import ApiClient
from shared.domain.statuses import AppointmentStatus

LIST_PATH = "/api/appointments/"
VALIDATE_PATH = "/api/appointments/validate/"

translate = QCoreApplication.translate


def _path(appointment_id: int, action: str = "") -> str:
    return f"{LIST_PATH}{appointment_id}/{action + '/' if action else ''}"


def _local(value: str) -> datetime:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _api_datetime(value: datetime) -> str:
    """Practice-local wall clock → API datetime (no offset = practice-local, 00 §6)."""
    return value.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class AppointmentRecord:
    """An appointment's read representation (03 §2), the fields the front desk acts on."""

    id: int
    patient_id: int
    patient_name: str
    doctor: int
    doctor_name: str
    start: datetime
    end: datetime
    status: AppointmentStatus
    is_no_show: bool
    notes: str

    @property
    def cancelled(self) -> bool:
        return self.status is AppointmentStatus.CANCELLED


def _record(row: dict[str, Any]) -> AppointmentRecord:
    return AppointmentRecord(
        id=int(row["id"]),
        patient_id=int(row["patient_id"]),
        patient_name=str(row.get("patient_name") or ""),
        doctor=int(row["doctor"]),
        doctor_name=str(row.get("doctor_name") or ""),
        start=_local(str(row["start_time"])),
        end=_local(str(row["end_time"])),
        status=AppointmentStatus(str(row.get("status") or AppointmentStatus.SCHEDULED)),
        is_no_show=bool(row.get("is_no_show")),
        notes=str(row.get("notes") or ""),
    )


@dataclass(frozen=True)
class AppointmentDraft:
    """What the appointment dialog sends to create, change or check an appointment (03 §4.1)."""

    patient_id: int
    doctor: int
    start: datetime
    end: datetime
    type_id: int | None = None
    resource_ids: tuple[int, ...] = field(default_factory=tuple)
    notes: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "doctor": self.doctor,
            "type": self.type_id,
            "start_time": _api_datetime(self.start),
            "end_time": _api_datetime(self.end),
            "resource_ids": list(self.resource_ids),
            "notes": self.notes,
        }


def of_day(api: ApiClient, day: date) -> list[AppointmentRecord]:
    """Every appointment of a local day (cancelled ones too), in time order (03 §6.1)."""
    return [_record(row) for row in api.get(LIST_PATH, date=day.isoformat())]


def get(api: ApiClient, appointment_id: int) -> AppointmentRecord:
    return _record(api.get(_path(appointment_id)))


def create(api: ApiClient, draft: AppointmentDraft) -> AppointmentRecord:
    return _record(api.post(LIST_PATH, draft.body()))


def update(
    api: ApiClient,
    appointment_id: int,
    draft: AppointmentDraft,
    status: AppointmentStatus | None = None,
) -> AppointmentRecord:
    """Writes the draft, and the status too when one is given (None keeps it)."""
    body = draft.body()
    if status is not None:
        body["status"] = status.value
    return _record(api.patch(_path(appointment_id), body))


def validate(api: ApiClient, draft: AppointmentDraft, appointment_id: int | None = None) -> None:
    """The server's dry run (03 §4.6); raises the refusal it would give the real write."""
    body = draft.body()
    if appointment_id is not None:
        body["id"] = appointment_id
    api.post(VALIDATE_PATH, body)


def set_status(api: ApiClient, appointment_id: int, status: AppointmentStatus) -> AppointmentRecord:
    """Any status may follow any other (03 §1.1); the server re-checks the time only when a
    cancelled appointment becomes active again (03 §4.3)."""
    return _record(api.patch(_path(appointment_id), {"status": status.value}))


def cancellation_note(notes: str, reason: str) -> str:
    """The notes after a cancellation: the appointment has no field of its own for the reason
    (03 §1.1), so it is kept, readable for everyone, as the last line of the notes."""
    line = translate("AppointmentsApi", "Abgesagt: {0}").format(reason.strip())
    return f"{notes.rstrip()}\n{line}" if notes.strip() else line


def cancel(api: ApiClient, appointment_id: int, reason: str) -> AppointmentRecord:
    """Cancels and records the reason in the notes (read first, so nobody's note is lost)."""
    current = get(api, appointment_id)
    body = {
        "status": AppointmentStatus.CANCELLED.value,
        "notes": cancellation_note(current.notes, reason),
    }
    return _record(api.patch(_path(appointment_id), body))


def mark_no_show(api: ApiClient, appointment_id: int) -> AppointmentRecord:
    return _record(api.post(_path(appointment_id, "mark-no-show")))


def delete(api: ApiClient, appointment_id: int) -> None:
    """Refused with 409 while a patient flow points to the appointment (05 D-PF-09)."""
    api.delete(_path(appointment_id))
