"""``praxi-server seed-demo``: fill an empty practice with realistic demo data.

Two sizes:

* ``small`` (default) — a pleasant desktop demo: 3 doctors, 1 assistant, 1 admin, 40
  patients, ~150 appointments and 12 operations in the current and the next week, patient
  flows for the visits that have begun.
* ``large`` — the benchmark data set: 8 doctors, 2 assistants, 1 admin, 1 billing clerk,
  2,000 patients, 20,000 appointments and 1,500 operations over 26 weeks (current Monday −
  13 weeks … + 13 weeks), and 3,400 patient flows for the most recent visits up to now, of
  which at least 150 are unfinished whatever day and hour it runs (``DemoSize.live_flows``:
  the most recent visits stay open, so the live board is benchmarked under real load).

Every demo user shares ONE password, read from ``PRAXI_DEMO_PASSWORD`` (the command refuses
to run without it); it is hashed once and the hash reused. Practice hours are Mon–Fri
08:00–18:00; doctors have varied weekly hours, a few absences and breaks.

Appointments are generated conflict-free in Python: each doctor's free windows of a day
(doctor hours ∩ practice hours, minus breaks, none on absence days) are filled with
consecutive slots, a random subset of the requested size is kept, and patients and resources
are assigned so that no patient or resource is booked twice at the same time. They are then
written in bulk (``COPY``) together with their ``appointment_resources`` rows and exactly the
``occupancies`` rows that ``server.appointments.service.sync_occupancy`` writes (doctor,
patient, each resource; none for cancelled appointments), so the exclusion constraint checks
them like any other booking. Everything runs in one transaction: all or nothing.

Operations are planned first, spread evenly over the working days: each block (prep +
surgery + post) lies inside the free windows of every team member (primary surgeon; an
anesthesist in ``ANESTHESIST_SHARE``, an OP assistant in ``OP_ASSISTANT_SHARE`` of them), in
one of the OP rooms (``OP_ROOMS``, used by operations only) with the type's devices, and never
overlaps another block of the same doctor, patient, room or device. The appointment planner
then treats the blocks as busy time of their doctors and patients. Operations are written with
their ``operation_devices`` and exactly the occupancy rows of
``server.operations.service.sync_occupancy`` (every team member as doctor, the patient, the
room, each device; none when cancelled). Status: ``done`` once over, ``running`` while under
way, else ``planned``/``confirmed``; a few are ``cancelled``.

Patient flows (05): one for each of the ``flows`` most recent visits whose patient had arrived
by now — attended appointments (not cancelled, no no-show) and operations (not cancelled).
Arrival is a few minutes before the start; the status events follow the chain of 05 §3 with
plausible times (in treatment from the start of the appointment / the surgery, post treatment
at its end, done a few minutes later), and only events up to now are written, so today's flows
stand somewhere along the chain and earlier ones are ``done`` (a few, ``STUCK_SHARE``, were never
closed and stay on the live board). Each flow has one initial event plus one per step, exactly
as the API writes them; flow ``status`` / ``status_changed_at`` are those of its last event.

Idempotency: there is no ``--force``. The command refuses (exit code 1, clear message) when
the database already holds appointments, operations, patients or practice hours, or when one
of the demo usernames is taken — demo data is meant for a fresh data directory and is never
mixed into or overwritten over real data.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from time import perf_counter
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Connection, Engine, func, insert, select, text

from server.appointments.models import Appointment
from server.auth.passwords import hash_password
from server.master_data.models import AppointmentType, OperationType, Resource
from server.operations.models import Operation
from server.patients.models import ID_SEQUENCE, Patient
from server.settings import Settings
from server.users.models import Role, User
from server.working_hours.models import DoctorAbsence, DoctorBreak, DoctorHours, PracticeHours
from shared.scheduling.wallclock import local_to_utc

PASSWORD_ENV = "PRAXI_DEMO_PASSWORD"  # noqa: S105 - the name of the variable, no secret
MIN_PASSWORD_LENGTH = 8  # the rule for every user password (01 §6)
Size = Literal["small", "large"]
Window = tuple[int, int]  # minutes after local midnight, [start, end)
WithDatabase = Callable[[Settings, Callable[[Settings], int]], int]


class DemoSeedRefused(RuntimeError):
    """The demo data cannot be written (missing password, database not empty)."""


# --- What a size contains -------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSize:
    doctors: int
    assistants: int
    admins: int
    billing: int
    patients: int
    appointments: int
    operations: int
    flows: int  # patient flows for the most recent attended visits up to "now"
    weeks_before: int  # whole weeks before the current Monday
    weeks_after: int  # whole weeks from the current Monday on (inclusive of this week)
    absences: tuple[tuple[int, int, int, str], ...]  # doctor, first day offset, days, reason
    breaks: tuple[tuple[int | None, int, str, str, str], ...]  # doctor, day, from, to, reason
    # Unfinished flows on the live board at least, whatever day and hour the seed runs: the
    # most recent visits are kept open as needed (a busy live day for the flow-board bench).
    live_flows: int = 0


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(
        doctors=3,
        assistants=1,
        admins=1,
        billing=0,
        patients=40,
        appointments=150,
        operations=12,
        flows=60,
        weeks_before=0,
        weeks_after=2,
        absences=((2, 11, 1, "Fortbildung"),),
        breaks=(
            (None, 7, "08:00", "08:30", "Teambesprechung"),
            (0, 2, "10:00", "11:00", "Hausbesuch"),
        ),
    ),
    "large": DemoSize(
        doctors=8,
        assistants=2,
        admins=1,
        billing=1,
        patients=2000,
        appointments=20_000,
        operations=1500,
        flows=3400,
        live_flows=150,
        weeks_before=13,
        weeks_after=13,
        absences=(
            (1, 3 * 7, 12, "Urlaub"),
            (7, 6 * 7 + 2, 3, "Krankheit"),
            (4, 9 * 7, 5, "Fortbildung"),
            (5, 16 * 7, 12, "Urlaub"),
            (2, 22 * 7, 5, "Urlaub"),
        ),
        breaks=(
            *((None, week * 7, "08:00", "09:00", "Teambesprechung") for week in (0, 6, 12, 18, 24)),
            (0, 2 * 7 + 1, "10:00", "11:30", "Hausbesuch"),
            (3, 14 * 7 + 3, "14:00", "15:30", "Hausbesuch"),
            (6, 15 * 7 + 2, "09:00", "10:00", "Qualitätszirkel"),
        ),
    ),
}

# username, first name, last name, calendar colour
DOCTORS = (
    ("dr.mueller", "Anna", "Müller", "#1E88E5"),
    ("dr.schmidt", "Thomas", "Schmidt", "#43A047"),
    ("dr.schneider", "Julia", "Schneider", "#8E24AA"),
    ("dr.fischer", "Michael", "Fischer", "#F4511E"),
    ("dr.weber", "Katrin", "Weber", "#00897B"),
    ("dr.meyer", "Stefan", "Meyer", "#6D4C41"),
    ("dr.wagner", "Sabine", "Wagner", "#D81B60"),
    ("dr.becker", "Markus", "Becker", "#3949AB"),
)
ASSISTANTS = (("mfa.koch", "Laura", "Koch"), ("mfa.richter", "Sandra", "Richter"))
ADMINS = (("admin.hoffmann", "Peter", "Hoffmann"),)
BILLING = (("abrechnung.klein", "Monika", "Klein"),)
EMAIL_DOMAIN = "praxis-demo.example"

PRACTICE_HOURS: dict[int, tuple[Window, ...]] = dict.fromkeys(range(5), ((8 * 60, 18 * 60),))


def _hm(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _weekly(days: Iterable[int], *windows: tuple[str, str]) -> dict[int, tuple[Window, ...]]:
    return {day: tuple((_hm(a), _hm(b)) for a, b in windows) for day in days}


_FULL = _weekly(range(5), ("08:00", "12:00"), ("13:00", "17:00"))
_LATE = _weekly(range(5), ("09:00", "13:00"), ("14:00", "18:00"))
_WED_AFTERNOON_OFF = {
    **_weekly((0, 1, 3, 4), ("08:00", "12:00"), ("13:00", "17:00")),
    **_weekly((2,), ("08:00", "13:00")),
}
_PART_TIME = {
    **_weekly((0, 1, 2, 3), ("08:00", "12:30"), ("13:30", "16:00")),
    **_weekly((4,), ("08:00", "12:00")),
}
DOCTOR_HOURS = (
    _FULL,
    _LATE,
    _WED_AFTERNOON_OFF,
    _FULL,
    _LATE,
    _PART_TIME,
    _FULL,
    _WED_AFTERNOON_OFF,
)

ROOMS = (
    "Behandlungsraum 1",
    "Behandlungsraum 2",
    "Behandlungsraum 3",
    "Eingriffsraum",
    "Ultraschallraum",
    "Labor",
)
DEVICES = (
    "EKG-Gerät",
    "Sonographiegerät",
    "Spirometer",
    "Langzeit-EKG",
    "Langzeit-Blutdruckmessgerät",
    "Zentrifuge",
)
RESOURCE_COLORS = ("#6A5ACD", "#20B2AA", "#CD853F", "#708090", "#DA70D6", "#4682B4")
# Rooms and devices of the operations only (appointment types never book them).
OP_ROOMS = ("OP-Saal 1", "OP-Saal 2", "OP-Saal 3")
OP_DEVICES = ("Arthroskopieturm",)
OP_RESOURCE_COLORS = ("#B71C1C", "#880E4F", "#4A148C")


@dataclass(frozen=True)
class DemoType:
    name: str
    color: str
    minutes: int
    weight: int
    resources: tuple[str, ...]  # candidates for the one booked resource
    resource_share: float  # how often a resource is booked at all


APPOINTMENT_TYPES = (
    DemoType("Akutsprechstunde", "#E53935", 10, 20, ("Behandlungsraum 1",), 0.1),
    DemoType("Rezept und Überweisung", "#90A4AE", 10, 12, (), 0.0),
    DemoType("Kontrolle", "#43A047", 15, 22, ("Behandlungsraum 2", "Behandlungsraum 3"), 0.15),
    DemoType("Impfung", "#FDD835", 10, 10, ("Behandlungsraum 3",), 0.2),
    DemoType("Blutabnahme", "#C62828", 10, 10, ("Labor", "Zentrifuge"), 0.6),
    DemoType("Beratungsgespräch", "#1E88E5", 20, 8, (), 0.0),
    DemoType("Erstuntersuchung", "#8E24AA", 30, 6, ("Behandlungsraum 1", "Behandlungsraum 2"), 0.5),
    DemoType("Vorsorgeuntersuchung", "#00897B", 45, 4, ("EKG-Gerät", "Spirometer"), 0.7),
    DemoType("Ultraschall", "#3949AB", 30, 5, ("Ultraschallraum", "Sonographiegerät"), 0.9),
    DemoType("Kleiner Eingriff", "#6D4C41", 60, 3, ("Eingriffsraum",), 0.9),
)
# name, prep, op, post minutes, colour
OPERATION_TYPES = (
    ("Karpaltunnel-Operation", 15, 30, 30, "#8A2BE2"),
    ("Leistenhernien-Operation", 20, 60, 45, "#9C27B0"),
    ("Kniearthroskopie", 20, 45, 40, "#5E35B1"),
    ("Varizen-Operation", 20, 60, 60, "#7B1FA2"),
    ("Lipom-Exzision", 10, 20, 20, "#AB47BC"),
)
OPERATION_WEIGHTS = (30, 15, 20, 10, 25)  # parallel to OPERATION_TYPES
OPERATION_DEVICES = {"Kniearthroskopie": ("Arthroskopieturm",)}
ANESTHESIST_SHARE = 0.15
OP_ASSISTANT_SHARE = 0.05
OP_NOTES = ("Allergie: Latex", "Antikoagulation pausiert", "Nüchtern ab 0 Uhr", "Begleitperson")
NOTES = (
    "Nüchtern erscheinen",
    "Befunde mitbringen",
    "Überweisung liegt vor",
    "Rückruf erbeten",
    "Dolmetscher benötigt",
    "Impfpass mitbringen",
)

FEMALE_NAMES = (
    "Anna", "Maria", "Ursula", "Monika", "Petra", "Elisabeth", "Sabine", "Renate", "Helga",
    "Karin", "Brigitte", "Ingrid", "Erika", "Andrea", "Gisela", "Claudia", "Susanne", "Gabriele",
    "Christa", "Julia", "Laura", "Lena", "Lea", "Hannah", "Sophie", "Emma", "Mia", "Katharina",
    "Johanna", "Marie", "Leonie", "Jana", "Sarah", "Nicole", "Stefanie", "Melanie", "Birgit",
)  # fmt: skip
MALE_NAMES = (
    "Peter", "Michael", "Thomas", "Andreas", "Wolfgang", "Klaus", "Jürgen", "Günter", "Stefan",
    "Christian", "Uwe", "Werner", "Horst", "Frank", "Dieter", "Manfred", "Gerhard", "Hans",
    "Bernd", "Markus", "Jan", "Lukas", "Leon", "Felix", "Jonas", "Paul", "Maximilian", "Tim",
    "Niklas", "Ben", "Finn", "Tobias", "Sebastian", "Alexander", "Matthias", "Jörg", "Ralf",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
    "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang",
    "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller",
    "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke",
    "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher",
    "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt",
)  # fmt: skip
PHONE_PREFIXES = ("0221", "030", "089", "040", "069", "0211", "0711", "0351", "0176", "0151")


# --- Result ---------------------------------------------------------------------------------


@dataclass
class SeedSummary:
    size: str
    usernames: list[str]
    patients: int
    appointments: int
    cancelled: int
    operations: int
    flows: int
    live_flows: int
    flow_events: int
    occupancies: int
    resources: int
    appointment_types: int
    operation_types: int
    first_day: date
    last_day: date
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"Seeded demo data ({self.size}) in {self.seconds:.1f} s: "
            f"{len(self.usernames)} users, {self.patients} patients, "
            f"{self.appointments} appointments ({self.cancelled} cancelled) "
            f"{self.first_day.isoformat()}…{self.last_day.isoformat()}, "
            f"{self.operations} operations, {self.flows} patient flows ({self.live_flows} "
            f"unfinished, {self.flow_events} status events), "
            f"{self.occupancies} occupancy rows, {self.resources} resources, "
            f"{self.appointment_types} appointment types, {self.operation_types} operation types."
        )


# --- Appointment planning (pure, no database) -----------------------------------------------


@dataclass(frozen=True)
class PlannedAppointment:
    start: datetime
    end: datetime
    doctor_id: int
    patient_id: int
    type_id: int
    status: str
    is_no_show: bool
    notes: str
    resource_id: int | None


@dataclass
class _Slot:
    day: date
    start: int  # local minutes
    end: int
    doctor_id: int
    type_index: int


@dataclass
class PlanInput:
    """Everything the planner needs, with database ids already assigned."""

    tz: ZoneInfo
    now: datetime
    days: list[date]
    doctor_ids: list[int]
    doctor_hours: dict[int, dict[int, tuple[Window, ...]]]  # doctor → weekday → windows
    absences: dict[int, set[date]]  # doctor → absent days
    breaks: dict[tuple[int | None, date], list[Window]]  # (doctor or None, day) → windows
    type_ids: list[int]  # parallel to APPOINTMENT_TYPES
    resource_ids: dict[str, int]  # name → id
    patient_ids: list[int]
    count: int
    # Already booked (by operations): ("patient" | "resource", id, day) → windows.
    reserved: dict[tuple[str, int, date], list[Window]] = field(default_factory=dict)


def _subtract(windows: list[Window], cut: Window) -> list[Window]:
    result: list[Window] = []
    for start, end in windows:
        if cut[1] <= start or cut[0] >= end:
            result.append((start, end))
            continue
        if start < cut[0]:
            result.append((start, cut[0]))
        if cut[1] < end:
            result.append((cut[1], end))
    return result


def free_windows(plan: PlanInput, doctor_id: int, day: date) -> list[Window]:
    """Doctor hours ∩ practice hours, minus practice-wide and own breaks; none when absent."""
    if day in plan.absences.get(doctor_id, set()):
        return []
    windows: list[Window] = []
    for d_start, d_end in plan.doctor_hours[doctor_id].get(day.weekday(), ()):
        for p_start, p_end in PRACTICE_HOURS.get(day.weekday(), ()):
            start, end = max(d_start, p_start), min(d_end, p_end)
            if start < end:
                windows.append((start, end))
    for key in ((None, day), (doctor_id, day)):
        for cut in plan.breaks.get(key, ()):
            windows = _subtract(windows, cut)
    return windows


def _fill(rng: random.Random, window: Window, weights: Sequence[int]) -> list[tuple[int, int, int]]:
    """Consecutive slots (start, end, type index) filling ``window`` from its start."""
    slots: list[tuple[int, int, int]] = []
    cursor, end = window
    indices = range(len(APPOINTMENT_TYPES))
    while True:
        fitting = [i for i in indices if cursor + APPOINTMENT_TYPES[i].minutes <= end]
        if not fitting:
            return slots
        index = rng.choices(fitting, weights=[weights[i] for i in fitting])[0]
        slots.append((cursor, cursor + APPOINTMENT_TYPES[index].minutes, index))
        cursor += APPOINTMENT_TYPES[index].minutes


def _overlaps(booked: list[Window], candidate: Window) -> bool:
    return any(start < candidate[1] and candidate[0] < end for start, end in booked)


def _status(rng: random.Random, end: datetime, now: datetime) -> tuple[str, bool]:
    if rng.random() < 0.05:
        return "cancelled", False
    if end <= now:
        draw = rng.random()
        if draw < 0.06:
            return "confirmed", True  # no-show
        return ("completed", False) if draw < 0.93 else ("confirmed", False)
    return ("confirmed" if rng.random() < 0.4 else "scheduled"), False


def plan_appointments(rng: random.Random, plan: PlanInput) -> list[PlannedAppointment]:
    """``plan.count`` appointments (fewer only if the hours cannot hold them), conflict-free."""
    weights = [t.weight for t in APPOINTMENT_TYPES]
    slots: list[_Slot] = []
    for day in plan.days:
        for doctor_id in plan.doctor_ids:
            for window in free_windows(plan, doctor_id, day):
                slots.extend(
                    _Slot(day, start, end, doctor_id, index)
                    for start, end, index in _fill(rng, window, weights)
                )
    chosen = rng.sample(slots, min(plan.count, len(slots)))
    chosen.sort(key=lambda s: (s.day, s.start, s.doctor_id))
    busy: dict[tuple[str, int, date], list[Window]] = defaultdict(list)
    for key, windows in plan.reserved.items():
        busy[key].extend(windows)
    result: list[PlannedAppointment] = []
    for slot in chosen:
        window = (slot.start, slot.end)
        patient_id = None
        for _ in range(100):
            candidate = rng.choice(plan.patient_ids)
            if not _overlaps(busy[("patient", candidate, slot.day)], window):
                patient_id = candidate
                break
        if patient_id is None:  # every patient tried is busy then (tiny patient lists only)
            continue
        busy[("patient", patient_id, slot.day)].append(window)
        demo_type = APPOINTMENT_TYPES[slot.type_index]
        resource_id = None
        if demo_type.resources and rng.random() < demo_type.resource_share:
            for name in rng.sample(demo_type.resources, len(demo_type.resources)):
                rid = plan.resource_ids[name]
                if not _overlaps(busy[("resource", rid, slot.day)], window):
                    busy[("resource", rid, slot.day)].append(window)
                    resource_id = rid
                    break
        start = local_to_utc(slot.day, time(slot.start // 60, slot.start % 60), plan.tz)
        end = local_to_utc(slot.day, time(slot.end // 60, slot.end % 60), plan.tz)
        status, no_show = _status(rng, end, plan.now)
        result.append(
            PlannedAppointment(
                start=start,
                end=end,
                doctor_id=slot.doctor_id,
                patient_id=patient_id,
                type_id=plan.type_ids[slot.type_index],
                status=status,
                is_no_show=no_show,
                notes=rng.choice(NOTES) if rng.random() < 0.1 else "",
                resource_id=resource_id,
            )
        )
    return result


# --- Operation planning (pure, no database) -------------------------------------------------


@dataclass(frozen=True)
class PlannedOperation:
    start: datetime
    end: datetime
    day: date
    window: Window  # local minutes of the whole block (prep + surgery + post)
    prep_minutes: int
    op_minutes: int
    patient_id: int
    team: tuple[int, int | None, int | None]  # primary surgeon, assistant, anesthesist
    room_id: int
    device_ids: tuple[int, ...]
    type_id: int
    status: str
    notes: str

    @property
    def members(self) -> tuple[int, ...]:
        """Non-null team members in role order, as ``Operation.team``."""
        return tuple(member for member in self.team if member is not None)


@dataclass
class OperationPlan:
    operations: list[PlannedOperation]
    # What the appointment planner must leave free: (doctor, day) → blocks, and
    # ("patient" | "resource", id, day) → blocks.
    doctor_blocks: dict[tuple[int | None, date], list[Window]]
    reserved: dict[tuple[str, int, date], list[Window]]


def _inside(windows: list[Window], block: Window) -> bool:
    return any(start <= block[0] and block[1] <= end for start, end in windows)


def _operation_status(rng: random.Random, start: datetime, end: datetime, now: datetime) -> str:
    if rng.random() < 0.04:
        return "cancelled"
    if end <= now:
        return "done"
    if start <= now:
        return "running"
    return "confirmed" if rng.random() < 0.4 else "planned"


def plan_operations(
    rng: random.Random,
    plan: PlanInput,
    count: int,
    type_ids: list[int],
) -> OperationPlan:
    """``count`` operations spread evenly over ``plan.days``, conflict-free.

    Every block lies inside the free windows (doctor hours ∩ practice hours, minus breaks,
    none when absent) of each team member; rooms, devices, patients and doctors are never
    booked twice at the same time. The appointment planner then treats the blocks as busy.
    """
    per_day = [count // len(plan.days)] * len(plan.days)
    for index in rng.sample(range(len(plan.days)), count % len(plan.days)):
        per_day[index] += 1
    room_ids = [plan.resource_ids[name] for name in OP_ROOMS]
    busy: dict[tuple[str, int, date], list[Window]] = defaultdict(list)
    doctor_blocks: dict[tuple[int | None, date], list[Window]] = defaultdict(list)
    result: list[PlannedOperation] = []
    for day, wanted in zip(plan.days, per_day, strict=True):
        free = {d: free_windows(plan, d, day) for d in plan.doctor_ids}
        working = [d for d in plan.doctor_ids if free[d]]
        for _ in range(wanted):
            for _attempt in range(200):
                planned = _try_operation(rng, plan, day, free, working, busy, room_ids, type_ids)
                if planned is not None:
                    break
            else:
                continue  # the day is full
            for member in planned.members:
                busy[("doctor", member, day)].append(planned.window)
                doctor_blocks[(member, day)].append(planned.window)
            busy[("patient", planned.patient_id, day)].append(planned.window)
            for resource in (planned.room_id, *planned.device_ids):
                busy[("resource", resource, day)].append(planned.window)
            result.append(planned)
    result.sort(key=lambda o: (o.start, o.room_id))
    reserved = {key: windows for key, windows in busy.items() if key[0] != "doctor"}
    return OperationPlan(result, doctor_blocks, reserved)


def _try_operation(
    rng: random.Random,
    plan: PlanInput,
    day: date,
    free: dict[int, list[Window]],
    working: list[int],
    busy: dict[tuple[str, int, date], list[Window]],
    room_ids: list[int],
    type_ids: list[int],
) -> PlannedOperation | None:
    if not working:
        return None
    index = rng.choices(range(len(OPERATION_TYPES)), weights=OPERATION_WEIGHTS)[0]
    name, prep, op, post, _ = OPERATION_TYPES[index]
    total = prep + op + post
    surgeon = rng.choice(working)
    window = rng.choice(free[surgeon])
    if window[1] - window[0] < total:
        return None
    start = window[0] + 5 * rng.randint(0, (window[1] - window[0] - total) // 5)
    block = (start, start + total)

    def available(doctor: int) -> bool:
        return _inside(free[doctor], block) and not _overlaps(busy[("doctor", doctor, day)], block)

    if not available(surgeon):
        return None
    rooms = [r for r in room_ids if not _overlaps(busy[("resource", r, day)], block)]
    devices = tuple(plan.resource_ids[d] for d in OPERATION_DEVICES.get(name, ()))
    if not rooms or any(_overlaps(busy[("resource", d, day)], block) for d in devices):
        return None
    others = [d for d in working if d != surgeon and available(d)]
    rng.shuffle(others)
    anesthesist = others.pop() if others and rng.random() < ANESTHESIST_SHARE else None
    assistant = others.pop() if others and rng.random() < OP_ASSISTANT_SHARE else None
    patient_id = rng.choice(plan.patient_ids)
    if _overlaps(busy[("patient", patient_id, day)], block):
        return None
    begin = local_to_utc(day, _minutes_to_time(block[0]), plan.tz)
    end = local_to_utc(day, _minutes_to_time(block[1]), plan.tz)
    return PlannedOperation(
        start=begin,
        end=end,
        day=day,
        window=block,
        prep_minutes=prep,
        op_minutes=op,
        patient_id=patient_id,
        team=(surgeon, assistant, anesthesist),
        room_id=rng.choice(rooms),
        device_ids=devices,
        type_id=type_ids[index],
        status=_operation_status(rng, begin, end, plan.now),
        notes=rng.choice(OP_NOTES) if rng.random() < 0.2 else "",
    )


def plan_bookings(
    rng: random.Random, plan: PlanInput, operations: int, operation_type_ids: list[int]
) -> tuple[list[PlannedAppointment], OperationPlan]:
    """Operations first, then the appointments around their blocks (doctors, patients)."""
    op_plan = plan_operations(rng, plan, operations, operation_type_ids)
    around: dict[tuple[int | None, date], list[Window]] = defaultdict(list)
    for key, windows in (*plan.breaks.items(), *op_plan.doctor_blocks.items()):
        around[key].extend(windows)
    appointments = plan_appointments(rng, replace(plan, breaks=around, reserved=op_plan.reserved))
    return appointments, op_plan


# --- Patient flow planning (pure, no database) ----------------------------------------------

FLOW_CHAIN = ("registered", "waiting", "preparing", "in_treatment", "post_treatment", "done")
STUCK_SHARE = 0.003  # past flows nobody closed: they stay on the live board (05 §7)


@dataclass(frozen=True)
class PlannedFlow:
    appointment_index: int | None  # into the planned appointments
    operation_index: int | None  # into the planned operations
    arrival: datetime
    events: tuple[tuple[str, datetime], ...]  # (to_status, changed_at), chain order
    notes: str | None

    @property
    def status(self) -> str:
        return self.events[-1][0]

    @property
    def status_changed_at(self) -> datetime:
        return self.events[-1][1]


def _flow_times(
    rng: random.Random, start: datetime, end: datetime, treatment: tuple[datetime, datetime]
) -> list[datetime]:
    """Plausible, strictly increasing times of the six statuses of one visit."""
    minute = timedelta(minutes=1)
    arrival = start - rng.randint(3, 20) * minute
    waiting = arrival + rng.randint(1, 3) * minute
    preparing = max(waiting + minute, treatment[0] - rng.randint(1, 6) * minute)
    in_treatment = max(preparing + minute, treatment[0] + rng.randint(0, 6) * minute)
    post = max(in_treatment + minute, treatment[1] - rng.randint(0, 3) * minute)
    done = max(post + minute, end + rng.randint(1, 8) * minute)
    return [arrival, waiting, preparing, in_treatment, post, done]


def plan_flows(
    rng: random.Random,
    now: datetime,
    count: int,
    appointments: list[PlannedAppointment],
    operations: list[PlannedOperation],
    live: int = 0,
) -> list[PlannedFlow]:
    """Flows for the ``count`` most recent visits that had begun (the patient arrived) by
    ``now``: attended appointments (not cancelled, no no-show) and operations (not
    cancelled). Events up to ``now`` only, so today's flows stand somewhere along the chain
    and earlier ones are ``done`` — a few (``STUCK_SHARE``) were never closed."""
    candidates: list[tuple[datetime, int | None, int | None]] = [
        (a.start, i, None)
        for i, a in enumerate(appointments)
        if a.status != "cancelled" and not a.is_no_show and a.start - timedelta(minutes=20) <= now
    ]
    candidates += [
        (o.start, None, i)
        for i, o in enumerate(operations)
        if o.status != "cancelled" and o.start - timedelta(minutes=20) <= now
    ]
    candidates.sort(key=lambda c: c[0], reverse=True)
    result: list[PlannedFlow] = []
    for start, appointment_index, operation_index in candidates:
        if len(result) >= count:
            break
        if appointment_index is not None:
            visit = appointments[appointment_index]
            times = _flow_times(rng, start, visit.end, (visit.start, visit.end))
        else:
            assert operation_index is not None
            op = operations[operation_index]
            surgery = op.start + timedelta(minutes=op.prep_minutes)
            times = _flow_times(
                rng, start, op.end, (surgery, surgery + timedelta(minutes=op.op_minutes))
            )
        if times[0] > now:
            continue  # not arrived yet
        reached = [(s, t) for s, t in zip(FLOW_CHAIN, times, strict=True) if t <= now]
        if reached[-1][0] == "done" and rng.random() < STUCK_SHARE:
            reached = reached[: rng.randint(2, 5)]
        result.append(
            PlannedFlow(
                appointment_index=appointment_index,
                operation_index=operation_index,
                arrival=times[0],
                events=tuple(reached),
                notes=rng.choice(NOTES) if rng.random() < 0.05 else None,
            )
        )
    return _keep_open(rng, result, live)


def _keep_open(rng: random.Random, flows: list[PlannedFlow], live: int) -> list[PlannedFlow]:
    """At least ``live`` unfinished flows: the most recent finished visits (``flows`` is
    newest first) stop somewhere between registered and post treatment. On a working day's
    afternoon today's own visits fill the board; at night or at the weekend the last working
    day's patients stand on it, as if nobody had closed them."""
    missing = live - sum(1 for flow in flows if flow.status != "done")
    result = []
    for flow in flows:
        if missing > 0 and flow.status == "done":
            flow = replace(flow, events=flow.events[: rng.randint(1, len(FLOW_CHAIN) - 1)])
            missing -= 1
        result.append(flow)
    return result


