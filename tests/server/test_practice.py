"""Practice settings, personal preferences and the own password (issue 20,
docs/practice-settings.md): validation, RBAC, audit, and what a user notices."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from tests.server.conftest import DEFAULT_PASSWORD, Users

Headers = dict[str, str]


def audit_actions(db: sessionmaker[Session], action: str) -> list[dict[str, Any] | None]:
    with db() as session:
        rows = session.scalars(
            select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        )
        return [row.meta for row in rows]


def test_practice_settings_read_by_staff_written_by_admin_validated_and_audited(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    admin = users.headers(users.create("admin"))
    assistant = users.headers(users.create("assistant"))
    defaults = client.get("/api/practice/settings/", headers=assistant)
    assert defaults.status_code == 200
    assert defaults.json()["flow_thresholds"]["waiting"] == {"amber": 15, "red": 30}
    assert defaults.json()["calendar_days"] == [1, 2, 3, 4, 5]
    assert (
        client.get(
            "/api/practice/settings/", headers=users.headers(users.create("nurse"))
        ).status_code
        == 403
    )

    assert (
        client.patch("/api/practice/settings/", json={"name": "X"}, headers=assistant).status_code
        == 403
    )
    bad = client.patch(
        "/api/practice/settings/",
        json={
            "phone": "call me",
            "flow_thresholds": {
                "waiting": {"amber": 40, "red": 20},
                "done": {"amber": 1, "red": 2},
            },
            "calendar_days": [1, 1],
            "display": {"history": 99},
        },
        headers=admin,
    )
    assert bad.status_code == 400
    errors = bad.json()
    assert set(errors) == {"phone", "flow_thresholds", "calendar_days", "display"}
    assert errors["flow_thresholds"]["waiting"] == {"amber": ["amber must be less than red."]}
    assert "done" in errors["flow_thresholds"]
    assert errors["display"] == {"history": ["Ensure this value is less than or equal to 10."]}

    changed = client.patch(
        "/api/practice/settings/",
        json={
            "name": "Praxis Dr. Müller",
            "phone": "+49 30 123456",
            "flow_thresholds": {"waiting": {"amber": 5, "red": 10}},
            "calendar_days": [6, 1, 2],
            "display": {"chime": False},
        },
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    shown = client.get("/api/practice/settings/", headers=assistant).json()
    assert shown["name"] == "Praxis Dr. Müller"
    assert shown["flow_thresholds"]["waiting"] == {"amber": 5, "red": 10}
    assert shown["flow_thresholds"]["registered"] == {"amber": 15, "red": 30}  # kept
    assert shown["calendar_days"] == [1, 2, 6]
    assert shown["display"] == {"title": "Aufruf", "chime": False, "history": 5}
    assert audit_actions(db, "practice_settings_update") == [
        {"fields": ["calendar_days", "display", "flow_thresholds", "name", "phone"]}
    ]


def test_preferences_are_per_user_validated_and_stored_on_the_server(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    doctor = users.create("doctor")
    me = users.create("assistant")
    mine, other = users.headers(me), users.headers(users.create("billing"))
    assert client.get("/api/me/preferences/", headers=mine).json() == {
        "start_screen": "today",
        "calendar_view": "day",
        "calendar_raster": 15,
        "colour_mode": "doctor",
        "shown_doctor_ids": [],
    }
    bad = client.patch(
        "/api/me/preferences/",
        json={"calendar_raster": 7, "start_screen": "nowhere", "shown_doctor_ids": [me.id]},
        headers=mine,
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"calendar_raster", "start_screen"}
    not_a_doctor = client.patch(
        "/api/me/preferences/", json={"shown_doctor_ids": [doctor.id, me.id]}, headers=mine
    )
    assert not_a_doctor.status_code == 400
    assert not_a_doctor.json() == {
        "shown_doctor_ids": {"1": [f'Invalid pk "{me.id}" - object does not exist.']}
    }
    saved = client.patch(
        "/api/me/preferences/",
        json={"calendar_view": "week", "calendar_raster": 10, "shown_doctor_ids": [doctor.id]},
        headers=mine,
    )
    assert saved.status_code == 200, saved.text
    again = client.get("/api/me/preferences/", headers=mine).json()
    assert (again["calendar_view"], again["calendar_raster"], again["shown_doctor_ids"]) == (
        "week",
        10,
        [doctor.id],
    )
    assert client.get("/api/me/preferences/", headers=other).json()["calendar_view"] == "day"
    assert audit_actions(db, "user_preferences_update") == [
        {"fields": ["calendar_raster", "calendar_view", "shown_doctor_ids"]}
    ]


def test_own_password_change_refuses_a_wrong_current_one_and_ends_every_session(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    user = users.create("doctor", "dr.wechsel")
    login = client.post(
        "/api/auth/login/", json={"username": "dr.wechsel", "password": DEFAULT_PASSWORD}
    ).json()
    other_device = client.post(
        "/api/auth/login/", json={"username": "dr.wechsel", "password": DEFAULT_PASSWORD}
    ).json()
    headers = {"Authorization": f"Bearer {login['access']}"}
    path = "/api/users/me/password/"
    wrong = client.post(
        path, json={"current_password": "nope", "new_password": "new-secret-1"}, headers=headers
    )
    assert wrong.status_code == 400
    assert wrong.json() == {"current_password": ["The current password is incorrect."]}
    short = client.post(
        path, json={"current_password": DEFAULT_PASSWORD, "new_password": "short"}, headers=headers
    )
    assert short.json() == {"new_password": ["Ensure this field has at least 8 characters."]}
    assert (
        client.post(
            path,
            json={"current_password": DEFAULT_PASSWORD, "new_password": "x" * 129},
            headers=headers,
        ).status_code
        == 400
    )
    changed = client.post(
        path,
        json={"current_password": DEFAULT_PASSWORD, "new_password": "new-secret-1"},
        headers=headers,
    )
    assert changed.status_code == 204, changed.text
    refresh = client.post("/api/auth/refresh/", json={"refresh": other_device["refresh"]})
    assert refresh.status_code in (400, 401)
    assert "revoked" in refresh.text
    old = client.post(
        "/api/auth/login/", json={"username": "dr.wechsel", "password": DEFAULT_PASSWORD}
    )
    assert old.status_code == 400
    new = client.post(
        "/api/auth/login/", json={"username": "dr.wechsel", "password": "new-secret-1"}
    )
    assert new.status_code == 200
    assert audit_actions(db, "user_password_change") == [{"target_user_id": user.id}]
    assert (
        client.post(path, json={}, headers=users.headers(users.create("nurse"))).status_code == 400
    )


def test_own_name_and_a_doctors_calendar_colour(
    client: TestClient, users: Users, db: sessionmaker[Session]
) -> None:
    doctor = users.create("doctor", first_name="Anna")
    path = "/api/users/me/profile/"
    changed = client.patch(
        path,
        json={"last_name": "Müller-Lüdenscheidt", "calendar_color": "#123ABC"},
        headers=users.headers(doctor),
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["first_name"], changed.json()["last_name"]) == (
        "Anna",
        "Müller-Lüdenscheidt",
    )
    assert changed.json()["calendar_color"] == "#123ABC"
    assert client.patch(
        path, json={"calendar_color": "rot"}, headers=users.headers(doctor)
    ).json() == {"calendar_color": ["Enter a valid hex color (#RRGGBB)."]}
    assistant = users.headers(users.create("assistant"))
    refused = client.patch(path, json={"calendar_color": "#123ABC"}, headers=assistant)
    assert refused.json() == {"calendar_color": ["Only doctors have a calendar colour."]}
    assert client.patch(path, json={"first_name": "Lena"}, headers=assistant).status_code == 200
    assert audit_actions(db, "user_update")[0] == {
        "target_user_id": doctor.id,
        "fields": ["calendar_color", "last_name"],
        "source": "self",
    }
