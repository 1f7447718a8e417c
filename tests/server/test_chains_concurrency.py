"""Chains are booked whole or not at all, also under concurrency (issue 17 acceptance).

50 clients book overlapping two-step chains at once against a live uvicorn on the embedded
database (``bench/chains_concurrency.py`` runs the same race ten times). Afterwards no two
occupancy rows of the same doctor, patient or resource overlap,
every chain has all its steps, no appointment or operation exists outside a chain, every
refusal is a 409 naming the step with fresh options, and nothing answered 5xx.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.server.chains_race import bodies, build_template, fire, outcome
from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server
from tests.server.scheduling_fixtures import NOW, build_op_practice

CLIENTS = 50


@pytest.mark.external_postgres
def test_overlapping_chain_bookings_at_once_leave_no_overlap_and_no_partial_chain(
    database_url: str,
    tmp_path: Path,
    db: sessionmaker[Session],
    engine: Engine,
    users: Users,
) -> None:
    practice = build_op_practice(db, users)
    race = build_template(db, practice)
    headers = users.headers(users.create("assistant"))
    with live_server(make_settings(database_url, tmp_path, test_now=NOW)) as base:
        responses = fire(base, headers, bodies(race, CLIENTS))
    result = outcome(engine, responses)
    assert set(result.statuses) <= {201, 409}, [r.text for r in responses if r.status_code >= 500]
    assert result.statuses[201] >= 2  # the overlaps leave room for a few winners
    assert result.booked_chains == result.statuses[201]
    assert result.overlapping_occupancies == 0
    assert result.partial_chains == 0
    assert result.bookings_outside_a_chain == 0
    assert result.refusals_without_step == 0