# --- Database -------------------------------------------------------------------------------


def demo_usernames(size: DemoSize) -> list[str]:
    return [
        *(u[0] for u in DOCTORS[: size.doctors]),
        *(u[0] for u in ASSISTANTS[: size.assistants]),
        *(u[0] for u in ADMINS[: size.admins]),
        *(u[0] for u in BILLING[: size.billing]),
    ]


def _refuse_unless_empty(conn: Connection, usernames: list[str]) -> None:
    counts = {
        "appointments": conn.scalar(select(func.count()).select_from(Appointment)) or 0,
        "operations": conn.scalar(select(func.count()).select_from(Operation)) or 0,
        "patients": conn.scalar(select(func.count()).select_from(Patient)) or 0,
        "practice hours": conn.scalar(select(func.count()).select_from(PracticeHours)) or 0,
    }
    found = {name: count for name, count in counts.items() if count}
    taken = conn.scalars(
        select(User.username).where(func.lower(User.username).in_([u.lower() for u in usernames]))
    ).all()
    if found or taken:
        held = ", ".join(f"{count} {name}" for name, count in found.items())
        if taken:
            held = ", ".join(filter(None, [held, "users " + ", ".join(sorted(taken))]))
        raise DemoSeedRefused(
            f"the database already holds data ({held}); seed-demo only fills an empty practice "
            "and never overwrites data. Use a fresh PRAXI_DATA_DIR (or an empty database)."
        )


