"""The waiting list's entries, book endpoint, errors, RBAC and audit (docs/waiting-list.md).

These tests need no matcher (they run on the shared working database, where apps of other
test modules with other test clocks may be running); the matching itself is in
``test_waiting_list_matching.py`` on a database of its own.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.master_data.models import AppointmentType
from server.waiting_list.models import WaitingListEntry
from tests.server import scheduling_fixtures
from tests.server.conftest import Users
from tests.server.scheduling_fixtures import MONDAY, NOW, Headers, Practice, at

practice = scheduling_fixtures.appointment_practice
api = scheduling_fixtures.api
admin = scheduling_fixtures.admin

ENTRIES = "/api/waiting-list/entries/"


def entry_body(p: Practice, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"patient_id": p.patient_id, "type": p.type_id}
    values.update(changes)
    return values


def add_entry(api: TestClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(ENTRIES, json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def actions(db: sessionmaker[Session]) -> list[str]:
    with db() as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_entry_lifecycle_with_audit(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    body = entry_body(
        practice,
        doctor_ids=[practice.doctor.id],
        earliest_date="2027-01-12",
        windows=[
            {"weekday": 1, "from": "15:00", "to": "18:00"},
            {"weekday": 0, "from": "08:00", "to": "12:00"},
        ],
        priority="urgent",
        note="ruft gern vormittags zurück",
    )
    entry = add_entry(api, admin, body)
    assert entry["status"] == "waiting"
    assert entry["status_label"] == "Wartend"
    assert entry["patient"]["last_name"] == "Mustermann"
    assert entry["type_name"] == "Kontrolle"
    assert entry["duration_minutes"] == 30
    assert entry["windows"] == [
        {"weekday": 0, "from": "08:00", "to": "12:00"},
        {"weekday": 1, "from": "15:00", "to": "18:00"},
    ]
    assert entry["waiting_since"] == entry["created_at"] == NOW.isoformat()
    assert entry["latest_date"] is None
    assert entry["removal_reason"] is None
    detail = api.get(f"{ENTRIES}{entry['id']}/", headers=admin).json()
    assert detail == entry

    url = f"{ENTRIES}{entry['id']}/"
    offered = api.patch(url, json={"status": "offered"}, headers=admin)
    assert offered.json()["status_label"] == "Angeboten"
    refused = api.patch(url, json={"status": "removed"}, headers=admin)
    assert refused.status_code == 400
    assert refused.json() == {"removal_reason": ["Beim Entfernen ist ein Grund anzugeben."]}
    server_only = api.patch(
        url, json={"status": "removed", "removal_reason": "expired"}, headers=admin
    )
    assert server_only.status_code == 400
    removed = api.patch(
        url,
        json={
            "status": "removed",
            "removal_reason": "patient_declined",
            "removal_note": "verzogen",
        },
        headers=admin,
    ).json()
    assert (removed["status"], removed["removal_reason"], removed["removal_note"]) == (
        "removed",
        "patient_declined",
        "verzogen",
    )
    assert api.get(ENTRIES, headers=admin).json()["count"] == 0  # default: open entries
    back = api.patch(url, json={"status": "waiting"}, headers=admin).json()
    assert back["status"] == "waiting"
    assert back["removal_reason"] is None
    assert api.delete(url, headers=admin).status_code == 204
    assert api.get(url, headers=admin).status_code == 404
    logged = actions(db)
    assert logged.count("waiting_list_entry_update") == 3
    for action in (
        "waiting_list_entry_create",
        "waiting_list_entry_view",
        "waiting_list_entry_list",
        "waiting_list_entry_delete",
    ):
        assert action in logged


FIELD_ERRORS: list[tuple[dict[str, Any], dict[str, Any] | None]] = [
    (
        {"patient_id": None, "type": None},
        {
            "patient_id": ["This field may not be null."],
            "type": ["This field may not be null."],
        },
    ),
    ({"type": 999}, {"type": ['Invalid pk "999" - object does not exist.']}),
    ({"doctor_ids": [999]}, {"doctor_ids": ["Unbekannter oder inaktiver Arzt: 999."]}),
    (
        {"earliest_date": "2027-02-01", "latest_date": "2027-01-20"},
        {"latest_date": ["Das späteste Datum liegt vor dem frühesten."]},
    ),
    (
        {"latest_date": "2027-01-10"},
        {"latest_date": ["Das späteste Datum liegt in der Vergangenheit."]},
    ),
    ({"windows": "Mo"}, {"windows": ["Eine Liste von Zeitfenstern wird erwartet."]}),
    (
        {"windows": [{"weekday": 0, "from": "08:00", "to": "12:00"}] * 22},
        {"windows": ["Höchstens 21 Zeitfenster."]},
    ),
    ({"windows": [{"weekday": 7, "from": "08:00", "to": "12:00"}]}, None),
    ({"windows": [{"weekday": 0, "from": "12:00", "to": "08:00"}]}, None),
    ({"priority": "sofort"}, {"priority": ['"sofort" is not a valid choice.']}),
    ({"note": "a\x00b"}, {"note": ["Null characters are not allowed."]}),
    (
        {"patient_id": 2**63},
        {"patient_id": [f"Ensure this value is less than or equal to {2**63 - 1}."]},
    ),
]


def test_entry_field_errors(api: TestClient, admin: Headers, practice: Practice) -> None:
    for changes, errors in FIELD_ERRORS:
        response = api.post(ENTRIES, json=entry_body(practice, **changes), headers=admin)
        assert response.status_code == 400, changes
        if errors is None:
            assert list(response.json()) == ["windows"]
            assert response.json()["windows"][0].startswith("Zeitfenster 0:")
        else:
            assert response.json() == errors, changes


def test_body_shape_and_type_without_duration(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    assert api.post(ENTRIES, json=[1], headers=admin).json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }
    missing = api.post(ENTRIES, json={}, headers=admin).json()
    assert missing == {
        "patient_id": ["This field is required."],
        "type": ["This field is required."],
    }
    with db() as session, session.begin():
        session.get(AppointmentType, practice.type_id).duration_minutes = None  # type: ignore[union-attr]
    response = api.post(ENTRIES, json=entry_body(practice), headers=admin)
    assert response.json() == {"type": ["Die Terminart ist inaktiv oder hat keine Dauer."]}


def test_list_filters_order_and_pagination(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    old = add_entry(api, admin, entry_body(practice))
    urgent = add_entry(api, admin, entry_body(practice, priority="urgent"))
    mine = add_entry(api, admin, entry_body(practice, doctor_ids=[practice.doctor.id]))
    theirs = add_entry(api, admin, entry_body(practice, doctor_ids=[practice.other_doctor.id]))
    api.patch(f"{ENTRIES}{old['id']}/", json={"status": "offered"}, headers=admin)

    def ids(**params: Any) -> list[int]:
        response = api.get(ENTRIES, params=params, headers=admin)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["results"]]

    # Same creation time (the test clock stands still): urgent first, then by id.
    assert ids() == [urgent["id"], old["id"], mine["id"], theirs["id"]]
    assert ids(status="offered") == [old["id"]]
    assert ids(priority="urgent") == [urgent["id"]]
    assert ids(doctor=practice.doctor.id) == [urgent["id"], old["id"], mine["id"]]
    assert ids(patient_id=practice.patient_id, type=practice.type_id, page_size=2) == ids()[:2]
    page = api.get(ENTRIES, params={"page_size": 2, "page": 2}, headers=admin).json()
    assert page["count"] == 4
    assert page["previous"] is not None
    assert page["next"] is None
    assert api.get(ENTRIES, params={"status": "weg"}, headers=admin).json() == {
        "status": ["„weg“ ist kein gültiger Status."]
    }
    bad = api.get(ENTRIES, params={"priority": "x", "doctor": "eins"}, headers=admin).json()
    assert bad == {
        "priority": ["„x“ ist keine gültige Priorität."],
        "doctor": ["A valid integer is required."],
    }


def test_rbac_per_role(api: TestClient, admin: Headers, practice: Practice, users: Users) -> None:
    mine = add_entry(api, admin, entry_body(practice, doctor_ids=[practice.doctor.id]))
    anyone = add_entry(api, admin, entry_body(practice))
    doctor = users.headers(practice.doctor)
    assistant = users.headers(users.create("assistant"))
    billing = users.headers(users.create("billing"))

    listed = api.get(ENTRIES, headers=doctor).json()["results"]
    assert [row["id"] for row in listed] == [mine["id"]]
    assert api.get(f"{ENTRIES}{mine['id']}/", headers=doctor).status_code == 200
    assert api.get(f"{ENTRIES}{anyone['id']}/", headers=doctor).status_code == 404
    assert api.post(ENTRIES, json=entry_body(practice), headers=doctor).status_code == 403
    assert api.patch(f"{ENTRIES}{mine['id']}/", json={}, headers=doctor).status_code == 403
    assert api.post(f"{ENTRIES}{mine['id']}/book/", json={}, headers=doctor).status_code == 403
    assert api.get("/api/waiting-list/freed-slots/", headers=doctor).status_code == 403
    own_counts = api.get("/api/waiting-list/counts/", headers=doctor).json()
    assert (own_counts["waiting"], own_counts["offered"], own_counts["urgent"]) == (1, 0, 0)

    assert api.get(ENTRIES, headers=billing).status_code == 403
    assert api.get(f"{ENTRIES}{mine['id']}/", headers=billing).status_code == 403
    assert api.get("/api/waiting-list/freed-slots/", headers=billing).status_code == 403
    assert api.get("/api/waiting-list/counts/", headers=billing).json()["waiting"] == 2
    assert api.post("/api/waiting-list/counts/", headers=billing).status_code == 403

    assert api.get(ENTRIES, headers=assistant).json()["count"] == 2
    assert add_entry(api, assistant, entry_body(practice))["created_by"]["id"] > 0
    # (The practice's new working hours are freed slots; whether the matcher already saw the
    # entries then depends on timing, so only the access is checked here.)
    assert api.get("/api/waiting-list/freed-slots/", headers=assistant).status_code == 200
    assert api.put(f"{ENTRIES}{mine['id']}/", json={}, headers=assistant).status_code == 405
    assert api.get(ENTRIES).status_code == 401
    assert api.get(f"{ENTRIES}{2**70}/", headers=admin).status_code == 404
    assert api.get("/api/waiting-list/freed-slots/99/", headers=admin).status_code == 404


def test_book_from_an_entry_and_every_book_error(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    entry = add_entry(
        api,
        admin,
        entry_body(
            practice,
            doctor_ids=[practice.doctor.id],
            earliest_date=MONDAY.isoformat(),  # no latest date: nothing expires meanwhile
            windows=[{"weekday": 0, "from": "09:00", "to": "12:00"}],
        ),
    )
    url = f"{ENTRIES}{entry['id']}/book/"

    def book(**body: Any) -> Any:
        return api.post(
            url, json={"doctor": practice.doctor.id, "start_time": at(10), **body}, headers=admin
        )

    def error(**body: Any) -> Any:
        response = book(**body)
        assert response.status_code == 400, response.text
        return response.json()

    assert error(doctor=practice.other_doctor.id) == {
        "doctor": ["Dieser Arzt ist für den Eintrag nicht gewünscht."]
    }
    assert error(start_time=at(13)) == {
        "start_time": ["Der Termin liegt außerhalb der gewünschten Zeitfenster."]
    }
    assert error(start_time=at(10, day=MONDAY - timedelta(days=7))) == {
        "start_time": ["Der Termin liegt außerhalb des gewünschten Zeitraums."]
    }
    assert error(start_time=at(10, day=date(2027, 1, 4))) == {
        "start_time": ["Der Termin liegt in der Vergangenheit."]
    }
    assert error(freed_slot=77) == {"freed_slot": ['Invalid pk "77" - object does not exist.']}
    assert error(doctor=999) == {"doctor": ['Invalid pk "999" - object does not exist.']}
    assert api.post(f"{ENTRIES}99/book/", json={}, headers=admin).status_code == 404

    # Another booking takes 10:00 first: 409 slot_taken with the appointment check's reason.
    other = api.post("/api/appointments/", json=practice.body(patient_id=2002), headers=admin)
    assert other.status_code == 201
    taken = book()
    assert taken.status_code == 409
    assert taken.json()["code"] == "slot_taken"
    assert taken.json()["reason"]["reason"] == ["doctor_busy"]
    assert [c["entry"]["id"] for c in taken.json()["candidates"]] == []

    booked = book(start_time=at(11))
    assert booked.status_code == 201, booked.text
    result = booked.json()
    assert result["entry"]["status"] == "booked"
    assert result["entry"]["booked_appointment_id"] == result["appointment"]["id"]
    assert result["appointment"]["start_time"] == at(11)
    assert result["appointment"]["end_time"] == at(11, 30)
    assert result["appointment"]["patient_id"] == practice.patient_id

    again = book(start_time=at(9))
    assert again.status_code == 409
    assert again.json()["code"] == "entry_closed"
    assert again.json()["status"] == "booked"
    frozen = api.patch(f"{ENTRIES}{entry['id']}/", json={"note": "x"}, headers=admin)
    assert frozen.status_code == 409
    assert frozen.json() == {"detail": "Gebuchte Einträge können nicht mehr geändert werden."}
    logged = actions(db)
    assert logged.index("appointment_create") < logged.index("waiting_list_entry_book")
    with db() as session:
        row = session.get(WaitingListEntry, entry["id"])
        assert row is not None
        assert row.booked_at == NOW


def test_patch_cannot_book_and_entries_expire_on_the_test_clock(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    entry = add_entry(api, admin, entry_body(practice, latest_date="2027-01-12"))
    url = f"{ENTRIES}{entry['id']}/"
    assert api.patch(url, json={"status": "booked"}, headers=admin).json() == {
        "status": ["Gebucht wird ein Eintrag nur über „Buchen“."]
    }
    settings = api.app.state.praxi.settings  # type: ignore[attr-defined]
    settings.test_now = NOW + timedelta(days=2)  # 2027-01-13: past the latest date
    expired = api.get(url, headers=admin).json()
    assert (expired["status"], expired["removal_reason"]) == ("removed", "expired")
    assert api.get("/api/waiting-list/counts/", headers=admin).json()["waiting"] == 0
    reactivate = api.patch(url, json={"status": "waiting"}, headers=admin)
    assert reactivate.json() == {
        "status": ["Das späteste Datum ist überschritten; bitte zuerst das Datum ändern."]
    }
    with db() as session:
        expiries = session.scalars(
            select(AuditLog).where(AuditLog.action == "waiting_list_entry_expire")
        ).all()
        assert [(row.user_id, row.patient_id) for row in expiries] == [(None, practice.patient_id)]
