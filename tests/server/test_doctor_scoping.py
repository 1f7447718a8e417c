"""A doctor's list reads show their own rows and nobody else's (rbac §3, issue 21).

Generated from the route table: every GET route without path parameters that the access
policy lets a doctor read must be in ``OWN_ROWS`` (checked here: doctor A sees A's rows and
none of doctor B's) or in ``SHARED`` (doctors legitimately see everyone's, with the reason),
so a new list endpoint cannot slip through unchecked.

Each ``OWN_ROWS`` check first reads as an admin and requires both doctors' rows: a check
whose fixture or extractor finds nothing would otherwise pass for any scoping. One world is
built through the API for all checks (the database is reset per test, so the checks share
one test and report every failing endpoint together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.app import create_app
from server.core import access
from server.master_data.models import AppointmentType
from server.working_hours.models import DoctorHours
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.test_operations import BERLIN, MONDAY, NOW, at, build_op_practice

Headers = dict[str, str]
Rows = dict[str, set[int]]  # row kind → ids
WEDNESDAY = date(2027, 1, 20)  # the absences' day (no bookings, so none is refused)
READ_AT = datetime.combine(MONDAY, time(11, 15), tzinfo=BERLIN)  # both operations running


@dataclass
class World:
    """Rows of doctor A (``own``) and doctor B (``foreign``), created as an admin."""

    client: TestClient
    admin: Headers
    doctor_a: Headers
    a_id: int
    b_id: int
    patient_id: int
    op_type_id: int
    own: Rows = field(default_factory=dict)
    foreign: Rows = field(default_factory=dict)

    def add(self, kind: str, *, mine: int | set[int], theirs: int | set[int]) -> None:
        self.own[kind] = mine if isinstance(mine, set) else {mine}
        self.foreign[kind] = theirs if isinstance(theirs, set) else {theirs}

    def get(self, path: str, headers: Headers, params: dict[str, Any] | None = None) -> Any:
        response = self.client.get(path, params=params, headers=headers)
        assert response.status_code == 200, f"{path} {params}: {response.text}"
        return response.json()

    def status(self, path: str, headers: Headers, params: dict[str, Any]) -> int:
        return self.client.get(path, params=params, headers=headers).status_code


Check = Callable[[World, str], list[str]]
Extract = Callable[[Any], Rows]


def _items(body: Any) -> list[dict[str, Any]]:
    """The rows of a plain or a paginated (``results``) list."""
    return body["results"] if isinstance(body, dict) else body


def _ids(kind: str, key: str | None = None) -> Extract:
    """``{kind: ids}`` of a list response, or of the list under ``key``."""
    return lambda body: {kind: {row["id"] for row in _items(body if key is None else body[key])}}


def _grouped_operations(body: Any) -> Rows:
    return {"operation": {op["id"] for group in body for op in group["operations"]}}


def _reminded_appointments(body: Any) -> Rows:
    return {"appointment": {row["appointment"] for row in _items(body)}}


def _surgeons(body: Any) -> Rows:
    return {"doctor": {row["surgeon"]["id"] for row in body["surgeons"]}}


def _resource_bookings(body: Any) -> Rows:
    rows: Rows = {}
    for column in body:
        for booking in column["bookings"]:
            rows.setdefault(booking["kind"], set()).add(booking["id"])
    return rows


def _calendar(body: Any) -> Rows:
    return {
        "appointment": {row["id"] for row in body["appointments"]}
        | {row["appointment_id"] for row in body["resource_bookings"]},
        "operation": {row["id"] for row in body["operations"]},
        "absence": {row["id"] for row in body["absences"]},
        "break": {row["id"] for row in body["breaks"]},
        "doctor": {row["id"] for row in body["available_doctors"]},
    }


def rows(extract: Extract, *kinds: str, **params: Any) -> Check:
    """The admin sees A's and B's rows of ``kinds``; doctor A sees all of A's, none of B's."""

    def check(world: World, path: str) -> list[str]:
        query = _query(world, params)
        everyone = extract(world.get(path, world.admin, query))
        mine = extract(world.get(path, world.doctor_a, query))
        problems = []
        for kind in kinds:
            expected = world.own[kind] | world.foreign[kind]
            if not expected <= everyone.get(kind, set()):
                problems.append(f"{path}: the admin does not see every {kind} (broken check)")
            if missing := world.own[kind] - mine.get(kind, set()):
                problems.append(f"{path}: doctor A misses own {kind} {sorted(missing)}")
            if leaked := world.foreign[kind] & mine.get(kind, set()):
                problems.append(f"{path}: doctor A sees doctor B's {kind} {sorted(leaked)}")
        return problems

    return check


def _op_count(world: World, path: str) -> list[str]:
    """An aggregate: the counts must be A's operations alone, against both for the admin."""
    query = {"date": MONDAY.isoformat()}
    everyone = world.get(path, world.admin, query)["op_count"]
    mine = world.get(path, world.doctor_a, query)["op_count"]
    own, foreign = len(world.own["operation"]), len(world.foreign["operation"])
    if everyone != own + foreign:
        return [f"{path}: the admin counts {everyone} operations, not {own + foreign}"]
    return [] if mine == own else [f"{path}: doctor A counts {mine} operations, not {own}"]


