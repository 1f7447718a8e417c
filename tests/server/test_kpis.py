"""KPI API (spec 08 §1–§9; rbac-operations-flow §2.8, §5).

Every expected number below is worked out by hand from the small data set of its test (the
comment next to it shows the arithmetic). "Now" is Wednesday 2027-01-20 12:00 Berlin, so
today = 01-20, the week = Mon 01-18 … Sun 01-24, last_30 = 2026-12-22 … 2027-01-20.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment, AppointmentResource
from server.audit.models import AuditLog
from server.master_data.models import OperationType, Resource
from server.operations.models import Operation, OperationDevice
from server.patient_flow.models import PatientFlow, PatientFlowStatusEvent
from server.patients.models import Patient
from server.users.models import User
from server.working_hours.models import DoctorAbsence, DoctorHours, PracticeHours
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.test_op_dashboard import count_statements

Headers = dict[str, str]
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 20, 12, 0, tzinfo=BERLIN)
PATHS = (
    "/api/kpi/overview/",
    "/api/kpi/operations/",
    "/api/kpi/scheduling/",
    "/api/kpi/doctors/",
    "/api/kpi/patients/overview/",
)
_ids = itertools.count(1000)


def at(day: date | tuple[int, int, int], hour: int, minute: int = 0, second: int = 0) -> datetime:
    if isinstance(day, tuple):
        day = date(*day)
    return datetime.combine(day, time(hour, minute, second), tzinfo=BERLIN)


def jan(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A local time in January 2027, the month around NOW."""
    return at((2027, 1, day), hour, minute, second)


@dataclass
class Base:
    admin: User
    doc_a: User
    doc_b: User
    room1: int
    room2: int
    device: int
    op_type: int


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as client:
        yield client


@pytest.fixture
def base(db: sessionmaker[Session], users: Users) -> Base:
    """Practice Mon–Fri 08–12 (240 min a day); doctor A Mon–Fri 08–12, doctor B Mon 08–10;
    active rooms R1, R2, one device; an inactive room and an inactive doctor."""
    admin = users.create("admin", "chef")
    doc_a = users.create("doctor", "dr.a", first_name="Anna", last_name="Arzt")
    doc_b = users.create("doctor", "dr.b", first_name="Bernd", last_name="Bader")
    users.create("doctor", "dr.c", is_active=False)
    users.create("assistant", "mfa")
    with db() as session, session.begin():
        for weekday in range(5):
            session.add(PracticeHours(weekday=weekday, start_time=time(8), end_time=time(12)))
            session.add(
                DoctorHours(
                    doctor_id=doc_a.id, weekday=weekday, start_time=time(8), end_time=time(12)
                )
            )
        session.add(
            DoctorHours(doctor_id=doc_b.id, weekday=0, start_time=time(8), end_time=time(10))
        )
        # inactive rows count nowhere
        session.add(PracticeHours(weekday=5, start_time=time(8), end_time=time(12), active=False))
        session.add(
            DoctorHours(
                doctor_id=doc_b.id, weekday=1, start_time=time(8), end_time=time(12), active=False
            )
        )
        r1 = Resource(name="R1", type="room", color="#111111")
        r2 = Resource(name="R2", type="room", color="#222222")
        dev = Resource(name="D1", type="device", color="#333333")
        session.add_all([r1, r2, dev, Resource(name="R3", type="room", active=False)])
        kind = OperationType(name="OP", op_duration=60)
        session.add(kind)
        session.flush()
        return Base(admin, doc_a, doc_b, r1.id, r2.id, dev.id, kind.id)


def appt(
    db: sessionmaker[Session],
    doctor: User,
    start: datetime,
    minutes: int,
    status: str = "scheduled",
    *,
    patient: int = 1,
    no_show: bool = False,
    resources: tuple[int, ...] = (),
    created: datetime | None = None,
    updated: datetime | None = None,
) -> int:
    with db() as session, session.begin():
        row = Appointment(
            patient_id=patient,
            doctor_id=doctor.id,
            start_time=start,
            end_time=start + timedelta(minutes=minutes),
            status=status,
            is_no_show=no_show,
        )
        if created is not None:
            row.created_at = created
            row.updated_at = updated or created
        session.add(row)
        session.flush()
        for resource in resources:
            session.add(AppointmentResource(appointment_id=row.id, resource_id=resource))
        return row.id


def op(
    db: sessionmaker[Session],
    b: Base,
    start: datetime,
    minutes: int,
    status: str = "planned",
    *,
    room: int | None = None,
    devices: tuple[int, ...] = (),
) -> int:
    with db() as session, session.begin():
        row = Operation(
            patient_id=next(_ids),
            primary_surgeon_id=b.doc_a.id,
            op_room_id=room or b.room2,
            op_type_id=b.op_type,
            start_time=start,
            end_time=start + timedelta(minutes=minutes),
            status=status,
        )
        session.add(row)
        session.flush()
        for device in devices:
            session.add(OperationDevice(operation_id=row.id, resource_id=device))
        return row.id


