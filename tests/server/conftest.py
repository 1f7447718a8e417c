"""Fixtures for server tests: one PostgreSQL server per test process, one database per process
that is emptied before every test.

Each pytest-xdist worker (and a plain ``pytest`` run) starts its own embedded PostgreSQL
cluster, migrates a template database once and clones its working database from it. Before
every test the working database is put back into the template's state: every table is
truncated (``RESTART IDENTITY``), the rows the migrations seed (roles, the audit chain head, the
Alembic version) are copied back and every sequence is set to the template's value. The audit
log's append-only triggers are bypassed for that one transaction only
(``SET LOCAL session_replication_role = replica``, as the cluster superuser). That costs ≈ 20 ms
instead of ≈ 50 ms for ``CREATE DATABASE … TEMPLATE`` plus ``DROP``, and keeps the connections of
the processes' apps valid from test to test.

A test that changes more than rows (drops the schema, restores a backup, disables a trigger)
is marked ``own_database`` and gets a fresh clone of the template, dropped afterwards. A
working database whose tables, indexes, constraints, triggers or functions no longer match the
template's is rebuilt from it.

As in production, apps connect as the role that owns nothing (``praxi_app``, ``make_settings``;
``server.db_roles``), while the fixtures' own engines (``engine``, ``db``) and migrations use
the owner (the cluster superuser). Every engine brings the test secret's audit key.

With ``PRAXI_DATABASE_URL`` set (a superuser URL of an external PostgreSQL ≥ 14 with
``btree_gist``), the same fixtures use that server instead of starting one: the template and
working databases are created there (``.ci/run`` runs the ``external_postgres`` subset so).
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient
from psycopg import sql
from pydantic import SecretStr
from sqlalchemy import Engine, make_url, select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.key import connection_options, derive_audit_key
from server.auth import tokens
from server.auth.passwords import hash_password
from server.bookings import scheduling_cache
from server.db import make_engine, make_session_factory
from server.db_roles import grant_app_privileges
from server.embedded_db import APP_USER, EmbeddedPostgres
from server.migrate import upgrade
from server.settings import Settings
from server.users.models import Role, User
from tests.server.apps import allow_sharing_on, close_shared_clients, shared_client

TEST_SECRET = "test-secret-" + "x" * 40
TEST_AUDIT_KEY = derive_audit_key(TEST_SECRET)
# Same for every process: xdist workers sharing an external server set the same password.
TEST_APP_PASSWORD = "praxi-app-test-password"
DEFAULT_PASSWORD = "correct-horse-42"
_DEFAULT_HASH = hash_password(DEFAULT_PASSWORD)
_counter = itertools.count()
# Helper tokens without an explicit lifetime are valid on every test clock (see Users.token).
ANY_CLOCK_FROM = datetime(2000, 1, 1, tzinfo=UTC)
ANY_CLOCK_UNTIL = datetime(2100, 1, 1, tzinfo=UTC)
# Names are per process: xdist workers may share one external server.
_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "main") + f"_{os.getpid()}"
TEMPLATE_DB = f"praxi_template_{_PROCESS}"
SERVERS_USED: set[str] = set()  # listed at the end of a run in one process (tests/conftest.py)
WORKING_DB = f"praxi_test_{_PROCESS}"


def make_test_engine(url: str, **kwargs: Any) -> Engine:
    """``make_engine`` with the test secret's audit key (as every server engine has its own)."""
    return make_engine(url, audit_options=connection_options(TEST_AUDIT_KEY), **kwargs)


def app_role_url(url: str) -> str:
    """The same database as the application's role (no superuser, owns nothing)."""
    return (
        make_url(url)
        .set(username=APP_USER, password=TEST_APP_PASSWORD)
        .render_as_string(hide_password=False)
    )