def _insert_id(conn: Connection, table: Any, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(table).values(**values).returning(table.id)).scalar_one())


def _insert_users(conn: Connection, size: DemoSize, password_hash: str) -> dict[str, int]:
    role_ids = {name: role_id for role_id, name in conn.execute(select(Role.id, Role.name))}
    staff: list[tuple[str, str, str, str, str]] = [
        (u, first, last, "doctor", color) for u, first, last, color in DOCTORS[: size.doctors]
    ]
    for group, role in (
        (ASSISTANTS[: size.assistants], "assistant"),
        (ADMINS[: size.admins], "admin"),
        (BILLING[: size.billing], "billing"),
    ):
        staff += [(u, first, last, role, "#1E90FF") for u, first, last in group]
    ids: dict[str, int] = {}
    for username, first, last, role, color in staff:
        ids[username] = _insert_id(
            conn,
            User,
            {
                "username": username,
                "password_hash": password_hash,
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{EMAIL_DOMAIN}",
                "role_id": role_ids[role],
                "calendar_color": color,
            },
        )
    return ids


def _minutes_to_time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _insert_hours(
    conn: Connection, doctor_ids: list[int]
) -> dict[int, dict[int, tuple[Window, ...]]]:
    conn.execute(
        insert(PracticeHours),
        [
            {"weekday": day, "start_time": _minutes_to_time(a), "end_time": _minutes_to_time(b)}
            for day, windows in PRACTICE_HOURS.items()
            for a, b in windows
        ],
    )
    hours = {doctor_id: DOCTOR_HOURS[i] for i, doctor_id in enumerate(doctor_ids)}
    conn.execute(
        insert(DoctorHours),
        [
            {
                "doctor_id": doctor_id,
                "weekday": day,
                "start_time": _minutes_to_time(a),
                "end_time": _minutes_to_time(b),
            }
            for doctor_id, weekly in hours.items()
            for day, windows in weekly.items()
            for a, b in windows
        ],
    )
    return hours


