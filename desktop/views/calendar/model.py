"""Plain data the calendar draws, parsed from the API's JSON.

All times are practice-local wall-clock times (naive): the server writes datetimes in the
practice time zone and reads offset-less datetimes as practice-local (00 §6), so the desktop
never converts zones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication

from shared.domain.statuses import AppointmentStatus, PatientFlowStatus


def local(value: str) -> datetime:
    """API datetime → practice-local wall clock (drops the offset, keeps the clock time)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def api_datetime(value: datetime) -> str:
    """Practice-local wall clock → API datetime (no offset = practice-local)."""
    return value.replace(microsecond=0).isoformat()


def _time(value: str) -> time:
    return time.fromisoformat(value)


@dataclass(frozen=True)
class Doctor:
    id: int
    name: str
    color: str | None


@dataclass(frozen=True)
class AppointmentType:
    id: int
    name: str
    color: str | None
    duration_minutes: int | None


@dataclass(frozen=True)
class Resource:
    id: int
    name: str
    type: str
    color: str | None


class BlockStatus(StrEnum):
    """What a calendar block tells the desk about an appointment, in one word.

    Derived from the appointment's own status, its no-show mark and the status of its patient
    flow (spec 03 §1.1, 05 §3): the server keeps them independent, the desk wants one answer.
    """

    SCHEDULED = "scheduled"  # geplant
    CONFIRMED = "confirmed"  # bestätigt
    ARRIVED = "arrived"  # da: registered, waiting or preparing
    IN_TREATMENT = "in_treatment"  # in treatment or post-processing
    DONE = "done"  # flow done, or the appointment completed
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


_FLOW_BLOCK_STATUS = {
    PatientFlowStatus.REGISTERED: BlockStatus.ARRIVED,
    PatientFlowStatus.WAITING: BlockStatus.ARRIVED,
    PatientFlowStatus.PREPARING: BlockStatus.ARRIVED,
    PatientFlowStatus.IN_TREATMENT: BlockStatus.IN_TREATMENT,
    PatientFlowStatus.POST_TREATMENT: BlockStatus.IN_TREATMENT,
    PatientFlowStatus.DONE: BlockStatus.DONE,
}


def block_status(
    status: AppointmentStatus, is_no_show: bool, flow: PatientFlowStatus | None
) -> BlockStatus:
    # Cancelled and no-show outrank a flow: a flow may outlive a later cancellation, and
    # "nicht erschienen" is what the desk marked on purpose.
    if status is AppointmentStatus.CANCELLED:
        return BlockStatus.CANCELLED
    if is_no_show:
        return BlockStatus.NO_SHOW
    if flow is not None:
        return _FLOW_BLOCK_STATUS[flow]
    if status is AppointmentStatus.COMPLETED:
        return BlockStatus.DONE
    if status is AppointmentStatus.CONFIRMED:
        return BlockStatus.CONFIRMED
    return BlockStatus.SCHEDULED


@dataclass(frozen=True)
class ChainPlace:
    """Where an appointment stands in a chain: ``chain`` of AppointmentRead."""

    id: int
    step: int
    step_count: int
    name: str
    step_name: str = ""

    @classmethod
    def from_json(cls, value: Any) -> ChainPlace | None:
        """None when absent (older servers) or null (no chain step)."""
        if not isinstance(value, dict):
            return None
        return cls(
            int(value["id"]),
            int(value["step"]),
            int(value["step_count"]),
            str(value.get("name") or ""),
            str(value.get("step_name") or ""),
        )


@dataclass
class Appointment:
    id: int
    patient_id: int
    patient_name: str
    doctor: int
    doctor_name: str
    start: datetime
    end: datetime
    status: AppointmentStatus
    is_no_show: bool
    type_id: int | None
    type_name: str
    type_color: str | None
    doctor_color: str | None
    resource_ids: list[int]
    room_name: str | None
    notes: str
    #: status of the patient flow of this visit (``patient_flows`` of the calendar response)
    flow_status: PatientFlowStatus | None = None
    #: its place in a series (issue 17): ``(series id, index, count)``, None for a single one
    series: tuple[int, int, int] | None = None
    #: its step in a chain (Terminkette, issue 17), None for one outside any chain
    chain: ChainPlace | None = None

    @property
    def series_place(self) -> str:
        """ "3/6" for the third of six appointments of a series, else empty."""
        return f"{self.series[1]}/{self.series[2]}" if self.series else ""

    @property
    def chain_place(self) -> str:
        """ "2/4" for the second of four steps of a chain, else empty."""
        return f"{self.chain.step}/{self.chain.step_count}" if self.chain else ""

    @property
    def cancelled(self) -> bool:
        return self.status is AppointmentStatus.CANCELLED

    @property
    def block_status(self) -> BlockStatus:
        return block_status(self.status, self.is_no_show, self.flow_status)

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Appointment:
        kind = body.get("type") or {}
        return cls(
            id=int(body["id"]),
            patient_id=int(body["patient_id"]),
            patient_name=str(
                body.get("patient_name")
                or QCoreApplication.translate("Calendar", "Patient #{0}").format(body["patient_id"])
            ),
            doctor=int(body["doctor"]),
            doctor_name=str(body.get("doctor_name") or ""),
            start=local(body["start_time"]),
            end=local(body["end_time"]),
            status=AppointmentStatus(body.get("status") or AppointmentStatus.SCHEDULED),
            is_no_show=bool(body.get("is_no_show")),
            type_id=kind.get("id"),
            type_name=str(kind.get("name") or ""),
            type_color=body.get("appointment_color") or kind.get("color"),
            doctor_color=body.get("doctor_color"),
            resource_ids=[int(r["id"]) for r in body.get("resources") or []],
            room_name=body.get("room_name"),
            notes=str(body.get("notes") or ""),
            series=_series_place(body.get("series")),
            chain=ChainPlace.from_json(body.get("chain")),
        )


