"""Long booking lists rendered in two halves at once (``server.bookings.bigjson``, issue 23)
are exactly the lists the one-statement rendering gives: same objects, same values, same
order, same scoping, one snapshot.

The split threshold is lowered for these tests (a few dozen rows instead of 20,000); the
reference is the same request with the threshold out of reach, which renders the list the
way every list was rendered before (``BookingJson.array_json``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from server.bookings import bigjson
from tests.server import scheduling_fixtures
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.scheduling_fixtures import BERLIN, NOW, Headers, OpPractice

api = scheduling_fixtures.api
admin = scheduling_fixtures.admin
op_practice = scheduling_fixtures.op_practice

FIRST_DAY = datetime(2027, 1, 18, 8, 0, tzinfo=BERLIN)
NOTES = ["", "Nüchtern", 'Zeile 1\nZeile 2 "zitiert" \\ Ende', None, "Tab\tund ü"]


@dataclass
class World:
    doctor: int
    other_doctor: int
    doctor_headers: Headers
    appointment_ids: list[int]


def _insert(session: Session, statement: str, **values: Any) -> int:
    row_id: int = session.execute(text(statement + " RETURNING id"), values).scalar_one()
    return row_id


@pytest.fixture
def world(db: sessionmaker[Session], users: Users) -> World:
    """80 appointments of two doctors with every kind of value an appointment can carry."""
    doctor = users.create(
        "doctor", "dr.lang", first_name="Anna", last_name="Müller", calendar_color="#123456"
    )
    other = users.create("doctor", "dr.ohne")  # no name: the username is the display name
    rng = random.Random(23)
    with db() as session, session.begin():
        patients = [
            _insert(
                session,
                "INSERT INTO patients (id, first_name, last_name, birth_date) "
                "VALUES (:id, :first, :last, :born)",
                id=pid,
                first=first,
                last=last,
                born=born,
            )
            for pid, first, last, born in [
                (1001, "Max", "Mustermann", date(1990, 5, 15)),
                (1002, "  ", "", None),  # no name: "Patient #1002"
                (1003, ' Jo "Q" ', "O'Brien \\ Ü", None),
                (1004, "", "Nur-Nachname", date(2001, 1, 2)),
            ]
        ]
        patients.append(4242)  # no such patient: "Patient #4242"
        types: list[int | None] = [
            _insert(
                session,
                "INSERT INTO appointment_types (name, color) VALUES (:name, :color)",
                name=name,
                color=color,
            )
            for name, color in [("Kontrolle", "#ABCDEF"), ("Ohne Farbe", None)]
        ]
        types.append(None)
        resources = [
            _insert(
                session,
                "INSERT INTO resources (name, type, active) VALUES (:name, :type, :active)",
                name=name,
                type=kind,
                active=active,
            )
            for name, kind, active in [
                ("Raum A", "room", True),
                ("EKG", "device", True),
                ("Raum B", "room", False),
                ("EKG", "device", True),  # same name: ordered by id
                ("Raum A", "room", True),
                ("Sono", "device", False),
            ]
        ]
        ids = []
        for index in range(80):
            # Ten appointments share the middle start time: the split keeps them together.
            start = (
                FIRST_DAY + timedelta(hours=10)
                if 35 <= index < 45
                else (FIRST_DAY + timedelta(hours=index * 7, minutes=rng.choice([0, 15, 20])))
            )
            if index % 9 == 0:
                start += timedelta(microseconds=rng.randrange(1, 999_999))
            created = FIRST_DAY - timedelta(days=30, microseconds=rng.choice([0, 1, 120_000]))
            ids.append(
                _insert(
                    session,
                    "INSERT INTO appointments (patient_id, doctor_id, type_id, start_time, "
                    "end_time, status, is_no_show, notes, created_at, updated_at) VALUES "
                    "(:patient, :doctor, :type, :start, :end, :status, :no_show, :notes, "
                    ":created, :updated)",
                    patient=patients[index % len(patients)],
                    doctor=(doctor.id, other.id)[index % 2],
                    type=types[index % len(types)],
                    start=start,
                    end=start + timedelta(minutes=rng.choice([10, 30, 45])),
                    status=("scheduled", "confirmed", "cancelled", "completed")[index % 4],
                    no_show=index % 7 == 0,
                    notes=NOTES[index % len(NOTES)],
                    created=created,
                    updated=created + timedelta(microseconds=index * 1_001),
                )
            )
            for resource in rng.sample(resources, rng.choice([0, 0, 1, 2, 3])):
                session.execute(
                    text("INSERT INTO appointment_resources VALUES (:a, :r)"),
                    {"a": ids[-1], "r": resource},
                )
        series = _insert(
            session,
            "INSERT INTO appointment_series (patient_id, doctor_id, rule, start_time, "
            "duration_minutes, occurrence_count) VALUES (1001, :doctor, 'weekly', :start, 30, 3)",
            doctor=doctor.id,
            start=FIRST_DAY,
        )
        for position, member in enumerate(ids[0:60:20], start=1):
            session.execute(
                text("INSERT INTO appointment_series_members VALUES (:a, :s, :p)"),
                {"a": member, "s": series, "p": position},
            )
        chain = _insert(
            session,
            "INSERT INTO appointment_chains (name, patient_id, doctor_ids, step_count, rules) "
            "VALUES ('Knie', 1001, ARRAY[:doctor]::bigint[], 2, '[]')",
            doctor=doctor.id,
        )
        for position, member in enumerate((ids[5], ids[70]), start=1):
            session.execute(
                text(
                    "INSERT INTO appointment_chain_steps (chain_id, position, name, "
                    "appointment_id) VALUES (:c, :p, :n, :a)"
                ),
                {"c": chain, "p": position, "n": f"Schritt {position}", "a": member},
            )
    return World(doctor.id, other.id, users.headers(doctor), ids)


@pytest.fixture
def split_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Lists of two rows and more are long; records every second half rendered."""
    calls: list[str] = []
    original = bigjson._fetch_in_snapshot

    def second_half(*args: Any) -> list[bytes]:
        calls.append(args[1])
        return original(*args)

    monkeypatch.setattr(bigjson, "SPLIT_MIN_ROWS", 2)
    monkeypatch.setattr(bigjson, "CHUNK_ROWS", 7)  # several chunks per half
    monkeypatch.setattr(bigjson, "_fetch_in_snapshot", second_half)
    return calls