def _insert_absences_and_breaks(
    conn: Connection, size: DemoSize, doctor_ids: list[int], first_day: date
) -> tuple[dict[int, set[date]], dict[tuple[int | None, date], list[Window]]]:
    absences: dict[int, set[date]] = defaultdict(set)
    for index, offset, length, reason in size.absences:
        doctor_id = doctor_ids[index]
        start = first_day + timedelta(days=offset)
        end = start + timedelta(days=length - 1)
        _insert_id(
            conn,
            DoctorAbsence,
            {"doctor_id": doctor_id, "start_date": start, "end_date": end, "reason": reason},
        )
        absences[doctor_id].update(start + timedelta(days=i) for i in range(length))
    breaks: dict[tuple[int | None, date], list[Window]] = defaultdict(list)
    for index_or_none, offset, start_hm, end_hm, reason in size.breaks:
        break_doctor = None if index_or_none is None else doctor_ids[index_or_none]
        day = first_day + timedelta(days=offset)
        window = (_hm(start_hm), _hm(end_hm))
        _insert_id(
            conn,
            DoctorBreak,
            {
                "doctor_id": break_doctor,
                "date": day,
                "start_time": _minutes_to_time(window[0]),
                "end_time": _minutes_to_time(window[1]),
                "reason": reason,
            },
        )
        breaks[(break_doctor, day)].append(window)
    return absences, breaks


