"""Deleting referenced master data is refused with 409, never cascaded (README, 02 §9).

The referencing tables of later domains are stood in for by tables created in the test,
so the 409 path runs against a real foreign key.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from server.core import references
from server.core.errors import APIError
from server.master_data.models import Resource
from tests.server.conftest import Users
from tests.server.master_helpers import Headers, audit_actions, listen_events

CASES = [
    ("appointment-types", "appointment_types", {"name": "Kontrolle"}, "Appointment type"),
    ("operation-types", "operation_types", {"name": "Katarakt-OP"}, "Operation type"),
    ("resources", "resources", {"name": "OP-Saal 1", "type": "room"}, "Resource"),
]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def execute(db: sessionmaker[Session], sql: str, **params: Any) -> None:
    with db() as session, session.begin():
        session.execute(text(sql), params)


@pytest.mark.parametrize(("path", "table", "body", "thing"), CASES)
def test_referenced_row_cannot_be_deleted(
    client: TestClient,
    admin: Headers,
    db: sessionmaker[Session],
    database_url: str,
    path: str,
    table: str,
    body: dict[str, Any],
    thing: str,
) -> None:
    execute(db, f"CREATE TABLE test_refs (ref_id bigint REFERENCES {table}(id) ON DELETE RESTRICT)")
    row = client.post(f"/api/{path}/", json=body, headers=admin).json()
    execute(db, "INSERT INTO test_refs VALUES (:id)", id=row["id"])
    with listen_events(database_url) as events:
        response = client.delete(f"/api/{path}/{row['id']}/", headers=admin)
        assert response.status_code == 409
        assert response.json() == {"detail": f"{thing} is in use; deactivate it instead."}
        # Nothing was deleted, audited or announced; the row can still be deactivated.
        assert client.get(f"/api/{path}/{row['id']}/", headers=admin).status_code == 200
        patched = client.patch(f"/api/{path}/{row['id']}/", json={"active": False}, headers=admin)
        assert patched.status_code == 200
        with db() as session:
            assert session.scalar(text("SELECT count(*) FROM test_refs")) == 1
        # Once the reference is gone the delete succeeds.
        execute(db, "DELETE FROM test_refs")
        assert client.delete(f"/api/{path}/{row['id']}/", headers=admin).status_code == 204
        entity = table[:-1]
        assert events.collect(2) == [
            (entity, row["id"], "updated"),
            (entity, row["id"], "deleted"),
        ]
    actions = audit_actions(db)
    assert actions[-2:] == [f"{entity}_update", f"{entity}_delete"]
    assert actions.count(f"{entity}_delete") == 1


def test_deferred_foreign_key_is_checked_before_the_answer(
    client: TestClient, admin: Headers, db: sessionmaker[Session]
) -> None:
    execute(
        db,
        "CREATE TABLE test_deferred (resource_id bigint REFERENCES resources(id) "
        "DEFERRABLE INITIALLY DEFERRED)",
    )
    row = client.post("/api/resources/", json={"name": "EKG", "type": "device"}, headers=admin)
    execute(db, "INSERT INTO test_deferred VALUES (:id)", id=row.json()["id"])
    response = client.delete(f"/api/resources/{row.json()['id']}/", headers=admin)
    assert response.status_code == 409
    assert response.json() == {"detail": "Resource is in use; deactivate it instead."}


def test_generic_message_names_the_referencing_table(
    db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    execute(db, "CREATE TABLE op_devices (resource_id bigint REFERENCES resources(id))")
    execute(db, "INSERT INTO resources (name, type) VALUES ('Laser', 'device')")
    execute(db, "INSERT INTO op_devices SELECT id FROM resources")
    with db() as session:
        resource = session.scalars(select(Resource)).one()
        with pytest.raises(APIError) as caught:
            references.delete_unless_referenced(
                session, resource, detail=references.still_referenced("Resource")
            )
        assert caught.value.status == 409
        assert caught.value.body == {
            "detail": "Resource is still referenced by op devices and cannot be deleted."
        }
        # The savepoint was rolled back: the transaction and the row are still usable.
        assert session.scalar(select(Resource.name)) == "Laser"

        monkeypatch.setitem(references._LABELS, "op_devices", "operations (as device)")
        seen: list[references.Reference] = []

        def message(reference: references.Reference) -> str:
            seen.append(reference)
            return f"used by {reference.label}"

        with pytest.raises(APIError) as caught:
            references.delete_unless_referenced(session, resource, detail=message)
        assert caught.value.body == {"detail": "used by operations (as device)"}
        assert seen == [references.Reference("op_devices", "op_devices_resource_id_fkey")]


def test_unreferenced_row_is_deleted_in_the_callers_transaction(
    db: sessionmaker[Session],
) -> None:
    execute(db, "INSERT INTO resources (name, type) VALUES ('Raum', 'room')")
    with db() as session:
        resource = session.scalars(select(Resource)).one()
        references.delete_unless_referenced(session, resource, detail="unused")
        session.rollback()  # the caller decides: nothing is committed by the guard itself
    with db() as session:
        assert session.scalar(select(Resource.name)) == "Raum"


def test_register_referrer_sets_the_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(references, "_LABELS", {})
    references.register_referrer("appointment_resources", "appointment bookings")
    assert references.Reference("appointment_resources", None).label == "appointment bookings"
    assert references.Reference("patient_flows", None).label == "patient flows"
    assert references.Reference(None, None).label == "other records"