def flow(
    db: sessionmaker[Session],
    status: str,
    events: list[tuple[str, datetime]],
    *,
    appointment: int | None = None,
    operation: int | None = None,
    arrival: datetime | None = None,
) -> None:
    with db() as session, session.begin():
        row = PatientFlow(
            appointment_id=appointment,
            operation_id=operation,
            status=status,
            arrival_time=arrival,
            status_changed_at=events[-1][1],
        )
        session.add(row)
        session.flush()
        previous = None
        for to_status, when in events:
            session.add(
                PatientFlowStatusEvent(
                    flow_id=row.id, from_status=previous, to_status=to_status, changed_at=when
                )
            )
            previous = to_status


def visit(
    db: sessionmaker[Session],
    day: int,
    timeline: str,
    *,
    appointment: int | None = None,
    operation: int | None = None,
    arrived: bool = True,
) -> None:
    """A flow through ``timeline`` ("registered 9:50, waiting 9:55, …") on January ``day``.

    It ends in the last status; an arrived patient arrived at the first step.
    """
    events = []
    for step in timeline.split(","):
        status, clock = step.split()
        events.append((status, jan(day, *(int(part) for part in clock.split(":")))))
    arrival = events[0][1] if arrived else None
    flow(db, events[-1][0], events, appointment=appointment, operation=operation, arrival=arrival)


def get(api: TestClient, headers: Headers, path: str) -> Any:
    response = api.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def all_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        keys = set(value)
        for item in value.values():
            keys |= all_keys(item)
        return keys
    if isinstance(value, list):
        return set().union(*(all_keys(item) for item in value)) if value else set()
    return set()


@pytest.fixture
def admin(users: Users, base: Base) -> Headers:
    return users.headers(base.admin)


# --- §2 overview --------------------------------------------------------------------------


def test_overview(api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]) -> None:
    a, b = base.doc_a, base.doc_b
    with db() as session, session.begin():
        session.add_all([Patient(id=i, first_name="P", last_name=str(i)) for i in (1, 2, 3)])
    appt(db, a, jan(18, 9), 30, "completed", patient=1, resources=(base.room1,))
    appt(db, a, jan(20, 10), 60, "scheduled", patient=2)
    appt(db, a, jan(21, 0), 30, "confirmed", patient=3)  # tomorrow 00:00: not today
    appt(db, b, jan(19, 8), 60, "cancelled", patient=1, resources=(base.room1,))
    appt(db, b, jan(11, 9), 45, "completed", patient=4)  # previous week
    appt(db, a, jan(5, 9), 20, "completed", patient=1)
    appt(db, a, at((2026, 12, 21), 9), 30, "completed", patient=5)  # before last_30
    appt(db, a, at((2027, 2, 3), 10), 30, "scheduled", patient=6)  # future, next month
    op(db, base, jan(20, 13), 60, "planned")
    op(db, base, jan(19, 8), 120, "cancelled")
    op(db, base, jan(12, 8), 60, "done")
    op(db, base, jan(4, 8), 30, "done")

    body = get(api, admin, "/api/kpi/overview/")
    # active users: chef, dr.a, dr.b, mfa (dr.c is inactive)
    assert body["users"] == {
        "total_users": 4,
        "total_doctors": 2,
        "total_assistants": 1,
        "total_admins": 1,
    }
    assert body["patients"] == 6  # max(3 rows, 6 distinct appointment patients)
    appts = body["appointments"]
    assert (appts["today"], appts["week"], appts["month"]) == (1, 4, 6)
    # start >= 2026-12-22, future included: completed 18.1., 11.1., 5.1.; scheduled 20.1., 3.2.
    assert appts["status_counts"] == {
        "scheduled": 2,
        "confirmed": 1,
        "cancelled": 1,
        "completed": 3,
    }
    assert appts["avg_duration_mins"] == 39.3  # (30+60+30+60+45+20+30)/7 = 275/7
    assert appts["trend"] == {"direction": "up", "percent": 300.0, "icon": "↑"}  # 4 vs 1
    ops = body["operations"]
    assert (ops["today"], ops["week"], ops["month"]) == (1, 2, 4)
    assert ops["status_counts"] == {
        "planned": 1,
        "confirmed": 0,
        "running": 0,
        "done": 2,
        "cancelled": 1,
    }
    assert ops["trend"] == {"direction": "up", "percent": 100.0, "icon": "↑"}  # 2 vs 1
    res = body["resources"]
    assert (res["total_rooms"], res["total_devices"]) == (2, 1)
    assert [r["name"] for r in res["rooms"]] == ["R1", "R2"]
    assert res["devices"] == [{"id": base.device, "name": "D1", "color": "#333333"}]
    # A: 1200 available, booked 30+60+30 = 120 → 10 %; B: 120 available, only a cancelled one
    assert [
        (d["name"], d["available_mins"], d["booked_mins"], d["utilization"])
        for d in body["doctor_utilization"]
    ] == [("Anna Arzt", 1200.0, 120.0, 10.0), ("Bernd Bader", 120.0, 0.0, 0.0)]
    # R2: planned op 60 min (the cancelled op is out) → 5 %; R1: 30 of 1200 → 2.5 %
    assert [(r["name"], r["booked_mins"], r["utilization"]) for r in body["room_utilization"]] == [
        ("R2", 60.0, 5.0),
        ("R1", 30.0, 2.5),
    ]
    # last_30 starts by local hour: 09 (18.1., 11.1., 5.1.), 10 (20.1.), 08 (19.1.)
    peak_hours = body["peak_hours"]
    assert (peak_hours["peak_hour"], peak_hours["peak_count"]) == (9, 3)
    assert peak_hours["hourly"]["8"] == 1
    assert peak_hours["hourly"]["10"] == 1
    assert sum(peak_hours["hourly"].values()) == 5
    # weekdays: Mo 18.1. + 11.1., Di 19.1. + 5.1., Mi 20.1. → tie Mo/Di, first wins
    assert body["peak_days"]["daily"] == {
        "Mo": 2,
        "Di": 2,
        "Mi": 1,
        "Do": 0,
        "Fr": 0,
        "Sa": 0,
        "So": 0,
    }
    assert (body["peak_days"]["peak_day"], body["peak_days"]["peak_count"]) == ("Mo", 2)
    assert body["generated_at"] == "2027-01-20T12:00:00+01:00"