def _list(api: TestClient, headers: Headers, path: str) -> Any:
    """The list, read twice: the first request of a token loads its user in the request's
    session, which then renders a long list in one statement (halves need a session that
    has not begun its transaction); both must be the same list."""
    first, second = (api.get(path, headers=headers) for _ in range(2))
    for response in (first, second):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
    assert first.json() == second.json()
    return second.json()


def _reference(api: TestClient, headers: Headers, path: str) -> Any:
    """The list as one statement renders it (the threshold out of reach)."""
    saved = bigjson.SPLIT_MIN_ROWS
    bigjson.SPLIT_MIN_ROWS = 10**9
    try:
        return _list(api, headers, path)
    finally:
        bigjson.SPLIT_MIN_ROWS = saved


PATHS = [
    "/api/appointments/",
    "/api/appointments/?start_date=2027-01-20&end_date=2027-01-31",
    "/api/appointments/?patient_id=1003",
]


@pytest.mark.parametrize("path", PATHS)
def test_a_long_list_in_halves_is_the_same_list(
    api: TestClient, admin: Headers, world: World, split_calls: list[str], path: str
) -> None:
    expected = _reference(api, admin, path)
    assert split_calls == []
    assert _list(api, admin, path) == expected
    assert split_calls, "the list was not rendered in halves"
    assert len(expected) > 2


def test_the_reference_has_every_kind_of_value(
    api: TestClient, admin: Headers, world: World
) -> None:
    rows = _reference(api, admin, "/api/appointments/")
    assert sorted(row["id"] for row in rows) == world.appointment_ids
    keys = [(datetime.fromisoformat(row["start_time"]), row["id"]) for row in rows]
    assert keys == sorted(keys)
    assert {row["status"] for row in rows} == {"scheduled", "confirmed", "cancelled", "completed"}
    assert sum(row["series"] is not None for row in rows) == 3
    assert sum(row["chain"] is not None for row in rows) == 2
    assert any(row["resources"] for row in rows)
    assert any(not row["resources"] for row in rows)
    assert any(row["type"] is None for row in rows)
    names = {row["patient_name"] for row in rows}
    assert {"Patient #1002", "Patient #4242", "Mustermann, Max (15.05.1990)"} <= names
    assert any("." in row["start_time"] for row in rows)  # microseconds
    assert any("." in row["created_at"] for row in rows)


