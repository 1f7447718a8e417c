"""Booked time and conflict detection (spec 03 §5, 04 §3.2).

The server loads, in a bounded number of queries, everything that can block inside the
date range it is interested in and hands it over once as a :class:`SchedulingData`:

* active and inactive hours rows (inactive ones are ignored here),
* absences and breaks touching the range,
* appointments and operations overlapping the range — cancelled ones may be included;
  they never block (03 §5.3).

:meth:`SchedulingData.busy_for` turns these into :class:`Busy` items tagged with a
:class:`ConflictKind` and their source row; :func:`find_conflicts` answers "which of
them does this candidate interval hit", ordered like the checks of 03 §4.2
(absence 2j → break 2k → doctor's appointments 2l → resources 2m → patient's
appointments 2n → operations with the doctor 2o → operations of the patient 2o), and
within one kind by source id ascending (03 §4.4: "operation id ascending").

Decision: one :class:`Busy` is produced per (source row, blocked resource), so a
resource conflict names every resource that clashes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import tzinfo
from enum import StrEnum
from functools import cached_property
from typing import Any

from shared.domain.statuses import AppointmentStatus, OperationStatus
from shared.scheduling.hours import Absence, Break, DoctorHours, PracticeHours
from shared.scheduling.intervals import Interval, IntervalSet

__all__ = [
    "BookedAppointment",
    "BookedOperation",
    "Busy",
    "ConflictKind",
    "SchedulingData",
    "SourceModel",
    "busy_set",
    "find_conflicts",
]


@dataclass(frozen=True)
class BookedAppointment:
    """An existing appointment as far as scheduling cares (03 §1.1)."""

    id: int
    doctor_id: int
    patient_id: int
    interval: Interval
    status: AppointmentStatus = AppointmentStatus.SCHEDULED
    resource_ids: frozenset[int] = frozenset()

    @property
    def blocks(self) -> bool:
        return AppointmentStatus(self.status).blocks


@dataclass(frozen=True)
class BookedOperation:
    """An existing operation: its whole prep+op+post block ``interval`` (04 §2.4)."""

    id: int
    patient_id: int
    primary_surgeon_id: int
    interval: Interval
    assistant_id: int | None = None
    anesthesist_id: int | None = None
    room_id: int | None = None
    device_ids: frozenset[int] = frozenset()
    status: OperationStatus = OperationStatus.PLANNED

    @property
    def blocks(self) -> bool:
        return OperationStatus(self.status).blocks

    @property
    def team(self) -> frozenset[int]:
        members = (self.primary_surgeon_id, self.assistant_id, self.anesthesist_id)
        return frozenset(member for member in members if member is not None)

    @property
    def resource_ids(self) -> frozenset[int]:
        room = frozenset() if self.room_id is None else frozenset({self.room_id})
        return room | self.device_ids


class ConflictKind(StrEnum):
    """What a busy item blocks. Declaration order = the check order of 03 §4.2."""

    ABSENCE = "absence"
    BREAK = "break"
    DOCTOR_APPOINTMENT = "doctor_appointment"
    RESOURCE = "resource"
    PATIENT_APPOINTMENT = "patient_appointment"
    DOCTOR_OPERATION = "doctor_operation"
    PATIENT_OPERATION = "patient_operation"

    @property
    def rank(self) -> int:
        return _KIND_RANK[self]


_KIND_RANK = {kind: rank for rank, kind in enumerate(ConflictKind)}


class SourceModel(StrEnum):
    """The kind of row a busy item comes from (``model`` in 03 §4.4 conflict objects)."""

    ABSENCE = "DoctorAbsence"
    BREAK = "DoctorBreak"
    APPOINTMENT = "Appointment"
    OPERATION = "Operation"


@dataclass(frozen=True)
class Busy:
    """One interval of blocked time with the reason and the row that blocks it."""

    interval: Interval
    kind: ConflictKind
    model: SourceModel
    source_id: int
    resource_id: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.kind.rank, self.source_id, self.resource_id or 0)


def find_conflicts(candidate: Interval, busy: Iterable[Busy]) -> list[Busy]:
    """Busy items overlapping ``candidate`` (half-open), in the order of 03 §4.2."""
    return sorted(
        (item for item in busy if item.interval.overlaps(candidate)), key=lambda b: b.sort_key
    )


@dataclass(frozen=True)
class SchedulingData:
    """Everything the engine needs for one request, loaded by the caller up front.

    ``tz`` is the practice time zone. Rows may be unfiltered (inactive hours, inactive
    absences/breaks and cancelled bookings are ignored); indices are built lazily once per
    instance, so repeated questions (many doctors, many days) stay ``O(n log n)``.
    """

    tz: tzinfo
    practice_hours: tuple[PracticeHours, ...] = ()
    doctor_hours: tuple[DoctorHours, ...] = ()
    absences: tuple[Absence, ...] = ()
    breaks: tuple[Break, ...] = ()
    appointments: tuple[BookedAppointment, ...] = ()
    operations: tuple[BookedOperation, ...] = ()

    # -- indices -------------------------------------------------------------------------

    @cached_property
    def _hours_by_doctor(self) -> dict[int, tuple[DoctorHours, ...]]:
        grouped: defaultdict[int, list[DoctorHours]] = defaultdict(list)
        for row in self.doctor_hours:
            if row.active:
                grouped[row.doctor_id].append(row)
        return {doctor: tuple(rows) for doctor, rows in grouped.items()}

    @cached_property
    def _absences_by_doctor(self) -> dict[int, tuple[Absence, ...]]:
        grouped: defaultdict[int, list[Absence]] = defaultdict(list)
        for absence in self.absences:
            if absence.active:
                grouped[absence.doctor_id].append(absence)
        return {doctor: tuple(rows) for doctor, rows in grouped.items()}

    @cached_property
    def _appointments_by(self) -> dict[tuple[str, int], list[BookedAppointment]]:
        index: defaultdict[tuple[str, int], list[BookedAppointment]] = defaultdict(list)
        for appointment in self.appointments:
            if not appointment.blocks:
                continue
            index["doctor", appointment.doctor_id].append(appointment)
            index["patient", appointment.patient_id].append(appointment)
            for resource_id in appointment.resource_ids:
                index["resource", resource_id].append(appointment)
        return dict(index)

    @cached_property
    def _operations_by(self) -> dict[tuple[str, int], list[BookedOperation]]:
        index: defaultdict[tuple[str, int], list[BookedOperation]] = defaultdict(list)
        for operation in self.operations:
            if not operation.blocks:
                continue
            for member in operation.team:
                index["member", member].append(operation)
            index["patient", operation.patient_id].append(operation)
            for resource_id in operation.resource_ids:
                index["resource", resource_id].append(operation)
        return dict(index)

    @cached_property
    def derived(self) -> dict[Hashable, Any]:
        """Answers derived from this data alone (a doctor's busy set, a day's plan), kept with
        it: a server keeps one ``SchedulingData`` for many requests (issue 23). The data is
        immutable, so an entry never goes stale; two threads computing one at once only
        duplicate work."""
        return {}

    # -- lookups -------------------------------------------------------------------------

    def hours_of(self, doctor_id: int) -> tuple[DoctorHours, ...]:
        """The doctor's active weekly windows."""
        return self._hours_by_doctor.get(doctor_id, ())

    def absences_of(self, doctor_id: int) -> tuple[Absence, ...]:
        return self._absences_by_doctor.get(doctor_id, ())

    def busy_for(
        self,
        doctor_id: int | None = None,
        *,
        patient_id: int | None = None,
        resource_ids: Iterable[int] = (),
        exclude_appointment_id: int | None = None,
        exclude_operation_id: int | None = None,
        include_absences: bool = True,
        include_breaks: bool = True,
    ) -> list[Busy]:
        """Everything that blocks a booking of ``doctor_id`` / ``patient_id`` / resources.

        * doctor: own absences (2j), practice-wide and own breaks (2k), own appointments
          (2l), operations with the doctor in the team (2o);
        * resources: appointments that booked any of them and operations using one as
          room or device (2m; a resource is either a room or a device, so "room ∈ R" and
          "device ∈ R" need no type information);
        * patient: the patient's appointments (2n) and operations (2o).

        Cancelled rows and the excluded appointment/operation (self-exclusion on update,
        03 §4.3) never block.
        """
        busy: list[Busy] = []
        tz = self.tz

        def keep_appointment(item: BookedAppointment) -> bool:
            return item.id != exclude_appointment_id

        def keep_operation(item: BookedOperation) -> bool:
            return item.id != exclude_operation_id

        if doctor_id is not None:
            if include_absences:
                busy.extend(
                    Busy(a.interval(tz), ConflictKind.ABSENCE, SourceModel.ABSENCE, a.id)
                    for a in self.absences_of(doctor_id)
                )
            if include_breaks:
                for brk in self.breaks:
                    interval = brk.interval(tz) if brk.applies_to(doctor_id) else None
                    if interval is not None:
                        busy.append(Busy(interval, ConflictKind.BREAK, SourceModel.BREAK, brk.id))
            busy.extend(
                Busy(a.interval, ConflictKind.DOCTOR_APPOINTMENT, SourceModel.APPOINTMENT, a.id)
                for a in self._appointments_by.get(("doctor", doctor_id), ())
                if keep_appointment(a)
            )
            busy.extend(
                Busy(o.interval, ConflictKind.DOCTOR_OPERATION, SourceModel.OPERATION, o.id)
                for o in self._operations_by.get(("member", doctor_id), ())
                if keep_operation(o)
            )
        for resource_id in sorted(set(resource_ids)):
            busy.extend(
                Busy(a.interval, ConflictKind.RESOURCE, SourceModel.APPOINTMENT, a.id, resource_id)
                for a in self._appointments_by.get(("resource", resource_id), ())
                if keep_appointment(a)
            )
            busy.extend(
                Busy(o.interval, ConflictKind.RESOURCE, SourceModel.OPERATION, o.id, resource_id)
                for o in self._operations_by.get(("resource", resource_id), ())
                if keep_operation(o)
            )
        if patient_id is not None:
            busy.extend(
                Busy(a.interval, ConflictKind.PATIENT_APPOINTMENT, SourceModel.APPOINTMENT, a.id)
                for a in self._appointments_by.get(("patient", patient_id), ())
                if keep_appointment(a)
            )
            busy.extend(
                Busy(o.interval, ConflictKind.PATIENT_OPERATION, SourceModel.OPERATION, o.id)
                for o in self._operations_by.get(("patient", patient_id), ())
                if keep_operation(o)
            )
        return busy


def busy_set(busy: Iterable[Busy], *kinds: ConflictKind) -> IntervalSet:
    """The instants covered by the ``busy`` items of the given kinds (all kinds if none)."""
    wanted = set(kinds) if kinds else set(ConflictKind)
    return IntervalSet.of(item.interval for item in busy if item.kind in wanted)