def test_overview_empty_defaults_and_custom_range(
    api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]
) -> None:
    body = get(api, admin, "/api/kpi/overview/")
    assert body["peak_hours"]["peak_hour"] == 9
    assert body["peak_hours"]["peak_count"] == 0
    assert body["peak_days"]["peak_day"] == "Mo"
    assert body["appointments"]["trend"] == {"direction": "neutral", "percent": 0, "icon": "→"}
    assert body["appointments"]["avg_duration_mins"] == 0

    appt(db, base.doc_a, jan(12, 9), 30, "completed")  # in 11.–17.1.
    appt(db, base.doc_a, jan(13, 9), 30, "completed")
    appt(db, base.doc_a, jan(5, 9), 30, "completed")  # previous 7 days 4.–10.1.
    appt(db, base.doc_a, jan(6, 9), 30, "completed")
    appt(db, base.doc_a, jan(18, 9), 30, "completed")  # this week
    body = get(api, admin, "/api/kpi/overview/?from=2027-01-11&to=2027-01-17")
    assert body["period"]["week"] == {"start_date": "2027-01-11", "end_date": "2027-01-17"}
    assert body["appointments"]["week"] == 1  # calendar counts keep their periods
    assert body["appointments"]["trend"]["direction"] == "neutral"  # 2 vs 2
    assert sum(body["appointments"]["status_counts"].values()) == 2
    # A: 5 weekdays × 240 = 1200 available, 60 booked → 5 %
    assert body["doctor_utilization"][0]["utilization"] == 5.0


# --- §3 operations ------------------------------------------------------------------------


