"""Clients book overlapping series at once against a live uvicorn on the embedded
database: afterwards no two occupancies overlap and every series is whole (issue 17).

The suite keeps one run of 20 clients (a 50-client run costs ~11 s on the shared CI
machine); ``bench/series_concurrency.py`` runs the full 50 clients ten times."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server
from tests.server.scheduling_fixtures import MONDAY, NOW, at, build_practice
from tests.server.series_race import RaceSetup, bodies, fire, outcome

CLIENTS = 20


@pytest.mark.external_postgres
def test_overlapping_series_booked_at_once_never_half_booked_nor_double_booked(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users, engine: Engine
) -> None:
    practice = build_practice(db, users)
    headers = users.headers(users.create("assistant"))
    setup = RaceSetup(
        (practice.doctor.id, practice.other_doctor.id),
        practice.room_id,
        MONDAY,
        lambda hour, minute, day: at(hour, minute, day),
    )
    with live_server(make_settings(database_url, tmp_path, test_now=NOW)) as base:
        responses = fire(base, headers, bodies(setup, CLIENTS))
    result = outcome(engine, responses)
    assert set(result.statuses) <= {201, 409}, [r.text for r in responses if r.status_code >= 500]
    assert result.statuses[201] == result.booked_series >= 2  # both doctors got one at least
    assert result.statuses[201] + result.statuses[409] == CLIENTS
    assert result.overlapping_occupancies == 0
    assert result.partial_series == 0
    assert result.appointments_outside_a_series == 0
    refused = [r.json() for r in responses if r.status_code == 409]
    assert all(body["blocked"] or "Concurrent" in body["detail"] for body in refused)
