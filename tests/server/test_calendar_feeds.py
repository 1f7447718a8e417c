"""Calendar subscriptions (issue 19, docs/calendar-feeds.md): a doctor's or a room's
appointments and operations as an iCalendar feed behind a secret, revocable token URL.

The feed is read the way a calendar app reads it (no sign-in, ``If-None-Match``) and parsed
with ``icalendar`` and ``recurring-ical-events``. The clock stands a week before the spring
DST change of 2027 (Sunday 2027-03-28 in Berlin), so the window holds bookings on either
side of it and one across it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events  # type: ignore[import-untyped]
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment, AppointmentResource
from server.calendar_feeds.models import CalendarFeed
from server.master_data.models import AppointmentType, OperationType, Resource
from server.operations.models import Operation
from server.patients.models import Patient
from server.users.models import User
from tests.server.conftest import Users
from tests.server.master_helpers import DENIED, audit_rows, listen_events
from tests.server.planning_helpers import BERLIN, api_at

NOW = datetime(2027, 3, 20, 8, 0, tzinfo=BERLIN)  # Saturday, a week before the DST change
BEFORE_DST = date(2027, 3, 26)  # Friday, CET (UTC+1)
DST_NIGHT = date(2027, 3, 28)  # 02:00 CET → 03:00 CEST
AFTER_DST = date(2027, 3, 29)  # Monday, CEST (UTC+2)
Headers = dict[str, str]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


@dataclass
class Practice:
    api: TestClient
    db: sessionmaker[Session]
    users: Users
    admin: Headers
    doctor: User
    other_doctor: User
    room: int
    device: int
    ids: dict[str, int]

    def headers(self, user: User) -> Headers:
        return self.users.headers(user)

    def create_feed(self, headers: Headers, **subject: int) -> dict[str, Any]:
        response = self.api.post("/api/calendar-feeds/", json=subject, headers=headers)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def fetch(self, url: str, **headers: str) -> Any:
        return self.api.get(url.removeprefix("http://testserver"), headers=headers)


@pytest.fixture
def practice(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> Iterator[Practice]:
    admin = users.create("admin")
    doctor = users.create("doctor", "dr.berg", first_name="Eva", last_name="Berg")
    other = users.create("doctor", "dr.kurz", first_name="Tom", last_name="Kurz")
    ids: dict[str, int] = {}
    with db() as session, session.begin():
        check = AppointmentType(name="Kontrolle", duration_minutes=30, color="#2E8B57")
        knee = OperationType(name="Knie-Arthroskopie", op_duration=60)
        room = Resource(name="OP 1", type="room", color="#6A5ACD")
        device = Resource(name="C-Bogen", type="device", color="#6A5ACD")
        session.add_all(
            [
                check,
                knee,
                room,
                device,
                Patient(id=7001, first_name="Maria", last_name="Musterfrau"),
                Patient(id=7002, first_name="Kai", last_name="Zander"),
            ]
        )
        session.flush()

        def appointment(key: str, doctor_id: int, start: datetime, minutes: int, **f: Any) -> None:
            row = Appointment(
                doctor_id=doctor_id,
                type_id=check.id,
                patient_id=f.pop("patient_id", 7001),
                start_time=start,
                end_time=start + timedelta(minutes=minutes),
                notes="Befund: Verdacht auf Meniskusriss",
                **f,
            )
            session.add(row)
            session.flush()
            ids[key] = row.id

        appointment("before_dst", doctor.id, at(BEFORE_DST, 9), 30)
        appointment("after_dst", doctor.id, at(AFTER_DST, 9), 30, status="confirmed")
        # 01:30 CET to 03:30 CEST: one real hour across the change.
        appointment("across_dst", doctor.id, at(DST_NIGHT, 1, 30), 60)
        appointment("cancelled", doctor.id, at(AFTER_DST, 11), 30, status="cancelled")
        appointment("other_doctor", other.id, at(AFTER_DST, 10), 30, patient_id=7002)
        appointment("beyond_window", doctor.id, at(date(2027, 5, 20), 9), 30)
        appointment("in_room", other.id, at(AFTER_DST, 14), 30, patient_id=7002)
        session.add(AppointmentResource(appointment_id=ids["in_room"], resource_id=room.id))
        operation = Operation(
            primary_surgeon_id=other.id,
            assistant_id=doctor.id,
            op_room_id=room.id,
            op_type_id=knee.id,
            patient_id=7002,
            start_time=at(AFTER_DST, 12),
            end_time=at(AFTER_DST, 13),
            status="confirmed",
        )
        session.add(operation)
        session.flush()
        ids["operation"] = operation.id
        room_id, device_id = room.id, device.id
    with api_at(database_url, tmp_path, NOW) as api:
        yield Practice(api, db, users, users.headers(admin), doctor, other, room_id, device_id, ids)


def _events(body: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_doctor_feed_shows_own_bookings_and_team_operations_privately_and_right_across_dst(
    practice: Practice,
) -> None:
    created = practice.create_feed(practice.admin, doctor_id=practice.doctor.id)
    assert created["kind"] == "doctor"
    assert created["subject_name"] == "Eva Berg"
    assert created["url"].startswith("http://testserver/api/calendar-feeds/ical/")

    response = practice.fetch(created["url"])  # no Authorization header: calendar apps have none
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = _events(response.content)
    ids = practice.ids
    expected = {
        f"appointment-{ids[k]}@praxiapp"
        for k in ("before_dst", "after_dst", "across_dst", "cancelled")
    } | {f"operation-{ids['operation']}@praxiapp"}
    assert set(events) == expected  # not the other doctor's, not beyond the 60 days

    assert events[f"appointment-{ids['before_dst']}@praxiapp"]["SUMMARY"] == "Termin: Kontrolle"
    operation = events[f"operation-{ids['operation']}@praxiapp"]
    assert (operation["SUMMARY"], operation["LOCATION"]) == ("OP: Knie-Arthroskopie", "OP 1")
    assert events[f"appointment-{ids['cancelled']}@praxiapp"]["STATUS"] == "CANCELLED"
    assert events[f"appointment-{ids['after_dst']}@praxiapp"]["STATUS"] == "CONFIRMED"
    text = response.content.decode()
    for private in ("Maria", "Musterfrau", "M. M.", "Meniskus", "Befund"):
        assert private not in text

    # Read as a calendar app does: the same wall-clock 09:00 is 08:00 UTC before the change
    # and 07:00 UTC after it; the night's booking lasts one real hour.
    calendar = icalendar.Calendar.from_ical(response.content)
    occurrences = recurring_ical_events.of(calendar).between(NOW, NOW + timedelta(days=60))
    starts = {str(e["UID"]): (e["DTSTART"].dt, e["DTEND"].dt) for e in occurrences}
    before = starts[f"appointment-{ids['before_dst']}@praxiapp"][0]
    after = starts[f"appointment-{ids['after_dst']}@praxiapp"][0]
    assert before.astimezone(UTC).hour == 8
    assert after.astimezone(UTC).hour == 7
    assert before.astimezone(BERLIN).hour == after.astimezone(BERLIN).hour == 9
    night_start, night_end = starts[f"appointment-{ids['across_dst']}@praxiapp"]
    # (in UTC: Python subtracts two datetimes of one zone by their wall clocks)
    assert night_end.astimezone(UTC) - night_start.astimezone(UTC) == timedelta(hours=1)
    assert night_end.astimezone(BERLIN).time() == time(3, 30)

    # Unchanged: 304 without a body; changed: a new ETag.
    etag = response.headers["etag"]
    again = practice.fetch(created["url"], **{"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    with practice.db() as session, session.begin():
        row = session.get(Appointment, ids["after_dst"])
        assert row is not None
        row.status = "cancelled"
    changed = practice.fetch(created["url"], **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag

    with practice.db() as session:
        stored = session.scalars(select(CalendarFeed)).one()
    assert created["token"] not in (stored.token_hash, "")
    assert len(stored.token_hash) == 64
    assert [(r.meta or {})["feed_id"] for r in audit_rows(practice.db, "calendar_feed_create")] == [
        created["id"]
    ]
    assert len(audit_rows(practice.db, "calendar_feed_read")) == 2  # the 304 discloses nothing


def test_initials_only_when_an_admin_switches_them_on(practice: Practice) -> None:
    doctor = practice.headers(practice.doctor)
    created = practice.create_feed(doctor, doctor_id=practice.doctor.id)
    assert (
        practice.api.get("/api/calendar-feeds/settings/", headers=doctor).json()[
            "show_patient_initials"
        ]
        is False
    )
    refused = practice.api.patch(
        "/api/calendar-feeds/settings/", json={"show_patient_initials": True}, headers=doctor
    )
    assert (refused.status_code, refused.json()) == (403, DENIED)
    bad = practice.api.patch(
        "/api/calendar-feeds/settings/", json={"window_days": 0}, headers=practice.admin
    )
    assert bad.status_code == 400
    assert "window_days" in bad.json()

    switched = practice.api.patch(
        "/api/calendar-feeds/settings/",
        json={"show_patient_initials": True},
        headers=practice.admin,
    )
    assert switched.status_code == 200
    assert switched.json()["show_patient_initials"] is True
    events = _events(practice.fetch(created["url"]).content)
    summary = events[f"appointment-{practice.ids['before_dst']}@praxiapp"]["SUMMARY"]
    assert summary == "Termin: Kontrolle – M. M."
    assert "Musterfrau" not in practice.fetch(created["url"]).text
    assert [
        (r.meta or {})["after"] for r in audit_rows(practice.db, "calendar_feed_settings_update")
    ] == [{"show_patient_initials": True, "window_days": 60}]


def test_revoked_and_replaced_tokens_answer_404(practice: Practice, database_url: str) -> None:
    doctor = practice.headers(practice.doctor)
    with listen_events(database_url) as live:
        first = practice.create_feed(doctor, doctor_id=practice.doctor.id)
        second = practice.create_feed(doctor, doctor_id=practice.doctor.id)  # replaces the first
        assert practice.fetch(first["url"]).status_code == 404
        assert practice.fetch(second["url"]).status_code == 200
        status = practice.api.get(
            f"/api/calendar-feeds/doctors/{practice.doctor.id}/", headers=doctor
        ).json()
        assert status["feed"]["id"] == second["id"]
        assert "token" not in status["feed"]

        revoked = practice.api.delete(f"/api/calendar-feeds/{second['id']}/", headers=doctor)
        assert revoked.status_code == 204
        gone = practice.fetch(second["url"])
        assert (gone.status_code, gone.json()) == (404, {"detail": "Not found."})
        again = practice.api.delete(f"/api/calendar-feeds/{second['id']}/", headers=doctor)
        assert again.status_code == 404
        assert practice.api.get(
            f"/api/calendar-feeds/doctors/{practice.doctor.id}/", headers=doctor
        ).json() == {"doctor_id": practice.doctor.id, "feed": None}
        assert live.collect(4) == [
            ("calendar_feed", first["id"], "created"),
            ("calendar_feed", first["id"], "updated"),
            ("calendar_feed", second["id"], "created"),
            ("calendar_feed", second["id"], "updated"),
        ]
    revokes = audit_rows(practice.db, "calendar_feed_revoke")
    assert [((r.meta or {})["feed_id"], r.user_id) for r in revokes] == [
        (first["id"], practice.doctor.id),
        (second["id"], practice.doctor.id),
    ]
    for malformed in ("x" * 43, "short", second["url"].split("/")[-2] + "A"):
        assert practice.api.get(f"/api/calendar-feeds/ical/{malformed}/").status_code == 404


def test_only_admins_and_the_doctor_themself_manage_feeds(practice: Practice) -> None:
    api, doctor_id, other_id = practice.api, practice.doctor.id, practice.other_doctor.id
    doctor = practice.headers(practice.doctor)

    def post(headers: Headers | None, body: dict[str, Any]) -> tuple[int, Any]:
        response = api.post("/api/calendar-feeds/", json=body, headers=headers or {})
        return response.status_code, response.json()

    assert post(None, {"doctor_id": doctor_id})[0] == 401
    for role in ("assistant", "billing", None):
        headers = practice.users.headers(practice.users.create(role))
        assert post(headers, {"doctor_id": doctor_id}) == (403, DENIED)
    assert post(doctor, {"doctor_id": other_id}) == (403, DENIED)
    assert post(doctor, {"resource_id": practice.room}) == (403, DENIED)
    assert post(practice.admin, {}) == (
        400,
        {"non_field_errors": ["Give either doctor_id or resource_id."]},
    )
    assert post(practice.admin, {"resource_id": practice.device}) == (
        400,
        {"resource_id": ["Only rooms have a calendar feed."]},
    )
    assert post(practice.admin, {"doctor_id": 99999}) == (
        400,
        {"doctor_id": ['Invalid pk "99999" - object does not exist.']},
    )
    admin_user = practice.users.create("admin")
    assert post(practice.admin, {"doctor_id": admin_user.id})[0] == 400

    others = practice.create_feed(practice.admin, doctor_id=other_id)
    assert api.delete(f"/api/calendar-feeds/{others['id']}/", headers=doctor).json() == DENIED
    assert api.get(f"/api/calendar-feeds/{others['id']}/", headers=doctor).status_code == 403
    assert api.get(f"/api/calendar-feeds/doctors/{other_id}/", headers=doctor).status_code == 403
    assert api.get(f"/api/calendar-feeds/rooms/{practice.room}/", headers=doctor).status_code == 403

    # The room's feed (admins): the operation in the room and the appointment booking it.
    room_feed = practice.create_feed(practice.admin, resource_id=practice.room)
    events = _events(practice.fetch(room_feed["url"]).content)
    assert set(events) == {
        f"operation-{practice.ids['operation']}@praxiapp",
        f"appointment-{practice.ids['in_room']}@praxiapp",
    }
    status = api.get(f"/api/calendar-feeds/rooms/{practice.room}/", headers=practice.admin)
    assert status.json()["feed"]["id"] == room_feed["id"]
