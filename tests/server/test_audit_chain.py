"""Tamper-evident audit log: hash chain computed by the database, verified by audit-verify."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.chain import GENESIS_HASH, canonical, sha256_hex, verify
from server.audit.models import AuditChainHead, AuditLog
from server.cli import main
from server.db import make_engine
from server.embedded_db import EmbeddedPostgres
from server.migrate import upgrade
from tests.server.conftest import Users


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PRAXI_DATABASE_URL", database_url)
    return database_url


def add_entries(db: sessionmaker[Session], users: Users, count: int = 5) -> list[int]:
    doctor = users.create("doctor", "dr.mueller")
    with db() as session, session.begin():
        rows = [
            AuditLog(
                user_id=doctor.id if i % 2 else None,
                role_name="doctor" if i % 2 else "",
                action=f"action_{i}",
                patient_id=1000 + i if i % 3 else None,
                meta={"z": [1, 2.5, None], "a": 'Müller "quoted"\n\t\\', "n": {"b": True}}
                if i % 2
                else None,
            )
            for i in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


@pytest.fixture
def superuser(pg_cluster: EmbeddedPostgres, database_url: str) -> Iterator[psycopg.Connection]:
    dbname = database_url.rsplit("/", 1)[1]
    with psycopg.connect(
        host="127.0.0.1",
        port=pg_cluster.port,
        user="praxi",
        password=pg_cluster.password(),
        dbname=dbname,
        autocommit=True,
    ) as conn:
        yield conn


def tamper(conn: psycopg.Connection, statement: str, *params: object) -> None:
    conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
    try:
        conn.execute(statement, params)  # type: ignore[arg-type]
    finally:
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update")


def test_every_insert_is_chained_in_the_database(
    db: sessionmaker[Session], users: Users, engine: Engine
) -> None:
    ids = add_entries(db, users)
    with engine.begin() as conn:  # a raw insert path is covered as well
        conn.execute(text("INSERT INTO audit_log (action, meta) VALUES ('raw_insert', NULL)"))
    with db() as session:
        rows = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        head = session.get(AuditChainHead, 1)
    assert [r.id for r in rows[:-1]] == ids
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.row_hash
    assert head is not None
    assert (head.head_id, head.head_hash) == (rows[-1].id, rows[-1].row_hash)
    # The Python serialisation reproduces the trigger's hash.
    first = rows[1]
    stamp = first.timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with engine.connect() as conn:
        meta_text = conn.scalar(
            text("SELECT meta::text FROM audit_log WHERE id = :i"), {"i": first.id}
        )
    expected = sha256_hex(
        canonical(
            first.id,
            first.user_id,
            first.role_name,
            first.action,
            first.patient_id,
            stamp,
            meta_text,
            first.prev_hash,
        )
    )
    assert first.row_hash == expected


def test_untouched_chain_verifies(
    db: sessionmaker[Session],
    users: Users,
    engine: Engine,
    cli_env: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert verify(engine).ok  # empty log
    add_entries(db, users, 7)
    report = verify(engine)
    assert (report.ok, report.rows) == (True, 7)
    assert main(["audit-verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 7 audit entries verified; chain head ")
    assert report.head_hash in out


@pytest.mark.parametrize(
    ("statement", "column"),
    [
        ("UPDATE audit_log SET action = 'patient_view' WHERE id = %s", "action"),
        ("UPDATE audit_log SET meta = '{\"x\": 1}' WHERE id = %s", "meta"),
        ('UPDATE audit_log SET "timestamp" = "timestamp" + interval \'1 us\' WHERE id = %s', "ts"),
    ],
)
def test_edited_row_breaks_the_chain_at_that_row(
    db: sessionmaker[Session],
    users: Users,
    engine: Engine,
    superuser: psycopg.Connection,
    cli_env: str,
    capsys: pytest.CaptureFixture[str],
    statement: str,
    column: str,
) -> None:
    ids = add_entries(db, users, 6)
    tamper(superuser, statement, ids[3])
    report = verify(engine)
    assert (report.ok, report.broken_id, report.rows) == (False, ids[3], 3)
    assert main(["audit-verify"]) == 1
    assert f"BROKEN: audit entry {ids[3]}: row content was changed" in capsys.readouterr().out
    # The append-only trigger is back in force.
    with pytest.raises(psycopg.errors.RaiseException):
        superuser.execute("UPDATE audit_log SET action = 'x' WHERE id = %s", (ids[0],))


def test_rehashed_row_breaks_the_link_to_the_next_row(
    db: sessionmaker[Session], users: Users, engine: Engine, superuser: psycopg.Connection
) -> None:
    ids = add_entries(db, users, 4)
    tamper(
        superuser,
        "UPDATE audit_log SET action = 'forged', row_hash = praxi_audit_log_hash("
        "id, user_id, role_name, 'forged', patient_id, \"timestamp\", meta, prev_hash) "
        "WHERE id = %s",
        ids[1],
    )
    report = verify(engine)
    assert (report.ok, report.broken_id) == (False, ids[2])
    assert report.reason == "prev_hash does not match the previous row"


def test_deleted_rows_are_detected(
    db: sessionmaker[Session], users: Users, engine: Engine, superuser: psycopg.Connection
) -> None:
    ids = add_entries(db, users, 4)
    tamper(superuser, "DELETE FROM audit_log WHERE id = %s", ids[-1])
    report = verify(engine)
    assert not report.ok
    assert "chain head records entry" in report.reason
    tamper(superuser, "DELETE FROM audit_log WHERE id = %s", ids[1])
    assert verify(engine).broken_id == ids[2]


def test_concurrent_inserts_form_one_linear_chain(
    db: sessionmaker[Session], users: Users, engine: Engine
) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with db() as session, session.begin():
                    session.add(AuditLog(action=f"w{n}_{i}", meta={"n": n}))
                    session.add(AuditLog(action=f"w{n}_{i}b"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify(engine)
    assert (report.ok, report.rows) == (True, 160)


@pytest.mark.external_postgres
def test_migration_backfills_existing_rows_in_id_order(
    pg_cluster: EmbeddedPostgres, tmp_path: object
) -> None:
    name = f"chain_backfill_{datetime.now(UTC).strftime('%H%M%S%f')}"
    with pg_cluster.connect_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_cluster.url(name), pool_size=1)
    try:
        upgrade(engine, "0005")
        with engine.begin() as conn:
            for i in range(5):
                conn.execute(
                    text("INSERT INTO audit_log (action, meta) VALUES (:a, CAST(:m AS jsonb))"),
                    {"a": f"old_{i}", "m": f'{{"i": {i}}}'},
                )
        upgrade(engine)
        report = verify(engine)
        assert (report.ok, report.rows) == (True, 5)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO audit_log (action) VALUES ('new')"))
        assert verify(engine).rows == 6
    finally:
        engine.dispose()
        with pg_cluster.connect_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_ids_are_drawn_after_the_chain_lock(database_url: str, engine: Engine) -> None:
    """A waiting insert takes its id only once the earlier transaction has committed."""
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as first, psycopg.connect(plain) as second:
        first.execute("INSERT INTO audit_log (action) VALUES ('first_a')")
        waiter_done = threading.Event()

        def waiting_insert() -> None:
            second.execute("INSERT INTO audit_log (action) VALUES ('second')")
            second.commit()
            waiter_done.set()

        thread = threading.Thread(target=waiting_insert)
        thread.start()
        assert not waiter_done.wait(0.5)  # blocked on the chain lock
        first.execute("INSERT INTO audit_log (action) VALUES ('first_b')")
        first.commit()
        thread.join(10)
        assert waiter_done.is_set()
    with engine.connect() as conn:
        order = conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars().all()
    assert order == ["first_a", "first_b", "second"]
    assert verify(engine).ok