def _query(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """Query parameters; callables are read from the world."""
    return {name: value(world) if callable(value) else value for name, value in params.items()}


def _asks_for_themself(
    doctor_param: str, doctors_of: Callable[[Any], set[int]], **params: Any
) -> Check:
    """Suggestions: doctor A gets only A's, and asking for B is refused (403)."""

    def check(world: World, path: str) -> list[str]:
        query = _query(world, params)
        problems = []
        body = world.get(path, world.doctor_a, {**query, doctor_param: world.a_id})
        doctors = doctors_of(body)
        if doctors != {world.a_id}:
            problems.append(f"{path}: doctor A's suggestions name doctors {sorted(doctors)}")
        refused = world.status(path, world.doctor_a, {**query, doctor_param: world.b_id})
        if refused != 403:
            problems.append(f"{path}: doctor A asking for doctor B gets {refused}, not 403")
        return problems

    return check


def _absence_preview(world: World, path: str) -> list[str]:
    """A's preview lists A's appointments only; a doctor may not preview B (403)."""
    day = MONDAY.isoformat()
    query = {"start_date": day, "end_date": day}

    def affected(body: Any) -> set[int]:
        return {row["id"] for row in body["affected_appointments"]}

    problems = []
    theirs = affected(world.get(path, world.admin, {**query, "doctor_id": world.b_id}))
    if theirs != world.foreign["appointment"]:
        problems.append(f"{path}: the admin's preview of B lists {sorted(theirs)} (broken check)")
    mine = affected(world.get(path, world.doctor_a, query))
    if mine != world.own["appointment"]:
        problems.append(f"{path}: doctor A's preview lists appointments {sorted(mine)}")
    refused = world.status(path, world.doctor_a, {**query, "doctor_id": world.b_id})
    if refused != 403:
        problems.append(f"{path}: doctor A previewing doctor B gets {refused}, not 403")
    return problems


def _day(_: World) -> str:
    return MONDAY.isoformat()


def _rooms(world: World) -> str:
    return ",".join(str(i) for i in sorted(world.own["resource"] | world.foreign["resource"]))


CALENDAR_KINDS = ("appointment", "operation", "break", "doctor")

OWN_ROWS: dict[str, Check] = {
    "/api/doctor-hours/": rows(_ids("hours"), "hours"),
    "/api/doctor-absences/": rows(_ids("absence"), "absence"),
    "/api/doctor-breaks/": rows(_ids("break"), "break"),
    "/api/doctor-absences/preview/": _absence_preview,
    "/api/appointments/": rows(_ids("appointment"), "appointment"),
    "/api/appointments/suggest/": _asks_for_themself(
        "doctor_id",
        lambda body: {item["doctor"]["id"] for item in body["primary_suggestions"]},
        duration_minutes=30,
    ),
    "/api/operations/": rows(_ids("operation"), "operation"),
    "/api/operations/suggest/": _asks_for_themself(
        "primary_surgeon_id",
        lambda body: {body["primary_surgeon"]["id"]} if body["suggestions"] else set(),
        patient_id=lambda world: world.patient_id,
        op_type_id=lambda world: world.op_type_id,
        op_room_id=lambda world: min(world.own["resource"]),
        start_date=MONDAY.isoformat(),
    ),
    "/api/patient-flow/": rows(_ids("flow"), "flow"),
    "/api/patient-flow/live/": rows(_ids("flow"), "flow"),
    "/api/op-dashboard/": rows(_ids("operation", "operations"), "operation", date=_day),
    "/api/op-dashboard/live/": rows(_ids("operation", "operations"), "operation"),
    "/api/op-timeline/": rows(_grouped_operations, "operation", date=_day),
    "/api/op-timeline/rooms/": rows(_grouped_operations, "operation", date=_day),
    "/api/op-timeline/live/": rows(_grouped_operations, "operation"),
    "/api/op-stats/overview/": _op_count,
    "/api/op-stats/surgeons/": rows(_surgeons, "doctor", date=_day),
    "/api/resource-calendar/resources/": rows(_ids("resource"), "resource"),
    "/api/resource-calendar/": rows(
        _resource_bookings,
        "appointment",
        "operation",
        "break",
        date=_day,
        resource_ids=_rooms,
    ),
    "/api/calendar/day/": rows(_calendar, *CALENDAR_KINDS, date=_day),
    "/api/calendar/week/": rows(_calendar, *CALENDAR_KINDS, "absence", date=_day),
    "/api/calendar/month/": rows(_calendar, *CALENDAR_KINDS, "absence", date=_day),
    "/api/waiting-list/entries/": rows(_ids("waiting_list_entry"), "waiting_list_entry"),
    "/api/chains/": rows(_ids("chain"), "chain"),
    "/api/reminders/": rows(_reminded_appointments, "appointment"),
}

SHARED: dict[str, str] = {
    "/": "no rows: the API's entry point",
    "/health/": "no rows: liveness probe",
    "/api/health/": "no rows: liveness probe",
    "/api/auth/me/": "no list: the caller's own account",
    "/api/setup/status/": "no rows: whether the first admin exists",
    "/api/practice-hours/": "practice-wide opening hours, no doctor's",
    "/api/patients/": "patients belong to the practice; every doctor may treat any",
    "/api/patients/search/": "patients belong to the practice; every doctor may treat any",
    "/api/appointment-types/": "master data",
    "/api/operation-types/": "master data",
    "/api/chain-templates/": "master data (chain templates)",
    "/api/resources/": "master data (rooms and devices)",
    "/api/doctors/": "the doctors list, to pick colleagues",
    "/api/appointments/doctors/": "the doctor picker of the booking form",
    "/api/availability/": "free/busy of every doctor and room for booking, no patient data",
    "/api/events/": "change notices carry only entity and id; rows are re-read scoped",
    "/api/practice/settings/": "practice-wide settings (name, thresholds), no doctor's rows",
    "/api/me/preferences/": "no list: the caller's own preferences",
    "/api/calls/": "call numbers and rooms only, no patient or doctor data (call-up display)",
    "/api/calls/stream/": "display tokens only; staff get 403",
    "/api/calendar-feeds/settings/": "no rows: the practice-wide switches of the calendar feeds",
    "/api/waiting-list/counts/": "numbers only, no rows (a doctor's cover the entries naming them)",
}


# --- the route table ------------------------------------------------------------------------


def _routes(app: FastAPI) -> Iterator[APIRoute]:
    """Every ``APIRoute`` of the app, also inside included routers."""

    def walk(routes: list[Any]) -> Iterator[APIRoute]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "original_router"):  # FastAPI's lazily included router
                yield from walk(route.original_router.routes)

    return walk(app.routes)


