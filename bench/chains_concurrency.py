"""50 clients book overlapping chains at once, ten times (issue 17 acceptance).

A live uvicorn on a throw-away embedded cluster; each run starts from an empty schedule.
After every run: no two occupancy rows of the same doctor, patient or resource overlap,
every chain has all its steps (never a partial one), no appointment or operation exists
outside a chain, every refusal is a 409 naming the step with fresh options, and no answer
was a 5xx. The scenario is the suite's (``tests/server/chains_race.py``); the suite runs it
once.

    uv run python bench/chains_concurrency.py [--runs 10] [--clients 50]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import text

from server.db import make_engine, make_session_factory
from server.embedded_db import EmbeddedPostgres
from server.migrate import upgrade
from server.settings import Settings
from tests.server.chains_race import bodies, build_template, fire, outcome
from tests.server.conftest import TEST_SECRET, Users
from tests.server.live_server import live_server
from tests.server.scheduling_fixtures import NOW, build_op_practice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="praxi-chains-race-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    failures = 0
    try:
        url = cluster.url()
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        factory = make_session_factory(engine)
        users = Users(factory, TEST_SECRET)
        practice = build_op_practice(factory, users)
        race = build_template(factory, practice)
        headers = users.headers(users.create("assistant"))
        settings = Settings(
            database_url=SecretStr(url),
            data_dir=root / "data",
            secret_key=SecretStr(TEST_SECRET),
            timezone="Europe/Berlin",
            testing=True,
            test_now=NOW,
            allowed_hosts=("127.0.0.1", "localhost"),
        )
        with live_server(settings) as base:
            for run in range(1, args.runs + 1):
                with engine.begin() as conn:
                    conn.execute(
                        text("TRUNCATE appointment_chains, appointments, operations CASCADE")
                    )
                began = time.perf_counter()
                responses = fire(base, headers, bodies(race, args.clients))
                elapsed = time.perf_counter() - began
                result = outcome(engine, responses)
                ok = (
                    set(result.statuses) <= {201, 409}
                    and result.overlapping_occupancies == 0
                    and result.partial_chains == 0
                    and result.bookings_outside_a_chain == 0
                    and result.refusals_without_step == 0
                    and result.statuses[201] == result.booked_chains
                )
                failures += not ok
                print(
                    f"run {run:2}: {dict(sorted(result.statuses.items()))} in {elapsed:.1f} s; "
                    f"chains {result.booked_chains}, overlapping occupancies "
                    f"{result.overlapping_occupancies}, partial chains {result.partial_chains}, "
                    f"bookings outside a chain {result.bookings_outside_a_chain}, "
                    f"409 without step/options {result.refusals_without_step} "
                    f"→ {'ok' if ok else 'FAILED'}",
                    flush=True,
                )
        engine.dispose()
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.runs - failures}/{args.runs} runs ok")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
