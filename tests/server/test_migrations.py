"""``praxi-server migrate`` on an empty database: the whole schema, its seed rows, idempotent.

Also part of the ``external_postgres`` subset: central mode migrates a PostgreSQL it did not
create, so this runs against a plain Debian server in CI as well (``.ci/run``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from psycopg import sql
from sqlalchemy import text

from server.cli import main
from tests.server.conftest import PostgresServer, drop_database, make_test_engine

pytestmark = pytest.mark.external_postgres
_names = itertools.count()


@pytest.fixture
def empty_database(pg_cluster: PostgresServer) -> Iterator[str]:
    name = f"migrate_{os.getpid()}_{next(_names)}"
    with pg_cluster.connect_admin() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield pg_cluster.url(name)
    drop_database(pg_cluster, name)


def test_migrate_builds_the_schema_from_an_empty_database_and_is_idempotent(
    empty_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRAXI_DATABASE_URL", empty_database)
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0  # a second run (every start migrates) changes nothing
    assert capsys.readouterr().out.count("Database is up to date.") == 2
    engine = make_test_engine(empty_database, pool_size=1)
    try:
        with engine.connect() as conn:
            tables = set(
                conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            )
            assert {"users", "roles", "patients", "appointments", "operations", "audit_log"} <= (
                tables
            )
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
            roles = set(conn.scalars(text("SELECT name FROM roles")))
            assert {"admin", "assistant", "doctor", "billing"} <= roles
            head = conn.execute(text("SELECT head_id, head_hash FROM audit_log_chain")).one()
            assert head == (None, "0" * 64)
            assert (
                conn.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'"))
                == 1
            )
    finally:
        engine.dispose()