def _insert_master_data(conn: Connection) -> tuple[list[int], list[int], dict[str, int]]:
    """Appointment types, operation types (ids parallel to the tuples) and resources."""
    type_ids = [
        _insert_id(
            conn,
            AppointmentType,
            {"name": t.name, "color": t.color, "duration_minutes": t.minutes},
        )
        for t in APPOINTMENT_TYPES
    ]
    operation_type_ids = [
        _insert_id(
            conn,
            OperationType,
            {
                "name": name,
                "prep_duration": prep,
                "op_duration": op,
                "post_duration": post,
                "color": color,
            },
        )
        for name, prep, op, post, color in OPERATION_TYPES
    ]
    resource_ids: dict[str, int] = {}
    # Only the OP rooms are operating rooms: OP-Plan shows those (docs/op-rooms.md).
    for kind, names, colors, op_capable in (
        ("room", ROOMS, RESOURCE_COLORS, False),
        ("room", OP_ROOMS, OP_RESOURCE_COLORS, True),
        ("device", DEVICES, RESOURCE_COLORS, False),
        ("device", OP_DEVICES, OP_RESOURCE_COLORS, False),
    ):
        for i, name in enumerate(names):
            resource_ids[name] = _insert_id(
                conn,
                Resource,
                {"name": name, "type": kind, "color": colors[i], "op_capable": op_capable},
            )
    return type_ids, operation_type_ids, resource_ids


