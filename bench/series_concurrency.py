"""50 clients book overlapping appointment series at once, ten times (issue 17 acceptance).

A live uvicorn on a throw-away embedded cluster; each run starts from an empty schedule.
After every run: no two occupancy rows of the same doctor, patient or room overlap, every
series has exactly its booked occurrences (never a partial one), no appointment exists
outside a series, and no answer was a 5xx. The scenario is the suite's
(``tests/server/series_race.py``); the suite runs it once with 20 clients.

    uv run python bench/series_concurrency.py [--runs 10] [--clients 50]
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
from tests.server.conftest import TEST_SECRET, Users
from tests.server.live_server import live_server
from tests.server.scheduling_fixtures import MONDAY, NOW, at, build_practice
from tests.server.series_race import RaceSetup, bodies, fire, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="praxi-series-race-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    failures = 0
    try:
        url = cluster.url()
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        users = Users(make_session_factory(engine), TEST_SECRET)
        practice = build_practice(make_session_factory(engine), users)
        headers = users.headers(users.create("assistant"))
        setup = RaceSetup(
            (practice.doctor.id, practice.other_doctor.id),
            practice.room_id,
            MONDAY,
            lambda hour, minute, day: at(hour, minute, day),
        )
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
                    conn.execute(text("TRUNCATE appointment_series, appointments CASCADE"))
                began = time.perf_counter()
                responses = fire(base, headers, bodies(setup, args.clients))
                elapsed = time.perf_counter() - began
                result = outcome(engine, responses)
                ok = (
                    set(result.statuses) <= {201, 409}
                    and result.overlapping_occupancies == 0
                    and result.partial_series == 0
                    and result.appointments_outside_a_series == 0
                    and result.statuses[201] == result.booked_series
                )
                failures += not ok
                print(
                    f"run {run:2}: {elapsed:5.2f} s"
                    f"  statuses {dict(sorted(result.statuses.items()))}"
                    f"  series booked {result.booked_series}"
                    f"  overlapping occupancies {result.overlapping_occupancies}"
                    f"  partial series {result.partial_series}"
                    f"  appointments outside a series {result.appointments_outside_a_series}"
                    f"  {'OK' if ok else 'FAILED'}"
                )
        engine.dispose()
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.runs - failures}/{args.runs} runs clean")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
