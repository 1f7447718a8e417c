"""Calendar views (spec 03 §10, §12; rbac-appointments §4, §5): parameters, ranges, every key
of the response, the availability summary with the original reference scenario, the doctor
scope, audit and a bounded number of queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment, AppointmentResource
from server.audit.models import AuditLog
from server.bookings import scheduling_cache
from server.calendar import service
from server.master_data.models import OperationType, Resource
from server.users.models import User
from server.working_hours.models import DoctorAbsence, DoctorBreak, DoctorHours, PracticeHours
from tests.server.apps import shared_client
from tests.server.conftest import TEST_SECRET, Users, make_settings
from tests.server.scheduling_fixtures import BERLIN, MONDAY, NOW, Practice, at, build_practice

Headers = dict[str, str]
VIEWS = ["day", "week", "month"]
WEEK = f"/api/calendar/week/?date={MONDAY}"
EMPTY_KEYS = [
    "appointments",
    "operations",
    "absences",
    "breaks",
    "resources",
    "resource_bookings",
    "available_doctors",
    "patient_flows",
]


@pytest.fixture
def practice(db: sessionmaker[Session], users: Users) -> Practice:
    return build_practice(db, users)


@contextmanager
def client_at(database_url: str, tmp_path: Path, now: datetime) -> Iterator[TestClient]:
    settings = make_settings(database_url, tmp_path / now.strftime("%Y%m%d%H%M"), test_now=now)
    with shared_client(settings) as client:
        yield client


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with client_at(database_url, tmp_path, NOW) as client:
        yield client


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


def book(api: TestClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/api/appointments/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def insert_appointment(
    db: sessionmaker[Session],
    doctor: User,
    start: datetime,
    end: datetime,
    *,
    patient_id: int = 1001,
    status: str = "scheduled",
    type_id: int | None = None,
    resource_ids: tuple[int, ...] = (),
) -> int:
    """Straight into the table (no scheduling checks): for boundary cases the API refuses."""
    with db() as session, session.begin():
        row = Appointment(
            patient_id=patient_id,
            doctor_id=doctor.id,
            start_time=start,
            end_time=end,
            status=status,
            type_id=type_id,
            notes="",
        )
        session.add(row)
        session.flush()
        session.add_all(
            AppointmentResource(appointment_id=row.id, resource_id=resource_id)
            for resource_id in resource_ids
        )
        return row.id


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def get_ok(api: TestClient, url: str, headers: Headers) -> dict[str, Any]:
    response = api.get(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def actions(db: sessionmaker[Session]) -> list[str]:
    with db() as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def users_headers(db: sessionmaker[Session], user: User) -> Headers:
    return Users(db, TEST_SECRET).headers(user)


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


# --- access (rbac-appointments §4, §5) --------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("assistant", 200),
        ("doctor", 200),
        ("billing", 200),
        ("nurse", 403),
        ("reception", 403),
        ("lab", 403),
        ("management", 403),
        (None, 403),
    ],
)
def test_get_roles(
    api: TestClient,
    as_role: Callable[[str | None], Headers],
    view: str,
    role: str | None,
    status: int,
) -> None:
    response = api.get(f"/api/calendar/{view}/?date=2027-01-18", headers=as_role(role))
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"detail": "You do not have permission to perform this action."}


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_is_401(api: TestClient, view: str) -> None:
    response = api.get(f"/api/calendar/{view}/?date=2027-01-18")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert api.post(f"/api/calendar/{view}/").status_code == 401


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 405),
        ("assistant", 405),
        ("doctor", 405),
        ("billing", 403),
        ("nurse", 403),
        ("management", 403),
        (None, 403),
    ],
)
def test_unsupported_methods(
    api: TestClient,
    as_role: Callable[[str | None], Headers],
    view: str,
    method: str,
    role: str | None,
    status: int,
) -> None:
    response = api.request(method, f"/api/calendar/{view}/?date=2027-01-18", headers=as_role(role))
    assert response.status_code == status
    if status == 405:
        assert response.json() == {"detail": f'Method "{method}" not allowed.'}


# --- parameters (§10.1) -----------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("", "date query parameter is required (YYYY-MM-DD)."),
        ("date=", "date query parameter is required (YYYY-MM-DD)."),
        ("date=2027-1-18", "date must be in format YYYY-MM-DD."),
        ("date=2027-02-30", "date must be in format YYYY-MM-DD."),
        ("date=18.01.2027", "date must be in format YYYY-MM-DD."),
        ("date=2027-01-18T10:00", "date must be in format YYYY-MM-DD."),
        ("date=9999-12-31", "date must be in format YYYY-MM-DD."),
        ("date=0001-01-01", "date must be in format YYYY-MM-DD."),
        ("date=x&doctor_id=x", "date must be in format YYYY-MM-DD."),
        ("date=2027-01-18&doctor_id=abc", "doctor_id must be an integer."),
        ("date=2027-01-18&doctor_id=1.5", "doctor_id must be an integer."),
        ("date=2027-01-18&doctor_id=x&patient_id=x", "doctor_id must be an integer."),
        ("date=2027-01-18&patient_id=zwei", "patient_id must be an integer."),
        ("date=2027-01-18&patient_id=x&type_id=x", "patient_id must be an integer."),
        ("date=2027-01-18&type_id=%00", "type_id must be an integer."),
        (
            "date=2027-01-18&doctor_id=9223372036854775808",
            "Ensure this value is less than or equal to 9223372036854775807.",
        ),
        ("date=2027-01-18&patient_id=0", "Ensure this value is greater than or equal to 1."),
        ("date=2027-01-18&type_id=-3", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_parameter_errors(
    api: TestClient, admin: Headers, db: sessionmaker[Session], view: str, query: str, detail: str
) -> None:
    response = api.get(f"/api/calendar/{view}/?{query}", headers=admin)
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert actions(db) == []


def test_empty_filters_count_as_absent_and_unknown_parameters_are_ignored(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    book(api, admin, practice.body())
    body = get_ok(api, f"{WEEK}&doctor_id=&patient_id=&type_id=&page=x", admin)
    assert len(body["appointments"]) == 1


# --- ranges -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("view", "day", "start", "end"),
    [
        ("day", "2026-01-14", "2026-01-14T00:00:00+01:00", "2026-01-14T23:59:59.999999+01:00"),
        ("week", "2026-01-14", "2026-01-12T00:00:00+01:00", "2026-01-18T23:59:59.999999+01:00"),
        ("week", "2026-01-12", "2026-01-12T00:00:00+01:00", "2026-01-18T23:59:59.999999+01:00"),
        ("week", "2026-01-18", "2026-01-12T00:00:00+01:00", "2026-01-18T23:59:59.999999+01:00"),
        ("week", "2026-12-31", "2026-12-28T00:00:00+01:00", "2027-01-03T23:59:59.999999+01:00"),
        ("month", "2026-01-14", "2026-01-01T00:00:00+01:00", "2026-01-31T23:59:59.999999+01:00"),
        ("month", "2028-02-10", "2028-02-01T00:00:00+01:00", "2028-02-29T23:59:59.999999+01:00"),
        # DST: spring forward on Sunday 2027-03-28, fall back on Sunday 2027-10-31.
        ("day", "2027-03-28", "2027-03-28T00:00:00+01:00", "2027-03-28T23:59:59.999999+02:00"),
        ("week", "2027-03-24", "2027-03-22T00:00:00+01:00", "2027-03-28T23:59:59.999999+02:00"),
        ("month", "2027-10-05", "2027-10-01T00:00:00+02:00", "2027-10-31T23:59:59.999999+01:00"),
    ],
)
def test_range_start_and_end(
    api: TestClient, admin: Headers, view: str, day: str, start: str, end: str
) -> None:
    body = get_ok(api, f"/api/calendar/{view}/?date={day}", admin)
    assert body == {"range_start": start, "range_end": end, **{key: [] for key in EMPTY_KEYS}}
    assert list(body) == ["range_start", "range_end", *EMPTY_KEYS]


def test_items_in_range_overlap_the_half_open_range(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    doctor = practice.doctor
    sunday = MONDAY + timedelta(days=6)
    before = insert_appointment(
        db, doctor, local(MONDAY, 0) - timedelta(minutes=30), local(MONDAY, 0)
    )  # ends exactly at range start
    first = insert_appointment(
        db, doctor, local(MONDAY, 0) - timedelta(minutes=30), local(MONDAY, 0, 15), patient_id=2
    )  # crosses the start
    last = insert_appointment(
        db, doctor, local(sunday, 23, 30), local(sunday, 23, 59), patient_id=3
    )
    crossing = insert_appointment(
        db, doctor, local(sunday, 23, 45), local(sunday + timedelta(days=1), 0, 15), patient_id=4
    )
    after = insert_appointment(
        db,
        doctor,
        local(sunday + timedelta(days=1), 0),
        local(sunday + timedelta(days=1), 0, 30),
        patient_id=5,
    )
    body = get_ok(api, f"{WEEK}&include_available_doctors=false", admin)
    assert ids(body["appointments"]) == [first, last, crossing]
    assert {before, after}.isdisjoint(ids(body["appointments"]))
    day = get_ok(api, f"/api/calendar/day/?date={sunday}&include_available_doctors=false", admin)
    assert ids(day["appointments"]) == [last, crossing]


# --- the whole response (§10.2) ---------------------------------------------------------


def test_week_full_response(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    users: Users,
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    first = book(api, admin, practice.body(resource_ids=[practice.room_id, practice.device_id]))
    cancelled = book(
        api,
        admin,
        practice.body(
            doctor=practice.other_doctor.id,
            start_time=at(9, day=tuesday),
            end_time=at(9, 30, day=tuesday),
            resource_ids=[practice.other_room_id],
        ),
    )
    api.patch(
        f"/api/appointments/{cancelled['id']}/", json={"status": "cancelled"}, headers=admin
    ).raise_for_status()
    book(
        api,
        admin,
        practice.body(
            start_time=at(10, day=MONDAY + timedelta(days=7)),
            end_time=at(10, 30, day=MONDAY + timedelta(days=7)),
        ),
    )
    absence = api.post(
        "/api/doctor-absences/",
        json={
            "doctor": practice.other_doctor.id,
            "start_date": "2027-01-20",
            "end_date": "2027-01-21",
            "reason": "Urlaub",
        },
        headers=admin,
    ).json()
    practice_break = api.post(
        "/api/doctor-breaks/",
        json={"date": "2027-01-18", "start_time": "12:00", "end_time": "13:00", "reason": "Mittag"},
        headers=admin,
    ).json()
    own_break = api.post(
        "/api/doctor-breaks/",
        json={
            "doctor": practice.doctor.id,
            "date": "2027-01-18",
            "start_time": "12:00",
            "end_time": "12:30",
        },
        headers=admin,
    ).json()
    with db() as session, session.begin():
        session.add(Resource(name="Alt", type="room", active=False))

    body = get_ok(api, WEEK, admin)

    listed = api.get(
        "/api/appointments/?start_date=2027-01-18&end_date=2027-01-24", headers=admin
    ).json()
    resources = [
        api.get(f"/api/resources/{resource_id}/", headers=admin).json()
        for resource_id in (practice.device_id, practice.other_room_id, practice.room_id)
    ]
    assert body == {
        "range_start": "2027-01-18T00:00:00+01:00",
        "range_end": "2027-01-24T23:59:59.999999+01:00",
        "appointments": [{**listed[0], "cancelled": False}, {**listed[1], "cancelled": True}],
        "operations": [],
        "absences": [api.get(f"/api/doctor-absences/{absence['id']}/", headers=admin).json()],
        "breaks": [
            api.get(f"/api/doctor-breaks/{own_break['id']}/", headers=admin).json(),
            api.get(f"/api/doctor-breaks/{practice_break['id']}/", headers=admin).json(),
        ],
        "resources": resources,
        "resource_bookings": [
            {
                "appointment_id": first["id"],
                "resource_id": practice.room_id,
                "start_time": "2027-01-18T10:00:00+01:00",
                "end_time": "2027-01-18T10:30:00+01:00",
            },
            {
                "appointment_id": first["id"],
                "resource_id": practice.device_id,
                "start_time": "2027-01-18T10:00:00+01:00",
                "end_time": "2027-01-18T10:30:00+01:00",
            },
            {
                "appointment_id": cancelled["id"],
                "resource_id": practice.other_room_id,
                "start_time": "2027-01-19T09:00:00+01:00",
                "end_time": "2027-01-19T09:30:00+01:00",
            },
        ],
        "available_doctors": [
            {
                "id": practice.doctor.id,
                "name": "Anna Müller",
                "color": "#123456",
                "available": True,
                "reason": None,
            },
            {
                "id": practice.other_doctor.id,
                "name": "Bernd Schmidt",
                "color": "#1E90FF",
                "available": True,
                "reason": None,
            },
        ],
        "patient_flows": [],
    }
    assert ids(listed) == [first["id"], cancelled["id"]]
    assert practice.room_id < practice.device_id  # bookings ordered by resource id
    # The original expectations: absences created via the API with matching fields, and the
    # colors of type and doctor.
    assert {k: body["absences"][0][k] for k in ("id", "start_date", "end_date")} == {
        "id": absence["id"],
        "start_date": "2027-01-20",
        "end_date": "2027-01-21",
    }
    assert body["appointments"][0]["appointment_color"] == "#ABCDEF"
    assert body["appointments"][0]["doctor_color"] == "#123456"
    assert body["absences"][0]["remaining_days"] == 28


def test_appointments_render_like_the_list_with_the_cancelled_key(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    booked = book(api, admin, practice.body(notes="Nüchtern", resource_ids=[practice.room_id]))
    with db() as session, session.begin():
        session.get(Resource, practice.room_id).active = False  # type: ignore[union-attr]
    for view in VIEWS:
        body = get_ok(api, f"/api/calendar/{view}/?date={MONDAY}", admin)
        listed = api.get(f"/api/appointments/?date={MONDAY}", headers=admin).json()
        assert body["appointments"] == [{**listed[0], "cancelled": False}]
        assert list(body["appointments"][0])[-1] == "cancelled"
        assert body["appointments"][0]["id"] == booked["id"]
        assert body["appointments"][0]["room_name"] is None  # the room is inactive now
        assert body["resources"] == [
            api.get(f"/api/resources/{practice.device_id}/", headers=admin).json(),
            api.get(f"/api/resources/{practice.other_room_id}/", headers=admin).json(),
        ]


def test_patient_flows_name_each_appointments_active_flow_else_its_latest_finished_one(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    arrived = book(api, admin, practice.body())
    finished = book(api, admin, practice.body(start_time=at(11), end_time=at(11, 30)))
    not_there = book(api, admin, practice.body(start_time=at(12), end_time=at(12, 30)))
    flows = []
    for appointment, status in ((arrived, "waiting"), (finished, "registered")):
        response = api.post(
            "/api/patient-flow/",
            json={"appointment_id": appointment["id"], "status": status},
            headers=admin,
        )
        assert response.status_code == 201, response.text
        flows.append(response.json()["id"])
    for step in ("waiting", "preparing", "in_treatment", "post_treatment", "done"):
        response = api.patch(
            f"/api/patient-flow/{flows[1]}/status/", json={"status": step}, headers=admin
        )
        assert response.status_code == 200, response.text
    again = api.post(
        "/api/patient-flow/",
        json={"appointment_id": finished["id"], "status": "registered"},
        headers=admin,
    )
    assert again.status_code == 201, again.text  # a second visit: the active one wins

    body = get_ok(api, f"/api/calendar/day/?date={MONDAY}", admin)

    assert body["patient_flows"] == [
        {"id": flows[0], "appointment_id": arrived["id"], "status": "waiting"},
        {"id": again.json()["id"], "appointment_id": finished["id"], "status": "registered"},
    ]
    assert not_there["id"] not in [f["appointment_id"] for f in body["patient_flows"]]
    counts = get_ok(api, f"/api/calendar/month/?date={MONDAY}&counts_only=true", admin)
    assert counts["patient_flows"] == []


def test_appointments_all_statuses_ordered_by_start_then_id(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    late = insert_appointment(
        db, practice.doctor, local(MONDAY, 11), local(MONDAY, 11, 30), status="completed"
    )
    a = insert_appointment(
        db,
        practice.other_doctor,
        local(MONDAY, 9),
        local(MONDAY, 9, 30),
        status="cancelled",
        patient_id=7,
    )
    b = insert_appointment(
        db, practice.doctor, local(MONDAY, 9), local(MONDAY, 9, 30), status="confirmed"
    )
    body = get_ok(api, f"/api/calendar/day/?date={MONDAY}", admin)
    assert [(x["id"], x["status"], x["cancelled"]) for x in body["appointments"]] == [
        (a, "cancelled", True),
        (b, "confirmed", False),
        (late, "completed", False),
    ]


def test_appointment_filters(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    typed = book(api, admin, practice.body())
    other = book(
        api, admin, practice.body(doctor=practice.other_doctor.id, type=None, patient_id=2002)
    )
    base = f"{WEEK}&include_available_doctors=false"
    assert ids(
        get_ok(api, f"{base}&doctor_id={practice.other_doctor.id}", admin)["appointments"]
    ) == [other["id"]]
    assert ids(get_ok(api, f"{base}&patient_id=1001", admin)["appointments"]) == [typed["id"]]
    assert ids(get_ok(api, f"{base}&type_id={practice.type_id}", admin)["appointments"]) == [
        typed["id"]
    ]
    assert (
        get_ok(api, f"{base}&type_id={practice.type_id}&patient_id=2002", admin)["appointments"]
        == []
    )
    assert get_ok(api, f"{base}&doctor_id=999999", admin)["appointments"] == []


def test_resource_bookings_follow_the_returned_appointments(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    mine = insert_appointment(
        db,
        practice.doctor,
        local(MONDAY, 10),
        local(MONDAY, 10, 30),
        resource_ids=(practice.other_room_id, practice.device_id),
    )
    theirs = insert_appointment(
        db,
        practice.other_doctor,
        local(MONDAY, 9),
        local(MONDAY, 9, 30),
        patient_id=5,
        resource_ids=(practice.room_id,),
    )
    body = get_ok(api, f"/api/calendar/day/?date={MONDAY}", admin)
    assert [(b["appointment_id"], b["resource_id"]) for b in body["resource_bookings"]] == [
        (theirs, practice.room_id),
        (mine, practice.device_id),
        (mine, practice.other_room_id),
    ]
    filtered = get_ok(
        api, f"/api/calendar/day/?date={MONDAY}&doctor_id={practice.doctor.id}", admin
    )
    assert [(b["appointment_id"], b["resource_id"]) for b in filtered["resource_bookings"]] == [
        (mine, practice.device_id),
        (mine, practice.other_room_id),
    ]
    assert filtered["resource_bookings"][0] == {
        "appointment_id": mine,
        "resource_id": practice.device_id,
        "start_time": "2027-01-18T10:00:00+01:00",
        "end_time": "2027-01-18T10:30:00+01:00",
    }


def test_absences_in_range_active_filtered_and_ordered(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    doctor, other = practice.doctor, practice.other_doctor
    with db() as session, session.begin():
        rows = [
            DoctorAbsence(
                doctor_id=other.id,
                start_date=date(2027, 1, 24),
                end_date=date(2027, 1, 30),
                reason="Kongress",
            ),
            DoctorAbsence(
                doctor_id=doctor.id, start_date=date(2027, 1, 20), end_date=date(2027, 1, 20)
            ),
            DoctorAbsence(
                doctor_id=doctor.id, start_date=date(2027, 1, 10), end_date=date(2027, 1, 18)
            ),
            DoctorAbsence(
                doctor_id=doctor.id, start_date=date(2027, 1, 10), end_date=date(2027, 1, 17)
            ),  # ends before the week
            DoctorAbsence(
                doctor_id=doctor.id, start_date=date(2027, 1, 25), end_date=date(2027, 1, 26)
            ),  # starts after it
            DoctorAbsence(
                doctor_id=doctor.id,
                start_date=date(2027, 1, 19),
                end_date=date(2027, 1, 19),
                active=False,
            ),
            DoctorAbsence(
                doctor_id=doctor.id, start_date=date(2027, 1, 20), end_date=date(2027, 1, 20)
            ),
        ]
        session.add_all(rows)
        session.flush()
        absence_ids = [row.id for row in rows]
    body = get_ok(api, WEEK, admin)
    assert ids(body["absences"]) == [absence_ids[2], absence_ids[1], absence_ids[6], absence_ids[0]]
    assert (
        body["absences"][3]
        == api.get(f"/api/doctor-absences/{absence_ids[0]}/", headers=admin).json()
    )
    assert ids(get_ok(api, f"{WEEK}&doctor_id={other.id}", admin)["absences"]) == [absence_ids[0]]
    # A doctor sees own absences only; doctor_id does not widen (nor narrow) that.
    headers = users_headers(db, doctor)
    assert ids(get_ok(api, f"{WEEK}&doctor_id={other.id}", headers)["absences"]) == [
        absence_ids[2],
        absence_ids[1],
        absence_ids[6],
    ]


def test_breaks_in_range_scope_and_order(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    doctor, other = practice.doctor, practice.other_doctor
    with db() as session, session.begin():
        rows = [
            DoctorBreak(doctor_id=None, date=MONDAY, start_time=time(12), end_time=time(13)),
            DoctorBreak(
                doctor_id=other.id, date=MONDAY, start_time=time(12), end_time=time(12, 30)
            ),
            DoctorBreak(
                doctor_id=doctor.id, date=MONDAY, start_time=time(12), end_time=time(12, 15)
            ),
            DoctorBreak(doctor_id=doctor.id, date=MONDAY, start_time=time(9), end_time=time(9, 15)),
            DoctorBreak(
                doctor_id=None, date=date(2027, 1, 24), start_time=time(8), end_time=time(9)
            ),
            DoctorBreak(
                doctor_id=None, date=date(2027, 1, 25), start_time=time(8), end_time=time(9)
            ),  # after the week
            DoctorBreak(
                doctor_id=doctor.id, date=date(2027, 1, 17), start_time=time(8), end_time=time(9)
            ),  # before it
            DoctorBreak(
                doctor_id=doctor.id,
                date=MONDAY,
                start_time=time(14),
                end_time=time(15),
                active=False,
            ),
        ]
        session.add_all(rows)
        session.flush()
        b = [row.id for row in rows]
    assert doctor.id < other.id
    body = get_ok(api, WEEK, admin)
    assert ids(body["breaks"]) == [b[3], b[2], b[1], b[0], b[4]]
    assert body["breaks"][3] == api.get(f"/api/doctor-breaks/{b[0]}/", headers=admin).json()
    assert ids(get_ok(api, f"{WEEK}&doctor_id={other.id}", admin)["breaks"]) == [b[1], b[0], b[4]]
    headers = users_headers(db, doctor)
    assert ids(get_ok(api, f"{WEEK}&doctor_id={other.id}", headers)["breaks"]) == [
        b[3],
        b[2],
        b[0],
        b[4],
    ]


def test_resources_are_all_active_ones_unfiltered(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    with db() as session, session.begin():
        session.add_all(
            [Resource(name="Aaa", type="room", active=False), Resource(name="Aaa", type="device")]
        )
        session.flush()
    body = get_ok(api, f"{WEEK}&doctor_id={practice.doctor.id}&type_id=1", admin)
    assert [(r["type"], r["name"]) for r in body["resources"]] == [
        ("device", "Aaa"),
        ("device", "EKG"),
        ("room", "Raum 2"),
        ("room", "Ultraschallraum"),
    ]


def test_operations_are_an_empty_list_when_there_are_none(
    api: TestClient, admin: Headers, practice: Practice
) -> None:
    book(api, admin, practice.body())
    for view in VIEWS:
        assert get_ok(api, f"/api/calendar/{view}/?date={MONDAY}", admin)["operations"] == []


def test_operations_loader_can_be_plugged_in(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    seen: list[service.CalendarScope] = []

    def loader(_session: Session, scope: service.CalendarScope) -> str:
        seen.append(scope)
        return '[{"id": 1}]'

    installed = service.operations_loader()
    service.register_operations_loader(loader)
    try:
        admin_body = get_ok(api, f"{WEEK}&doctor_id=5&patient_id=6&type_id=7", admin)
        get_ok(api, f"{WEEK}&doctor_id=5", users_headers(db, practice.doctor))
    finally:
        service.register_operations_loader(installed)
    assert admin_body["operations"] == [{"id": 1}]
    assert (seen[0].first_day, seen[0].last_day) == (MONDAY, MONDAY + timedelta(days=6))
    assert seen[0].range_start == local(MONDAY, 0)
    assert seen[0].range_stop == local(MONDAY + timedelta(days=7), 0)
    assert (seen[0].own_doctor_id, seen[0].doctor_id, seen[0].patient_id) == (None, 5, 6)
    assert (seen[1].own_doctor_id, seen[1].doctor_id) == (practice.doctor.id, None)


def plan_operation(
    api: TestClient,
    headers: Headers,
    db: sessionmaker[Session],
    practice: Practice,
    **changes: Any,
) -> dict[str, Any]:
    """An operation through the API: 10 + 30 + 10 minutes in the second room."""
    with db() as session, session.begin():
        kind = OperationType(name="Standard-OP", prep_duration=10, op_duration=30, post_duration=10)
        session.add(kind)
        session.flush()
        type_id = kind.id
    body = {
        "patient_id": practice.patient_id,
        "primary_surgeon": practice.doctor.id,
        "op_room": practice.other_room_id,
        "op_type": type_id,
        "start_time": at(10),
        **changes,
    }
    response = api.post("/api/operations/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_operations_in_range_scope_and_filters(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    """The original expectation (operations created via the API appear in the day view) and
    the §10.2 filters: team membership for doctor_id and doctors, patient_id, no type_id."""
    op = plan_operation(api, admin, db, practice)
    book(
        api,
        admin,
        practice.body(
            doctor=practice.other_doctor.id, patient_id=2, start_time=at(11), end_time=at(11, 30)
        ),
    )
    day = f"/api/calendar/day/?date={MONDAY}&include_available_doctors=false"
    assert ids(get_ok(api, day, admin)["operations"]) == [op["id"]]
    assert get_ok(api, day, admin)["operations"][0]["cancelled"] is False
    assert ids(
        get_ok(api, f"{day}&doctor_id={practice.doctor.id}&type_id=999", admin)["operations"]
    ) == [op["id"]]
    assert get_ok(api, f"{day}&doctor_id={practice.other_doctor.id}", admin)["operations"] == []
    assert get_ok(api, f"{day}&patient_id=2", admin)["operations"] == []
    own = users_headers(db, practice.doctor)
    assert ids(get_ok(api, f"{day}&doctor_id={practice.other_doctor.id}", own)["operations"]) == [
        op["id"]
    ]
    assert get_ok(api, day, users_headers(db, practice.other_doctor))["operations"] == []
    tuesday = MONDAY + timedelta(days=1)
    assert get_ok(api, f"/api/calendar/day/?date={tuesday}", admin)["operations"] == []


def test_operations_are_busy_time_for_the_summary(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    op = plan_operation(api, admin, db, practice)  # 10:00–10:50
    with db() as session, session.begin():
        for row in session.scalars(select(DoctorHours)):
            row.active = False
        session.add(
            DoctorHours(
                doctor_id=practice.doctor.id, weekday=0, start_time=time(10), end_time=time(10, 45)
            )
        )
    url = f"/api/calendar/day/?date={MONDAY}&doctor_id={practice.doctor.id}"
    assert get_ok(api, url, admin)["available_doctors"][0]["reason"] == "busy"
    api.patch(
        f"/api/operations/{op['id']}/", json={"status": "cancelled"}, headers=admin
    ).raise_for_status()
    assert get_ok(api, url, admin)["available_doctors"][0]["available"] is True


# --- doctor scope -----------------------------------------------------------------------


def test_doctor_sees_own_data_only(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    mine = book(api, admin, practice.body(resource_ids=[practice.room_id]))
    book(
        api,
        admin,
        practice.body(
            doctor=practice.other_doctor.id, patient_id=2, resource_ids=[practice.device_id]
        ),
    )
    headers = users_headers(db, practice.doctor)
    body = get_ok(api, WEEK, headers)
    assert ids(body["appointments"]) == [mine["id"]]
    assert [b["appointment_id"] for b in body["resource_bookings"]] == [mine["id"]]
    assert ids(body["available_doctors"]) == [practice.doctor.id]
    assert len(body["resources"]) == 3
    # doctor_id combines with "own" for appointments; the summary stays the doctor's own.
    other = get_ok(api, f"{WEEK}&doctor_id={practice.other_doctor.id}", headers)
    assert other["appointments"] == []
    assert ids(other["available_doctors"]) == [practice.doctor.id]
    assert ids(get_ok(api, f"{WEEK}&doctor_id={practice.doctor.id}", headers)["appointments"]) == [
        mine["id"]
    ]


# --- counts_only and include_available_doctors -----------------------------------------


def test_month_counts_only(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    for start, doctor, status in [
        (local(MONDAY, 9), practice.doctor, "scheduled"),
        (local(MONDAY, 10), practice.other_doctor, "cancelled"),
        (local(tuesday, 9), practice.doctor, "completed"),
        (local(date(2027, 1, 31), 23, 0), practice.doctor, "scheduled"),
        (local(date(2027, 2, 1), 0, 0), practice.doctor, "scheduled"),
        (local(date(2026, 12, 31), 23, 0), practice.doctor, "scheduled"),
    ]:
        insert_appointment(
            db,
            doctor,
            start,
            start + timedelta(minutes=30),
            resource_ids=(practice.room_id,),
            status=status,
            patient_id=start.hour + start.day,
        )
    body = get_ok(api, f"/api/calendar/month/?date={MONDAY}&counts_only=TRUE", admin)
    counts = {item["date"]: item["appointments"] for item in body["day_counts"]}
    assert list(body) == ["range_start", "range_end", *EMPTY_KEYS, "day_counts"]
    assert [item["date"] for item in body["day_counts"]] == [
        f"2027-01-{day:02d}" for day in range(1, 32)
    ]
    assert set(body["day_counts"][0]) == {"date", "appointments"}
    assert {k: v for k, v in counts.items() if v} == {
        "2027-01-18": 2,
        "2027-01-19": 1,
        "2027-01-31": 1,
    }
    assert body["appointments"] == []
    assert body["resource_bookings"] == []
    assert len(body["resources"]) == 3
    assert len(body["available_doctors"]) == 2
    own = get_ok(
        api,
        f"/api/calendar/month/?date={MONDAY}&counts_only=true",
        users_headers(db, practice.doctor),
    )
    assert {k: v for k, v in ((i["date"], i["appointments"]) for i in own["day_counts"]) if v} == {
        "2027-01-18": 1,
        "2027-01-19": 1,
        "2027-01-31": 1,
    }
    filtered = get_ok(
        api,
        f"/api/calendar/month/?date={MONDAY}&counts_only=true&doctor_id={practice.other_doctor.id}",
        admin,
    )
    assert sum(i["appointments"] for i in filtered["day_counts"]) == 1
    full = get_ok(api, f"/api/calendar/month/?date={MONDAY}", admin)
    assert "day_counts" not in full
    assert len(full["appointments"]) == 4
    assert sum(counts.values()) == len(full["appointments"])


@pytest.mark.parametrize("value", ["false", "yes", ""])
def test_counts_only_is_month_only_and_never_an_error(
    api: TestClient, admin: Headers, practice: Practice, value: str
) -> None:
    book(api, admin, practice.body(resource_ids=[practice.room_id]))
    for view in ("day", "week"):
        body = get_ok(api, f"/api/calendar/{view}/?date={MONDAY}&counts_only=true", admin)
        assert "day_counts" not in body
        assert len(body["appointments"]) == 1
        assert len(body["resource_bookings"]) == 1
    month = get_ok(api, f"/api/calendar/month/?date={MONDAY}&counts_only={value}", admin)
    assert "day_counts" not in month
    assert len(month["appointments"]) == 1


@pytest.mark.parametrize(
    ("value", "computed"),
    [("false", False), ("FALSE", False), ("true", True), ("nein", True), ("", True)],
)
def test_include_available_doctors(
    api: TestClient, admin: Headers, practice: Practice, value: str, computed: bool
) -> None:
    body = get_ok(api, f"{WEEK}&include_available_doctors={value}", admin)
    assert (len(body["available_doctors"]) == 2) is computed
    if not computed:
        assert body["available_doctors"] == []


# --- available_doctors (§12) ------------------------------------------------------------

FRIDAY = date(2025, 1, 10)


@pytest.fixture
def reference(
    api: TestClient, admin: Headers, db: sessionmaker[Session], users: Users
) -> list[User]:
    """The original test: Friday 2025-01-10, practice 09–17, Dr A … Dr E."""
    doctors = [
        users.create("doctor", f"dr{name.lower()}", first_name="Dr", last_name=name)
        for name in "ABCDE"
    ]
    a, b, _c, d, e = doctors
    with db() as session, session.begin():
        session.add(PracticeHours(weekday=4, start_time=time(9), end_time=time(17)))
        for doctor, start, end in [
            (a, time(9), time(17)),
            (b, time(12), time(13)),
            (d, time(10), time(10, 30)),
            (e, time(9), time(17)),
        ]:
            session.add(DoctorHours(doctor_id=doctor.id, weekday=4, start_time=start, end_time=end))
        session.add(DoctorAbsence(doctor_id=a.id, start_date=FRIDAY, end_date=FRIDAY))
        session.add(
            DoctorBreak(doctor_id=b.id, date=FRIDAY, start_time=time(12), end_time=time(13))
        )
    book(
        api,
        admin,
        {
            "patient_id": 77,
            "doctor": d.id,
            "start_time": "2025-01-10T10:00",
            "end_time": "2025-01-10T10:30",
        },
    )
    return doctors


def reference_item(doctor: User, available: bool, reason: str | None) -> dict[str, Any]:
    return {
        "id": doctor.id,
        "name": doctor.display_name,
        "color": "#1E90FF",
        "available": available,
        "reason": reason,
    }


def test_reference_scenario_five_doctors(
    api: TestClient, admin: Headers, reference: list[User]
) -> None:
    a, b, c, d, e = reference
    expected = [
        reference_item(a, False, "absence"),
        reference_item(b, False, "break"),
        reference_item(c, False, "no_hours"),
        reference_item(d, False, "busy"),
        reference_item(e, True, None),
    ]
    assert get_ok(api, f"/api/calendar/day/?date={FRIDAY}", admin)["available_doctors"] == expected
    # Friday is the only day with practice hours, so the week says the same.
    assert get_ok(api, f"/api/calendar/week/?date={FRIDAY}", admin)["available_doctors"] == expected
    assert a.display_name == "Dr A"


def test_summary_doctor_selection(
    api: TestClient, admin: Headers, reference: list[User], users: Users, db: sessionmaker[Session]
) -> None:
    a, b, _c, _d, e = reference
    url = f"/api/calendar/day/?date={FRIDAY}"
    assert get_ok(api, f"{url}&doctor_id={b.id}", admin)["available_doctors"] == [
        reference_item(b, False, "break")
    ]
    retired = users.create("doctor", "dr.alt", is_active=False)
    billing = users.create("billing", "buchhaltung")
    for doctor_id in (retired.id, billing.id, 987654):
        assert get_ok(api, f"{url}&doctor_id={doctor_id}", admin)["available_doctors"] == []
    # Inactive doctors are not listed; a doctor gets only themself, whatever doctor_id says.
    assert retired.id not in ids(get_ok(api, url, admin)["available_doctors"])
    headers = users_headers(db, a)
    assert get_ok(api, f"{url}&doctor_id={e.id}", headers)["available_doctors"] == [
        reference_item(a, False, "absence")
    ]


def test_cancelled_appointments_do_not_make_a_doctor_busy(
    api: TestClient, admin: Headers, reference: list[User], db: sessionmaker[Session]
) -> None:
    d = reference[3]
    with db() as session, session.begin():
        for row in session.scalars(select(Appointment).where(Appointment.doctor_id == d.id)):
            row.status = "cancelled"
    assert get_ok(api, f"/api/calendar/day/?date={FRIDAY}&doctor_id={d.id}", admin)[
        "available_doctors"
    ] == [reference_item(d, True, None)]


def test_summary_clips_only_a_first_day_that_is_today(
    database_url: str, tmp_path: Path, practice: Practice, users: Users
) -> None:
    admin = users.headers(users.create("admin"))
    doctor = f"doctor_id={practice.doctor.id}"
    wednesday = MONDAY + timedelta(days=2)

    def summary(client: TestClient, view: str, day: date) -> list[dict[str, Any]]:
        body = get_ok(client, f"/api/calendar/{view}/?date={day}&{doctor}", admin)
        return [
            {k: v for k, v in item.items() if k in ("available", "reason")}
            for item in body["available_doctors"]
        ]

    free, busy = [{"available": True, "reason": None}], [{"available": False, "reason": "busy"}]
    # Monday 16:45: no 30-minute slot left today (doctor hours end 17:00).
    with client_at(database_url, tmp_path, local(MONDAY, 16, 45)) as client:
        assert summary(client, "day", MONDAY) == busy
        assert summary(client, "week", MONDAY) == free  # Tuesday onwards is free
        assert summary(client, "day", MONDAY - timedelta(days=7)) == free  # past: scanned
    # At 16:30 the 16:30–17:00 slot still fits.
    with client_at(database_url, tmp_path, local(MONDAY, 16, 30)) as client:
        assert summary(client, "day", MONDAY) == free
    # Wednesday 16:45 with hours on Wednesday only: the week starts on Monday (not today),
    # so Wednesday is scanned without the clip (original behaviour).
    with users.db() as session, session.begin():
        for row in session.scalars(select(DoctorHours)):
            row.active = row.weekday == 2
    with client_at(database_url, tmp_path, local(wednesday, 16, 45)) as client:
        assert summary(client, "day", wednesday) == busy
        assert summary(client, "week", wednesday) == free
        assert summary(client, "month", wednesday) == free


def test_summary_over_a_busy_week_and_breaks(
    api: TestClient, admin: Headers, practice: Practice, db: sessionmaker[Session]
) -> None:
    """A doctor whose hours are all booked is busy; all blocked by breaks is ``break``."""
    with db() as session, session.begin():
        for row in session.scalars(select(DoctorHours)):
            row.active = row.doctor_id == practice.doctor.id and row.weekday == 0
        session.add(DoctorBreak(doctor_id=None, date=MONDAY, start_time=time(9), end_time=time(17)))
    url = f"{WEEK}&doctor_id={practice.doctor.id}"
    assert get_ok(api, url, admin)["available_doctors"][0]["reason"] == "break"
    insert_appointment(db, practice.doctor, local(MONDAY, 16, 40), local(MONDAY, 16, 50))
    assert get_ok(api, url, admin)["available_doctors"][0]["reason"] == "busy"
    other = get_ok(api, f"{WEEK}&doctor_id={practice.other_doctor.id}", admin)
    assert other["available_doctors"][0]["reason"] == "no_hours"


# --- audit ------------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_two_audit_entries_per_request(
    api: TestClient, db: sessionmaker[Session], users: Users, view: str
) -> None:
    user = users.create("billing", "buchhaltung")
    get_ok(api, f"/api/calendar/{view}/?date=2027-01-18&patient_id=5", users.headers(user))
    with db() as session:
        rows = list(session.scalars(select(AuditLog).order_by(AuditLog.id)))
    assert [(r.action, r.user_id, r.role_name, r.patient_id, r.meta) for r in rows] == [
        (f"calendar_{view}", user.id, "billing", None, None),
        ("doctor_substitution_list", user.id, "billing", None, None),
    ]


def test_no_audit_when_denied(
    api: TestClient, as_role: Callable[[str | None], Headers], db: sessionmaker[Session]
) -> None:
    api.get("/api/calendar/week/?date=2027-01-18", headers=as_role("nurse"))
    api.post("/api/calendar/week/?date=2027-01-18", headers=as_role("admin"))
    assert actions(db) == []


def test_a_failing_audit_insert_does_not_fail_the_read(
    api: TestClient, admin: Headers, db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database refuses the insert (as it would a missing table or a full disk).
    monkeypatch.setattr(service, "_CALENDAR_AUDIT_SQL", text("SELECT 1 / 0"))
    body = get_ok(api, f"{WEEK}&include_available_doctors=false", admin)
    assert body["range_start"] == "2027-01-18T00:00:00+01:00"
    assert actions(db) == []


# --- bounded queries --------------------------------------------------------------------


def count_queries(api: TestClient, url: str, headers: Headers) -> int:
    statements: list[str] = []

    def listener(*args: Any) -> None:
        statements.append(args[2])

    # The app's own engine only: background workers (the waiting-list matcher) have theirs.
    # On a cold scheduling cache: the loads are what must not grow.
    scheduling_cache.clear_everywhere()
    engine = api.app.state.praxi.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", listener)
    try:
        get_ok(api, url, headers)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_fixed_number_of_queries(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    users: Users,
) -> None:
    with db() as session, session.begin():
        session.add(
            DoctorAbsence(
                doctor_id=practice.doctor.id, start_date=MONDAY, end_date=MONDAY, reason="Urlaub"
            )
        )
        session.add(
            DoctorBreak(doctor_id=None, date=MONDAY, start_time=time(12), end_time=time(13))
        )
    insert_appointment(
        db,
        practice.doctor,
        local(MONDAY, 9),
        local(MONDAY, 9, 30),
        resource_ids=(practice.room_id,),
    )
    url = f"/api/calendar/month/?date={MONDAY}"
    count_queries(api, url, admin)  # warm-up: the token's first request also loads its user
    small = count_queries(api, url, admin)
    for day in range(1, 29):
        for hour in (8, 9, 10):
            insert_appointment(
                db,
                practice.other_doctor,
                local(date(2027, 2, 1) - timedelta(days=day), hour),
                local(date(2027, 2, 1) - timedelta(days=day), hour, 20),
                patient_id=day * 10 + hour,
                resource_ids=(practice.device_id, practice.room_id),
            )
        users.create("doctor")
    with db() as session, session.begin():
        for day in range(1, 20):
            session.add(
                DoctorAbsence(
                    doctor_id=practice.other_doctor.id,
                    start_date=date(2027, 1, day),
                    end_date=date(2027, 1, day),
                    reason="Urlaub",
                )
            )
            session.add(
                DoctorBreak(
                    doctor_id=practice.doctor.id,
                    date=date(2027, 1, day),
                    start_time=time(12),
                    end_time=time(13),
                )
            )
    assert count_queries(api, url, admin) == small
    assert small <= 20
    assert count_queries(api, f"{url}&counts_only=true", admin) <= small
