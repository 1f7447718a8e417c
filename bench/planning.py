"""Measure suggest and availability on the large demo data set (run on demand, not a test).

8 doctors, 2,000 patients and 20,000 appointments over 26 weeks (``seed-demo`` size
``large``) in a throw-away embedded cluster. Requests go through the real app in-process;
the times are taken by an ASGI wrapper around the app, so they are server-side (routing,
auth, SQL, engine, rendering, the read audit) without the test client's own overhead.

Besides wall-clock time it reports the process CPU time spent inside the request (the
Python side; PostgreSQL runs in its own processes) and the SQL statements per request, so
a run on a busy machine can still be judged: wall ≈ CPU + statements × round trip.

    uv run python bench/planning.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import fastapi.dependencies.utils
import fastapi.routing
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import event, select

from server.app import create_app
from server.auth import tokens
from server.db import make_engine
from server.demo.seed import DOCTORS, seed_demo
from server.embedded_db import EmbeddedPostgres
from server.migrate import upgrade
from server.settings import Settings
from server.users.models import User

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 13, 10, 7, tzinfo=TZ)  # a Wednesday in the middle of the data
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Any]


class Stopwatch:
    """ASGI wrapper: records wall-clock and process CPU time of every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.samples: list[float] = []
        self.cpu: list[float] = []

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        began, began_cpu = time.perf_counter(), time.process_time()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.samples.append(time.perf_counter() - began)
            self.cpu.append(time.process_time() - began_cpu)

    def clear(self) -> None:
        self.samples.clear()
        self.cpu.clear()


def profile_worker_threads() -> cProfile.Profile:
    """Profile what FastAPI runs in its thread pool (sync endpoints and dependencies).

    cProfile only sees the thread that enabled it, and the request work happens in pool
    threads, so the profiler is switched on around each pooled call.
    """
    profiler = cProfile.Profile()
    original = fastapi.routing.run_in_threadpool

    async def profiled(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            profiler.enable()
            try:
                return func(*args, **kwargs)
            finally:
                profiler.disable()

        return await original(run, *args, **kwargs)

    fastapi.routing.run_in_threadpool = profiled  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = profiled  # type: ignore[assignment]
    return profiler


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument(
        "--profile", action="store_true", help="print the top cProfile entries of each case"
    )
    parser.add_argument("--sort", default="tottime", help="pstats sort key for --profile")
    parser.add_argument("--top", type=int, default=25, help="entries printed by --profile")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="praxi-bench-"))
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
        engine.dispose()
        settings = Settings(
            database_url=SecretStr(url),
            data_dir=root / "data",
            secret_key=SecretStr("bench-secret-" + "x" * 40),
            timezone="Europe/Berlin",
            testing=True,
            test_now=NOW,
        )
        app = create_app(settings)
        assert admin_id is not None
        token = tokens.issue_access(
            app.state.praxi.secret_key,
            user_id=admin_id,
            role="admin",
            now=datetime.now(UTC),
            lifetime=timedelta(hours=1),
        )
        headers = {"Authorization": f"Bearer {token}"}
        stopwatch = Stopwatch(app)
        statements: list[str] = []
        event.listen(
            app.state.praxi.engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_: statements.append(statement),
        )
        rng = random.Random(1)

        def future_day() -> str:
            return (NOW.date() + timedelta(days=rng.randrange(0, 80))).isoformat()

        def slot() -> tuple[str, str]:
            day = NOW.date() + timedelta(days=rng.randrange(-60, 80))
            start = datetime.combine(day, datetime.min.time(), TZ) + timedelta(
                minutes=rng.randrange(8 * 60, 17 * 60, 15)
            )
            return start.isoformat(), (start + timedelta(minutes=30)).isoformat()

        cases: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
            "baseline: doctor list (auth + 1 query)": lambda: ("/api/doctors/", {}),
            "suggest days=1": lambda: (
                "/api/appointments/suggest/",
                {
                    "doctor_id": rng.choice(doctor_ids),
                    "duration_minutes": 30,
                    "start_date": future_day(),
                },
            ),
            "suggest days=7 limit=5": lambda: (
                "/api/appointments/suggest/",
                {
                    "doctor_id": rng.choice(doctor_ids),
                    "duration_minutes": 30,
                    "start_date": future_day(),
                    "days": 7,
                    "limit": 5,
                },
            ),
            "suggest days=31 limit=50": lambda: (
                "/api/appointments/suggest/",
                {
                    "doctor_id": rng.choice(doctor_ids),
                    "duration_minutes": 30,
                    "start_date": future_day(),
                    "days": 31,
                    "limit": 50,
                },
            ),
            "suggest any_doctor days=1 limit=5": lambda: (
                "/api/appointments/suggest/",
                {
                    "any_doctor": "true",
                    "duration_minutes": 30,
                    "start_date": future_day(),
                    "limit": 5,
                },
            ),
            "availability 30 min": lambda: (
                "/api/availability/",
                dict(zip(("start", "end"), slot(), strict=True)),
            ),
            "availability 30 min, include_patients=false": lambda: (
                "/api/availability/",
                {**dict(zip(("start", "end"), slot(), strict=True)), "include_patients": "false"},
            ),
        }
        with TestClient(stopwatch) as client:
            for name, make in cases.items():
                if args.only and args.only not in name:
                    continue
                for _ in range(20):  # warm-up
                    path, params = make()
                    assert client.get(path, params=params, headers=headers).status_code == 200
                stopwatch.clear()
                statements.clear()
                profiler = profile_worker_threads() if args.profile else None
                for _ in range(args.rounds):
                    path, params = make()
                    response = client.get(path, params=params, headers=headers)
                    assert response.status_code == 200, response.text
                ms = [s * 1000 for s in stopwatch.samples]
                cpu = statistics.median(stopwatch.cpu) * 1000
                print(
                    f"{name:45s} p50 {statistics.median(ms):6.2f} ms  "
                    f"p95 {percentile(ms, 0.95):6.2f} ms  CPU p50 {cpu:5.2f} ms  "
                    f"{len(statements) / args.rounds:4.1f} statements"
                )
                if profiler:
                    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    finally:
        cluster._started_here = True
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
