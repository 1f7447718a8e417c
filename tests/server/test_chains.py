"""Chains (Terminketten, docs/series-and-chains.md "Chains"): templates, suggestions, atomic
booking, moving and cancelling steps — over real HTTP against the real database.

The practice: Mon–Fri, practice 8–18, three doctors 9–17, an operation type of 50 minutes
(10/30/10), two OP rooms and two devices; "now" is Monday 2027-01-11 08:00, a week before
the Monday under test.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from server.master_data.models import AppointmentType
from server.operations.models import Operation
from tests.server import scheduling_fixtures
from tests.server.conftest import Users
from tests.server.scheduling_fixtures import BERLIN, MONDAY, Headers, OpPractice, actions, at

api = scheduling_fixtures.api
admin = scheduling_fixtures.admin
op_practice = scheduling_fixtures.op_practice

TEMPLATES = "/api/chain-templates/"
CHAINS = "/api/chains/"


@pytest.fixture
def consult_type(db: sessionmaker[Session]) -> int:
    with db() as session, session.begin():
        row = AppointmentType(name="Vorgespräch", color="#ABCDEF", duration_minutes=30)
        session.add(row)
        session.flush()
        return row.id


def surgery_template(p: OpPractice, consult_type: int) -> dict[str, Any]:
    """Vorgespräch → Narkoseaufklärung (same day) → OP (next working day) → Kontrolle (1 day)."""
    return {
        "name": "Ambulante OP",
        "steps": [
            {"appointment_type": consult_type, "doctor_ids": [p.surgeon.id]},
            {
                "name": "Narkoseaufklärung",
                "duration_minutes": 20,
                "doctor_ids": [p.anesthesist.id],
                "gap_rule": "same_day",
            },
            {
                "kind": "operation",
                "op_type": p.type_id,
                "doctor_ids": [p.surgeon.id, p.other_surgeon.id],
                "room_ids": [p.room_id, p.other_room_id],
                "resource_ids": [p.device_id],
                "gap_rule": "next_working_day",
            },
            {
                "name": "Kontrolle",
                "duration_minutes": 15,
                "doctor_ids": [p.surgeon.id],
                "gap_min": 1,
                "gap_max": 2,
                "gap_unit": "days",
            },
        ],
    }


@pytest.fixture
def template(api: TestClient, admin: Headers, op_practice: OpPractice, consult_type: int) -> int:
    response = api.post(TEMPLATES, json=surgery_template(op_practice, consult_type), headers=admin)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(BERLIN)


def _suggest(api: TestClient, headers: Headers, template: int, **params: Any) -> Any:
    query = {"patient_id": 1007, "start_date": MONDAY.isoformat(), **params}
    return api.get(f"{TEMPLATES}{template}/suggest/", params=query, headers=headers)


def _booking(template: int, option: dict[str, Any], patient_id: int = 1007) -> dict[str, Any]:
    return {
        "template": template,
        "patient_id": patient_id,
        "steps": [
            {"start_time": s["start_time"], "doctor": s["doctor"], "room": s["room"]}
            for s in option["steps"]
        ],
    }


def _counts(db: sessionmaker[Session]) -> tuple[int, int, int]:
    with db() as session:
        return (
            session.scalar(text("SELECT count(*) FROM appointments")) or 0,
            session.scalar(text("SELECT count(*) FROM operations")) or 0,
            session.scalar(text("SELECT count(*) FROM appointment_chains")) or 0,
        )


# -- templates --------------------------------------------------------------------------


def test_templates_round_trip_and_bad_writes_name_each_field(
    api: TestClient,
    admin: Headers,
    template: int,
    op_practice: OpPractice,
    users: Users,
    consult_type: int,
) -> None:
    body = api.get(f"{TEMPLATES}{template}/", headers=admin).json()
    names = [s["name"] for s in body["steps"]]
    assert names == ["Vorgespräch", "Narkoseaufklärung", "Standard-OP", "Kontrolle"]
    assert [s["duration_minutes"] for s in body["steps"]] == [30, 20, 50, 15]
    assert [s["position"] for s in body["steps"]] == [1, 2, 3, 4]
    listing = api.get(TEMPLATES, headers=users.headers(users.create("billing"))).json()
    assert listing["count"] == 1
    assert listing["results"][0]["id"] == template
    changed = {**surgery_template(op_practice, body["steps"][0]["appointment_type"])}
    changed["steps"] = changed["steps"][:2]
    response = api.put(f"{TEMPLATES}{template}/", json=changed, headers=admin)
    assert response.status_code == 200
    assert len(response.json()["steps"]) == 2
    _bad_template_writes(api, admin, users, op_practice, consult_type)


def _bad_template_writes(
    api: TestClient, admin: Headers, users: Users, op_practice: OpPractice, consult_type: int
) -> None:
    good = surgery_template(op_practice, consult_type)
    assistant = users.headers(users.create("assistant"))
    assert api.post(TEMPLATES, json=good, headers=assistant).status_code == 403
    assert api.post(TEMPLATES, json=good).status_code == 401
    bad = {
        "name": "X",
        "steps": [
            {"doctor_ids": [op_practice.surgeon.id]},  # no type, no duration
            {"kind": "operation", "doctor_ids": [999_999], "gap_min": 5, "gap_max": 1},
            {"duration_minutes": 10, "doctor_ids": [], "room_ids": [op_practice.device_id]},
        ],
    }
    response = api.post(TEMPLATES, json=bad, headers=admin)
    assert response.status_code == 400
    errors = response.json()["steps"]
    assert errors[0] == {"duration_minutes": ["Dauer angeben (die Terminart hat keine)."]}
    assert set(errors[1]) == {"op_type", "doctor_ids", "room_ids", "gap_max"}
    assert errors[2] == {"doctor_ids": ["Mindestens ein Arzt."], "room_ids": ["Nur aktive Räume."]}
    empty = api.post(TEMPLATES, json={"name": "Y", "steps": []}, headers=admin)
    assert empty.json() == {"steps": ["Eine Terminkette braucht mindestens einen Schritt."]}
    nul = api.post(TEMPLATES, json={**good, "name": "a\x00b"}, headers=admin)
    assert nul.status_code == 400
    assert "name" in nul.json()
    assert api.put(f"{TEMPLATES}999/", json=good, headers=admin).status_code == 404


# -- suggest ----------------------------------------------------------------------------


def test_suggestions_are_whole_chains_that_keep_every_gap(
    api: TestClient, admin: Headers, template: int, op_practice: OpPractice, users: Users
) -> None:
    response = _suggest(api, admin, template, limit=5)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["complete"] is True
    options = body["options"]
    assert len(options) == 5
    for option in options:
        steps = option["steps"]
        starts = [_local(s["start_time"]) for s in steps]
        assert starts[0].date() == MONDAY  # Monday is free from 09:00
        assert starts[1].date() == starts[0].date()  # same day
        assert starts[2].date() == starts[0].date() + timedelta(days=1)  # next working day
        assert 1 <= (starts[3].date() - starts[2].date()).days <= 2
        assert steps[2]["room"] in (op_practice.room_id, op_practice.other_room_id)
        assert steps[2]["resource_ids"] == [op_practice.device_id]
        assert steps[1]["doctor"] == op_practice.anesthesist.id
    firsts = [o["steps"][0]["start_time"] for o in options]
    assert firsts == sorted(firsts)
    assert _local(firsts[0]).hour == 9
    _suggest_errors(api, admin, template, users, op_practice)


def _suggest_errors(
    api: TestClient, admin: Headers, template: int, users: Users, op_practice: OpPractice
) -> None:
    """401 → 403 → 404 → 400."""
    assert _suggest(api, {}, template).status_code == 401
    billing = users.headers(users.create("billing"))
    assert _suggest(api, billing, template).status_code == 403
    assert _suggest(api, admin, 999_999).status_code == 404
    bad = api.get(
        f"{TEMPLATES}{template}/suggest/",
        params={"limit": 0, "horizon_days": 91, "start_date": "x"},
        headers=admin,
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"patient_id", "limit", "horizon_days", "start_date"}
    # A doctor only for chains whose every step they can take.
    surgeon = users.headers(op_practice.surgeon)
    refused = _suggest(api, surgeon, template)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Ärzte dürfen nur eigene Terminketten buchen."}


# -- book -------------------------------------------------------------------------------


def test_booking_writes_every_step_with_audit_and_a_lost_race_answers_409_with_fresh_options(
    api: TestClient,
    admin: Headers,
    template: int,
    db: sessionmaker[Session],
    op_practice: OpPractice,
) -> None:
    option = _suggest(api, admin, template, limit=2).json()["options"][0]
    before = actions(db)
    response = api.post(CHAINS, json=_booking(template, option), headers=admin)
    assert response.status_code == 201, response.text
    chain = response.json()
    assert chain["status"] == "active"
    assert chain["step_count"] == 4
    assert [s["kind"] for s in chain["steps"]] == ["appointment"] * 2 + ["operation", "appointment"]
    assert [s["start_time"] for s in chain["steps"]] == [s["start_time"] for s in option["steps"]]
    new = actions(db)[len(before) :]
    assert sorted(new) == sorted(
        [
            "chain_create",
            "appointment_create",
            "appointment_create",
            "operation_create",
            "appointment_create",
        ]
    )
    assert _counts(db) == (3, 1, 1)
    with db() as session:
        operation = session.scalars(select(Operation)).one()
        assert operation.op_room_id == option["steps"][2]["room"]
        occupied = session.scalar(
            text("SELECT count(*) FROM occupancies WHERE operation_id = :id"), {"id": operation.id}
        )
        assert occupied == 4  # surgeon, patient, room, device
    appointment_id = chain["steps"][0]["appointment_id"]
    shown = api.get(f"/api/appointments/{appointment_id}/", headers=admin).json()
    assert shown["chain"] == {
        "id": chain["id"],
        "step": 1,
        "step_count": 4,
        "name": "Ambulante OP",
        "step_name": "Vorgespräch",
    }
    operation_id = chain["steps"][2]["operation_id"]
    shown = api.get(f"/api/operations/{operation_id}/", headers=admin).json()
    assert (shown["chain"]["step"], shown["chain"]["step_name"]) == (3, "Standard-OP")

    # The same option again: step 1 is taken now (doctor and patient) → 409, nothing written.
    again = api.post(CHAINS, json=_booking(template, option), headers=admin)
    assert again.status_code == 409
    body = again.json()
    assert body["step"] == 1
    assert body["step_name"] == "Vorgespräch"
    assert body["reason"] == "busy"
    assert body["detail"] == "Schritt 1 (Vorgespräch) ist nicht mehr frei."
    assert body["options"]
    assert body["options"][0]["steps"][0]["start_time"] != (option["steps"][0]["start_time"])
    assert _counts(db) == (3, 1, 1)
    assert actions(db)[-1] == "chain_conflict"


def test_booking_validation_errors_name_the_step(
    api: TestClient, admin: Headers, template: int, op_practice: OpPractice, users: Users
) -> None:
    option = _suggest(api, admin, template, limit=1).json()["options"][0]
    body = _booking(template, option)
    short = {**body, "steps": body["steps"][:3]}
    assert api.post(CHAINS, json=short, headers=admin).json() == {
        "steps": ["Genau ein Eintrag je Schritt der Vorlage (4)."]
    }
    wrong_doctor = _booking(template, option)
    wrong_doctor["steps"][1]["doctor"] = op_practice.surgeon.id
    response = api.post(CHAINS, json=wrong_doctor, headers=admin)
    assert response.status_code == 400
    assert response.json()["steps"][1] == {
        "doctor": ["Dieser Arzt ist für den Schritt nicht vorgesehen."]
    }
    late = _booking(template, option)
    late["steps"][3]["start_time"] = at(10, day=MONDAY + timedelta(days=8))
    assert api.post(CHAINS, json=late, headers=admin).json()["steps"][3] == {
        "start_time": ["Der Abstand zum vorigen Schritt passt nicht."]
    }
    missing = api.post(CHAINS, json={"steps": "x"}, headers=admin).json()
    assert set(missing) == {"template", "patient_id", "steps"}
    unknown = api.post(CHAINS, json={**body, "template": 424242}, headers=admin)
    assert unknown.json() == {"template": ['Invalid pk "424242" - object does not exist.']}
    billing = users.headers(users.create("billing"))
    assert api.post(CHAINS, json=body, headers=billing).status_code == 403


# -- move / cancel ----------------------------------------------------------------------


@pytest.fixture
def booked(api: TestClient, admin: Headers, template: int) -> dict[str, Any]:
    option = _suggest(api, admin, template, limit=1).json()["options"][0]
    response = api.post(CHAINS, json=_booking(template, option), headers=admin)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_moving_a_step_shows_gap_violations_first_and_saves_only_when_accepted(
    api: TestClient, admin: Headers, booked: dict[str, Any], db: sessionmaker[Session]
) -> None:
    chain_id = booked["id"]
    url = f"{CHAINS}{chain_id}/steps/4/"
    later = at(10, day=_local(booked["steps"][2]["start_time"]).date() + timedelta(days=6))
    check = api.post(url + "validate/", json={"action": "move", "start_time": later}, headers=admin)
    assert check.status_code == 200
    assert check.json() == {
        "ok": False,
        "problem": None,
        "violations": [
            {
                "step": 4,
                "step_name": "Kontrolle",
                "message": "Der Abstand zum vorigen Schritt passt nicht.",
            }
        ],
    }
    refused = api.post(url + "move/", json={"start_time": later}, headers=admin)
    assert refused.status_code == 409
    assert refused.json()["violations"][0]["step"] == 4
    moved = api.post(
        url + "move/", json={"start_time": later, "accept_violations": True}, headers=admin
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["steps"][3]["start_time"] == later
    assert actions(db)[-2:] == ["appointment_update", "chain_step_move"]
    # Onto a busy time (step 1's own slot for the same patient): a hard 400, nothing saved.
    clash = api.post(
        f"{CHAINS}{chain_id}/steps/2/move/",
        json={"start_time": booked["steps"][0]["start_time"]},
        headers=admin,
    )
    assert clash.status_code == 400
    assert clash.json()["reason"] == "busy"
    assert clash.json()["step"] == 2
    assert api.post(f"{CHAINS}{chain_id}/steps/9/move/", json={}, headers=admin).status_code == 404
    bad = api.post(url + "validate/", json={"action": "jump"}, headers=admin)
    assert bad.status_code == 400
    assert "action" in bad.json()


def test_cancelling_a_step_and_the_whole_chain(
    api: TestClient, admin: Headers, booked: dict[str, Any], db: sessionmaker[Session], users: Users
) -> None:
    chain_id = booked["id"]
    thursday = _local(booked["steps"][2]["start_time"]).date() + timedelta(days=2)
    moved = api.post(
        f"{CHAINS}{chain_id}/steps/4/move/",
        json={"start_time": at(10, day=thursday)},
        headers=admin,
    )
    assert moved.status_code == 200, moved.text  # 2 days after the OP: within its gap
    # Without the OP, the Kontrolle's "1–2 days after" counts from the Monday Aufklärung.
    check = api.post(
        f"{CHAINS}{chain_id}/steps/3/validate/", json={"action": "cancel"}, headers=admin
    )
    assert check.json()["violations"] == [
        {
            "step": 4,
            "step_name": "Kontrolle",
            "message": "Der Abstand zum vorigen Schritt passt nicht.",
        }
    ]
    refused = api.post(f"{CHAINS}{chain_id}/steps/3/cancel/", json={}, headers=admin)
    assert refused.status_code == 409
    doctor = users.headers(users.create("doctor"))
    assert (
        api.post(f"{CHAINS}{chain_id}/steps/3/cancel/", json={}, headers=doctor).status_code == 403
    )
    done = api.post(
        f"{CHAINS}{chain_id}/steps/3/cancel/", json={"accept_violations": True}, headers=admin
    )
    assert done.status_code == 200
    assert done.json()["steps"][2]["status"] == "cancelled"
    whole = api.post(f"{CHAINS}{chain_id}/cancel/", headers=admin)
    assert whole.status_code == 200
    assert {s["status"] for s in whole.json()["steps"]} == {"cancelled"}
    with db() as session:
        assert session.scalar(text("SELECT count(*) FROM occupancies")) == 0
    assert api.post(f"{CHAINS}{chain_id}/cancel/", headers=admin).json() == {
        "detail": "Die Terminkette ist abgesagt."
    }
    assert "chain_cancel" in actions(db)


def _reading_by_role(
    api: TestClient, booked: dict[str, Any], users: Users, op_practice: OpPractice
) -> None:
    chain_id = booked["id"]
    billing = users.headers(users.create("billing"))
    assert api.get(f"{CHAINS}{chain_id}/", headers=billing).status_code == 200
    assert api.get(CHAINS, headers=billing).json()["count"] == 2
    stranger = users.headers(users.create("doctor"))
    assert api.get(f"{CHAINS}{chain_id}/", headers=stranger).status_code == 404
    assert api.get(CHAINS, headers=stranger).json()["count"] == 0
    surgeon = users.headers(op_practice.surgeon)
    assert api.get(f"{CHAINS}{chain_id}/", headers=surgeon).status_code == 200
    assert api.get(CHAINS, params={"patient_id": 1007}, headers=surgeon).json()["count"] == 2
    assert api.get(f"{CHAINS}{chain_id}/").status_code == 401


def test_a_doctor_books_a_chain_of_their_own_and_reads_only_own_chains(
    api: TestClient,
    admin: Headers,
    op_practice: OpPractice,
    consult_type: int,
    users: Users,
    booked: dict[str, Any],
) -> None:
    own = {
        "name": "Kontrollen",
        "steps": [
            {"appointment_type": consult_type, "doctor_ids": [op_practice.surgeon.id]},
            {
                "appointment_type": consult_type,
                "doctor_ids": [op_practice.surgeon.id],
                "gap_min": 7,
                "gap_max": 7,
                "gap_unit": "days",
            },
        ],
    }
    template = api.post(TEMPLATES, json=own, headers=admin).json()["id"]
    surgeon = users.headers(op_practice.surgeon)
    option = _suggest(api, surgeon, template, limit=1).json()["options"][0]
    response = api.post(CHAINS, json=_booking(template, option), headers=surgeon)
    assert response.status_code == 201, response.text
    days = [_local(s["start_time"]).date() for s in response.json()["steps"]]
    assert days[1] - days[0] == timedelta(days=7)
    _reading_by_role(api, booked, users, op_practice)


def test_every_other_documented_error(
    api: TestClient,
    admin: Headers,
    template: int,
    op_practice: OpPractice,
    consult_type: int,
    users: Users,
    db: sessionmaker[Session],
) -> None:
    p = op_practice
    step = {"duration_minutes": 10, "doctor_ids": [p.surgeon.id]}

    def template_errors(*steps: dict[str, Any]) -> Any:
        response = api.post(TEMPLATES, json={"name": "X", "steps": list(steps)}, headers=admin)
        assert response.status_code == 400
        return response.json()["steps"]

    assert template_errors(*[step] * 11) == ["Höchstens 10 Schritte."]
    wrong_types = template_errors(
        {
            **step,
            "kind": "operation",
            "op_type": p.type_id,
            "appointment_type": consult_type,
            "room_ids": [p.room_id],
        },
        {**step, "op_type": p.type_id},
    )
    assert wrong_types[0] == {"appointment_type": ["Ein OP-Schritt hat keine Terminart."]}
    assert wrong_types[1] == {"op_type": ["Ein Terminschritt hat keine OP-Art."]}
    resources = template_errors(
        {
            **step,
            "kind": "operation",
            "op_type": p.type_id,
            "room_ids": [p.room_id],
            "resource_ids": [p.other_room_id],
        },
        {**step, "resource_ids": [424_242]},
        {**step, "doctor_ids": list(range(1, 22))},
    )
    assert resources[0] == {
        "resource_ids": ["Ein OP-Schritt kann nur Geräte als Ressourcen haben."]
    }
    assert resources[1] == {"resource_ids": ["Unbekannte oder inaktive Ressource(n)."]}
    assert resources[2] == {"doctor_ids": ["Höchstens 20 Einträge."]}
    assert api.patch(f"{TEMPLATES}{template}/", json={}, headers=admin).status_code == 405

    option = _suggest(api, admin, template, limit=1).json()["options"][0]
    body = _booking(template, option)
    wrong_room = _booking(template, option)
    wrong_room["steps"][0]["room"] = p.room_id  # the Vorgespräch books no room
    assert api.post(CHAINS, json=wrong_room, headers=admin).json()["steps"][0] == {
        "room": ["Dieser Raum ist für den Schritt nicht vorgesehen."]
    }
    past = _booking(template, option)
    past["steps"][0]["start_time"] = at(9, day=MONDAY - timedelta(days=14))
    assert api.post(CHAINS, json=past, headers=admin).json()["steps"][0] == {
        "start_time": ["Der Schritt liegt in der Vergangenheit."]
    }
    surgeon = users.headers(p.surgeon)  # not the anesthesist of step 2
    assert api.post(CHAINS, json=body, headers=surgeon).json() == {
        "detail": "Ärzte dürfen nur eigene Terminketten buchen."
    }

    booked = api.post(CHAINS, json=body, headers=admin).json()
    url = f"{CHAINS}{booked['id']}/steps/2/"
    assert api.post(url + "cancel/", json={}, headers=admin).status_code == 200
    assert api.post(url + "cancel/", json={}, headers=admin).json() == {
        "detail": "Dieser Schritt ist bereits abgesagt."
    }
    moved = api.post(url + "move/", json={"start_time": at(15)}, headers=admin)
    assert moved.json() == {"detail": "Nur geplante Schritte können verschoben werden."}

    # Deleting the template keeps the booked chain (its rules are a snapshot).
    assert api.delete(f"{TEMPLATES}{template}/", headers=admin).status_code == 204
    kept = api.get(f"{CHAINS}{booked['id']}/", headers=admin).json()
    assert kept["template"] is None
    assert kept["step_count"] == 4
    with db() as session, session.begin():
        session.execute(text("UPDATE chain_templates SET active = false"))
    other = api.post(TEMPLATES, json=surgery_template(p, consult_type), headers=admin).json()
    with db() as session, session.begin():
        session.execute(text("UPDATE chain_templates SET active = false"))
    inactive = api.post(CHAINS, json={**body, "template": other["id"]}, headers=admin)
    assert inactive.json() == {"template": ["Die Vorlage ist inaktiv."]}