def _ensure_app_role(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    for verb in ("CREATE", "ALTER"):
        try:
            conn.execute(
                sql.SQL("{} ROLE {} LOGIN NOSUPERUSER PASSWORD {}").format(
                    sql.SQL(verb), sql.Identifier(APP_USER), sql.Literal(TEST_APP_PASSWORD)
                )
            )
            return
        except psycopg.errors.DuplicateObject:
            continue


class PostgresServer(Protocol):
    def url(self, database: str) -> str: ...

    def connect_admin(self) -> psycopg.Connection[tuple[object, ...]]: ...


@dataclass
class ExternalPostgres:
    """A PostgreSQL server this suite did not start (``PRAXI_DATABASE_URL``)."""

    admin_url: str

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def connect_admin(self) -> psycopg.Connection[tuple[object, ...]]:
        libpq = make_url(self.admin_url).set(drivername="postgresql", database="postgres")
        return psycopg.connect(libpq.render_as_string(hide_password=False), autocommit=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresServer]:
    root = Path(tempfile.mkdtemp(prefix="praxi-test-pg-"))
    os.environ["PRAXI_DATA_DIR"] = str(root / "data")  # keep a developer's praxi.toml out
    external_url = os.environ.pop("PRAXI_DATABASE_URL", None)
    server: PostgresServer
    cluster: EmbeddedPostgres | None = None
    if external_url:
        server = ExternalPostgres(external_url)
    else:
        cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
        cluster.start()
        server = cluster
    with server.connect_admin() as conn:
        version = conn.execute("SHOW server_version").fetchone()
        kind = "external" if external_url else "embedded"
        SERVERS_USED.add(f"PostgreSQL {version[0] if version else '?'} ({kind})")
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(TEMPLATE_DB))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE_DB)))
        _ensure_app_role(conn)
    engine = make_test_engine(server.url(TEMPLATE_DB), pool_size=1)
    upgrade(engine)
    grant_app_privileges(engine, APP_USER)  # clones inherit the grants
    engine.dispose()
    yield server
    if cluster is not None:
        cluster._started_here = True
        cluster.stop()
    else:
        with server.connect_admin() as conn:
            for name in (WORKING_DB, TEMPLATE_DB):
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
    if external_url:
        os.environ["PRAXI_DATABASE_URL"] = external_url
    shutil.rmtree(root, ignore_errors=True)


def clone_template(server: PostgresServer, name: str) -> None:
    with server.connect_admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(TEMPLATE_DB)
            )
        )


def drop_database(server: PostgresServer, name: str) -> None:
    with server.connect_admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


_SHAPE_QUERY = """
    SELECT coalesce(string_agg(item, ',' ORDER BY item), '') FROM (
        SELECT 'table:' || c.relname || ':' || c.relkind::text AS item
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'i')
        UNION ALL
        SELECT 'trigger:' || t.tgname || ':' || t.tgenabled::text
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND NOT t.tgisinternal
        UNION ALL
        SELECT 'constraint:' || con.conname || ':' || con.contype::text
          FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
         WHERE n.nspname = 'public'
        UNION ALL
        SELECT 'function:' || p.proname || ':' || md5(p.prosrc)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public'
    ) AS shape
"""


@dataclass
class WorkingDatabase:
    """The process's database, put back into the template's state before each test."""

    server: PostgresServer
    name: str = WORKING_DB
    shape: str = ""
    tables: list[str] = field(default_factory=list)
    seed_rows: dict[str, bytes] = field(default_factory=dict)
    sequences: list[tuple[str, int, bool]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url(self.name)

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        libpq = make_url(self.url).set(drivername="postgresql")
        return psycopg.connect(libpq.render_as_string(hide_password=False))

    def create(self) -> None:
        clone_template(self.server, self.name)
        with self._connect() as conn:
            self.shape = str(conn.execute(_SHAPE_QUERY).fetchone()[0])  # type: ignore[index]
            self.tables = [
                str(row[0])
                for row in conn.execute(
                    "SELECT quote_ident(tablename) FROM pg_tables "
                    "WHERE schemaname = 'public' ORDER BY tablename"
                )
            ]
            self.seed_rows = {}
            for table in self.tables:
                if conn.execute(f"SELECT EXISTS (SELECT FROM {table})").fetchone()[0]:  # type: ignore[index]
                    data = bytearray()
                    with conn.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                        for chunk in copy:
                            data += chunk
                    self.seed_rows[table] = bytes(data)
            self.sequences = [
                (str(name), int(value), bool(called))  # type: ignore[call-overload]
                for name, value, called in conn.execute(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), "
                    "coalesce(last_value, start_value), last_value IS NOT NULL "
                    "FROM pg_sequences WHERE schemaname = 'public'"
                )
            ]

    def reset(self) -> None:
        try:
            with self._connect() as conn:
                if conn.execute(_SHAPE_QUERY).fetchone()[0] != self.shape:  # type: ignore[index]
                    raise LookupError("the schema changed")
                conn.execute("SET LOCAL lock_timeout = '5s'")
                # Bypasses the append-only triggers of the audit log, for this transaction only.
                conn.execute("SET LOCAL session_replication_role = replica")
                # Only the tables a test wrote to (one round trip finds them), emptied with
                # DELETE: TRUNCATE replaced every table's and index's files, which took most
                # of the reset once there were 40 tables. The replica role above also skips
                # the foreign-key triggers, so the order does not matter; the sequences are
                # set back below.
                used = [
                    str(row[0])
                    for row in conn.execute(
                        " UNION ALL ".join(
                            f"SELECT '{table}' WHERE EXISTS (SELECT FROM {table})"
                            for table in self.tables
                        )
                    )
                ]
                for table in used:
                    conn.execute(f"DELETE FROM {table}")
                for table, data in self.seed_rows.items():
                    with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                        copy.write(data)
                if self.sequences:  # one round trip for all of them
                    conn.execute(
                        "SELECT " + ", ".join("setval(%s, %s, %s)" for _ in self.sequences),
                        [value for sequence in self.sequences for value in sequence],
                    )
        except (psycopg.Error, LookupError):
            # A test left the database in a shape rows cannot restore, or held a lock: start
            # over from the template.
            self.create()
        # The reset writes through psycopg, past the SQLAlchemy hooks that tell the shared
        # apps' scheduling caches about writes (server.bookings.scheduling_cache).
        scheduling_cache.clear_everywhere()