def test_operations(api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]) -> None:
    a, b = base.doc_a, base.doc_b
    a1 = appt(db, a, jan(18, 9), 36, "completed", resources=(base.room1,))
    a2 = appt(db, a, jan(20, 10), 60, "scheduled")  # past, unflagged → no-show
    appt(db, b, jan(19, 10), 30, "confirmed", no_show=True, resources=(base.device,))
    appt(db, b, jan(19, 8), 60, "cancelled", resources=(base.room1,))
    a5 = appt(db, a, jan(20, 11, 30), 60, "scheduled")  # still running at 12:00
    appt(db, a, jan(21, 0), 30, "confirmed")  # tomorrow 00:00: outside
    appt(db, a, jan(13, 23, 59), 30, "completed")  # before the range
    op(db, base, jan(20, 13), 60, "planned", devices=(base.device,))
    op(db, base, jan(19, 8), 120, "cancelled")
    op(db, base, jan(15, 8), 90, "done")
    o4 = op(db, base, jan(20, 11), 90, "running")
    visit(
        db,
        20,
        "registered 9:50, waiting 9:55, preparing 10:00, in_treatment 10:05, "
        "post_treatment 10:40, done 10:50",
        appointment=a2,
    )
    visit(
        db,
        20,
        "registered 11:20, waiting 11:21, preparing 11:25, in_treatment 11:31:30",
        appointment=a5,
    )
    visit(
        db,
        18,
        "registered 8:50, waiting 8:51, preparing 8:55, in_treatment 9:02, "
        "post_treatment 9:30, done 9:40",
        appointment=a1,
    )
    visit(db, 20, "registered 10:55, waiting 10:58", operation=o4, arrived=False)

    body = get(api, admin, "/api/kpi/operations/?days=7")
    assert body["period"] == {
        "label": "Letzte 7 Tage",
        "days": 7,
        "start_date": "2027-01-14",
        "end_date": "2027-01-20",
        "from": "2027-01-14",
        "to": "2027-01-20",
    }
    # booked: appointments 36+60+30+60 = 186, operations 60+90+90 = 240 → 426 of
    # 5 weekdays × 240 = 1200 → 35.5 %
    assert body["utilization"] == {
        "utilization": 35.5,
        "booked_hours": 7.1,
        "available_hours": 20.0,
        "appointment_count": 4,
        "operation_count": 3,
    }
    tp = body["throughput"]
    assert (tp["appointments"], tp["operations"], tp["total"], tp["avg_per_day"]) == (1, 1, 2, 0.3)
    assert len(tp["daily_data"]) == 7
    assert {d["day"]: d["count"] for d in tp["daily_data"] if d["count"]} == {"2027-01-18": 1}
    assert (tp["peak_day"], tp["peak_count"]) == ("Mo", 1)
    # past and not cancelled: 18.1. 09:00, 20.1. 10:00, 19.1. 10:00 → 2 no-shows of 3
    assert body["no_show"] == {
        "no_show_count": 2,
        "completed": 1,
        "total_past": 3,
        "no_show_rate": 66.7,
    }
    assert body["cancellation"] == {"cancellation_rate": 20.0, "cancelled_count": 1, "total": 5}
    res = body["resources"]
    # R2: ops 60+90+90 = 240 → 20 %; D1: appointment 30 + op 60 = 90 → 7.5 %; R1: 36 → 3 %
    assert [(r["name"], r["utilization"], r["booked_hours"]) for r in res["resources"]] == [
        ("R2", 20.0, 4.0),
        ("D1", 7.5, 1.5),
        ("R1", 3.0, 0.6),
    ]
    assert (res["avg_room_utilization"], res["avg_device_utilization"]) == (11.5, 7.5)
    assert res["bottleneck_room"]["name"] == "R2"
    assert res["bottleneck_device"]["name"] == "D1"
    bn = body["bottleneck"]
    # resource 0; no-show min(100, 5 × 66.7) = 100; cancel 3 × 20 = 60 → 0.3·100 + 0.2·60 = 42
    assert (bn["index"], bn["category"], bn["label"]) == (42.0, "medium", "Mittel")
    assert (bn["resource_score"], bn["no_show_score"], bn["cancel_score"]) == (0.0, 100.0, 60.0)
    assert bn["high_util_count"] == 0
    assert bn["high_util_resources"] == []
    assert [f["name"] for f in bn["contributing_factors"]] == [
        "Ressourcenauslastung",
        "No-Show-Rate",
        "Stornoquote",
    ]
    hourly = {
        h["hour"]: (h["appointments"], h["operations"]) for h in body["hourly"]["distribution"]
    }
    assert sorted(hourly) == list(range(6, 22))
    assert {h: v for h, v in hourly.items() if v != (0, 0)} == {
        8: (1, 2),
        9: (1, 0),
        10: (2, 0),
        11: (1, 1),
        13: (0, 1),
    }
    assert (body["hourly"]["peak_hour"], body["hourly"]["peak_count"]) == (8, 3)
    sd = body["status_distribution"]
    assert sd["appointments"] == {"scheduled": 2, "confirmed": 1, "cancelled": 1, "completed": 1}
    assert sd["operations"] == {
        "planned": 1,
        "confirmed": 0,
        "running": 1,
        "done": 1,
        "cancelled": 1,
    }
    assert (sd["total_appointments"], sd["total_operations"]) == (5, 4)
    pf = body["patient_flow"]
    assert {s["status"]: s["count"] for s in pf["statuses"]} == {
        "registered": 0,
        "waiting": 1,
        "preparing": 0,
        "in_treatment": 1,
        "post_treatment": 0,
        "done": 1,
    }
    assert pf["statuses"][1] == {
        "status": "waiting",
        "label": "Im Wartezimmer",
        "count": 1,
        "color": "#FFC107",
    }
    assert (pf["total_active"], pf["done_today"], pf["in_treatment"], pf["waiting"]) == (2, 1, 1, 1)
    # waits 15, 11 (11:20 → 11:31:30), 12 → 12.7; treatments 45, 38 → 41.5
    assert body["patient_flow_times"] == {
        "avg_wait_minutes": 12.7,
        "avg_treatment_minutes": 41.5,
        "wait_count": 3,
        "treatment_count": 2,
    }
    # K-4: 3 non-cancelled ops, 1 running, 1 done → 33.3 %, (60 + 90 + 90) / 3 = 80
    assert (
        body["total_operations"],
        body["in_progress"],
        body["completion_rate"],
        body["avg_duration_minutes"],
    ) == (3, 1, 33.3, 80.0)


@pytest.mark.parametrize(
    ("query", "label", "days", "first"),
    [
        ("", "Letzte 30 Tage", 30, "2026-12-22"),
        ("?days=1", "Heute", 1, "2027-01-20"),
        ("?days=0", "Heute", 1, "2027-01-20"),
        ("?days=90", "Letzte 90 Tage", 90, "2026-10-23"),
        ("?days=365", "Letztes Jahr", 365, "2026-01-21"),
        ("?days=12", "Letzte 12 Tage", 12, "2027-01-09"),
        ("?days=5000", "Letzte 366 Tage", 366, "2026-01-20"),
        ("?days=abc", "Letzte 30 Tage", 30, "2026-12-22"),
        ("?from=2027-01-01&to=2027-01-10&days=7", "01.01.2027 – 10.01.2027", 10, "2027-01-01"),
    ],
)
def test_operations_period(
    api: TestClient, admin: Headers, query: str, label: str, days: int, first: str
) -> None:
    period = get(api, admin, f"/api/kpi/operations/{query}")["period"]
    assert (period["label"], period["days"], period["start_date"]) == (label, days, first)


def test_operations_day_edges(
    api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]
) -> None:
    appt(db, base.doc_a, jan(20, 0), 30, "completed")  # today 00:00: in "Heute"
    appt(db, base.doc_a, jan(19, 23, 59, 59), 30, "completed")  # yesterday (K-2)
    appt(db, base.doc_a, jan(21, 0), 30, "scheduled")  # tomorrow 00:00
    body = get(api, admin, "/api/kpi/operations/?days=1")
    assert body["cancellation"]["total"] == 1
    assert body["throughput"]["daily_data"] == [{"day": "2027-01-20", "count": 1}]


# --- §4 scheduling ------------------------------------------------------------------------


