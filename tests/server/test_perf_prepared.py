"""Reads end with COMMIT so prepared statements survive; everything else still rolls back
(``server.db_statements``, issue 23).

What must not change: a rollback of a transaction that wrote undoes the write, a notice of a
rolled-back transaction is never sent, and a failed transaction is rolled back and its
connection usable again.
"""

from __future__ import annotations

import select
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, make_url, text

from server.db import make_engine
from server.db_statements import only_reads


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=1)
    yield engine
    engine.dispose()


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM resources")).scalar_one())


def test_a_rolled_back_write_is_undone(engine: Engine) -> None:
    before = _count(engine)
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM resources"))
        conn.execute(
            text(
                "INSERT INTO resources (name, type, color, active) "
                "VALUES ('X', 'room', '#000000', true)"
            )
        )
        conn.rollback()
    assert _count(engine) == before


def test_a_notice_of_a_rolled_back_read_is_never_sent(engine: Engine, database_url: str) -> None:
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as listener:
        listener.execute("LISTEN praxi_test_rollback")
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_notify('praxi_test_rollback', 'x')"))
            conn.rollback()
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_notify('praxi_test_rollback', 'sent')"))
            conn.commit()
        select.select([listener.fileno()], [], [], 5)
        received = [notice.payload for notice in listener.notifies(timeout=0.5)]
    assert received == ["sent"]


def test_reads_keep_their_prepared_statements(engine: Engine) -> None:
    statement = text("SELECT count(*) FROM resources WHERE active")
    for _ in range(4):  # past the prepare threshold, each read ending the usual way
        with engine.connect() as conn:
            conn.execute(statement).scalar_one()
    with engine.connect() as conn:
        prepared = conn.execute(
            text(
                "SELECT count(*) FROM pg_prepared_statements "
                "WHERE statement LIKE '%resources WHERE active%'"
            )
        ).scalar_one()
    assert prepared == 1


def test_a_failed_transaction_is_rolled_back_and_the_connection_usable(engine: Engine) -> None:
    with engine.connect() as conn:
        with pytest.raises(Exception, match="division by zero"):
            conn.execute(text("SELECT 1 / 0"))
        conn.rollback()
        assert conn.execute(text("SELECT 2")).scalar_one() == 2


@pytest.mark.parametrize(
    ("statement", "reads"),
    [
        ("SELECT 1", True),
        ("  select a.id FROM appointments a", True),
        ("SELECT pg_notify('c', 'x')", False),
        ("SELECT * INTO copy FROM resources", False),
        ("SELECT nextval('s')", False),
        ("SELECT set_config('synchronous_commit', 'off', true)", False),
        ("WITH x AS (DELETE FROM resources RETURNING id) SELECT * FROM x", False),
        ("INSERT INTO resources DEFAULT VALUES", False),
        ("SET TRANSACTION SNAPSHOT '1'", False),
    ],
)
def test_only_plain_selects_count_as_reads(statement: str, reads: bool) -> None:
    assert only_reads(statement) is reads