@pytest.fixture(scope="session")
def working_database(pg_cluster: PostgresServer) -> Iterator[WorkingDatabase]:
    database = WorkingDatabase(pg_cluster)
    database.create()
    allow_sharing_on(database.url)
    # The apps connect as the application role (make_settings): without its URL here no app
    # was ever shared, and every test built and started one of its own.
    allow_sharing_on(app_role_url(database.url))
    yield database
    close_shared_clients()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, pg_cluster: PostgresServer) -> Iterator[str]:
    if request.node.get_closest_marker("own_database"):
        name = f"test_{_PROCESS}_{next(_counter)}"
        clone_template(pg_cluster, name)
        yield pg_cluster.url(name)
        drop_database(pg_cluster, name)
        return
    working: WorkingDatabase = request.getfixturevalue("working_database")
    working.reset()
    yield working.url


def make_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    """The app's settings for the database at ``database_url`` (an owner URL): the app
    connects as the application role, migrations as the owner."""
    values: dict[str, Any] = {
        "database_url": SecretStr(app_role_url(database_url)),
        "migration_database_url": SecretStr(database_url),
        "data_dir": data_dir,
        "secret_key": SecretStr(TEST_SECRET),
        "timezone": "Europe/Berlin",
        "host": "127.0.0.1",
        "testing": True,
        "admin_username": None,
        "admin_password": None,
        "allow_http_setup": None,
        "trust_proxy_headers": False,
        "allowed_hosts": ("testserver", "127.0.0.1", "localhost"),
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path / "data")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_test_engine(database_url, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with shared_client(settings) as test_client:
        yield test_client


@dataclass
class Users:
    """Creates users straight in the database and mints real access tokens for them."""

    db: sessionmaker[Session]
    secret: str

    def create(
        self,
        role: str | None,
        username: str | None = None,
        *,
        password: str | None = None,
        is_active: bool = True,
        **fields: Any,
    ) -> User:
        with self.db() as session, session.begin():
            role_row = session.scalar(select(Role).where(Role.name == role)) if role else None
            user = User(
                username=username or f"{role or 'norole'}{next(_counter)}",
                password_hash=hash_password(password) if password else _DEFAULT_HASH,
                role=role_row,
                is_active=is_active,
                **fields,
            )
            session.add(user)
        return user

    def token(
        self, user: User, *, lifetime: timedelta | None = None, now: datetime | None = None
    ) -> str:
        """A real access token for ``user``.

        Without ``lifetime`` the token is valid on *any* server clock (issued in 2000, expiring
        in 2100): tests run apps whose test clock (``PRAXI_TEST_NOW``) lies months ahead or
        behind, moves during the test, or is the real one. Tests about expiry pass
        ``lifetime`` (and ``now``, default: the real clock) explicitly.
        """
        if lifetime is None:
            issued, lifetime = ANY_CLOCK_FROM, ANY_CLOCK_UNTIL - ANY_CLOCK_FROM
        else:
            issued = now or datetime.now(UTC)
        return tokens.issue_access(
            self.secret,
            user_id=user.id,
            role=user.role_name,
            now=issued,
            lifetime=lifetime,
        )

    def headers(self, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"}


@pytest.fixture
def users(db: sessionmaker[Session]) -> Users:
    return Users(db, TEST_SECRET)


@pytest.fixture
def as_role(users: Users) -> Callable[[str | None], dict[str, str]]:
    """Auth headers of a fresh user with the given role (None = no role)."""
    return lambda role: users.headers(users.create(role))


@pytest.fixture
def captured_uvicorn(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[dict[str, Any]]]:
    """Run `praxi-server serve` in-process up to ``uvicorn.run``, whose arguments are recorded
    (central-mode settings: the test's database, a fixed secret, no host allow-list)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("PRAXI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PRAXI_DATABASE_URL", database_url)
    monkeypatch.setenv("PRAXI_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("PRAXI_HOST", "127.0.0.1")  # serve exports it; restored afterwards
    monkeypatch.delenv("PRAXI_ALLOWED_HOSTS", raising=False)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield calls
    for sig, handler in saved.items():
        signal.signal(sig, handler)