def test_scheduling(api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]) -> None:
    a, b = base.doc_a, base.doc_b
    with db() as session, session.begin():
        session.add(PracticeHours(weekday=5, start_time=time(8), end_time=time(10)))  # Sa 120
        session.add(
            DoctorAbsence(doctor_id=a.id, start_date=date(2027, 1, 22), end_date=date(2027, 1, 23))
        )
        session.add(
            DoctorAbsence(
                doctor_id=b.id,
                start_date=date(2027, 1, 18),
                end_date=date(2027, 1, 24),
                active=False,
            )
        )
    old = at((2026, 12, 1), 9)
    # lead 192 h
    appt(db, a, jan(18, 9), 30, "completed", patient=1, resources=(base.room1,), created=jan(10, 9))
    # lead 2 h, same day, no-show
    appt(db, a, jan(20, 10), 60, "scheduled", patient=2, created=jan(20, 8))
    # lead 1 h, rebooked
    appt(
        db,
        b,
        jan(19, 10),
        30,
        "confirmed",
        patient=3,
        no_show=True,
        created=jan(19, 9),
        updated=jan(19, 11),
    )
    # late cancellation
    appt(
        db,
        b,
        jan(19, 8),
        60,
        "cancelled",
        patient=1,
        resources=(base.room1,),
        created=jan(15, 8),
        updated=jan(18, 8),
    )
    appt(db, a, jan(25, 9), 30, "cancelled", patient=4, created=jan(19, 12))  # early cancellation
    appt(db, a, jan(11, 9), 48, "completed", patient=1, created=old)  # prev week
    appt(db, a, at((2026, 12, 15), 9), 30, "completed", patient=5, created=old)  # prev 30 days
    appt(db, a, at((2026, 12, 16), 9), 30, "scheduled", patient=1, created=old)  # prev no-show
    appt(db, a, at((2026, 12, 17), 9), 30, "completed", patient=5, created=old)
    # lead 337 h
    appt(db, a, at((2027, 2, 3), 10), 30, "scheduled", patient=9, created=jan(20, 9))
    op(db, base, jan(19, 9), 60, "planned")  # rooms here count appointments only

    body = get(api, admin, "/api/kpi/scheduling/")
    # capacity: (5 × 240 + 120) × min(2 doctors, 2 rooms) = 2640 min → 88 slots; 3 booked
    assert body["slot_utilization"] == {
        "available_slots": 88,
        "booked_slots": 3,
        "utilization_rate": 3.4,
        "booked_minutes": 120.0,
        "total_minutes": 2640.0,
        "trend": 200.0,
        "trend_direction": "up",
    }
    # last 30 days: 4 past non-cancelled, 2 no-shows (one flagged) = 50 %; before: 1 of 3
    assert body["no_show"] == {
        "no_show_count": 2,
        "total": 4,
        "no_show_rate": 50.0,
        "trend": 16.7,
        "trend_direction": "up",
    }
    assert body["completion_rate"] == {"rate": 50.0, "completed": 2, "total": 4}
    # created in the last 30 days: 6, 2 cancelled (19.1. < now + 24 h: late; 25.1.: early)
    assert body["cancellation"] == {
        "cancellation_rate": 33.3,
        "cancelled_count": 2,
        "total_appointments": 6,
        "late_cancellations": 1,
        "early_cancellations": 1,
    }
    # leads 192, 2, 1, 337 h → 133 h = 5.5 days; min 1 h; max 337 h = 14.0 days
    assert body["lead_time"] == {
        "avg_lead_time_days": 5.5,
        "avg_lead_time_hours": 133.0,
        "min_lead_time_hours": 1.0,
        "max_lead_time_days": 14.0,
        "same_day_bookings": 2,
        "same_day_rate": 50.0,
        "avg_days": 5.5,
        "min_days": 0.0,
        "max_days": 14.0,
    }
    assert body["avg_duration"] == 42.0  # (30 + 60 + 30 + 48) / 4
    assert body["rebooking"] == {"rebooked_count": 1, "total": 4, "rebooking_rate": 25.0}
    # 3.4 − 25 − 10 − 5 < 0 → 0
    assert body["efficiency"]["score"] == 0.0
    assert body["efficiency_score"] == 0.0
    assert (
        body["efficiency"]["rating"],
        body["efficiency"]["label"],
        body["efficiency"]["color"],
    ) == ("poor", "Verbesserungsbedarf", "#EA4335")
    # booked from 22.12. on (future included): patients 1, 2, 3, 1, 9; new: 2 and 3
    assert body["new_patient"] == {
        "new_patient_appointments": 2,
        "total_appointments": 5,
        "new_patient_rate": 40.0,
    }
    peak = body["peak_load"]
    assert peak["matrix"][0][9] == 2
    assert peak["matrix"][1][8] == 1
    assert peak["matrix"][2][10] == 1
    assert sum(map(sum, peak["matrix"])) == 5
    assert (peak["peak_day"], peak["peak_hour"], peak["peak_count"]) == ("Mo", 9, 2)
    # A: 1200 × (5 − 2 absence days) / 5 = 720, booked 90 → 12.5 %; B: 120, booked 30 → 25 %
    assert [
        (d["name"], d["available_mins"], d["booked_mins"], d["utilization"], d["appointments"])
        for d in body["doctor_utilization"]
    ] == [("Bernd Bader", 120.0, 30.0, 25.0, 1), ("Anna Arzt", 720.0, 90.0, 12.5, 2)]
    # R1: 30 of 1320 → 2.3 %; R2: the operation does not count → 0
    assert [(r["name"], r["utilization"]) for r in body["room_utilization"]] == [
        ("R1", 2.3),
        ("R2", 0.0),
    ]
    weeks = body["trends"]["weeks"]
    assert [w["week"] for w in weeks] == [
        "28.10",
        "04.11",
        "11.11",
        "18.11",
        "25.11",
        "02.12",
        "09.12",
        "16.12",
        "23.12",
        "30.12",
        "06.01",
        "13.01",
    ]
    assert weeks[11] == {
        "week": "13.01",
        "total": 4,
        "completed": 1,
        "cancelled": 1,
        "no_show": 2,
        "completion_rate": 33.3,
    }
    assert weeks[10]["total"] == 1
    assert weeks[10]["completion_rate"] == 100.0
    assert (weeks[6]["total"], weeks[6]["no_show"], weeks[6]["completion_rate"]) == (2, 1, 50.0)
    assert weeks[7]["total"] == 1
    assert weeks[0]["total"] == 0
    assert body["no_show_rate"] == {"rate": 50.0, "no_show": 2, "total": 4}


