"""Fixtures for server tests: one embedded PostgreSQL per test session, a fresh database per test.

Each test gets its own database cloned from a migrated template, so tests may commit freely
(and run concurrent requests) without seeing each other's rows.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from server.app import create_app
from server.auth import tokens
from server.auth.passwords import hash_password
from server.db import make_engine, make_session_factory
from server.embedded_db import EmbeddedPostgres
from server.migrate import upgrade
from server.settings import Settings
from server.users.models import Role, User

TEMPLATE_DB = "praxi_template"
TEST_SECRET = "test-secret-" + "x" * 40
DEFAULT_PASSWORD = "correct-horse-42"
_DEFAULT_HASH = hash_password(DEFAULT_PASSWORD)
_counter = itertools.count()
# Helper tokens without an explicit lifetime are valid on every test clock (see Users.token).
ANY_CLOCK_FROM = datetime(2000, 1, 1, tzinfo=UTC)
ANY_CLOCK_UNTIL = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[EmbeddedPostgres]:
    root = Path(tempfile.mkdtemp(prefix="praxi-test-pg-"))
    os.environ["PRAXI_DATA_DIR"] = str(root / "data")  # keep a developer's praxi.toml out
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    with cluster.connect_admin() as conn:
        conn.execute(f'CREATE DATABASE "{TEMPLATE_DB}"')
    engine = make_engine(cluster.url(TEMPLATE_DB), pool_size=1)
    upgrade(engine)
    engine.dispose()
    yield cluster
    cluster._started_here = True
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def database_url(pg_cluster: EmbeddedPostgres) -> Iterator[str]:
    name = f"test_{os.getpid()}_{next(_counter)}"
    with pg_cluster.connect_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
    yield pg_cluster.url(name)
    with pg_cluster.connect_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": SecretStr(database_url),
        "data_dir": data_dir,
        "secret_key": SecretStr(TEST_SECRET),
        "timezone": "Europe/Berlin",
        "host": "127.0.0.1",
        "testing": True,
        "admin_username": None,
        "admin_password": None,
        "allow_http_setup": None,
        "trust_proxy_headers": False,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path / "data")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://testserver") as test_client:
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
