"""Measure patient search and list with 2,000 realistic patients (run on demand, not a test).

Uses the database of ``PRAXI_DATABASE_URL`` (migrated to all heads; the bench patients get
numbers from 900001 on and are inserted only if missing) or, when unset, a throw-away
embedded cluster in a temporary folder. Requests go through the real app in-process
(TestClient), so the times are server-side: routing, auth, SQL, rendering and the read audit.

    uv run python bench/patient_search.py [--patients 2000] [--rounds 200]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import insert, select, text

from server.app import create_app
from server.auth import tokens
from server.auth.passwords import hash_password
from server.db import make_engine, make_session_factory
from server.embedded_db import EmbeddedPostgres
from server.migrate import upgrade
from server.patients.models import Patient
from server.settings import Settings
from server.users.models import Role, User

FIRST_NAMES = (  # noqa: SIM905 - a readable block of names
    "Anna Maria Lena Sophie Emma Hannah Lea Mia Laura Julia Sarah Katharina Ursula Renate "
    "Monika Petra Sabine Jürgen Günter Jörg Max Paul Lukas Leon Felix Jonas Maximilian Peter "
    "Michael Thomas Andreas Stefan Klaus Wolfgang Hans Uwe Frank Dieter Björn Ömer Ayşe Zoë "
    "Søren Käthe Götz Jens Anke Heike Silke Birgit"
).split()
LAST_NAMES = (  # noqa: SIM905 - a readable block of names
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
    "Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler "
    "Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn "
    "Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann "
    "Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt "
    "Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte "
    "Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold "
    "Wolff Pfeiffer Özdemir Yılmaz Kaya Nowak Kowalski Ivanov"
).split()
GENDERS = ["female", "male", "diverse", None]


def realistic_patients(count: int, first_id: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 95 * 365))
        mail_name = f"{first}.{last}".lower().translate(str.maketrans("äöüßøıëş", "aousoies"))
        rows.append(
            {
                "id": first_id + n,
                "first_name": first,
                "last_name": last,
                "birth_date": born,
                "gender": rng.choice(GENDERS),
                "phone": f"0{rng.randrange(30, 9999)} {rng.randrange(100000, 9999999)}",
                "email": f"{mail_name}{n}@example.de" if rng.random() < 0.6 else None,
                "insurance_number": f"{chr(65 + rng.randrange(26))}{rng.randrange(10**8, 10**9)}",
            }
        )
    return rows


@contextmanager
def database() -> Iterator[str]:
    url = os.environ.get("PRAXI_DATABASE_URL")
    if url:
        yield url
        return
    root = Path(tempfile.mkdtemp(prefix="praxi-bench-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    try:
        yield cluster.url()
    finally:
        cluster._started_here = True
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    with database() as url:
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        factory = make_session_factory(engine)
        first_id = 900_001
        with factory() as session, session.begin():
            existing = set(session.scalars(select(Patient.id).where(Patient.id >= first_id)).all())
            rows = [
                r for r in realistic_patients(args.patients, first_id) if r["id"] not in existing
            ]
            if rows:
                session.execute(insert(Patient), rows)
            session.execute(text("ANALYZE patients"))
            role = session.scalar(select(Role).where(Role.name == "assistant"))
            user = User(
                username=f"bench{int(time.time() * 1000)}",
                password_hash=hash_password("bench-passwort-1"),
                role=role,
            )
            session.add(user)
            total = session.scalar(text("SELECT count(*) FROM patients"))
            trigram = session.scalar(
                text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_patients_search_trgm'")
            )
            plan = "\n".join(
                session.scalars(
                    text(
                        "EXPLAIN ANALYZE SELECT id FROM patients WHERE search_text LIKE "
                        "praxi_casefold('%schm%') ORDER BY last_name, first_name, id LIMIT 20"
                    )
                )
            )
        engine.dispose()

        settings = Settings(
            database_url=SecretStr(url),
            data_dir=Path(tempfile.mkdtemp(prefix="praxi-bench-data-")),
            secret_key=SecretStr("bench-secret-" + "x" * 40),
            admin_username=None,
            admin_password=None,
        )
        token = tokens.issue_access(
            settings.secret_key.get_secret_value(),  # type: ignore[union-attr]
            user_id=user.id,
            role="assistant",
            now=datetime.now(UTC),
            lifetime=timedelta(hours=1),
        )
        headers = {"Authorization": f"Bearer {token}"}
        print(f"patients in table: {total}; trigram index: {'yes' if trigram else 'no'}")
        print("plan of a 4-letter search term:")
        print("  " + plan.replace("\n", "\n  "))
        sample = realistic_patients(args.patients, first_id)[min(777, args.patients - 1)]
        born = sample["birth_date"]
        assert isinstance(born, date)
        two_terms = f"{sample['first_name']} {sample['last_name']}"
        cases = [
            ("search q=Schm (prefix)", "/api/patients/search/?q=Schm"),
            ("search q=mü (2 letters)", "/api/patients/search/?q=m%C3%BC"),
            ("search q=özdemir (umlaut, case)", "/api/patients/search/?q=%C3%B6zdemir"),
            (f"search q={two_terms} (2 terms)", f"/api/patients/search/?q={two_terms}"),
            (f"search q={born:%d.%m.%Y} (birth date)", f"/api/patients/search/?q={born:%d.%m.%Y}"),
            (f"search q={sample['id']} (number)", f"/api/patients/search/?q={sample['id']}"),
            ("search q= (first 200)", "/api/patients/search/?q="),
            ("list page 1", "/api/patients/"),
            ("list page 20", "/api/patients/?page=20"),
        ]
        with TestClient(create_app(settings)) as client:
            print(f"\n{'request':36} {'rows':>5} {'p50 ms':>8} {'p99 ms':>8}")
            for label, path in cases:
                for _ in range(10):  # warm-up
                    client.get(path, headers=headers)
                samples = []
                for _ in range(args.rounds):
                    began = time.perf_counter()
                    response = client.get(path, headers=headers)
                    samples.append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, response.text
                body = response.json()
                rows_count = len(body) if isinstance(body, list) else len(body["results"])
                print(
                    f"{label:36} {rows_count:>5} {statistics.median(samples):>8.2f} "
                    f"{percentile(samples, 0.99):>8.2f}"
                )
        shutil.rmtree(settings.data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
