"""Schema fuzzing (issue 10): schemathesis against ``/api/schema/`` of a live uvicorn.

Every documented operation is called with generated data (schema-conforming and, separately,
schema-violating), once as an admin and once as a doctor, against a small seeded practice.
Every answer must be below 500 and conform to the document: a documented status code, the
documented content type, a body matching the documented schema and documented headers.

Path ids in the schema-conforming cases are drawn from the seeded range so that writes reach
existing rows; the schema-violating cases send anything. The acting user gets an id outside
that range so that the fuzzer cannot deactivate or re-role it.

Generation is derandomised (the same cases on every run, no flaky CI). To explore, run with
``PRAXI_FUZZ_RANDOM=1`` (fresh random cases) and ``PRAXI_FUZZ_SCALE=F`` (F times the cases
per operation and mode).
"""

from __future__ import annotations

import copy
import os
import time
from collections import Counter
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
import requests
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker

from server.master_data.models import AppointmentType, OperationType, Resource
from server.patients.models import Patient
from server.users.models import User
from server.working_hours.models import DoctorHours, PracticeHours
from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server

pytestmark = pytest.mark.fuzz

_SCALE = float(os.environ.get("PRAXI_FUZZ_SCALE", "1"))
# cases per operation and generation mode; the doctor's are mostly cheap 403s
EXAMPLES = {"admin": round(7 * _SCALE), "doctor": round(4 * _SCALE)}
RANDOM = os.environ.get("PRAXI_FUZZ_RANDOM") == "1"
MIN_REQUESTS = 1_000  # both roles together
SEEDED_IDS = 8  # rows 1..8 of every seeded table exist
ACTOR_ID = 900_001  # outside the fuzzed id range
EVENTS_PATH = "/api/events/"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def seed_practice(db: sessionmaker[Session], users: Users, base: str, admin: User) -> None:
    """Rows 1..SEEDED_IDS in the tables whose ids the fuzzer uses, plus a few bookings."""
    doctors = [users.create("doctor", f"fuzz.doctor{index}") for index in range(3)]
    for role in ("assistant", "billing", "admin"):
        users.create(role, f"fuzz.{role}")
    with db() as session, session.begin():
        for weekday in range(5):
            session.add(
                PracticeHours(weekday=weekday, start_time=clock_time(7), end_time=clock_time(19))
            )
            for doctor in doctors:
                session.add(
                    DoctorHours(
                        doctor_id=doctor.id,
                        weekday=weekday,
                        start_time=clock_time(8),
                        end_time=clock_time(18),
                    )
                )
        for index in range(1, SEEDED_IDS + 1):
            session.add(
                Patient(
                    id=index,
                    first_name=f"Vorname{index}",
                    last_name=f"Name{index}",
                    birth_date=date(1950 + index, 1 + index % 12, 1 + index),
                )
            )
            session.add(
                AppointmentType(
                    name=f"Typ {index}", color="#ABCDEF", duration_minutes=15 * (1 + index % 3)
                )
            )
            session.add(
                OperationType(
                    name=f"OP-Typ {index}",
                    prep_duration=10,
                    op_duration=30,
                    post_duration=10,
                    color="#8A2BE2",
                )
            )
            session.add(
                Resource(
                    name=f"Ressource {index}",
                    type="room" if index % 2 else "device",
                    color="#6A5ACD",
                )
            )
    monday = _next_monday()
    headers = users.headers(admin)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for index in range(SEEDED_IDS):
            day = (monday + timedelta(days=index % 5)).isoformat()
            hour = 8 + index
            doctor = doctors[index % len(doctors)].id
            created = client.post(
                "/api/appointments/",
                json={
                    "patient_id": 1 + index,
                    "doctor": doctor,
                    "type": 1 + index,
                    "start_time": f"{day}T{hour:02d}:00:00",
                    "end_time": f"{day}T{hour:02d}:30:00",
                    "resource_ids": [1 + 2 * (index % 4)],
                },
            )
            assert created.status_code == 201, created.text
            created = client.post(
                "/api/operations/",
                json={
                    "patient_id": 1 + index,
                    "primary_surgeon": doctor,
                    "op_type": 1 + index,
                    "op_room": 1 + 2 * (index % 4),
                    "op_device_ids": [2 + 2 * (index % 4)],
                    "start_time": f"{(monday + timedelta(days=7 + index % 5)).isoformat()}"
                    f"T{hour:02d}:00:00",
                },
            )
            assert created.status_code == 201, created.text
            created = client.post(
                "/api/patient-flow/",
                json={
                    "appointment_id": 1 + index,
                },
            )
            assert created.status_code == 201, created.text
            created = client.post(
                "/api/doctor-absences/",
                json={
                    "doctor": doctor,
                    "start_date": (monday + timedelta(days=28 + index)).isoformat(),
                    "end_date": (monday + timedelta(days=28 + index)).isoformat(),
                },
            )
            assert created.status_code == 201, created.text
            created = client.post(
                "/api/doctor-breaks/",
                json={
                    "doctor": doctor,
                    "date": (monday + timedelta(days=index)).isoformat(),
                    "start_time": "12:00",
                    "end_time": "12:30",
                },
            )
            assert created.status_code == 201, created.text


