"""Appointment series (issue 17, docs/series-and-chains.md): preview, all-or-nothing and
"book the free ones" with replacements, scoped edit and cancel, RBAC, audit, every error."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment
from server.bookings.occupancy import Occupancy
from server.core.events import CHANNEL
from server.series.models import AppointmentSeries
from tests.server import scheduling_fixtures
from tests.server.conftest import Users
from tests.server.scheduling_fixtures import MONDAY, Headers, Practice, at, audit_rows

practice = scheduling_fixtures.appointment_practice
api = scheduling_fixtures.api
admin = scheduling_fixtures.admin

WEEKLY_6 = {"freq": "weekly", "count": 6}
THIRD_MONDAY = MONDAY + timedelta(weeks=2)


def series_body(p: Practice, **changes: Any) -> dict[str, Any]:
    return p.body(**{"recurrence": WEEKLY_6, **changes})


def block_third_week(api: TestClient, headers: Headers, p: Practice) -> dict[str, Any]:
    """Another patient's appointment with the same doctor in week 3 at 10:00."""
    body = p.body(
        patient_id=2002, start_time=at(10, day=THIRD_MONDAY), end_time=at(10, 30, day=THIRD_MONDAY)
    )
    response = api.post("/api/appointments/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def count(db: sessionmaker[Session], model: type[Any]) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_preview_marks_the_blocked_week_and_offers_the_nearest_free_time(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    block_third_week(api, admin, practice)
    response = api.post(
        "/api/appointment-series/preview/", json=series_body(practice), headers=admin
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["rule"] == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=6"
    assert (body["count"], body["free_count"]) == (6, 5)
    starts = [item["start_time"] for item in body["occurrences"]]
    assert starts[0] == "2027-01-18T10:00:00+01:00"
    assert starts[-1] == "2027-02-22T10:00:00+01:00"
    third = body["occurrences"][2]
    assert third["free"] is False
    assert third["reason"] == {"code": "doctor_busy", "message": "Doctor unavailable."}
    # 09:30 and 10:30 are both 30 minutes away: the earlier wins.
    assert third["alternative"] == {
        "start_time": "2027-02-01T09:30:00+01:00",
        "end_time": "2027-02-01T10:00:00+01:00",
    }
    assert all(item["alternative"] is None for item in body["occurrences"] if item["free"])
    assert count(db, AppointmentSeries) == 0
    assert audit_rows(db)[-1].action == "appointment_series_preview"
    # Across the spring change (28 March 2027) 10:00 stays 10:00 local time.
    spring = practice.body(
        start_time=at(10, day=MONDAY + timedelta(weeks=8)),
        end_time=at(10, 30, day=MONDAY + timedelta(weeks=8)),
        recurrence={"freq": "weekly", "until": "2027-04-05"},
    )
    starts = [
        item["start_time"]
        for item in api.post("/api/appointment-series/preview/", json=spring, headers=admin).json()[
            "occurrences"
        ]
    ]
    assert starts == [
        "2027-03-15T10:00:00+01:00",
        "2027-03-22T10:00:00+01:00",
        "2027-03-29T10:00:00+02:00",
        "2027-04-05T10:00:00+02:00",  # UNTIL is inclusive
    ]


def test_all_or_nothing_refuses_the_whole_series_and_lists_every_blocked_week(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    block_third_week(api, admin, practice)
    api.post(
        "/api/appointments/",
        json=practice.body(
            patient_id=2003,
            start_time=at(10, day=MONDAY + timedelta(weeks=4)),
            end_time=at(11, day=MONDAY + timedelta(weeks=4)),
        ),
        headers=admin,
    )
    before = count(db, Appointment)
    response = api.post("/api/appointment-series/", json=series_body(practice), headers=admin)
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["detail"] == "Serie nicht gebucht: 2 von 6 Terminen sind nicht frei."
    assert [item["index"] for item in body["blocked"]] == [3, 5]
    assert body["blocked"][1]["alternative"]["start_time"] == "2027-02-15T09:30:00+01:00"
    assert count(db, Appointment) == before
    assert count(db, AppointmentSeries) == 0
    assert audit_rows(db)[-1].action == "appointment_series_conflict"


def test_a_replaced_conflict_books_all_six_with_their_audit_entries(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    block_third_week(api, admin, practice)
    audit_before = len(audit_rows(db))
    body = series_body(
        practice,
        resource_ids=[practice.room_id],
        replacements=[{"index": 3, "start_time": at(11, day=THIRD_MONDAY)}],
    )
    response = api.post("/api/appointment-series/", json=body, headers=admin)
    assert response.status_code == 201, response.text
    series = response.json()
    assert (series["count"], series["skipped"], series["doctor"]) == (6, [], practice.doctor.id)
    appointments = series["appointments"]
    assert len(appointments) == 6
    assert appointments[2]["start_time"] == "2027-02-01T11:00:00+01:00"
    assert appointments[2]["end_time"] == "2027-02-01T11:30:00+01:00"
    assert [a["series"] for a in appointments] == [
        {"id": series["id"], "index": i, "count": 6} for i in range(1, 7)
    ]
    assert all(a["room_name"] == "Ultraschallraum" for a in appointments)
    # AppointmentRead everywhere carries the place; single appointments carry null.
    detail = api.get(f"/api/appointments/{appointments[3]['id']}/", headers=admin).json()
    assert detail["series"] == {"id": series["id"], "index": 4, "count": 6}
    listed = api.get("/api/appointments/", params={"date": str(THIRD_MONDAY)}, headers=admin).json()
    assert sorted(str(a["series"]) for a in listed) == sorted(
        ["None", str(appointments[2]["series"])]
    )
    actions = [row.action for row in audit_rows(db)[audit_before:]]
    assert actions.count("appointment_create") == 6
    assert actions.count("appointment_series_create") == 1
    with db() as session:
        occupancies = session.scalar(select(func.count()).select_from(Occupancy))
    assert occupancies == 2 + 6 * 3  # doctor, patient (+ room for the series)


def test_book_the_free_ones_skips_the_blocked_week(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    block_third_week(api, admin, practice)
    response = api.post(
        "/api/appointment-series/", json=series_body(practice, mode="free"), headers=admin
    )
    assert response.status_code == 201, response.text
    series = response.json()
    assert series["skipped"] == [3]
    assert [a["series"]["index"] for a in series["appointments"]] == [1, 2, 4, 5, 6]
    fetched = api.get(f"/api/appointment-series/{series['id']}/", headers=admin)
    assert fetched.json() == series


def test_book_the_free_ones_still_refuses_a_blocked_replacement(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    block_third_week(api, admin, practice)
    body = series_body(
        practice,
        mode="free",
        replacements=[{"index": 3, "start_time": at(10, 15, day=THIRD_MONDAY)}],
    )
    response = api.post("/api/appointment-series/", json=body, headers=admin)
    assert response.status_code == 409
    assert [(b["index"], b["replaced"]) for b in response.json()["blocked"]] == [(3, True)]


def test_scoped_edit_moves_this_and_the_following_and_they_stay_in_the_series(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    series = api.post("/api/appointment-series/", json=series_body(practice), headers=admin).json()
    fourth = series["appointments"][3]["id"]
    response = api.patch(
        f"/api/appointment-series/{series['id']}/",
        json={"scope": "following", "appointment": fourth, "shift_minutes": 60, "notes": "später"},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    moved = response.json()["appointments"]
    assert [a["start_time"][11:16] for a in moved] == ["10:00"] * 3 + ["11:00"] * 3
    assert [a["notes"] for a in moved][3:] == ["später"] * 3
    assert [a["series"]["index"] for a in moved] == [1, 2, 3, 4, 5, 6]
    assert audit_rows(db)[-1].action == "appointment_series_update"
    # A single move through the appointment API keeps the membership too.
    single = api.patch(
        f"/api/appointments/{moved[0]['id']}/",
        json={"start_time": at(14), "end_time": at(14, 30)},
        headers=admin,
    )
    assert single.json()["series"]["index"] == 1


def test_scoped_edit_into_a_conflict_changes_nothing_and_names_the_blocked_one(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    series = api.post("/api/appointment-series/", json=series_body(practice), headers=admin).json()
    api.post(
        "/api/appointments/",
        json=practice.body(
            patient_id=2002,
            start_time=at(11, day=THIRD_MONDAY),
            end_time=at(11, 30, day=THIRD_MONDAY),
        ),
        headers=admin,
    )
    response = api.patch(
        f"/api/appointment-series/{series['id']}/",
        json={"scope": "all", "shift_minutes": 60},
        headers=admin,
    )
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Änderung nicht gespeichert: 1 Termine sind nicht frei."
    assert [(b["index"], b["appointment"]) for b in body["blocked"]] == [
        (3, series["appointments"][2]["id"])
    ]
    unchanged = api.get(f"/api/appointment-series/{series['id']}/", headers=admin).json()
    assert {a["start_time"][11:16] for a in unchanged["appointments"]} == {"10:00"}


def test_scoped_cancel_this_and_then_the_whole_series(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    series = api.post("/api/appointment-series/", json=series_body(practice), headers=admin).json()
    second = series["appointments"][1]["id"]
    url = f"/api/appointment-series/{series['id']}/cancel/"
    one = api.post(url, json={"scope": "this", "appointment": second}, headers=admin)
    assert one.status_code == 200, one.text
    assert [a["status"] for a in one.json()["appointments"]].count("cancelled") == 1
    everything = api.post(url, json={"scope": "all"}, headers=admin)
    assert {a["status"] for a in everything.json()["appointments"]} == {"cancelled"}
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Occupancy)) == 0
    actions = [row.action for row in audit_rows(db)]
    assert actions.count("appointment_series_cancel") == 2
    assert actions[-6:] == ["appointment_update"] * 5 + ["appointment_series_cancel"]


BOOKING_400S: list[tuple[dict[str, Any], Any]] = [
    ({"recurrence": None}, {"recurrence": ["This field is required."]}),
    ({"recurrence": "weekly"}, {"recurrence": ["Muss ein Objekt sein."]}),
    (
        {"recurrence": {"freq": "yearly", "count": 2}},
        {"recurrence": {"freq": ['"yearly" is not a valid choice.']}},
    ),
    (
        {"recurrence": {"freq": "weekly", "count": 105}},
        {"recurrence": {"count": ["Ensure this value is less than or equal to 104."]}},
    ),
    (
        {"recurrence": {"freq": "weekly"}},
        {"recurrence": {"non_field_errors": ["Genau eines von count oder until angeben."]}},
    ),
    (
        {"recurrence": {"freq": "daily", "until": "2027-12-31"}},
        {"recurrence": {"non_field_errors": ["Eine Serie hat höchstens 104 Termine."]}},
    ),
    (
        {"recurrence": {"freq": "daily", "until": "2027-01-01"}},
        {"recurrence": {"non_field_errors": ["Die Regel ergibt keinen Termin."]}},
    ),
    (
        {"recurrence": {"freq": "daily", "count": 2, "byday": ["MO"]}},
        {"recurrence": {"non_field_errors": ["byday gibt es nur bei freq=weekly."]}},
    ),
    ({"mode": "some"}, {"mode": ['"some" is not a valid choice.']}),
    (
        {"replacements": [{"index": 7, "start_time": at(11)}]},
        {"replacements": ["Termin 7 gibt es in dieser Serie nicht."]},
    ),
    (
        {
            "replacements": [
                {"index": 2, "start_time": at(11)},
                {"index": 2, "start_time": at(12)},
            ]
        },
        {"replacements": ["Termin 2 ist mehrfach ersetzt."]},
    ),
    (
        {"replacements": [{"index": 2, "start_time": at(11), "end_time": at(10)}]},
        {"replacements": {"0": {"end_time": ["Endzeit muss nach der Startzeit liegen."]}}},
    ),
    (
        {"doctor": None, "end_time": "nope"},
        None,
    ),  # the appointment's own field errors, together
    ({"end_time": at(9)}, {"end_time": ["Endzeit muss nach der Startzeit liegen."]}),
]


def test_every_documented_400(api: TestClient, admin: Headers, practice: Practice) -> None:
    for changes, expected in BOOKING_400S:
        body = series_body(practice)
        body.update(changes)
        if changes.get("recurrence", "") is None:
            del body["recurrence"]
        for path in ("/api/appointment-series/", "/api/appointment-series/preview/"):
            if path.endswith("preview/") and ("mode" in changes or "replacements" in changes):
                continue  # the preview ignores them
            response = api.post(path, json=body, headers=admin)
            assert response.status_code == 400, (changes, response.text)
            if expected is None:
                assert set(response.json()) == {"doctor", "end_time"}
            else:
                assert response.json() == expected, changes


def test_edit_and_cancel_errors(api: TestClient, admin: Headers, practice: Practice) -> None:
    series = api.post("/api/appointment-series/", json=series_body(practice), headers=admin).json()
    url = f"/api/appointment-series/{series['id']}/"
    stranger = api.post(
        "/api/appointments/",
        json=practice.body(start_time=at(15), end_time=at(15, 30)),
        headers=admin,
    ).json()
    cases = [
        ({}, {"scope": ["This field is required."]}),
        (
            {"scope": "this"},
            {"appointment": ["Für scope this/following ist ein Termin der Serie anzugeben."]},
        ),
        (
            {"scope": "this", "appointment": stranger["id"], "notes": "x"},
            {"appointment": ["Termin gehört nicht zu dieser Serie."]},
        ),
        ({"scope": "all"}, {"non_field_errors": ["Keine Änderung angegeben."]}),
        (
            {"scope": "all", "shift_minutes": 5000},
            {"shift_minutes": ["Ensure this value is less than or equal to 1440."]},
        ),
    ]
    for body, expected in cases:
        response = api.patch(url, json=body, headers=admin)
        assert (response.status_code, response.json()) == (400, expected), body
    assert api.post(f"{url}cancel/", json={"scope": "any"}, headers=admin).json() == {
        "scope": ['"any" is not a valid choice.']
    }
    assert api.get("/api/appointment-series/999999/", headers=admin).status_code == 404
    assert api.patch("/api/appointment-series/999999/", json={}, headers=admin).status_code == 404
    assert (
        api.post("/api/appointment-series/999999/cancel/", json={}, headers=admin).status_code
        == 404
    )
    assert api.get(url).status_code == 401


def test_roles(api: TestClient, admin: Headers, practice: Practice, users: Users) -> None:
    billing = users.headers(users.create("billing"))
    assistant = users.headers(users.create("assistant"))
    own = users.headers(practice.doctor)
    other = users.headers(practice.other_doctor)
    body = series_body(practice, recurrence={"freq": "weekly", "count": 2})
    assert (
        api.post("/api/appointment-series/preview/", json=body, headers=billing).status_code == 403
    )
    assert api.post("/api/appointment-series/", json=body, headers=billing).status_code == 403
    assert api.post("/api/appointment-series/", json=body, headers=other).json() == {
        "doctor": ["Ärzte dürfen nur eigene Termine anlegen/ändern."]
    }
    created = api.post("/api/appointment-series/", json=body, headers=own)
    assert created.status_code == 201, created.text
    url = f"/api/appointment-series/{created.json()['id']}/"
    assert api.get(url, headers=billing).status_code == 200
    assert api.get(url, headers=other).status_code == 403
    assert api.get(url, headers=own).status_code == 200
    assert api.patch(url, json={"scope": "all", "notes": "x"}, headers=other).status_code == 403
    assert api.patch(url, json={"scope": "all", "notes": "x"}, headers=billing).status_code == 403
    assert api.patch(url, json={"scope": "all", "notes": "x"}, headers=own).status_code == 200
    assert api.post(f"{url}cancel/", json={"scope": "all"}, headers=own).status_code == 403
    assert api.post(f"{url}cancel/", json={"scope": "all"}, headers=billing).status_code == 403
    assert api.post(f"{url}cancel/", json={"scope": "all"}, headers=assistant).status_code == 200


def test_a_booking_publishes_one_series_event_and_one_per_appointment(
    api: TestClient, admin: Headers, practice: Practice, database_url: str
) -> None:
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        body = series_body(practice, recurrence={"freq": "daily", "count": 3})
        response = api.post("/api/appointment-series/", json=body, headers=admin)
        assert response.status_code == 201, response.text
        notices = [orjson.loads(n.payload) for n in listener.notifies(timeout=5, stop_after=4)]
    series_id = response.json()["id"]
    ids = [a["id"] for a in response.json()["appointments"]]
    assert sorted((n["entity"], n["id"], n["action"]) for n in notices) == sorted(
        [("appointment", i, "created") for i in ids]
        + [("appointment_series", series_id, "created")]
    )
