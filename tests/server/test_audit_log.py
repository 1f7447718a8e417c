from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from tests.server.conftest import Users


def add_entry(db: sessionmaker[Session], **fields: object) -> int:
    with db() as session, session.begin():
        row = AuditLog(role_name=fields.pop("role_name", ""), **fields)
        session.add(row)
        session.flush()
        return row.id


def test_audit_log_lists_newest_first_with_user_display(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    admin = users.create("admin", "chef")
    doctor = users.create("doctor", "dr.mueller")
    add_entry(
        db,
        action="appointment_view",
        patient_id=1001,
        user_id=doctor.id,
        role_name="doctor",
        timestamp=datetime(2026, 1, 15, 9, 2, 11, 402113, tzinfo=UTC),
    )
    add_entry(
        db,
        action="user_create",
        meta={"target_user_id": 1, "username": "x", "source": "cli"},
        timestamp=datetime(2026, 1, 16, 8, 0, tzinfo=UTC),
    )
    body = client.get("/api/audit-log/", headers=users.headers(admin)).json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["action"] == "user_create"
    assert first["user"] is None
    assert first["user_display"] == "System"
    assert second == {
        "id": second["id"],
        "user": doctor.id,
        "user_display": "dr.mueller",
        "role_name": "doctor",
        "action": "appointment_view",
        "patient_id": 1001,
        "timestamp": "2026-01-15T10:02:11.402113+01:00",
        "meta": None,
    }


def test_audit_log_filters(client: TestClient, users: Users, db: sessionmaker[Session]) -> None:
    headers = users.headers(users.create("admin"))
    doctor = users.create("doctor")
    add_entry(
        db,
        action="patient_view",
        patient_id=7,
        user_id=doctor.id,
        role_name="doctor",
        timestamp=datetime(2026, 3, 1, 22, 30, tzinfo=UTC),
    )  # 23:30 local on 1 March
    add_entry(
        db, action="patient_view", patient_id=8, timestamp=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )
    add_entry(db, action="user_create", timestamp=datetime(2026, 3, 3, 12, 0, tzinfo=UTC))

    def ids(query: str) -> list[int | None]:
        response = client.get(f"/api/audit-log/?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [r["patient_id"] for r in response.json()["results"]]

    assert ids("patient_id=7") == [7]
    assert ids("action=patient_view") == [8, 7]
    assert ids(f"user={doctor.id}") == [7]
    assert ids("role_name=doctor") == [7]
    # Day boundaries are local days in the practice time zone.
    assert ids("start_date=2026-03-02") == [None, 8]
    assert ids("end_date=2026-03-01") == [7]
    assert ids("start_date=2026-03-02&end_date=2026-03-02") == [8]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("patient_id=abc", {"patient_id": ["A valid integer is required."]}),
        ("user=1.5", {"user": ["A valid integer is required."]}),
        (
            "start_date=01.03.2026",
            {
                "start_date": [
                    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                ]
            },
        ),
        (
            "end_date=2026-3-1",
            {"end_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
    ],
)
def test_audit_log_invalid_filters(
    client: TestClient, users: Users, query: str, expected: dict
) -> None:
    response = client.get(f"/api/audit-log/?{query}", headers=users.headers(users.create("admin")))
    assert response.status_code == 400
    assert response.json() == expected


def test_audit_rows_cannot_be_changed_or_deleted(db: sessionmaker[Session]) -> None:
    entry = add_entry(db, action="patient_view", patient_id=1)
    for statement in (
        "UPDATE audit_log SET action = 'x' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ):
        with db() as session, pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement), {"id": entry})
    with db() as session, pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("TRUNCATE audit_log"))