def fuzz_document(document: dict[str, Any]) -> dict[str, Any]:
    """The served document, with path ids of valid cases drawn from the seeded rows."""
    document = copy.deepcopy(document)
    for path_item in document["paths"].values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    # ids: integers (``{x:int}``) or digit strings parsed by hand (404 else)
                    kind = parameter["schema"].get("type")
                    if kind == "integer":
                        parameter["schema"] = {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": SEEDED_IDS + 2,
                        }
                    else:
                        parameter["schema"] = {"type": "string", "pattern": "^(10|[1-9])$"}
    return document


class Fuzzer:
    def __init__(self, base: str, users: Users, actor: User) -> None:
        self.base = base
        self.users = users
        self.actor = actor
        self.session = requests.Session()
        self.requests: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []

    def headers(self, path: str) -> dict[str, str]:
        # The event stream ends when the token expires: give it a short one.
        lifetime = timedelta(seconds=1) if path == EVENTS_PATH else timedelta(minutes=30)
        return {"Authorization": f"Bearer {self.users.token(self.actor, lifetime=lifetime)}"}

    def run_operation(
        self,
        operation: schemathesis.APIOperation,
        mode: schemathesis.GenerationMode,
        examples: int,
    ) -> None:
        if operation.path == EVENTS_PATH:
            examples = 1  # each call streams until its token expires (1 s)

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            derandomize=not RANDOM,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # report the case found, no shrinking
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        def call(case: schemathesis.Case) -> None:
            headers = self.headers(operation.path)
            response = case.call(
                base_url=self.base, session=self.session, headers=headers, timeout=60
            )
            self.requests[operation.label] += 1
            self.statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            call()
        except Unsatisfiable:
            pass  # nothing schema-violating can be sent to an operation without inputs
        except Exception as exc:  # collect every operation's finding, then fail once
            self.failures.append(f"{operation.label} ({mode.value}):\n{exc}")


def test_every_operation_answers_per_schema_without_server_errors(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    seeder = users.create("admin", "fuzz.seeder")
    settings = make_settings(database_url, tmp_path / "data")
    summaries: list[str] = []
    failures: list[str] = []
    totals: dict[str, int] = {}
    with live_server(settings) as base:
        seed_practice(db, users, base, seeder)
        served = httpx.get(f"{base}/api/schema/", timeout=30)
        assert served.status_code == 200
        schema = schemathesis.openapi.from_dict(fuzz_document(served.json()))
        operations = [result.ok() for result in schema.get_all_operations()]
        for role, actor_id in (("admin", ACTOR_ID), ("doctor", ACTOR_ID + 1)):
            fuzzer = Fuzzer(base, users, users.create(role, f"fuzz.{role}.actor", id=actor_id))
            started = time.monotonic()
            for operation in operations:
                for mode in MODES:
                    fuzzer.run_operation(operation, mode, EXAMPLES[role])
            totals[role] = sum(fuzzer.requests.values())
            summaries.append(
                f"{role}: {totals[role]} requests to {len(fuzzer.requests)} of "
                f"{len(operations)} operations in {time.monotonic() - started:.0f} s; "
                f"statuses {dict(sorted(fuzzer.statuses.items()))}"
            )
            failures += [f"[{role}] {failure}" for failure in fuzzer.failures]
            assert len(fuzzer.requests) == len(operations), "every operation was called"
    summary = "\n".join(summaries)
    print(summary)
    assert not failures, summary + "\n\n" + "\n\n".join(failures)
    assert sum(totals.values()) >= MIN_REQUESTS, summary


def test_schema_documents_the_standard_errors_and_digit_only_ids(client: TestClient) -> None:
    document = client.get("/api/schema/").json()
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            codes = set(operation["responses"])
            assert "422" not in codes, (method, path)  # never sent: stray validation → 400
            assert {"400", "401", "403", "404", "409", "413", "415", "429"} <= codes
    assert "HTTPValidationError" not in document["components"]["schemas"]
    error = jsonschema_rs.validator_for(document["components"]["schemas"]["Error"])
    # bodies the fuzzer met: a check's messages under "detail" are a list (DRF field style)
    assert error.is_valid({"detail": ["Doctor unavailable."], "reason": ["no_practice_hours"]})
    assert error.is_valid({"detail": ["Operation conflict"], "reason": ["hours_conflict"]})
    assert error.is_valid({"detail": "Not found."})
    assert error.is_valid({"start_time": ["This field is required."]})
    assert not error.is_valid({"detail": {"nested": 1}})
    flow = document["paths"]["/api/patient-flow/{flow_id}/"]["get"]["parameters"]
    assert flow[0]["schema"] == {"type": "integer", "title": "Flow Id", "minimum": 0}
    answer = client.get("/api/patient-flow/-1/")
    assert answer.status_code == 404  # ``{flow_id:int}`` does not match: no such path
