"""``praxi-server seed-demo`` (small size): counts, conflict-free bookings (appointments and
operations), hours, patient flows consistent with the status chain, login."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment, AppointmentResource
from server.bookings import scheduling_data
from server.bookings.occupancy import Occupancy
from server.cli import main
from server.demo.seed import (
    APPOINTMENT_TYPES,
    DEVICES,
    DOCTOR_HOURS,
    OP_DEVICES,
    OP_ROOMS,
    OPERATION_TYPES,
    PASSWORD_ENV,
    ROOMS,
    SIZES,
    DemoSeedRefused,
    PlanInput,
    password_from_env,
    plan_bookings,
    plan_flows,
    seed_demo,
)
from server.master_data.models import AppointmentType, OperationType, Resource
from server.operations.models import Operation, OperationDevice
from server.patient_flow.models import PatientFlow, PatientFlowStatusEvent
from server.patients.models import Patient
from server.users.models import Role, User
from shared.scheduling import Interval
from shared.scheduling.checks import check_appointment
from shared.scheduling.wallclock import local_date
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings

TZ = ZoneInfo("Europe/Berlin")
DEMO_PASSWORD = "demo-passwort-" + "7" * 6
# A Wednesday noon: the small data set spans Mon 2026-03-02 … Fri 2026-03-13.
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=TZ)


@pytest.fixture
def seeded(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, db: sessionmaker[Session]
) -> sessionmaker[Session]:
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)
    summary = seed_demo(engine, size="small", password=password_from_env(), tz=TZ, now=NOW)
    assert summary.appointments == SIZES["small"].appointments
    assert summary.usernames[:3] == ["dr.mueller", "dr.schmidt", "dr.schneider"]
    return db


def test_small_seed_counts(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        roles = Counter(
            session.execute(select(Role.name).join(User, User.role_id == Role.id)).scalars()
        )
        assert roles == {"doctor": 3, "assistant": 1, "admin": 1}
        # One hash for everybody: hashed once, reused.
        assert session.scalar(select(func.count(func.distinct(User.password_hash)))) == 1
        assert session.scalar(select(func.count()).select_from(Patient)) == 40
        assert session.scalar(select(func.count()).select_from(AppointmentType)) == 10
        assert session.scalar(select(func.count()).select_from(OperationType)) == 5
        resource_types = Counter(session.scalars(select(Resource.type)))
        assert resource_types == {"room": 9, "device": 7}  # incl. 3 OP rooms, 1 OP device
        appointments = session.scalars(select(Appointment)).all()
        assert len(appointments) == 150
        days = {local_date(a.start_time, TZ) for a in appointments}
        assert min(days).isoformat() >= "2026-03-02"
        assert max(days).isoformat() <= "2026-03-13"
        assert all(day.weekday() < 5 for day in days)
        statuses = Counter(a.status for a in appointments)
        assert statuses["cancelled"] < 30
        assert statuses["completed"] > 0
        assert statuses["scheduled"] > 0
        # Past appointments are never "scheduled in the future" and vice versa.
        assert all(a.status != "completed" for a in appointments if a.end_time > NOW)
        assert session.scalar(select(func.count()).select_from(AppointmentResource)) > 0


def test_occupancy_rows_match_sync_occupancy(seeded: sessionmaker[Session]) -> None:
    with seeded() as session:
        bookings: dict[int, set[int]] = {}
        for appointment_id, resource_id in session.execute(
            select(AppointmentResource.appointment_id, AppointmentResource.resource_id)
        ):
            bookings.setdefault(appointment_id, set()).add(resource_id)
        expected = set()
        for a in session.scalars(select(Appointment)):
            if a.status == "cancelled":
                continue
            expected |= {("doctor", a.doctor_id, a.id), ("patient", a.patient_id, a.id)}
            expected |= {("resource", r, a.id) for r in bookings.get(a.id, ())}
            period = session.scalar(
                select(Occupancy.period).where(Occupancy.appointment_id == a.id).limit(1)
            )
            assert period is not None
            assert (period.lower, period.upper, period.bounds) == (
                a.start_time,
                a.end_time,
                "[)",
            )
        actual = {
            (kind, subject, appointment_id)
            for kind, subject, appointment_id in session.execute(
                select(Occupancy.kind, Occupancy.subject_id, Occupancy.appointment_id).where(
                    Occupancy.appointment_id.is_not(None)
                )
            )
        }
        assert actual == expected
        overlapping = session.scalar(
            text(
                "SELECT count(*) FROM occupancies a JOIN occupancies b "
                "ON a.kind = b.kind AND a.subject_id = b.subject_id AND a.id < b.id "
                "AND a.period && b.period"
            )
        )
        assert overlapping == 0


def test_every_appointment_passes_the_scheduling_checks(seeded: sessionmaker[Session]) -> None:
    """Practice hours, doctor hours, absences, breaks, doctor/resource/patient conflicts."""
    with seeded() as session:
        rows = session.execute(
            select(Appointment.id, Appointment.doctor_id, Appointment.patient_id)
            .add_columns(Appointment.start_time, Appointment.end_time)
            .order_by(Appointment.start_time)
        ).all()
        bookings: dict[int, list[int]] = {}
        for appointment_id, resource_id in session.execute(
            select(AppointmentResource.appointment_id, AppointmentResource.resource_id)
        ):
            bookings.setdefault(appointment_id, []).append(resource_id)
        cache: dict[object, scheduling_data.SchedulingData] = {}
        for appointment_id, doctor_id, patient_id, start, end in rows:
            day = local_date(start, TZ)
            if day not in cache:
                cache[day] = scheduling_data.load(session, TZ, day, day)
            verdict = check_appointment(
                cache[day],
                Interval(start.astimezone(UTC), end.astimezone(UTC)),
                doctor_id=doctor_id,
                patient_id=patient_id,
                resource_ids=bookings.get(appointment_id, []),
                exclude_appointment_id=appointment_id,
            )
            assert verdict.failure is None, (appointment_id, verdict.failure)


def test_demo_users_log_in_with_the_env_password(
    seeded: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(database_url, tmp_path / "data")
    with shared_client(settings) as client:
        for username in ("dr.mueller", "mfa.koch", "admin.hoffmann"):
            response = client.post(
                "/api/auth/login/", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 200, response.text
        wrong = client.post(
            "/api/auth/login/", json={"username": "dr.mueller", "password": "falsch-falsch"}
        )
        assert wrong.status_code == 400


def test_second_seed_is_refused(seeded: sessionmaker[Session], engine: Engine) -> None:
    with pytest.raises(DemoSeedRefused, match="already holds data"):
        seed_demo(engine, size="small", password=DEMO_PASSWORD, tz=TZ, now=NOW)
    with seeded() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 150


def test_password_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(DemoSeedRefused, match=PASSWORD_ENV):
        password_from_env()
    monkeypatch.setenv(PASSWORD_ENV, "short")
    with pytest.raises(DemoSeedRefused, match="at least 8"):
        password_from_env()


def test_cli_seed_demo(
    database_url: str,
    db: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PRAXI_DATABASE_URL", database_url)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert main(["seed-demo"]) == 2
    assert PASSWORD_ENV in capsys.readouterr().err

    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)
    assert main(["seed-demo", "--size", "small"]) == 0
    out = capsys.readouterr().out
    assert "Seeded demo data (small)" in out
    assert "dr.mueller" in out
    assert DEMO_PASSWORD not in out
    with db() as session:
        count = session.scalar(select(func.count()).select_from(Appointment))
        first = session.scalar(select(func.min(Appointment.start_time)))
    assert count == 150
    assert first is not None
    this_monday = datetime.now(TZ).date() - timedelta(days=datetime.now(TZ).weekday())
    assert local_date(first, TZ) >= this_monday

    assert main(["seed-demo"]) == 1
    assert "already holds data" in capsys.readouterr().err


def test_operations_are_seeded_like_the_api_writes_them(
    seeded: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    """Counts, devices, occupancy rows exactly as ``operations.service.sync_occupancy``."""
    with seeded() as session:
        operations = session.scalars(select(Operation).order_by(Operation.id)).all()
        assert len(operations) == SIZES["small"].operations
        devices: dict[int, set[int]] = {}
        for operation_id, resource_id in session.execute(
            select(OperationDevice.operation_id, OperationDevice.resource_id)
        ):
            devices.setdefault(operation_id, set()).add(resource_id)
        op_rooms = set(
            session.scalars(select(Resource.id).where(Resource.name.startswith("OP-Saal")))
        )
        # OP-Plan shows the operating rooms only: the demo's treatment rooms are not.
        assert set(session.scalars(select(Resource.id).where(Resource.op_capable))) == op_rooms
        expected = set()
        for o in operations:
            assert o.op_room_id in op_rooms
            assert len(o.team) == len(set(o.team))
            assert (o.end_time <= NOW) == (o.status in ("done", "cancelled")) or (
                o.status == "cancelled"
            )
            if o.status == "cancelled":
                continue
            expected |= {("doctor", member, o.id) for member in o.team}
            expected |= {("patient", o.patient_id, o.id), ("resource", o.op_room_id, o.id)}
            expected |= {("resource", r, o.id) for r in devices.get(o.id, ())}
        actual = set(
            session.execute(
                select(Occupancy.kind, Occupancy.subject_id, Occupancy.operation_id).where(
                    Occupancy.operation_id.is_not(None)
                )
            ).all()
        )
        assert actual == expected


def test_every_operation_passes_the_operation_checks(
    seeded: sessionmaker[Session], database_url: str, tmp_path: Path, users: Users
) -> None:
    """The dry run of 04 §5.10 (PUT verdict, the operation itself excluded): hours, team,
    room, device and patient conflicts against appointments and other operations."""
    settings = make_settings(database_url, tmp_path / "data", test_now=NOW)
    with seeded() as session:
        rows = session.scalars(select(Operation).where(Operation.status != "cancelled")).all()
        devices: dict[int, list[int]] = {}
        for operation_id, resource_id in session.execute(
            select(OperationDevice.operation_id, OperationDevice.resource_id)
        ):
            devices.setdefault(operation_id, []).append(resource_id)
        admin = session.scalar(select(User).where(User.username == "admin.hoffmann"))
        assert admin is not None
    headers = users.headers(admin)
    with shared_client(settings) as client:
        for o in rows:
            body = {
                "id": o.id,
                "patient_id": o.patient_id,
                "primary_surgeon": o.primary_surgeon_id,
                "assistant": o.assistant_id,
                "anesthesist": o.anesthesist_id,
                "op_room": o.op_room_id,
                "op_type": o.op_type_id,
                "op_device_ids": devices.get(o.id, []),
                "start_time": o.start_time.isoformat(),
            }
            response = client.post(
                "/api/operations/validate/",
                json=body,
                headers=headers,
            )
            assert response.json() == {"ok": True}, (o.id, response.text)


def test_patient_flows_follow_the_chain_up_to_now(seeded: sessionmaker[Session]) -> None:
    chain = ["registered", "waiting", "preparing", "in_treatment", "post_treatment", "done"]
    with seeded() as session:
        flows = session.scalars(select(PatientFlow)).all()
        assert 20 <= len(flows) <= SIZES["small"].flows
        appointments = {a.id: a for a in session.scalars(select(Appointment))}
        operations = {o.id: o for o in session.scalars(select(Operation))}
        history: dict[int, list[PatientFlowStatusEvent]] = {}
        for e in session.scalars(
            select(PatientFlowStatusEvent).order_by(PatientFlowStatusEvent.id)
        ):
            history.setdefault(e.flow_id, []).append(e)
        linked = Counter()
        for flow in flows:
            assert (flow.appointment_id is None) != (flow.operation_id is None)
            link = (
                appointments[flow.appointment_id]
                if flow.appointment_id is not None
                else operations[flow.operation_id]  # type: ignore[index]
            )
            linked[(flow.appointment_id, flow.operation_id)] += 1
            assert link.status != "cancelled"
            assert not getattr(link, "is_no_show", False)
            events = history[flow.id]
            # One initial event, then one per step of the chain, all in the past.
            assert events[0].from_status is None
            assert events[0].to_status == "registered"
            assert [e.to_status for e in events] == chain[: len(events)]
            assert [e.from_status for e in events[1:]] == chain[: len(events) - 1]
            assert all(a.changed_at < b.changed_at for a, b in itertools.pairwise(events))
            assert events[-1].changed_at <= NOW
            assert flow.status == events[-1].to_status
            assert flow.status_changed_at == events[-1].changed_at
            assert flow.arrival_time == events[0].changed_at
            assert flow.arrival_time is not None
            assert flow.arrival_time <= link.start_time
            if local_date(link.start_time, TZ) < NOW.date():
                assert flow.status == "done"
        assert set(linked.values()) == {1}
        # Today's visits that have started are on the board; a flow exists for every
        # attended visit whose patient had arrived (the small target is not reached).
        assert any(f.status != "done" for f in flows)
        assert any(f.operation_id is not None for f in flows)
        past = [
            a
            for a in appointments.values()
            if a.end_time <= NOW and a.status != "cancelled" and not a.is_no_show
        ]
        assert {a.id for a in past} <= {f.appointment_id for f in flows}


def test_seeded_flows_render_on_the_live_board(
    seeded: sessionmaker[Session], database_url: str, tmp_path: Path, users: Users
) -> None:
    settings = make_settings(database_url, tmp_path / "data", test_now=NOW)
    with seeded() as session:
        unfinished = set(
            session.scalars(select(PatientFlow.id).where(PatientFlow.status != "done"))
        )
        assistant = session.scalar(select(User).where(User.username == "mfa.koch"))
        assert assistant is not None
    headers = users.headers(assistant)
    with shared_client(settings) as client:
        live = client.get("/api/patient-flow/live/", headers=headers).json()
        assert {f["id"] for f in live} == unfinished
        for flow in live:
            assert flow["wait_time_minutes"] is not None
            assert flow["wait_time_minutes"] >= 0
        everything = client.get("/api/patient-flow/", headers=headers).json()
        done = [f for f in everything if f["status"] == "done"]
        assert done
        assert all(f["treatment_time_minutes"] > 0 for f in done)


def test_large_plan_holds_every_booking_and_flow_conflict_free() -> None:
    """The large data set's planners alone (no database, fake ids): 20,000 appointments and
    1,500 operations fit around each other, and 3,400 flows cover the latest visits."""
    spec = SIZES["large"]
    rng = random.Random(4)
    monday = NOW.date() - timedelta(days=NOW.weekday())
    first_day = monday - timedelta(weeks=spec.weeks_before)
    days = [
        first_day + timedelta(days=i)
        for i in range((spec.weeks_before + spec.weeks_after) * 7)
        if (first_day + timedelta(days=i)).weekday() < 5
    ]
    doctor_ids = list(range(1, spec.doctors + 1))
    absences: dict[int, set[date]] = {}
    for index, offset, length, _ in spec.absences:
        start = first_day + timedelta(days=offset)
        absences.setdefault(doctor_ids[index], set()).update(
            start + timedelta(days=i) for i in range(length)
        )
    names = [*ROOMS, *OP_ROOMS, *DEVICES, *OP_DEVICES]
    plan = PlanInput(
        tz=TZ,
        now=NOW,
        days=days,
        doctor_ids=doctor_ids,
        doctor_hours={d: DOCTOR_HOURS[i] for i, d in enumerate(doctor_ids)},
        absences=absences,
        breaks={},
        type_ids=list(range(100, 100 + len(APPOINTMENT_TYPES))),
        resource_ids={name: 200 + i for i, name in enumerate(names)},
        patient_ids=list(range(1000, 1000 + spec.patients)),
        count=spec.appointments,
    )
    appointments, op_plan = plan_bookings(
        rng, plan, spec.operations, list(range(300, 300 + len(OPERATION_TYPES)))
    )
    assert len(appointments) == spec.appointments
    assert len(op_plan.operations) == spec.operations
    busy: dict[tuple[str, int], list[tuple[datetime, datetime]]] = {}
    for a in appointments:
        subjects = [("doctor", a.doctor_id), ("patient", a.patient_id)]
        if a.resource_id is not None:
            subjects.append(("resource", a.resource_id))
        for subject in subjects:
            busy.setdefault(subject, []).append((a.start, a.end))
    for o in op_plan.operations:
        subjects = [("doctor", m) for m in o.members] + [("patient", o.patient_id)]
        subjects += [("resource", r) for r in (o.room_id, *o.device_ids)]
        for subject in subjects:
            busy.setdefault(subject, []).append((o.start, o.end))
    for periods in busy.values():
        periods.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(periods))
    flows = plan_flows(rng, NOW, spec.flows, appointments, op_plan.operations)
    assert len(flows) == spec.flows
    assert all(f.events[-1][1] <= NOW for f in flows)
    assert 0 < sum(1 for f in flows if f.status != "done") < 100