def doctor_list_routes(app: FastAPI) -> set[str]:
    """GET routes without path parameters that a doctor may read, by the access policies.

    Method fallbacks (GET on a POST-only path, always 405) are not reads.
    """
    paths = set()
    for route in _routes(app):
        if "GET" not in (route.methods or ()) or "{" in route.path:
            continue
        if access.is_method_fallback(route):
            continue
        policy = access.policy_for(route.path)
        if access.allows(policy.for_method("GET"), access.DOCTOR):
            paths.add(route.path)
    return paths


def test_every_doctor_list_route_is_classified(tmp_path: Path) -> None:
    settings = make_settings("postgresql+psycopg://unused@127.0.0.1:1/unused", tmp_path)
    routes = doctor_list_routes(create_app(settings))  # never started: no database needed
    assert not OWN_ROWS.keys() & SHARED.keys(), "a route is in both tables"
    unclassified = routes - OWN_ROWS.keys() - SHARED.keys()
    assert not unclassified, (
        f"GET routes a doctor may read are in neither OWN_ROWS nor SHARED: {sorted(unclassified)}"
        " — add a check that doctor A sees none of doctor B's rows, or a reason to SHARED"
    )
    stale = (OWN_ROWS.keys() | SHARED.keys()) - routes
    assert not stale, f"not (or no longer) doctor-readable list routes: {sorted(stale)}"


# --- the world ------------------------------------------------------------------------------


def _post(world: World, path: str, body: dict[str, Any]) -> int:
    response = world.client.post(path, json=body, headers=world.admin)
    assert response.status_code == 201, f"{path}: {response.text}"
    row_id: int = response.json()["id"]
    return row_id