# --- §5 doctors ---------------------------------------------------------------------------


def _doctor_data(db: sessionmaker[Session], base: Base) -> None:
    a, b = base.doc_a, base.doc_b
    with db() as session, session.begin():
        session.add(
            DoctorAbsence(doctor_id=a.id, start_date=date(2027, 1, 19), end_date=date(2027, 1, 19))
        )
    appt(db, a, jan(13, 9), 30, "completed", patient=2)  # before the period
    appt(db, b, jan(10, 9), 30, "completed", patient=3)  # other doctor
    appt(db, a, jan(14, 0), 30, "completed", patient=1)  # first instant of period
    d2 = appt(db, a, jan(18, 9), 30, "completed", patient=2)
    appt(db, a, jan(18, 10), 72, "scheduled", patient=3)  # no-show
    appt(db, a, jan(20, 8), 30, "cancelled", patient=1)
    appt(db, a, jan(20, 11, 30), 60, "confirmed", patient=4)  # not over yet
    appt(db, a, jan(21, 0), 30, "scheduled", patient=5)  # tomorrow: outside
    appt(db, b, jan(19, 10), 30, "completed", patient=3)
    b2 = appt(db, b, jan(20, 8), 30, "scheduled", patient=6)  # no-show
    visit(db, 18, "registered 8:50, in_treatment 9:00:30, done 9:31", appointment=d2)
    visit(db, 20, "registered 7:00, in_treatment 8:00, done 8:30", appointment=b2)


def test_doctor_detail(
    api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]
) -> None:
    _doctor_data(db, base)
    body = get(api, admin, f"/api/kpi/doctors/{base.doc_a.id}/?days=7")
    assert body["profile"] == {
        "id": base.doc_a.id,
        "username": "dr.a",
        "name": "Dr. Anna Arzt",
        "first_name": "Anna",
        "last_name": "Arzt",
        "email": "",
        "calendar_color": base.doc_a.calendar_color,
        "working_days": ["Mo", "Di", "Mi", "Do", "Fr"],
        "weekly_hours": 20.0,
        "is_active": True,
    }
    # 14.–20.1.: Do, Fr, Mo, Mi × 240 (Di absent) = 960 min; booked 30 + 30 + 72 + 60 = 192
    assert body["utilization"] == {
        "utilization": 20.0,
        "available_hours": 16.0,
        "booked_hours": 3.2,
        "appointment_count": 4,
    }
    vol = body["volume"]
    assert (vol["total"], vol["completed"], vol["scheduled"], vol["cancelled"]) == (5, 2, 2, 1)
    assert vol["avg_per_day"] == 1.3  # 4 booked on 3 dates
    assert vol["avg_per_week"] == 5.0
    assert vol["completion_rate"] == 50.0  # 2 / (5 − 1)
    assert [d["count"] for d in vol["daily_counts"]] == [1, 0, 0, 0, 2, 0, 1]
    assert vol["daily_counts"][0]["date"] == "2027-01-14"
    assert body["no_show"] == {
        "no_show_count": 1,
        "no_show_rate": 33.3,
        "show_rate": 66.7,
        "completed": 2,
        "total_past": 3,
    }
    assert body["cancellation"] == {"cancelled": 1, "total": 5, "cancellation_rate": 20.0}
    assert body["duration"] == {"avg_planned": 30.0}
    # patients 1, 2, 3, 4; patient 2 saw A before the period; B's patient 3 is new for A
    assert body["new_patients"] == {
        "total_patients": 4,
        "new_patients": 3,
        "new_patient_rate": 75.0,
    }
    peak = body["peak_times"]
    assert peak["matrix"][3][0] == 1
    assert peak["matrix"][0][9] == 1
    assert peak["matrix"][0][10] == 1
    assert (peak["busiest_day"], peak["busiest_hour"]) == ("Mo", 0)
    cell = next(c for c in peak["heatmap"] if c["day"] == "Mo" and c["hour"] == 9)
    assert cell == {"day": "Mo", "hour": 9, "count": 1, "intensity": 100.0}
    assert len(peak["heatmap"]) == 5 * 11
    # only the flow of A's appointment: wait 10 (08:50 → 09:00:30), treatment 30
    assert body["patient_flow_times"] == {
        "avg_wait_minutes": 10.0,
        "avg_treatment_minutes": 30.0,
        "wait_count": 1,
        "treatment_count": 1,
    }


