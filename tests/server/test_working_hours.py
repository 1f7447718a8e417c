"""Practice hours, doctor hours, absences (+ preview) and breaks — spec 02 §5–§8."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.users.models import User
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.scheduling_fixtures import MONDAY, NOW, at, build_practice

Headers = dict[str, str]
RESOURCES = ["practice-hours", "doctor-hours", "doctor-absences", "doctor-breaks"]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


@pytest.fixture
def doctor(users: Users) -> User:
    return users.create("doctor", "dr.a", first_name="Anna", last_name="Arzt")


@pytest.fixture
def other_doctor(users: Users) -> User:
    return users.create("doctor", "dr.b")


def valid_body(resource: str, doctor_id: int) -> dict[str, Any]:
    return {
        "practice-hours": {"weekday": 0, "start_time": "08:00", "end_time": "12:00"},
        "doctor-hours": {
            "doctor": doctor_id,
            "weekday": 0,
            "start_time": "08:00",
            "end_time": "12:00",
        },
        "doctor-absences": {
            "doctor": doctor_id,
            "start_date": "2026-01-10",
            "end_date": "2026-01-20",
            "reason": "Urlaub",
        },
        "doctor-breaks": {
            "doctor": doctor_id,
            "date": "2026-01-12",
            "start_time": "12:00",
            "end_time": "12:30",
            "reason": "Mittag",
        },
    }[resource]


def create(
    client: TestClient, headers: Headers, resource: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = client.post(f"/api/{resource}/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


# --- representation and defaults -------------------------------------------------------


def test_practice_hours_representation(client: TestClient, admin: Headers) -> None:
    body = create(
        client,
        admin,
        "practice-hours",
        {"weekday": 2, "start_time": "08:00", "end_time": "12:30:15"},
    )
    assert body["weekday"] == 2
    assert body["start_time"] == "08:00:00"
    assert body["end_time"] == "12:30:15"
    assert body["active"] is True
    assert set(body) == {
        "id",
        "weekday",
        "start_time",
        "end_time",
        "active",
        "created_at",
        "updated_at",
    }


def test_absence_computed_fields_and_constant_color(
    client: TestClient, admin: Headers, doctor: User
) -> None:
    body = create(client, admin, "doctor-absences", valid_body("doctor-absences", doctor.id))
    assert body == {
        "id": body["id"],
        "doctor": doctor.id,
        "start_date": "2026-01-10",
        "end_date": "2026-01-20",
        "reason": "Urlaub",
        "color": "#FF4500",
        "active": True,
        "duration_workdays": 7,
        "return_date": "2026-01-21",
        "remaining_days": 23,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


def test_remaining_days_count_other_vacations_of_the_year_when_read(
    client: TestClient, admin: Headers, doctor: User, other_doctor: User
) -> None:
    first = create(
        client,
        admin,
        "doctor-absences",
        {
            "doctor": doctor.id,
            "start_date": "2025-12-29",
            "end_date": "2026-01-02",
            "reason": " urlaub ",
        },
    )
    second = create(
        client,
        admin,
        "doctor-absences",
        {
            "doctor": doctor.id,
            "start_date": "2026-03-02",
            "end_date": "2026-03-06",
            "reason": "Urlaub",
        },
    )
    # Inactive vacation, sick leave and other doctors' vacation do not count.
    create(
        client,
        admin,
        "doctor-absences",
        {
            "doctor": doctor.id,
            "start_date": "2026-04-06",
            "end_date": "2026-04-10",
            "reason": "Urlaub",
            "active": False,
        },
    )
    create(
        client,
        admin,
        "doctor-absences",
        {
            "doctor": doctor.id,
            "start_date": "2026-05-04",
            "end_date": "2026-05-08",
            "reason": "Krank",
        },
    )
    create(
        client,
        admin,
        "doctor-absences",
        {
            "doctor": other_doctor.id,
            "start_date": "2026-03-02",
            "end_date": "2026-03-06",
            "reason": "Urlaub",
        },
    )
    got = client.get(f"/api/doctor-absences/{second['id']}/", headers=admin).json()
    assert got["remaining_days"] == 30 - 2 - 5  # 2 workdays of the first in 2026
    sick = client.get(f"/api/doctor-absences/?doctor_id={doctor.id}", headers=admin).json()
    by_reason = {r["reason"]: r["remaining_days"] for r in sick["results"]}
    assert by_reason["Krank"] is None
    # The first absence starts in 2025: the second vacation lies in another year.
    assert (
        client.get(f"/api/doctor-absences/{first['id']}/", headers=admin).json()["remaining_days"]
        == 30 - 5
    )
    # Changing the allowance changes the number at once (computed when read).
    client.patch(f"/api/users/{doctor.id}/", json={"vacation_days_per_year": 10}, headers=admin)
    got = client.get(f"/api/doctor-absences/{second['id']}/", headers=admin).json()
    assert got["remaining_days"] == 10 - 2 - 5


def test_break_defaults_to_practice_wide(client: TestClient, admin: Headers) -> None:
    body = create(
        client,
        admin,
        "doctor-breaks",
        {"date": "2026-01-12", "start_time": "12:00", "end_time": "13:00"},
    )
    assert body["doctor"] is None
    assert body["color"] == "#FFD700"
    assert body["reason"] is None


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "change", "expected"),
    [
        (
            "practice-hours",
            {"weekday": 7},
            {"weekday": ["Wochentag muss zwischen 0 (Montag) und 6 (Sonntag) liegen."]},
        ),
        (
            "practice-hours",
            {"weekday": -1},
            {"weekday": ["Wochentag muss zwischen 0 (Montag) und 6 (Sonntag) liegen."]},
        ),
        ("practice-hours", {"weekday": "Montag"}, {"weekday": ["A valid integer is required."]}),
        (
            "practice-hours",
            {"end_time": "08:00"},
            {"end_time": ["Endzeit muss nach der Startzeit liegen."]},
        ),
        (
            "practice-hours",
            {"start_time": "8 Uhr"},
            {
                "start_time": [
                    "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."
                ]
            },
        ),
        (
            "doctor-hours",
            {"doctor": 999999},
            {"doctor": ['Invalid pk "999999" - object does not exist.']},
        ),
        (
            "doctor-hours",
            {"doctor": "abc"},
            {"doctor": ["Incorrect type. Expected pk value, received str."]},
        ),
        (
            "doctor-hours",
            {"end_time": "07:00"},
            {"end_time": ["Endzeit muss nach der Startzeit liegen."]},
        ),
        (
            "doctor-absences",
            {"end_date": "2026-01-09"},
            {"end_date": ["Enddatum muss am oder nach dem Startdatum liegen."]},
        ),
        (
            "doctor-absences",
            {"start_date": "10.01.2026"},
            {
                "start_date": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            "doctor-absences",
            {"reason": "x" * 256},
            {"reason": ["Ensure this field has no more than 255 characters."]},
        ),
        (
            "doctor-breaks",
            {"end_time": "11:00"},
            {"end_time": ["Endzeit muss nach der Startzeit liegen."]},
        ),
        (
            "doctor-breaks",
            {"doctor": 999999},
            {"doctor": ['Invalid pk "999999" - object does not exist.']},
        ),
    ],
)
def test_validation_messages(
    client: TestClient,
    admin: Headers,
    doctor: User,
    resource: str,
    change: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    response = client.post(
        f"/api/{resource}/", json={**valid_body(resource, doctor.id), **change}, headers=admin
    )
    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.parametrize("resource", ["doctor-hours", "doctor-absences", "doctor-breaks"])
def test_referenced_user_must_be_a_doctor(
    client: TestClient, admin: Headers, users: Users, resource: str
) -> None:
    assistant = users.create("assistant")
    response = client.post(
        f"/api/{resource}/", json=valid_body(resource, assistant.id), headers=admin
    )
    assert response.status_code == 400
    assert response.json() == {"doctor": ['Der Arzt muss die Rolle "doctor" haben.']}


def test_missing_required_fields(client: TestClient, admin: Headers) -> None:
    response = client.post("/api/doctor-hours/", json={}, headers=admin)
    assert response.json() == {
        field: ["This field is required."]
        for field in ("doctor", "weekday", "start_time", "end_time")
    }


def test_doctor_hours_must_be_unique(client: TestClient, admin: Headers, doctor: User) -> None:
    body = valid_body("doctor-hours", doctor.id)
    create(client, admin, "doctor-hours", body)
    response = client.post("/api/doctor-hours/", json=body, headers=admin)
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "The fields doctor, weekday, start_time, end_time, active must make a unique set."
        ]
    }
    # The same window inactive is a different set.
    create(client, admin, "doctor-hours", {**body, "active": False})


def test_patch_compares_merged_values(client: TestClient, admin: Headers, doctor: User) -> None:
    hours = create(client, admin, "practice-hours", valid_body("practice-hours", doctor.id))
    response = client.patch(
        f"/api/practice-hours/{hours['id']}/", json={"end_time": "07:00"}, headers=admin
    )
    assert response.status_code == 400
    assert response.json() == {"end_time": ["Endzeit muss nach der Startzeit liegen."]}
    absence = create(client, admin, "doctor-absences", valid_body("doctor-absences", doctor.id))
    response = client.patch(
        f"/api/doctor-absences/{absence['id']}/", json={"start_date": "2026-02-01"}, headers=admin
    )
    assert response.json() == {"end_date": ["Enddatum muss am oder nach dem Startdatum liegen."]}


def test_patch_changes_only_sent_fields_and_put_needs_all(
    client: TestClient, admin: Headers, doctor: User
) -> None:
    hours = create(client, admin, "practice-hours", valid_body("practice-hours", doctor.id))
    patched = client.patch(
        f"/api/practice-hours/{hours['id']}/", json={"active": False}, headers=admin
    ).json()
    assert (patched["weekday"], patched["start_time"], patched["active"]) == (0, "08:00:00", False)
    response = client.put(f"/api/practice-hours/{hours['id']}/", json={"weekday": 3}, headers=admin)
    assert response.status_code == 400
    assert response.json() == {
        "start_time": ["This field is required."],
        "end_time": ["This field is required."],
    }
    replaced = client.put(
        f"/api/practice-hours/{hours['id']}/",
        json={"weekday": 3, "start_time": "14:00", "end_time": "18:00", "id": 999},
        headers=admin,
    ).json()
    assert (replaced["id"], replaced["weekday"], replaced["active"]) == (hours["id"], 3, True)


# --- lists: ordering, filters -------------------------------------------------------------


def test_practice_hours_ordering(client: TestClient, admin: Headers) -> None:
    for weekday, start, end in (
        (1, "14:00", "18:00"),
        (0, "14:00", "18:00"),
        (1, "08:00", "12:00"),
    ):
        create(
            client,
            admin,
            "practice-hours",
            {"weekday": weekday, "start_time": start, "end_time": end},
        )
    rows = client.get("/api/practice-hours/", headers=admin).json()["results"]
    assert [(r["weekday"], r["start_time"]) for r in rows] == [
        (0, "14:00:00"),
        (1, "08:00:00"),
        (1, "14:00:00"),
    ]


def test_breaks_ordering_and_filters(
    client: TestClient, admin: Headers, doctor: User, other_doctor: User
) -> None:
    def add(doctor_id: int | None, day: str, start: str) -> None:
        create(
            client,
            admin,
            "doctor-breaks",
            {"doctor": doctor_id, "date": day, "start_time": start, "end_time": "23:00"},
        )

    add(None, "2026-01-12", "12:00")
    add(other_doctor.id, "2026-01-12", "12:00")
    add(doctor.id, "2026-01-12", "12:00")
    add(doctor.id, "2026-01-11", "15:00")
    add(doctor.id, "2026-01-14", "09:00")
    rows = client.get("/api/doctor-breaks/", headers=admin).json()["results"]
    assert [(r["date"], r["doctor"]) for r in rows] == [
        ("2026-01-11", doctor.id),
        ("2026-01-12", doctor.id),
        ("2026-01-12", other_doctor.id),
        ("2026-01-12", None),
        ("2026-01-14", doctor.id),
    ]
    ranged = client.get(
        "/api/doctor-breaks/?start_date=2026-01-12&end_date=2026-01-12", headers=admin
    ).json()
    assert ranged["count"] == 3
    mine = client.get(f"/api/doctor-breaks/?doctor_id={doctor.id}", headers=admin).json()
    assert mine["count"] == 3
    bad = client.get("/api/doctor-breaks/?start_date=12.01.2026", headers=admin)
    assert bad.status_code == 400
    assert bad.json() == {
        "start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
    }


# --- doctor scoping ------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["doctor-hours", "doctor-absences", "doctor-breaks"])
def test_doctor_sees_only_own_rows_and_foreign_rows_are_404(
    client: TestClient,
    admin: Headers,
    users: Users,
    doctor: User,
    other_doctor: User,
    resource: str,
) -> None:
    own = create(client, admin, resource, valid_body(resource, doctor.id))
    foreign = create(client, admin, resource, valid_body(resource, other_doctor.id))
    headers = users.headers(doctor)
    listed = client.get(f"/api/{resource}/", headers=headers).json()
    assert [r["id"] for r in listed["results"]] == [own["id"]]
    # The doctor_id filter is intersected with "own".
    assert (
        client.get(f"/api/{resource}/?doctor_id={other_doctor.id}", headers=headers).json()["count"]
        == 0
    )
    assert client.get(f"/api/{resource}/{own['id']}/", headers=headers).status_code == 200
    response = client.get(f"/api/{resource}/{foreign['id']}/", headers=headers)
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_practice_wide_breaks_are_hidden_from_doctors(
    client: TestClient, admin: Headers, users: Users, doctor: User
) -> None:
    wide = create(
        client,
        admin,
        "doctor-breaks",
        {"date": "2026-01-12", "start_time": "12:00", "end_time": "13:00"},
    )
    headers = users.headers(doctor)
    assert client.get("/api/doctor-breaks/", headers=headers).json()["count"] == 0
    assert client.get(f"/api/doctor-breaks/{wide['id']}/", headers=headers).status_code == 404


@pytest.mark.parametrize("resource", ["doctor-absences", "doctor-breaks"])
def test_doctor_edits_and_deletes_own_rows_but_cannot_reassign(
    client: TestClient,
    admin: Headers,
    users: Users,
    doctor: User,
    other_doctor: User,
    resource: str,
) -> None:
    own = create(client, admin, resource, valid_body(resource, doctor.id))
    foreign = create(client, admin, resource, valid_body(resource, other_doctor.id))
    headers = users.headers(doctor)
    response = client.patch(
        f"/api/{resource}/{own['id']}/", json={"reason": "Kongress"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["reason"] == "Kongress"
    # Breaks may also be re-assigned to "practice-wide" (null); absences always need a doctor.
    targets = (other_doctor.id, None) if resource == "doctor-breaks" else (other_doctor.id,)
    for target in targets:
        response = client.patch(
            f"/api/{resource}/{own['id']}/", json={"doctor": target}, headers=headers
        )
        assert response.status_code == 400
        assert response.json() == {"doctor": ["Ärzte dürfen nur eigene Einträge bearbeiten."]}
    assert (
        client.patch(
            f"/api/{resource}/{foreign['id']}/", json={"reason": "x"}, headers=headers
        ).status_code
        == 404
    )
    assert client.delete(f"/api/{resource}/{foreign['id']}/", headers=headers).status_code == 404
    assert client.delete(f"/api/{resource}/{own['id']}/", headers=headers).status_code == 204
    assert client.get(f"/api/{resource}/{own['id']}/", headers=admin).status_code == 404


def test_doctor_cannot_edit_even_own_doctor_hours(
    client: TestClient, admin: Headers, users: Users, doctor: User
) -> None:
    own = create(client, admin, "doctor-hours", valid_body("doctor-hours", doctor.id))
    response = client.patch(
        f"/api/doctor-hours/{own['id']}/", json={"active": False}, headers=users.headers(doctor)
    )
    assert response.status_code == 403


# --- RBAC matrix ---------------------------------------------------------------------------

ALLOWED = {
    # (resource, method on list/detail): roles that pass (others 403); D "own" rows included.
    "practice-hours": {
        "list GET": "ASDB",
        "POST": "AS",
        "detail GET": "ASDB",
        "PUT": "AS",
        "PATCH": "AS",
        "DELETE": "AS",
    },
    "doctor-hours": {
        "list GET": "ASDB",
        "POST": "AS",
        "detail GET": "ASDB",
        "PUT": "AS",
        "PATCH": "AS",
        "DELETE": "AS",
    },
    "doctor-absences": {
        "list GET": "ASDB",
        "POST": "AS",
        "detail GET": "ASDB",
        "PUT": "ASD",
        "PATCH": "ASD",
        "DELETE": "ASD",
    },
    "doctor-breaks": {
        "list GET": "ASDB",
        "POST": "AS",
        "detail GET": "ASDB",
        "PUT": "ASD",
        "PATCH": "ASD",
        "DELETE": "ASD",
    },
}
ROLE_LETTERS = {
    "admin": "A",
    "assistant": "S",
    "doctor": "D",
    "billing": "B",
    "nurse": "O",
    "reception": "O",
    "lab": "O",
    "management": "O",
    None: "-",
}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", list(ROLE_LETTERS))
def test_role_matrix(
    client: TestClient,
    admin: Headers,
    users: Users,
    doctor: User,
    resource: str,
    role: str | None,
) -> None:
    caller = doctor if role == "doctor" else users.create(role)
    headers = users.headers(caller)
    row = create(client, admin, resource, valid_body(resource, doctor.id))
    body = valid_body(resource, doctor.id)
    calls: dict[str, Callable[[], Any]] = {
        "list GET": lambda: client.get(f"/api/{resource}/", headers=headers),
        "detail GET": lambda: client.get(f"/api/{resource}/{row['id']}/", headers=headers),
        "PUT": lambda: client.put(f"/api/{resource}/{row['id']}/", json=body, headers=headers),
        "PATCH": lambda: client.patch(f"/api/{resource}/{row['id']}/", json={}, headers=headers),
        "POST": lambda: client.post(
            f"/api/{resource}/", json={**body, "active": False}, headers=headers
        ),
        "DELETE": lambda: client.delete(f"/api/{resource}/{row['id']}/", headers=headers),
    }
    for action, call in calls.items():
        response = call()
        if ROLE_LETTERS[role] in ALLOWED[resource][action]:
            assert response.status_code in (200, 201, 204), (action, response.text)
        else:
            assert response.status_code == 403, (action, response.text)
            assert response.json() == {
                "detail": "You do not have permission to perform this action."
            }


@pytest.mark.parametrize(
    ("path", "method", "role", "status"),
    [
        ("/api/doctor-absences/", "PUT", "doctor", 405),
        ("/api/doctor-absences/", "DELETE", "assistant", 405),
        ("/api/doctor-absences/", "PATCH", "billing", 403),
        ("/api/doctor-absences/1/", "POST", "assistant", 405),
        ("/api/doctor-absences/1/", "POST", "doctor", 403),
        ("/api/doctor-breaks/1/", "POST", "doctor", 403),
        ("/api/practice-hours/", "DELETE", "assistant", 405),
        ("/api/practice-hours/", "DELETE", "doctor", 403),
        ("/api/doctor-hours/1/", "POST", "admin", 405),
        ("/api/doctor-absences/preview/", "POST", "doctor", 405),
        ("/api/doctor-absences/preview/", "POST", "billing", 403),
    ],
)
def test_unsupported_methods(
    client: TestClient,
    as_role: Callable[[str | None], Headers],
    path: str,
    method: str,
    role: str,
    status: int,
) -> None:
    response = client.request(method, path, headers=as_role(role))
    assert response.status_code == status


def test_unknown_ids_are_404_for_allowed_roles_and_403_before_lookup(
    client: TestClient, admin: Headers, as_role: Callable[[str | None], Headers]
) -> None:
    assert client.get("/api/practice-hours/999999/", headers=admin).status_code == 404
    assert (
        client.patch("/api/practice-hours/999999/", json={}, headers=as_role("billing")).status_code
        == 403
    )


# --- audit and events ------------------------------------------------------------------------


def test_each_call_writes_its_audit_entry(
    client: TestClient, admin: Headers, doctor: User, db: sessionmaker[Session]
) -> None:
    row = create(client, admin, "doctor-breaks", valid_body("doctor-breaks", doctor.id))
    client.get("/api/doctor-breaks/", headers=admin)
    client.get(f"/api/doctor-breaks/{row['id']}/", headers=admin)
    client.patch(f"/api/doctor-breaks/{row['id']}/", json={"reason": "x"}, headers=admin)
    client.delete(f"/api/doctor-breaks/{row['id']}/", headers=admin)
    client.post("/api/doctor-breaks/", json={}, headers=admin)  # a 400 writes nothing
    with db() as session:
        actions = list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions == [
        "doctor_break_create",
        "doctor_break_list",
        "doctor_break_view",
        "doctor_break_update",
        "doctor_break_delete",
    ]


def test_writes_publish_live_events(
    client: TestClient, admin: Headers, doctor: User, database_url: str
) -> None:
    import psycopg

    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute("LISTEN praxi_events")
        row = create(client, admin, "practice-hours", valid_body("practice-hours", doctor.id))
        client.delete(f"/api/practice-hours/{row['id']}/", headers=admin)
        import json

        events = [json.loads(n.payload) for n in listener.notifies(timeout=2, stop_after=2)]
    assert [(e["entity"], e["id"], e["action"]) for e in events] == [
        ("practice_hours", row["id"], "created"),
        ("practice_hours", row["id"], "deleted"),
    ]


# --- absence preview ---------------------------------------------------------------------------


def test_preview_numbers(client: TestClient, admin: Headers, doctor: User) -> None:
    existing = create(
        client,
        admin,
        "doctor-absences",
        {
            "doctor": doctor.id,
            "start_date": "2026-03-02",
            "end_date": "2026-03-06",
            "reason": "Urlaub",
        },
    )
    query = f"doctor_id={doctor.id}&start_date=2026-01-10&end_date=2026-01-20&reason=%20URLAUB"
    body = client.get(f"/api/doctor-absences/preview/?{query}", headers=admin).json()
    assert body == {
        "duration_workdays": 7,
        "return_date": "2026-01-21",
        "remaining_days": 30 - 5 - 7,
        "affected_appointments": [],
    }
    excluded = client.get(
        f"/api/doctor-absences/preview/?{query}&exclude_id={existing['id']}", headers=admin
    ).json()
    assert excluded["remaining_days"] == 30 - 7


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            {
                "duration_workdays": 0,
                "return_date": None,
                "remaining_days": None,
                "affected_appointments": [],
            },
        ),
        (
            "start_date=2026-01-20&end_date=2026-01-10&reason=Urlaub&doctor_id={doc}",
            {
                "duration_workdays": 0,
                "return_date": "2026-01-12",
                "remaining_days": 30,
                "affected_appointments": [],
            },
        ),
        (
            "start_date=2026-01-12&end_date=2026-01-12&reason=Urlaub&doctor_id=abc",
            {
                "duration_workdays": 1,
                "return_date": "2026-01-13",
                "remaining_days": None,
                "affected_appointments": [],
            },
        ),
        (
            "start_date=2026-01-12&end_date=2026-01-12&reason=Urlaub&doctor_id=999999",
            {
                "duration_workdays": 1,
                "return_date": "2026-01-13",
                "remaining_days": None,
                "affected_appointments": [],
            },
        ),
    ],
)
def test_preview_partial_input(
    client: TestClient, admin: Headers, doctor: User, query: str, expected: dict[str, Any]
) -> None:
    response = client.get(
        f"/api/doctor-absences/preview/?{query.format(doc=doctor.id)}", headers=admin
    )
    assert response.status_code == 200
    assert response.json() == expected


@pytest.mark.parametrize("name", ["start_date", "end_date"])
@pytest.mark.parametrize("value", ["2025-02-30", "12.01.2026", "2026-1-5"])
def test_preview_bad_dates_are_400(
    client: TestClient, admin: Headers, name: str, value: str
) -> None:
    response = client.get(f"/api/doctor-absences/preview/?{name}={value}", headers=admin)
    assert response.status_code == 400
    assert response.json() == {"detail": f"{name} must be in format YYYY-MM-DD."}


def test_doctor_previews_only_for_self(
    client: TestClient, users: Users, doctor: User, other_doctor: User
) -> None:
    headers = users.headers(doctor)
    base = "/api/doctor-absences/preview/?start_date=2026-01-12&end_date=2026-01-16&reason=Urlaub"
    assert client.get(base, headers=headers).json()["remaining_days"] == 25
    assert client.get(f"{base}&doctor_id=abc", headers=headers).json()["remaining_days"] == 25
    assert client.get(f"{base}&doctor_id={doctor.id}", headers=headers).status_code == 200
    assert client.get(f"{base}&doctor_id={other_doctor.id}", headers=headers).status_code == 403
    for role in ("billing", "nurse", None):
        assert client.get(base, headers=users.headers(users.create(role))).status_code == 403


def test_preview_without_affected_appointments_is_not_audited(
    client: TestClient, admin: Headers, doctor: User, db: sessionmaker[Session]
) -> None:
    """No patient data in the answer, no audit entry (the form previews on every edit)."""
    client.get("/api/doctor-absences/preview/", headers=admin)
    query = f"doctor_id={doctor.id}&start_date=2026-01-12&end_date=2026-01-16&reason=Urlaub"
    response = client.get(f"/api/doctor-absences/preview/?{query}", headers=admin)
    assert response.json()["affected_appointments"] == []
    with db() as session:
        assert session.scalars(select(AuditLog)).all() == []


@pytest.fixture
def scheduling_api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as api:
        yield api


def test_preview_listing_patients_is_audited(
    scheduling_api: TestClient, users: Users, admin: Headers, db: sessionmaker[Session]
) -> None:
    """The affected appointments show patient names and birth dates: a patient read."""
    practice = build_practice(db, users)
    for body in (
        practice.body(start_time=at(15), end_time=at(15, 30)),
        practice.body(patient_id=4242),
        practice.body(start_time=at(11), end_time=at(11, 30), patient_id=4242),
        practice.body(doctor=practice.other_doctor.id, patient_id=4444),  # not affected
    ):
        response = scheduling_api.post("/api/appointments/", json=body, headers=admin)
        assert response.status_code == 201, response.text
    path = "/api/doctor-absences/preview/"
    query = f"doctor_id={practice.doctor.id}&start_date={MONDAY}&end_date={MONDAY}"
    response = scheduling_api.get(f"{path}?{query}", headers=admin)
    assert response.status_code == 200
    assert len(response.json()["affected_appointments"]) == 3
    # The doctor previewing an own absence is audited with the doctor's role.
    response = scheduling_api.get(f"{path}?{query}", headers=users.headers(practice.doctor))
    assert response.status_code == 200
    # Refused (403) and empty previews write nothing.
    other = f"doctor_id={practice.other_doctor.id}&start_date={MONDAY}&end_date={MONDAY}"
    assert (
        scheduling_api.get(f"{path}?{other}", headers=users.headers(practice.doctor)).status_code
        == 403
    )
    before = f"doctor_id={practice.doctor.id}&start_date=2027-01-11&end_date=2027-01-15"
    assert (
        scheduling_api.get(f"{path}?{before}", headers=admin).json()["affected_appointments"] == []
    )
    with db() as session:
        rows = session.scalars(
            select(AuditLog)
            .where(AuditLog.action == "doctor_absence_preview")
            .order_by(AuditLog.id)
        ).all()
    expected_meta = {
        "doctor_id": practice.doctor.id,
        "start_date": MONDAY.isoformat(),
        "end_date": MONDAY.isoformat(),
        "patient_ids": [practice.patient_id, 4242],
    }
    assert [(r.role_name, r.user_id, r.patient_id, r.meta) for r in rows] == [
        ("admin", users_id_of(db, "chef"), None, expected_meta),
        ("doctor", practice.doctor.id, None, expected_meta),
    ]


def users_id_of(db: sessionmaker[Session], username: str) -> int:
    with db() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
    assert user_id is not None
    return user_id
