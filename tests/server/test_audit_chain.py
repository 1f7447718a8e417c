"""Tamper-evident audit log: a keyed hash chain computed by the database, checkpointed outside
it, verified by audit-verify — also against a database superuser (issue 22)."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.chain import GENESIS_HASH, ChainReport, canonical, verify
from server.audit.checkpoint import FILE_NAME, ChainShortened, advance, load
from server.audit.key import IPAD_SETTING, OPAD_SETTING, connection_options, hmac_pads, row_mac
from server.audit.models import AuditChainHead, AuditLog
from server.cli import main
from server.embedded_db import EmbeddedPostgres
from server.migrate import upgrade
from tests.server.conftest import (
    TEST_AUDIT_KEY,
    TEST_SECRET,
    Users,
    app_role_url,
    make_test_engine,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """`praxi-server` as a central installation would run it; yields its checkpoint file."""
    monkeypatch.setenv("PRAXI_DATABASE_URL", database_url)
    monkeypatch.setenv("PRAXI_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("PRAXI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / FILE_NAME


def verify_now(engine: Engine, checkpoint: Path | None = None) -> ChainReport:
    against = load(checkpoint, TEST_AUDIT_KEY) if checkpoint is not None else None
    return verify(engine, TEST_AUDIT_KEY, against)


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
    expected = row_mac(
        TEST_AUDIT_KEY,
        canonical(
            first.id,
            first.user_id,
            first.role_name,
            first.action,
            first.patient_id,
            stamp,
            meta_text,
            first.prev_hash,
        ),
    )
    assert first.row_hash == expected


def test_untouched_chain_verifies(
    db: sessionmaker[Session],
    users: Users,
    engine: Engine,
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert verify_now(engine).ok  # empty log
    add_entries(db, users, 7)
    report = verify_now(engine)
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
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    statement: str,
    column: str,
) -> None:
    ids = add_entries(db, users, 6)
    tamper(superuser, statement, ids[3])
    report = verify_now(engine)
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
    # Even with the real key (here: the superuser got hold of it), a row re-hashed on its own
    # no longer links to the next one.
    for setting, pad in zip((IPAD_SETTING, OPAD_SETTING), hmac_pads(TEST_AUDIT_KEY), strict=True):
        superuser.execute("SELECT set_config(%s, %s, false)", (setting, pad))
    tamper(
        superuser,
        "UPDATE audit_log SET action = 'forged', row_hash = praxi_audit_log_hash("
        "id, user_id, role_name, 'forged', patient_id, \"timestamp\", meta, prev_hash) "
        "WHERE id = %s",
        ids[1],
    )
    report = verify_now(engine)
    assert (report.ok, report.broken_id) == (False, ids[2])
    assert report.reason == "prev_hash does not match the previous row"


def rechain_as_attacker(conn: psycopg.Connection, key: bytes, start_id: int) -> None:
    """What a superuser who knows the algorithm (not the key) does after editing a row:
    recompute every hash from there on with a key of their own and move the chain head."""
    rows = conn.execute(
        "SELECT id, user_id, role_name, action, patient_id, "
        'to_char("timestamp" AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\'), '
        "meta::text FROM audit_log WHERE id >= %s ORDER BY id",
        (start_id,),
    ).fetchall()
    prev = conn.execute(
        "SELECT coalesce((SELECT row_hash FROM audit_log WHERE id < %s ORDER BY id DESC "
        "LIMIT 1), %s)",
        (start_id, GENESIS_HASH),
    ).fetchone()[0]  # type: ignore[index]
    for row in rows:
        forged = row_mac(key, canonical(*row, prev))
        tamper(
            conn,
            "UPDATE audit_log SET prev_hash = %s, row_hash = %s WHERE id = %s",
            prev,
            forged,
            row[0],
        )
        prev = forged
    conn.execute("UPDATE audit_log_chain SET head_id = %s, head_hash = %s", (rows[-1][0], prev))


@pytest.mark.parametrize("attacker_key", [b"", b"a guessed key"], ids=["unkeyed", "guessed"])
def test_superuser_edit_with_a_recomputed_chain_fails_audit_verify(
    db: sessionmaker[Session],
    users: Users,
    engine: Engine,
    superuser: psycopg.Connection,
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    attacker_key: bytes,
) -> None:
    ids = add_entries(db, users, 6)
    tamper(superuser, "UPDATE audit_log SET action = 'patient_view' WHERE id = %s", ids[2])
    rechain_as_attacker(superuser, attacker_key, ids[2])
    # The forged chain is consistent in itself ...
    with engine.connect() as conn:
        links = conn.execute(text("SELECT prev_hash, row_hash FROM audit_log ORDER BY id")).all()
    assert all(after[0] == before[1] for before, after in itertools.pairwise(links))
    # ... but its hashes are not keyed with the server's key.
    assert main(["audit-verify"]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN: audit entry {ids[2]}: row content was changed" in out
    assert "(2 entries before it verified)" in out


def test_deleting_the_newest_entries_and_moving_the_head_fails_audit_verify(
    db: sessionmaker[Session],
    users: Users,
    engine: Engine,
    superuser: psycopg.Connection,
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ids = add_entries(db, users, 8)
    assert main(["audit-verify"]) == 0  # writes the checkpoint outside the database
    checkpoint = load(cli_env, TEST_AUDIT_KEY)
    assert checkpoint is not None
    assert (checkpoint.entries, checkpoint.head_id) == (8, ids[-1])
    capsys.readouterr()

    for row_id in ids[-3:]:
        tamper(superuser, "DELETE FROM audit_log WHERE id = %s", row_id)
    superuser.execute(
        "UPDATE audit_log_chain SET head_id = a.id, head_hash = a.row_hash "
        "FROM audit_log a WHERE a.id = %s",
        (ids[-4],),
    )
    # What is left is a valid chain with a matching head: only the checkpoint tells.
    assert verify_now(engine).ok
    assert main(["audit-verify"]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN: audit entry {ids[-1]}: missing:" in out
    assert f"records 8 entries up to entry {ids[-1]}" in out
    assert f"ends with entry {ids[-4]} after 5 entries" in out
    # The running server's checkpoint writer refuses to move the checkpoint back.
    with pytest.raises(ChainShortened):
        advance(engine, cli_env, TEST_AUDIT_KEY, NOW)
    assert load(cli_env, TEST_AUDIT_KEY) == checkpoint


def test_an_altered_checkpoint_is_reported(
    db: sessionmaker[Session],
    users: Users,
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_entries(db, users, 3)
    assert main(["audit-verify"]) == 0
    cli_env.write_text(cli_env.read_text().replace('"entries": 3', '"entries": 2'))
    capsys.readouterr()
    assert main(["audit-verify"]) == 1
    assert f"BROKEN: the checkpoint {cli_env} was altered" in capsys.readouterr().out


def test_checkpoint_advances_only_along_the_chain(
    db: sessionmaker[Session], users: Users, engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / FILE_NAME
    first = advance(engine, path, TEST_AUDIT_KEY, NOW)
    assert (first.entries, first.head_id) == (0, None)
    ids = add_entries(db, users, 4)
    second = advance(engine, path, TEST_AUDIT_KEY, NOW)
    assert (second.entries, second.head_id) == (4, ids[-1])
    assert verify_now(engine, path).ok
    assert path.stat().st_mode & 0o077 == 0 or os.name == "nt"  # owner-only


def test_the_app_role_can_neither_change_the_audit_log_nor_its_triggers(
    db: sessionmaker[Session], users: Users, database_url: str
) -> None:
    ids = add_entries(db, users, 2)
    plain = app_role_url(database_url).replace("postgresql+psycopg://", "postgresql://")
    attempts = [
        ("UPDATE audit_log SET action = 'x' WHERE id = %s", (ids[0],)),
        ("DELETE FROM audit_log WHERE id = %s", (ids[0],)),
        ("TRUNCATE audit_log", ()),
        ("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update", ()),
        ("UPDATE audit_log_chain SET head_id = NULL", ()),
        ("SET session_replication_role = replica", ()),
    ]
    with psycopg.connect(plain, autocommit=True) as conn:
        for statement, params in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, params)  # type: ignore[arg-type]
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (2,)


def test_without_the_key_no_audit_entry_can_be_written(database_url: str) -> None:
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    with (
        psycopg.connect(plain) as conn,
        pytest.raises(psycopg.errors.RaiseException, match="audit chain key is not set"),
    ):
        conn.execute("INSERT INTO audit_log (action) VALUES ('unsigned')")


def test_deleted_rows_are_detected(
    db: sessionmaker[Session], users: Users, engine: Engine, superuser: psycopg.Connection
) -> None:
    ids = add_entries(db, users, 4)
    tamper(superuser, "DELETE FROM audit_log WHERE id = %s", ids[-1])
    report = verify_now(engine)
    assert not report.ok
    assert "chain head records entry" in report.reason
    tamper(superuser, "DELETE FROM audit_log WHERE id = %s", ids[1])
    assert verify_now(engine).broken_id == ids[2]


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
    report = verify_now(engine)
    assert (report.ok, report.rows) == (True, 160)


@pytest.mark.external_postgres
def test_migration_backfills_existing_rows_in_id_order(
    pg_cluster: EmbeddedPostgres, tmp_path: object
) -> None:
    name = f"chain_backfill_{datetime.now(UTC).strftime('%H%M%S%f')}"
    with pg_cluster.connect_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_test_engine(pg_cluster.url(name), pool_size=1)
    try:
        upgrade(engine, "0005")
        with engine.begin() as conn:
            for i in range(5):
                conn.execute(
                    text("INSERT INTO audit_log (action, meta) VALUES (:a, CAST(:m AS jsonb))"),
                    {"a": f"old_{i}", "m": f'{{"i": {i}}}'},
                )
        upgrade(engine)
        report = verify_now(engine)
        assert (report.ok, report.rows) == (True, 5)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO audit_log (action) VALUES ('new')"))
        assert verify_now(engine).rows == 6
    finally:
        engine.dispose()
        with pg_cluster.connect_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_ids_are_drawn_after_the_chain_lock(database_url: str, engine: Engine) -> None:
    """A waiting insert takes its id only once the earlier transaction has committed."""
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    keyed = connection_options(TEST_AUDIT_KEY)
    with (
        psycopg.connect(plain, options=keyed) as first,
        psycopg.connect(plain, options=keyed) as second,
    ):
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
    assert verify_now(engine).ok


def test_serve_with_two_roles_migrates_as_owner_and_warns_only_for_one_role(
    captured_uvicorn: list[dict[str, Any]],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # One superuser role for everything (as before this change): served, with a warning.
    assert main(["serve", "--port", "8931"]) == 0
    assert "the server's database role is a superuser" in caplog.text
    caplog.clear()
    # Central mode as documented: the owner migrates and grants, the server role owns nothing.
    monkeypatch.setenv("PRAXI_MIGRATION_DATABASE_URL", database_url)
    monkeypatch.setenv("PRAXI_DATABASE_URL", app_role_url(database_url))
    assert main(["serve", "--port", "8931"]) == 0
    assert len(captured_uvicorn) == 2
    assert "could rewrite the audit trail" not in caplog.text