def _series_place(value: Any) -> tuple[int, int, int] | None:
    """``series`` of AppointmentRead (absent on older servers, null for single ones)."""
    if not isinstance(value, dict):
        return None
    return int(value["id"]), int(value["index"]), int(value["count"])


def attach_flow_statuses(
    appointments: Iterable[Appointment], flows: Iterable[dict[str, Any]] | None
) -> None:
    """Set ``flow_status`` from the calendar response's ``patient_flows`` (absent on servers
    older than that key: the blocks then show the appointment's own status)."""
    by_appointment = {int(f["appointment_id"]): PatientFlowStatus(f["status"]) for f in flows or []}
    for appointment in appointments:
        appointment.flow_status = by_appointment.get(appointment.id)


@dataclass(frozen=True)
class Hours:
    """A weekly window; ``doctor`` is None for practice hours."""

    weekday: int
    start: time
    end: time
    doctor: int | None = None

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Hours:
        return cls(
            int(body["weekday"]),
            _time(body["start_time"]),
            _time(body["end_time"]),
            body.get("doctor"),
        )


@dataclass(frozen=True)
class Break:
    day: date
    start: time
    end: time
    doctor: int | None
    reason: str

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Break:
        return cls(
            date.fromisoformat(body["date"]),
            _time(body["start_time"]),
            _time(body["end_time"]),
            body.get("doctor"),
            str(body.get("reason") or ""),
        )


@dataclass(frozen=True)
class Absence:
    doctor: int
    first: date
    last: date
    reason: str

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Absence:
        return cls(
            int(body["doctor"]),
            date.fromisoformat(body["start_date"]),
            date.fromisoformat(body["end_date"]),
            str(body.get("reason") or ""),
        )


@dataclass
class CalendarData:
    """Everything one calendar range needs, loaded in one background operation."""

    first: date
    last: date
    doctors: list[Doctor]
    appointments: list[Appointment]
    practice_hours: list[Hours] = field(default_factory=list)
    doctor_hours: list[Hours] = field(default_factory=list)
    breaks: list[Break] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    types: list[AppointmentType] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    #: appointment id → booked resource ids (``resource_bookings`` of the calendar response)
    bookings: dict[int, list[int]] = field(default_factory=dict)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def doctor(self, doctor_id: int) -> Doctor | None:
        return next((d for d in self.doctors if d.id == doctor_id), None)

    def open_windows(self, doctor_id: int, day: date) -> list[tuple[time, time]]:
        """Where practice hours and the doctor's hours overlap on ``day`` (unshaded area)."""
        weekday = day.weekday()
        practice = [h for h in self.practice_hours if h.weekday == weekday]
        own = [h for h in self.doctor_hours if h.weekday == weekday and h.doctor == doctor_id]
        windows = []
        for p in practice:
            for h in own:
                start, end = max(p.start, h.start), min(p.end, h.end)
                if start < end:
                    windows.append((start, end))
        return sorted(windows)

    def practice_windows(self, day: date) -> list[tuple[time, time]]:
        """Practice hours on ``day`` (the open area of a room or device column)."""
        weekday = day.weekday()
        return sorted((h.start, h.end) for h in self.practice_hours if h.weekday == weekday)

    def booked_resources(self, appointment: Appointment) -> list[int]:
        return self.bookings.get(appointment.id, appointment.resource_ids)

    def absence(self, doctor_id: int, day: date) -> Absence | None:
        return next((a for a in self.absences if a.doctor == doctor_id and a.covers(day)), None)

    def breaks_for(self, doctor_id: int, day: date) -> list[Break]:
        return [b for b in self.breaks if b.day == day and b.doctor in (None, doctor_id)]

    def hour_span(self) -> tuple[int, int]:
        """First and last full hour to show (practice hours, widened by appointments)."""
        starts = [h.start.hour for h in self.practice_hours]
        ends = [h.end.hour + (1 if h.end.minute else 0) for h in self.practice_hours]
        for item in self.appointments:
            starts.append(item.start.hour)
            ends.append(item.end.hour + (1 if item.end.minute or item.end.second else 0))
        first = max(0, min(starts, default=7) - 0)
        last = min(24, max(ends, default=19))
        if last - first < 8:
            last = min(24, first + 8)
        return first, last
