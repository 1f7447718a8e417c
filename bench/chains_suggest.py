"""Suggest 5 options for a 4-step chain over a 6-week horizon on the large demo data.

Issue 17 acceptance: ≤ 200 ms p50. 8 doctors, 2,000 patients and 20,000 appointments plus
the operations of ``seed-demo --size large`` in a throw-away embedded cluster; requests go
through the real app in-process (``TestClient``), so the times include routing, auth, the
one scheduling-data load, the search, rendering and the read audit.

The chain: Vorgespräch (30 min, one of four doctors) → Narkoseaufklärung (20 min, same
day, one of the four others) → OP (the first demo operation type, next working day, one of
the first four as surgeon, any OP room) → Kontrolle (15 min, 10–14 days later, one of the
first four). The demo schedule is nearly full (about 20 appointments per doctor and day),
so narrower doctor sets often have no complete chain at all in six weeks.

    uv run python bench/chains_suggest.py [--rounds 60] [--profile]
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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from server.app import create_app
from server.auth import tokens
from server.chains.models import ChainTemplate, ChainTemplateStep
from server.db import make_engine, make_session_factory
from server.demo.seed import DOCTORS, seed_demo
from server.embedded_db import EmbeddedPostgres
from server.master_data.models import OperationType, Resource
from server.migrate import upgrade
from server.patients.models import Patient
from server.settings import Settings
from server.users.models import User

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 13, 10, 7, tzinfo=TZ)  # a Wednesday in the middle of the data


def _template(factory, doctor_ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    with factory() as session, session.begin():
        op_type = session.scalars(select(OperationType).order_by(OperationType.id)).first()
        rooms = list(
            session.scalars(
                select(Resource.id).where(Resource.op_capable.is_(True)).order_by(Resource.id)
            )
        )
        template = ChainTemplate(name="Ambulante OP", description="", active=True)
        session.add(template)
        session.flush()

        def step(position: int, name: str, **values: object) -> ChainTemplateStep:
            defaults: dict[str, object] = {
                "kind": "appointment",
                "room_ids": [],
                "resource_ids": [],
                "gap_rule": "range",
                "gap_min": 0,
                "gap_max": 0,
                "gap_unit": "minutes",
            }
            return ChainTemplateStep(
                template_id=template.id, position=position, name=name, **(defaults | values)
            )

        total = op_type.prep_duration + op_type.op_duration + op_type.post_duration
        session.add_all(
            [
                step(1, "Vorgespräch", duration_minutes=30, doctor_ids=doctor_ids[:4]),
                step(
                    2,
                    "Narkoseaufklärung",
                    duration_minutes=20,
                    doctor_ids=doctor_ids[4:],
                    gap_rule="same_day",
                ),
                step(
                    3,
                    op_type.name,
                    kind="operation",
                    op_type_id=op_type.id,
                    duration_minutes=total,
                    doctor_ids=doctor_ids[:4],
                    room_ids=rooms,
                    gap_rule="next_working_day",
                ),
                step(
                    4,
                    "Kontrolle",
                    duration_minutes=15,
                    doctor_ids=doctor_ids[:4],
                    gap_min=10,
                    gap_max=14,
                    gap_unit="days",
                ),
            ]
        )
        return template.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="praxi-chains-bench-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    try:
        url = cluster.url()
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        password = "bench-passwort-1"  # noqa: S105 - demo users of a throw-away cluster
        summary = seed_demo(engine, size="large", password=password, tz=TZ, now=NOW)
        print(f"seeded {summary.appointments} appointments, {summary.patients} patients")
        factory = make_session_factory(engine)
        with factory() as session:
            by_name = {
                u.username: u.id
                for u in session.scalars(
                    select(User).where(User.username.in_([d[0] for d in DOCTORS]))
                )
            }
            doctor_ids = [by_name[d[0]] for d in DOCTORS]
            admin_id = session.scalar(select(User.id).where(User.username == "admin.hoffmann"))
            patient_ids = list(session.scalars(select(Patient.id).order_by(Patient.id)))
        template_id = _template(factory, doctor_ids)
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
            now=NOW.astimezone(UTC),  # the app's test clock judges the token
            lifetime=timedelta(hours=1),
        )
        headers = {"Authorization": f"Bearer {token}"}
        rng = random.Random(1)
        samples: list[float] = []
        options: list[int] = []
        incomplete = 0
        profiler = cProfile.Profile() if args.profile else None
        with TestClient(app, base_url="http://localhost") as client:
            path = f"/api/chain-templates/{template_id}/suggest/"
            for round_number in range(args.rounds + 5):
                params = {
                    "patient_id": rng.choice(patient_ids),
                    "start_date": (NOW.date() + timedelta(days=rng.randrange(0, 60))).isoformat(),
                    "limit": 5,
                    "horizon_days": 42,
                }
                began = time.perf_counter()
                response = client.get(path, params=params, headers=headers)
                elapsed = time.perf_counter() - began
                assert response.status_code == 200, response.text
                if round_number < 5:
                    continue  # warm-up
                samples.append(elapsed)
                body = response.json()
                options.append(len(body["options"]))
                incomplete += not body["complete"]
            # Calibration: a trivial authenticated read on the same machine at the same time
            # (auth, one query, the read audit), so a run on a busy machine can be judged.
            baseline: list[float] = []
            for _ in range(30):
                began = time.perf_counter()
                client.get("/api/appointment-types/", headers=headers)
                baseline.append(time.perf_counter() - began)
        print(
            f"baseline GET /api/appointment-types/: p50 {statistics.median(baseline) * 1000:.1f} ms"
        )
        samples.sort()
        p50 = statistics.median(samples) * 1000
        p95 = samples[int(len(samples) * 0.95) - 1] * 1000
        print(
            f"chain suggest (4 steps, 5 options, 42 days): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
            f"max {samples[-1] * 1000:.1f} ms over {len(samples)} requests; "
            f"options per answer min {min(options)} / median {statistics.median(options)}; "
            f"budget exhausted in {incomplete}"
        )
        if profiler:
            # The request runs in a worker thread the profiler cannot see: profile the
            # service itself, in this thread, on the same questions.
            from server.chains import service

            class _Admin:
                id = admin_id
                role_name = "admin"

            factory = app.state.praxi.session_factory
            ctx = service.Context(factory, _Admin(), TZ, NOW)  # type: ignore[arg-type]
            rng = random.Random(1)
            profiler.enable()
            for _ in range(args.rounds):
                query = service.SuggestQuery(
                    patient_id=rng.choice(patient_ids),
                    start_date=NOW.date() + timedelta(days=rng.randrange(0, 60)),
                )
                with factory() as session:
                    service.suggest(session, ctx, template_id, query)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
