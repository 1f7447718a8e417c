"""The chain booking race (issue 17): many clients book overlapping chains at once.

Shared by ``tests/server/test_chains_concurrency.py`` (one run) and
``bench/chains_concurrency.py`` (ten runs). A two-step template — a 30-minute
Vorgespräch with one of two doctors, then the 50-minute operation on the next working day
with one of two surgeons in one of two rooms and the C-arm — and one patient per client;
the clients' times, doctors and rooms overlap on purpose, so most of them collide on a
doctor, a surgeon, a room or the one device.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from server.chains.models import ChainTemplate, ChainTemplateStep
from tests.server.scheduling_fixtures import MONDAY, OpPractice, at


@dataclass(frozen=True)
class ChainRace:
    template_id: int
    doctors: tuple[int, int]
    surgeons: tuple[int, int]
    rooms: tuple[int, int]


def build_template(db: sessionmaker[Session], practice: OpPractice) -> ChainRace:
    doctors = (practice.anesthesist.id, practice.other_surgeon.id)
    surgeons = (practice.surgeon.id, practice.other_surgeon.id)
    rooms = (practice.room_id, practice.other_room_id)
    with db() as session, session.begin():
        template = ChainTemplate(name="Ambulante OP", description="", active=True)
        session.add(template)
        session.flush()
        session.add_all(
            [
                ChainTemplateStep(
                    template_id=template.id,
                    position=1,
                    name="Vorgespräch",
                    kind="appointment",
                    duration_minutes=30,
                    doctor_ids=list(doctors),
                    room_ids=[],
                    resource_ids=[],
                    gap_rule="range",
                    gap_min=0,
                    gap_max=0,
                    gap_unit="minutes",
                ),
                ChainTemplateStep(
                    template_id=template.id,
                    position=2,
                    name="OP",
                    kind="operation",
                    op_type_id=practice.type_id,
                    duration_minutes=50,
                    doctor_ids=list(surgeons),
                    room_ids=list(rooms),
                    resource_ids=[practice.device_id],
                    gap_rule="next_working_day",
                    gap_min=0,
                    gap_max=0,
                    gap_unit="minutes",
                ),
            ]
        )
        return ChainRace(template.id, doctors, surgeons, rooms)


def bodies(race: ChainRace, clients: int) -> list[dict[str, Any]]:
    """One booking per client (patients 6000, 6001, …), overlapping each other."""
    tuesday = MONDAY + timedelta(days=1)
    result = []
    for i in range(clients):
        first = 9 * 60 + 30 * (i % 3)
        second = 9 * 60 + 25 * (i % 4)
        result.append(
            {
                "template": race.template_id,
                "patient_id": 6000 + i,
                "steps": [
                    {"start_time": at(first // 60, first % 60), "doctor": race.doctors[i % 2]},
                    {
                        "start_time": at(second // 60, second % 60, tuesday),
                        "doctor": race.surgeons[(i // 2) % 2],
                        "room": race.rooms[(i // 3) % 2],
                    },
                ],
            }
        )
    return result


def fire(
    base: str, headers: dict[str, str], payloads: list[dict[str, Any]]
) -> list[httpx.Response]:
    barrier = threading.Barrier(len(payloads))

    def post(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            barrier.wait()
            return client.post("/api/chains/", json=body)

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(post, payloads))


@dataclass(frozen=True)
class Outcome:
    statuses: Counter[int]
    booked_chains: int
    overlapping_occupancies: int
    partial_chains: int
    bookings_outside_a_chain: int
    refusals_without_step: int


_OVERLAPS = """
SELECT count(*) FROM occupancies x JOIN occupancies y
  ON x.id < y.id AND x.kind = y.kind AND x.subject_id = y.subject_id AND x.period && y.period
"""
_PARTIAL = """
SELECT count(*) FROM appointment_chains c
 WHERE c.step_count <> (SELECT count(*) FROM appointment_chain_steps s WHERE s.chain_id = c.id)
"""
_OUTSIDE = """
SELECT (SELECT count(*) FROM appointments a WHERE NOT EXISTS
          (SELECT 1 FROM appointment_chain_steps s WHERE s.appointment_id = a.id))
     + (SELECT count(*) FROM operations o WHERE NOT EXISTS
          (SELECT 1 FROM appointment_chain_steps s WHERE s.operation_id = o.id))
"""


def outcome(engine: Engine, responses: list[httpx.Response]) -> Outcome:
    refusals = [r.json() for r in responses if r.status_code == 409]
    with engine.connect() as conn:
        return Outcome(
            statuses=Counter(r.status_code for r in responses),
            booked_chains=conn.scalar(text("SELECT count(*) FROM appointment_chains")) or 0,
            overlapping_occupancies=conn.scalar(text(_OVERLAPS)) or 0,
            partial_chains=conn.scalar(text(_PARTIAL)) or 0,
            bookings_outside_a_chain=conn.scalar(text(_OUTSIDE)) or 0,
            refusals_without_step=sum(
                1 for body in refusals if body.get("step") not in (1, 2) or "options" not in body
            ),
        )