def test_doctor_comparison(
    api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]
) -> None:
    _doctor_data(db, base)
    body = get(api, admin, "/api/kpi/doctors/?days=7")
    assert body["period"]["start_date"] == "2027-01-14"
    # B: Mo 08–10 = 120 available, booked 60 → 50 %; past 2, no-show 1; patients 3 (seen
    # before) and 6 (new)
    assert body["doctors"] == [
        {
            "doctor_id": base.doc_b.id,
            "name": "Bernd Bader",
            "color": base.doc_b.calendar_color,
            "utilization": 50.0,
            "appointments": 2,
            "completed": 1,
            "avg_per_day": 1.0,
            "no_show_rate": 50.0,
            "cancellation_rate": 0.0,
            "new_patient_rate": 50.0,
        },
        {
            "doctor_id": base.doc_a.id,
            "name": "Anna Arzt",
            "color": base.doc_a.calendar_color,
            "utilization": 20.0,
            "appointments": 5,
            "completed": 2,
            "avg_per_day": 1.3,
            "no_show_rate": 33.3,
            "cancellation_rate": 20.0,
            "new_patient_rate": 75.0,
        },
    ]
    # (50 + 20) / 2; (50 + 33.33…) / 2 = 41.67
    assert body["aggregates"] == {
        "doctor_count": 2,
        "avg_utilization": 35.0,
        "avg_no_show_rate": 41.7,
        "total_appointments": 7,
    }


def test_doctor_detail_lookup(api: TestClient, admin: Headers, base: Base, users: Users) -> None:
    inactive = users.create("doctor", "dr.gone", is_active=False)
    assert get(api, admin, f"/api/kpi/doctors/{inactive.id}/")["profile"]["is_active"] is False
    assistant = users.create("assistant")
    for doctor_id in (assistant.id, 999999, 2**63):
        response = api.get(f"/api/kpi/doctors/{doctor_id}/", headers=admin)
        assert response.status_code == 404, doctor_id
    assert api.get("/api/kpi/doctors/abc/", headers=admin).status_code == 404


# --- §6 patients --------------------------------------------------------------------------


def test_patients_overview(
    api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]
) -> None:
    a = base.doc_a
    with db() as session, session.begin():
        session.add_all([Patient(id=i, first_name="P", last_name=str(i)) for i in range(1, 6)])
    appt(db, a, jan(20, 9), 30, "scheduled", patient=1)
    appt(db, a, at((2026, 10, 1), 9), 30, "completed", patient=1)
    appt(db, a, jan(20, 14), 30, "confirmed", patient=2)  # after now
    appt(db, a, jan(5, 9), 30, "cancelled", patient=2)
    appt(db, a, jan(20, 8), 30, "completed", patient=3)
    appt(db, a, jan(10, 8), 30, "completed", patient=3)
    appt(db, a, at((2026, 6, 1), 8), 30, "completed", patient=4)  # > 180 days ago
    appt(db, a, jan(15, 8), 30, "scheduled", patient=9)  # no patient row
    appt(db, a, jan(21, 0), 30, "scheduled", patient=5)  # tomorrow 00:00
    body = get(api, admin, "/api/kpi/patients/overview/")
    # active since 25.7.2026: patients 1, 2, 3, 9; today scheduled/confirmed: 1, 2;
    # exactly one appointment 1.1. – now: 1 (20.1. 09:00), 2 (5.1.), 9
    assert {
        k: body[k]
        for k in (
            "total_patients",
            "active_patients",
            "inactive_patients",
            "active_rate",
            "patients_today",
            "new_this_month",
        )
    } == {
        "total_patients": 5,
        "active_patients": 4,
        "inactive_patients": 1,
        "active_rate": 80.0,
        "patients_today": 2,
        "new_this_month": 3,
    }
    body = get(api, admin, "/api/kpi/patients/overview/?from=2026-06-01&to=2026-06-30")
    assert (body["active_patients"], body["new_this_month"], body["patients_today"]) == (1, 1, 2)


# --- §9 roles, methods, range errors, audit, fabricated keys, query count -----------------


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/kpi/overview/", {"admin", "assistant", "billing"}),
        ("/api/kpi/operations/", {"admin", "assistant", "billing"}),
        ("/api/kpi/scheduling/", {"admin", "assistant", "billing"}),
        ("/api/kpi/doctors/", {"admin", "assistant", "billing"}),
        ("/api/kpi/patients/overview/", {"admin", "assistant"}),
    ],
)
def test_roles(
    api: TestClient, as_role: Callable[[str | None], Headers], path: str, allowed: set[str]
) -> None:
    assert api.get(path).status_code == 401
    for role in ("admin", "assistant", "doctor", "billing", "nurse", None):
        headers = as_role(role)
        expected = 200 if role in allowed else 403
        assert api.get(path, headers=headers).status_code == expected, (role, path)
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = api.request(method, path, headers=headers, json={})
            assert response.status_code == 403, (role, method, path)
    assert api.post(path, json={}).status_code == 401


