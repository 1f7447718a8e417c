"""``praxi-server seed-demo``: fill an empty practice with realistic demo data.

Two sizes:

* ``small`` (default) — a pleasant desktop demo: 3 doctors, 1 assistant, 1 admin, 40
  patients, ~150 appointments in the current and the next week.
* ``large`` — the benchmark data set: 8 doctors, 2 assistants, 1 admin, 1 billing clerk,
  2,000 patients and 20,000 appointments over 26 weeks (current Monday − 13 weeks … + 13
  weeks).

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

Idempotency: there is no ``--force``. The command refuses (exit code 1, clear message) when
the database already holds appointments, patients or practice hours, or when one of the demo
usernames is taken — demo data is meant for a fresh data directory and is never mixed into
or overwritten over real data.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import perf_counter
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Connection, Engine, func, insert, select, text

from server.appointments.models import Appointment
from server.auth.passwords import hash_password
from server.master_data.models import AppointmentType, OperationType, Resource
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
    weeks_before: int  # whole weeks before the current Monday
    weeks_after: int  # whole weeks from the current Monday on (inclusive of this week)
    absences: tuple[tuple[int, int, int, str], ...]  # doctor, first day offset, days, reason
    breaks: tuple[tuple[int | None, int, str, str, str], ...]  # doctor, day, from, to, reason


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(
        doctors=3,
        assistants=1,
        admins=1,
        billing=0,
        patients=40,
        appointments=150,
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


def _insert_master_data(conn: Connection) -> tuple[list[int], dict[str, int]]:
    type_ids = [
        _insert_id(
            conn,
            AppointmentType,
            {"name": t.name, "color": t.color, "duration_minutes": t.minutes},
        )
        for t in APPOINTMENT_TYPES
    ]
    for name, prep, op, post, color in OPERATION_TYPES:
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
    resource_ids: dict[str, int] = {}
    for kind, names in (("room", ROOMS), ("device", DEVICES)):
        for i, name in enumerate(names):
            resource_ids[name] = _insert_id(
                conn, Resource, {"name": name, "type": kind, "color": RESOURCE_COLORS[i]}
            )
    return type_ids, resource_ids


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


def _insert_appointments(conn: Connection, planned: list[PlannedAppointment]) -> int:
    """Appointments, their bookings and their occupancy rows; returns the occupancy count."""
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
    return len(occupancies)


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
        type_ids, resource_ids = _insert_master_data(conn)
        patient_ids = _insert_patients(conn, rng, spec.patients, today)
        planned = plan_appointments(
            rng,
            PlanInput(
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
            ),
        )
        occupancies = _insert_appointments(conn, planned)
        for table in ("appointments", "appointment_resources", "occupancies", "patients"):
            conn.execute(text(f"ANALYZE {table}"))
    return SeedSummary(
        size=size,
        usernames=usernames,
        patients=len(patient_ids),
        appointments=len(planned),
        cancelled=sum(1 for a in planned if a.status == "cancelled"),
        occupancies=occupancies,
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
        from server.db import make_engine
        from server.migrate import upgrade

        assert effective.database_url is not None
        engine = make_engine(effective.database_url.get_secret_value(), pool_size=1)
        try:
            upgrade(engine)
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
