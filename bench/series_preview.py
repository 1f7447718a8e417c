"""Preview of a 52-occurrence weekly series on the large demo data (issue 17: p50 ≤ 50 ms).

8 doctors, 2,000 patients, 20,000 appointments over 26 weeks (``seed-demo --size large``)
in a throw-away embedded cluster; requests go through the real app in-process and are
timed server-side by an ASGI wrapper (``bench/planning.py``'s ``Stopwatch``): routing, auth,
parsing, the two loads, 52 checks, the alternatives of the blocked ones, rendering and the
read audit. Each request: a random doctor, patient, weekday and quarter hour from "now",
30 minutes, weekly, ``count: 52``, with and without a room.

    uv run python bench/series_preview.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import event, select

from server.app import create_app
from server.auth import tokens
from server.db import make_engine
from server.demo.seed import DOCTORS, seed_demo
from server.embedded_db import EmbeddedPostgres
from server.master_data.models import Resource
from server.migrate import upgrade
from server.patients.models import Patient
from server.settings import Settings
from server.users.models import User

sys.path.insert(0, str(Path(__file__).resolve().parent))
from planning import NOW, TZ, Stopwatch, percentile, profile_worker_threads


def explain_load(app: Any, body: dict[str, Any]) -> None:
    """The database side of one series load, without Python or the network."""
    from server.series import planning

    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    engine = app.state.praxi.engine
    event.listen(engine, "before_cursor_execute", capture)
    start = datetime.fromisoformat(body["start_time"])
    days = [start.date() + timedelta(weeks=n) for n in range(52)]
    with app.state.praxi.session_factory() as session:
        planning.load_for(
            session,
            TZ,
            days,
            doctor_ids=[body["doctor"]],
            patient_id=body["patient_id"],
            resource_ids=body["resource_ids"],
        )
    event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = next(c for c in captured if "json_build_array" in c[0])
    with engine.connect() as conn:
        raw = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines = [row[0] for row in raw]
    full = "PRAXI_FULL_PLAN" in os.environ  # the whole plan, not just its times
    print("\n".join(lines if full else [line for line in lines if "Time" in line]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="print the top cProfile entries")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the series load once"
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="praxi-bench-series-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    try:
        url = cluster.url()
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        password = "bench-passwort-1"  # noqa: S105 - demo users of a throw-away cluster
        summary = seed_demo(engine, size="large", password=password, tz=TZ, now=NOW)
        print(f"seeded {summary.appointments} appointments, {summary.patients} patients")
        with engine.connect() as conn:
            doctor_ids = list(
                conn.scalars(select(User.id).where(User.username.in_([d[0] for d in DOCTORS])))
            )
            admin_id = conn.scalar(select(User.id).where(User.username == "admin.hoffmann"))
            patient_ids = list(conn.scalars(select(Patient.id)))
            room_ids = list(conn.scalars(select(Resource.id).where(Resource.type == "room")))
        engine.dispose()
        settings = Settings(
            database_url=SecretStr(url),
            data_dir=root / "data",
            secret_key=SecretStr("bench-secret-" + "x" * 40),
            timezone="Europe/Berlin",
            testing=True,
            test_now=NOW,
            allowed_hosts=("testserver",),
        )
        app = create_app(settings)
        assert admin_id is not None
        token = tokens.issue_access(
            app.state.praxi.secret_key,
            user_id=admin_id,
            role="admin",
            now=NOW.astimezone(UTC),  # the app runs at the test clock
            lifetime=timedelta(hours=1),
        )
        headers = {"Authorization": f"Bearer {token}"}
        stopwatch = Stopwatch(app)
        sql_seconds: list[float] = []
        started: dict[int, float] = {}

        def before(_conn: Any, cursor: Any, *_: Any) -> None:
            started[id(cursor)] = time.perf_counter()

        def after(_conn: Any, cursor: Any, *_: Any) -> None:
            sql_seconds.append(time.perf_counter() - started.pop(id(cursor), time.perf_counter()))

        event.listen(app.state.praxi.engine, "before_cursor_execute", before)
        event.listen(app.state.praxi.engine, "after_cursor_execute", after)
        rng = random.Random(17)

        def body(with_room: bool) -> dict[str, Any]:
            day = NOW.date() + timedelta(days=1 + rng.randrange(0, 5))
            while day.weekday() > 4:
                day += timedelta(days=1)
            start = datetime.combine(day, datetime.min.time(), TZ) + timedelta(
                minutes=rng.randrange(8 * 60, 17 * 60, 15)
            )
            return {
                "patient_id": rng.choice(patient_ids),
                "doctor": rng.choice(doctor_ids),
                "start_time": start.isoformat(),
                "end_time": (start + timedelta(minutes=30)).isoformat(),
                "resource_ids": [rng.choice(room_ids)] if with_room else [],
                "recurrence": {"freq": "weekly", "count": 52},
            }

        if args.explain:
            explain_load(app, body(True))
        with TestClient(stopwatch) as client:
            for with_room in (False, True):
                for _ in range(20):  # warm-up
                    response = client.post(
                        "/api/appointment-series/preview/", json=body(with_room), headers=headers
                    )
                    assert response.status_code == 200, response.text
                stopwatch.clear()
                sql_seconds.clear()
                profiler = profile_worker_threads() if args.profile else None
                blocked = 0
                for _ in range(args.rounds):
                    response = client.post(
                        "/api/appointment-series/preview/", json=body(with_room), headers=headers
                    )
                    assert response.status_code == 200, response.text
                    result = response.json()
                    assert result["count"] == 52
                    blocked += result["count"] - result["free_count"]
                ms = [s * 1000 for s in stopwatch.samples]
                cpu = statistics.median(stopwatch.cpu) * 1000
                name = "preview weekly × 52" + (" + room" if with_room else "")
                print(
                    f"{name:28s} p50 {statistics.median(ms):6.2f} ms  "
                    f"p95 {percentile(ms, 0.95):6.2f} ms  CPU p50 {cpu:5.2f} ms  "
                    f"SQL per preview {sum(sql_seconds) * 1000 / args.rounds:5.2f} ms  "
                    f"blocked occurrences per preview {blocked / args.rounds:4.1f}"
                )
                if profiler is not None:
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    finally:
        cluster._started_here = True
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