def test_doctor_detail_roles(
    api: TestClient, base: Base, users: Users, as_role: Callable[[str | None], Headers]
) -> None:
    own = f"/api/kpi/doctors/{base.doc_a.id}/"
    assert api.get(own, headers=users.headers(base.doc_a)).status_code == 200
    assert api.get(own, headers=users.headers(base.doc_b)).status_code == 403
    assert api.get("/api/kpi/doctors/999999/", headers=users.headers(base.doc_b)).status_code == 404
    for role, expected in (
        ("admin", 200),
        ("assistant", 200),
        ("billing", 200),
        ("nurse", 403),
        (None, 403),
    ):
        assert api.get(own, headers=as_role(role)).status_code == expected, role
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for headers in (users.headers(base.doc_a), users.headers(base.admin)):
            assert api.request(method, own, headers=headers, json={}).status_code == 403
    # the own-id check (403) comes before query validation (400)
    bad = f"{own.replace(str(base.doc_a.id), str(base.doc_b.id))}?from=x&to=y"
    assert api.get(bad, headers=users.headers(base.doc_a)).status_code == 403
    assert api.get(f"{own}?from=x&to=y", headers=users.headers(base.doc_a)).status_code == 400


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("from=2027-01-01", "Provide both from and to (YYYY-MM-DD)."),
        ("to=2027-01-01", "Provide both from and to (YYYY-MM-DD)."),
        ("from=2027-01-01&to=", "Provide both from and to (YYYY-MM-DD)."),
        ("from=2027-1-5&to=2027-01-10", "Dates must be in format YYYY-MM-DD."),
        ("from=2027-01-01&to=2027-02-30", "Dates must be in format YYYY-MM-DD."),
        ("from=heute&to=morgen", "Dates must be in format YYYY-MM-DD."),
        ("from=0001-01-01&to=0001-01-05", "Dates must be in format YYYY-MM-DD."),
        ("from=2027-01-10&to=2027-01-09", "from must be <= to."),
        ("from=2026-01-01&to=2027-01-02", "Range too large (max 366 days)."),
    ],
)
def test_range_errors(api: TestClient, admin: Headers, base: Base, query: str, detail: str) -> None:
    for path in (*PATHS, f"/api/kpi/doctors/{base.doc_a.id}/"):
        response = api.get(f"{path}?{query}", headers=admin)
        assert response.status_code == 400, (path, response.text)
        assert response.json() == {"detail": detail}


def test_range_limits(api: TestClient, admin: Headers, base: Base) -> None:
    for path in (*PATHS, f"/api/kpi/doctors/{base.doc_a.id}/"):
        for query in (
            "from=2026-01-02&to=2027-01-02",
            "from=2027-01-20&to=2027-01-20",
            "from=&to=",
            "from=1900-01-01&to=1900-01-05",
            "from=9000-12-25&to=9000-12-31",
        ):
            response = api.get(f"{path}?{query}", headers=admin)
            assert response.status_code == 200, (path, query, response.text)
    body = get(api, admin, "/api/kpi/doctors/?from=2026-01-02&to=2027-01-02")
    assert body["period"]["days"] == 366


def test_audit(api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]) -> None:
    for path in (*PATHS, f"/api/kpi/doctors/{base.doc_a.id}/"):
        get(api, admin, path)
    api.get("/api/kpi/overview/?from=x&to=y", headers=admin)  # 400: no audit
    with db() as session:
        audit = list(session.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert [(row.action, row.meta, row.patient_id, row.user_id) for row in audit] == [
        ("kpi_view", {"panel": panel}, None, base.admin.id)
        for panel in ("overview", "operations", "scheduling", "doctors", "patients", "doctor")
    ]


FABRICATED = {
    "flow_times",
    "punctuality",
    "documentation",
    "services",
    "satisfaction",
    "satisfaction_score",
    "documentation_compliance",
    "avg_satisfaction",
    "waiting_times",
    "avg_actual",
    "risk",
    "risk_score",
    "vitals",
    "labs",
    "diagnoses",
    "medications",
    "documents",
    "prescriptions",
    "allergies",
}


def test_no_fabricated_keys(
    api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]
) -> None:
    _doctor_data(db, base)
    paths = (*PATHS, f"/api/kpi/doctors/{base.doc_a.id}/")
    for path in paths:
        body = get(api, admin, path)
        assert not all_keys(body) & FABRICATED, path
    detail = get(api, admin, paths[-1])
    assert set(detail["duration"]) == {"avg_planned"}  # no avg_actual / efficiency
    assert "efficiency" not in all_keys(get(api, admin, "/api/kpi/doctors/"))


def test_bounded_queries(
    api: TestClient, admin: Headers, base: Base, db: sessionmaker[Session]
) -> None:
    paths = (*PATHS, f"/api/kpi/doctors/{base.doc_a.id}/")

    def counts() -> list[int]:
        return [len(count_statements(api, partial(get, api, admin, p))) for p in paths]

    counts()  # warm-up: a token's first request also loads its user (the principal cache)
    before = counts()
    for i in range(40):
        day = date(2027, 1, 4) + timedelta(days=i % 17)
        appt(
            db,
            base.doc_a if i % 2 else base.doc_b,
            at(day, 8 + i % 9, 0),
            20,
            ("scheduled", "completed", "cancelled", "confirmed")[i % 4],
            patient=100 + i,
        )
        op(db, base, at(day, 13 + i % 5, 0), 30, "planned")
    assert counts() == before
    assert max(before) <= 20