def test_without_an_idle_connection_both_halves_share_one(
    api: TestClient,
    admin: Headers,
    world: World,
    split_calls: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _reference(api, admin, "/api/appointments/")
    monkeypatch.setattr(bigjson, "_has_idle_connection", lambda conn: False)
    assert _list(api, admin, "/api/appointments/") == expected
    assert split_calls == []


def test_a_doctor_sees_only_their_own_rows_in_halves(
    api: TestClient, admin: Headers, world: World, split_calls: list[str]
) -> None:
    rows = _list(api, world.doctor_headers, "/api/appointments/")
    assert split_calls
    assert rows == _reference(api, world.doctor_headers, "/api/appointments/")
    assert len(rows) == 40
    assert {row["doctor"] for row in rows} == {world.doctor}
    everyone = _list(api, admin, "/api/appointments/")
    assert {row["doctor"] for row in everyone} == {world.doctor, world.other_doctor}


def test_a_practice_at_utc_writes_z_in_halves_too(
    database_url: str,
    tmp_path: Path,
    admin: Headers,
    world: World,
    split_calls: list[str],
) -> None:
    settings = make_settings(database_url, tmp_path, test_now=NOW, timezone="UTC")
    with shared_client(settings) as utc:
        expected = _reference(utc, admin, "/api/appointments/")
        response = _list(utc, admin, "/api/appointments/")
    assert split_calls
    assert response == expected
    assert all(row["created_at"].endswith("Z") for row in response)


def test_pooled_connections_are_back_to_read_committed(
    api: TestClient, admin: Headers, world: World, split_calls: list[str]
) -> None:
    """The halves' ``REPEATABLE READ`` and sort memory end with their transactions: the next
    request on any pooled connection (a write, say) runs as every request always did."""
    _list(api, admin, "/api/appointments/")
    assert split_calls
    pool = api.app.state.praxi.engine.pool  # type: ignore[attr-defined]
    idle = [pool.connect() for _ in range(pool.checkedin())]
    try:
        assert len(idle) >= 2
        for connection in idle:
            cursor = connection.cursor()
            cursor.execute("SHOW transaction_isolation")
            isolation = cursor.fetchone()[0]
            cursor.execute("SELECT setting = reset_val FROM pg_settings WHERE name = 'work_mem'")
            assert (isolation, cursor.fetchone()[0]) == ("read committed", True)
            connection.rollback()
    finally:
        for connection in idle:
            connection.close()


def test_one_day_is_never_split(
    api: TestClient, admin: Headers, world: World, split_calls: list[str]
) -> None:
    rows = _list(api, admin, "/api/appointments/?date=2027-01-18")
    assert rows
    assert split_calls == []


def test_both_halves_read_one_snapshot(
    api: TestClient,
    admin: Headers,
    world: World,
    split_calls: list[str],
    db: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write committed after the first half's snapshot is in neither half."""
    before = _reference(api, admin, "/api/appointments/")
    original = bigjson._fetch_in_snapshot

    def write_then_read(*args: Any) -> list[bytes]:
        with db() as session, session.begin():
            session.execute(
                text("UPDATE appointments SET notes = 'später' WHERE id = :id"),
                {"id": world.appointment_ids[-1]},
            )
            session.execute(
                text(
                    "INSERT INTO appointments (patient_id, doctor_id, start_time, end_time) "
                    "VALUES (1001, :doctor, :start, :start + interval '10 minutes')"
                ),
                {"doctor": world.doctor, "start": FIRST_DAY + timedelta(days=60)},
            )
        return original(*args)

    api.get("/api/appointments/", headers=admin)  # the token's first request
    monkeypatch.setattr(bigjson, "_fetch_in_snapshot", write_then_read)
    response = api.get("/api/appointments/", headers=admin)
    assert response.json() == before
    monkeypatch.setattr(bigjson, "_fetch_in_snapshot", original)
    after = _list(api, admin, "/api/appointments/")
    assert len(after) == len(before) + 1
    assert after[-2]["notes"] == "später"


def test_a_long_operations_list_in_halves_is_the_same_list(
    api: TestClient,
    admin: Headers,
    op_practice: OpPractice,
    db: sessionmaker[Session],
    split_calls: list[str],
) -> None:
    practice = op_practice
    with db() as session, session.begin():
        for index in range(12):
            start = FIRST_DAY + timedelta(hours=index * 5, microseconds=index * 37)
            operation = _insert(
                session,
                "INSERT INTO operations (patient_id, primary_surgeon_id, assistant_id, "
                "anesthesist_id, op_room_id, op_type_id, start_time, end_time, status, notes) "
                "VALUES (:patient, :surgeon, :assistant, :anesthesist, :room, :type, :start, "
                ":start + interval '50 minutes', :status, :notes)",
                patient=(practice.patient_id, 4242)[index % 2],
                surgeon=practice.surgeon.id,
                assistant=practice.other_surgeon.id if index % 3 else None,
                anesthesist=practice.anesthesist.id if index % 4 else None,
                room=(practice.room_id, practice.other_room_id)[index % 2],
                type=practice.type_id,
                start=start,
                status=("planned", "cancelled", "done")[index % 3],
                notes=NOTES[index % len(NOTES)],
            )
            for device in (practice.device_id, practice.other_device_id)[: index % 3]:
                session.execute(
                    text(
                        "INSERT INTO operation_devices (operation_id, resource_id) VALUES (:o, :r)"
                    ),
                    {"o": operation, "r": device},
                )
    expected = _reference(api, admin, "/api/operations/")
    assert len(expected) == 12
    assert _list(api, admin, "/api/operations/") == expected
    assert split_calls