def _driver(conn: Connection) -> psycopg.Connection[Any]:
    """The psycopg connection under ``conn`` (same transaction), for ``COPY``."""
    return cast("psycopg.Connection[Any]", conn.connection.driver_connection)


def _copy(conn: Connection, statement: str, rows: Iterable[Sequence[Any]]) -> None:
    with _driver(conn).cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _next_ids(conn: Connection, sequence_sql: str, count: int) -> list[int]:
    return [
        int(value)
        for value in conn.scalars(
            text(f"SELECT nextval({sequence_sql}) FROM generate_series(1, :n)"),  # noqa: S608
            {"n": count},
        )
    ]


def _insert_patients(conn: Connection, rng: random.Random, count: int, today: date) -> list[int]:
    ids = _next_ids(conn, f"'{ID_SEQUENCE}'", count)
    rows = []
    for patient_id in ids:
        female = rng.random() < 0.52
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        last = rng.choice(LAST_NAMES)
        birth = today - timedelta(days=rng.randint(365, 92 * 365))
        phone = f"{rng.choice(PHONE_PREFIXES)} {rng.randint(100000, 9999999)}"
        email = None
        if rng.random() < 0.4:
            local = f"{first}.{last}".lower()
            for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
                local = local.replace(umlaut, plain)
            email = f"{local}{rng.randint(1, 99)}@example.de"
        insurance = f"{chr(rng.randint(65, 90))}{rng.randint(100000000, 999999999)}"
        rows.append(
            (
                patient_id,
                first,
                last,
                birth,
                "female" if female else "male",
                phone,
                email,
                insurance,
            )
        )
    _copy(
        conn,
        "COPY patients (id, first_name, last_name, birth_date, gender, phone, email, "
        "insurance_number) FROM STDIN",
        rows,
    )
    return ids