def _chain(world: World, patient_id: int, doctor: int, hour: int) -> int:
    """A one-step chain of ``doctor`` on Tuesday at ``hour``."""
    template = _post(
        world,
        "/api/chain-templates/",
        {"name": f"Kette {doctor}", "steps": [{"duration_minutes": 20, "doctor_ids": [doctor]}]},
    )
    tuesday = MONDAY + timedelta(days=1)
    step = {"start_time": at(hour, day=tuesday), "doctor": doctor}
    body = {"template": template, "patient_id": patient_id, "steps": [step]}
    return _post(world, "/api/chains/", body)


def _set_now(client: TestClient, moment: datetime) -> None:
    client.app.state.praxi.settings.test_now = moment  # type: ignore[attr-defined]


def build_world(client: TestClient, db: sessionmaker[Session], users: Users) -> World:
    """Doctor A and doctor B each get one of every row kind, in rooms of their own; both
    operations run at ``READ_AT`` (for the live views)."""
    practice = build_op_practice(db, users)
    a, b = practice.surgeon, practice.other_surgeon
    world = World(
        client,
        admin=users.headers(users.create("admin", "scoping.admin")),
        doctor_a=users.headers(a),
        a_id=a.id,
        b_id=b.id,
        patient_id=practice.patient_id,
        op_type_id=practice.type_id,
    )
    rooms = {a.id: practice.room_id, b.id: practice.other_room_id}
    # Reminders (docs/reminders.md): a rule and the patient's consent before the bookings.
    _post(world, "/api/reminder-rules/", {"offsets_minutes": [120], "channels": ["sms"]})
    consent = client.put(
        f"/api/patients/{practice.patient_id}/reminder-consent/",
        json={"email": False, "sms": True},
        headers=world.admin,
    )
    assert consent.status_code == 200, consent.text
    with db() as session, session.begin():
        waiting_type = AppointmentType(name="Kontrolle", duration_minutes=20)
        session.add(waiting_type)
        session.flush()
        waiting_type_id = waiting_type.id
    made: dict[int, dict[str, int]] = {}
    # One patient for all bookings, so the times differ: operations 10:00 and 11:00 (50
    # minutes each), appointments 13:00 and 14:00.
    for doctor, hour in ((a.id, 10), (b.id, 11)):
        room = rooms[doctor]
        appointment = _post(
            world,
            "/api/appointments/",
            {
                "patient_id": practice.patient_id,
                "doctor": doctor,
                "start_time": at(hour + 3),
                "end_time": at(hour + 3, 30),
                "resource_ids": [room],
            },
        )
        operation = _post(
            world,
            "/api/operations/",
            practice.body(primary_surgeon=doctor, start_time=at(hour), op_room=room),
        )
        made[doctor] = {
            "appointment": appointment,
            "operation": operation,
            "resource": room,
            "doctor": doctor,
            "flow": _post(world, "/api/patient-flow/", {"appointment_id": appointment}),
            "absence": _post(
                world,
                "/api/doctor-absences/",
                {"doctor": doctor, "start_date": str(WEDNESDAY), "end_date": str(WEDNESDAY)},
            ),
            "break": _post(
                world,
                "/api/doctor-breaks/",
                {"doctor": doctor, "date": str(MONDAY), "start_time": "12:00", "end_time": "12:30"},
            ),
            "chain": _chain(world, practice.patient_id, doctor, hour),
            "waiting_list_entry": _post(
                world,
                "/api/waiting-list/entries/",
                {
                    "patient_id": practice.patient_id,
                    "type": waiting_type_id,
                    "doctor_ids": [doctor],
                },
            ),
        }
    _set_now(client, READ_AT)
    for ids in made.values():
        for status in ("confirmed", "running"):
            path = f"/api/op-dashboard/{ids['operation']}/status/"
            response = client.patch(path, json={"status": status}, headers=world.admin)
            assert response.status_code == 200, response.text
    for kind in made[a.id]:
        world.add(kind, mine=made[a.id][kind], theirs=made[b.id][kind])
    with db() as session:
        hours = session.execute(select(DoctorHours.id, DoctorHours.doctor_id)).all()
    world.add(
        "hours",
        mine={row.id for row in hours if row.doctor_id == a.id},
        theirs={row.id for row in hours if row.doctor_id == b.id},
    )
    return world


def test_a_doctor_sees_only_own_rows_in_every_list(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    with shared_client(make_settings(database_url, tmp_path, test_now=NOW)) as client:
        world = build_world(client, db, users)
        problems = [problem for path, check in OWN_ROWS.items() for problem in check(world, path)]
    assert not problems, "\n".join(problems)