def _period(start: datetime, end: datetime) -> str:
    return f"[{start.isoformat()},{end.isoformat()})"


def _insert_appointments(
    conn: Connection, planned: list[PlannedAppointment]
) -> tuple[list[int], int]:
    """Appointments, their bookings and their occupancy rows; returns the ids (parallel to
    ``planned``) and the occupancy count."""
    ids = _next_ids(conn, "pg_get_serial_sequence('appointments', 'id')", len(planned))
    _copy(
        conn,
        "COPY appointments (id, patient_id, doctor_id, type_id, start_time, end_time, status, "
        "is_no_show, notes) FROM STDIN",
        (
            (
                appointment_id,
                a.patient_id,
                a.doctor_id,
                a.type_id,
                a.start,
                a.end,
                a.status,
                a.is_no_show,
                a.notes,
            )
            for appointment_id, a in zip(ids, planned, strict=True)
        ),
    )
    _copy(
        conn,
        "COPY appointment_resources (appointment_id, resource_id) FROM STDIN",
        (
            (appointment_id, a.resource_id)
            for appointment_id, a in zip(ids, planned, strict=True)
            if a.resource_id is not None
        ),
    )
    # Exactly what sync_occupancy writes: doctor, patient, each resource; nothing if cancelled.
    occupancies: list[tuple[int, str, int, str]] = []
    for appointment_id, a in zip(ids, planned, strict=True):
        if a.status == "cancelled":
            continue
        period = _period(a.start, a.end)
        occupancies.append((appointment_id, "doctor", a.doctor_id, period))
        occupancies.append((appointment_id, "patient", a.patient_id, period))
        if a.resource_id is not None:
            occupancies.append((appointment_id, "resource", a.resource_id, period))
    _copy(
        conn,
        "COPY occupancies (appointment_id, kind, subject_id, period) FROM STDIN",
        occupancies,
    )
    return ids, len(occupancies)


def _insert_operations(conn: Connection, planned: list[PlannedOperation]) -> tuple[list[int], int]:
    """Operations, their devices and their occupancy rows; returns the ids (parallel to
    ``planned``) and the occupancy count."""
    ids = _next_ids(conn, "pg_get_serial_sequence('operations', 'id')", len(planned))
    _copy(
        conn,
        "COPY operations (id, patient_id, primary_surgeon_id, assistant_id, anesthesist_id, "
        "op_room_id, op_type_id, start_time, end_time, status, notes) FROM STDIN",
        (
            (
                operation_id,
                o.patient_id,
                *o.team,
                o.room_id,
                o.type_id,
                o.start,
                o.end,
                o.status,
                o.notes,
            )
            for operation_id, o in zip(ids, planned, strict=True)
        ),
    )
    _copy(
        conn,
        "COPY operation_devices (operation_id, resource_id) FROM STDIN",
        (
            (operation_id, device_id)
            for operation_id, o in zip(ids, planned, strict=True)
            for device_id in o.device_ids
        ),
    )
    # Exactly what operations.service.sync_occupancy writes: every team member as doctor,
    # the patient, the room and each device; nothing while cancelled.
    occupancies: list[tuple[int, str, int, str]] = []
    for operation_id, o in zip(ids, planned, strict=True):
        if o.status == "cancelled":
            continue
        period = _period(o.start, o.end)
        subjects = [("doctor", member) for member in o.members]
        subjects.append(("patient", o.patient_id))
        subjects += [("resource", r) for r in dict.fromkeys([o.room_id, *o.device_ids])]
        occupancies += [(operation_id, kind, subject, period) for kind, subject in subjects]
    _copy(
        conn,
        "COPY occupancies (operation_id, kind, subject_id, period) FROM STDIN",
        occupancies,
    )
    return ids, len(occupancies)


def _insert_flows(
    conn: Connection,
    rng: random.Random,
    flows: list[PlannedFlow],
    appointment_ids: list[int],
    operation_ids: list[int],
    staff_ids: list[int],
) -> int:
    """Patient flows and their status events (05 §2.2: one initial event, one per change);
    returns the event count."""
    ids = _next_ids(conn, "pg_get_serial_sequence('patient_flows', 'id')", len(flows))
    _copy(
        conn,
        "COPY patient_flows (id, appointment_id, operation_id, status, arrival_time, "
        "status_changed_at, notes) FROM STDIN",
        (
            (
                flow_id,
                None if f.appointment_index is None else appointment_ids[f.appointment_index],
                None if f.operation_index is None else operation_ids[f.operation_index],
                f.status,
                f.arrival,
                f.status_changed_at,
                f.notes,
            )
            for flow_id, f in zip(ids, flows, strict=True)
        ),
    )
    events: list[tuple[int, str | None, str, datetime, int]] = []
    for flow_id, f in zip(ids, flows, strict=True):
        previous: str | None = None
        user_id = rng.choice(staff_ids)
        for to_status, changed_at in f.events:
            events.append((flow_id, previous, to_status, changed_at, user_id))
            previous = to_status
    _copy(
        conn,
        "COPY patient_flow_status_events (flow_id, from_status, to_status, changed_at, "
        "user_id) FROM STDIN",
        events,
    )
    return len(events)


def seed_demo(
    engine: Engine,
    *,
    size: Size,
    password: str,
    tz: ZoneInfo,
    now: datetime,
    random_seed: int = 4,
) -> SeedSummary:
    """Write the demo data set ``size`` in one transaction; raises :class:`DemoSeedRefused`."""
    began = perf_counter()
    spec = SIZES[size]
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DemoSeedRefused(f"{PASSWORD_ENV} must be at least {MIN_PASSWORD_LENGTH} characters")
    rng = random.Random(random_seed)  # noqa: S311 - demo data, not security
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    first_day = monday - timedelta(weeks=spec.weeks_before)
    days = [
        first_day + timedelta(days=i)
        for i in range((spec.weeks_before + spec.weeks_after) * 7)
        if (first_day + timedelta(days=i)).weekday() < 5
    ]
    usernames = demo_usernames(spec)
    password_hash = hash_password(password)  # once, shared by every demo user
    with engine.begin() as conn:
        _refuse_unless_empty(conn, usernames)
        user_ids = _insert_users(conn, spec, password_hash)
        doctor_ids = [user_ids[u[0]] for u in DOCTORS[: spec.doctors]]
        hours = _insert_hours(conn, doctor_ids)
        absences, breaks = _insert_absences_and_breaks(conn, spec, doctor_ids, first_day)
        type_ids, operation_type_ids, resource_ids = _insert_master_data(conn)
        patient_ids = _insert_patients(conn, rng, spec.patients, today)
        plan = PlanInput(
            tz=tz,
            now=now,
            days=days,
            doctor_ids=doctor_ids,
            doctor_hours=hours,
            absences=absences,
            breaks=breaks,
            type_ids=type_ids,
            resource_ids=resource_ids,
            patient_ids=patient_ids,
            count=spec.appointments,
        )
        planned, op_plan = plan_bookings(rng, plan, spec.operations, operation_type_ids)
        appointment_ids, occupancies = _insert_appointments(conn, planned)
        operation_ids, op_occupancies = _insert_operations(conn, op_plan.operations)
        flows = plan_flows(rng, now, spec.flows, planned, op_plan.operations, spec.live_flows)
        staff_ids = [user_ids[u[0]] for u in ASSISTANTS[: spec.assistants]] or doctor_ids
        flow_events = _insert_flows(conn, rng, flows, appointment_ids, operation_ids, staff_ids)
        for table in (
            "appointments",
            "appointment_resources",
            "operations",
            "operation_devices",
            "occupancies",
            "patients",
            "patient_flows",
            "patient_flow_status_events",
        ):
            conn.execute(text(f"ANALYZE {table}"))
    return SeedSummary(
        size=size,
        usernames=usernames,
        patients=len(patient_ids),
        appointments=len(planned),
        cancelled=sum(1 for a in planned if a.status == "cancelled"),
        operations=len(op_plan.operations),
        flows=len(flows),
        live_flows=sum(1 for f in flows if f.status != "done"),
        flow_events=flow_events,
        occupancies=occupancies + op_occupancies,
        resources=len(resource_ids),
        appointment_types=len(type_ids),
        operation_types=len(OPERATION_TYPES),
        first_day=days[0],
        last_day=days[-1],
        seconds=perf_counter() - began,
    )


def password_from_env() -> str:
    """The shared demo password; refuses when ``PRAXI_DEMO_PASSWORD`` is unset or too short."""
    password = os.environ.get(PASSWORD_ENV, "")
    if not password:
        raise DemoSeedRefused(
            f"set {PASSWORD_ENV} to the password every demo user should get "
            "(it is never stored in code or printed)"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DemoSeedRefused(f"{PASSWORD_ENV} must be at least {MIN_PASSWORD_LENGTH} characters")
    return password


def command(args: argparse.Namespace, settings: Settings, with_database: WithDatabase) -> int:
    """``praxi-server seed-demo``: migrations first, then the data set (embedded DB if unset)."""
    try:
        password = password_from_env()
    except DemoSeedRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def run(effective: Settings) -> int:
        from server.core import clock
        from server.database_setup import engine_for, migrate_and_grant

        migrate_and_grant(effective)
        engine = engine_for(effective)
        try:
            summary = seed_demo(
                engine,
                size=args.size,
                password=password,
                tz=effective.tz,
                now=clock.now(effective),
            )
        except DemoSeedRefused as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            engine.dispose()
        print(summary.line())
        print(f"Users (password from {PASSWORD_ENV}): {', '.join(summary.usernames)}")
        return 0

    return with_database(settings, run)
