"""The cheaper fixed path of every request (issue 23) keeps its behaviour."""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, select
from sqlalchemy import inspect as orm_inspect
from sqlalchemy.orm import Session, sessionmaker

from server.app import ROUTERS, create_app
from server.audit.models import AuditLog
from server.audit.service import record_read
from server.auth.principal_cache import CachedUser
from server.core.principal import Principal
from server.db import make_session_factory
from server.embedded_db import APP_USER
from server.health import router as health_router
from server.settings import Settings
from server.users.models import Role, User
from tests.server.conftest import Users, make_settings, make_test_engine

OK = {"status": "ok"}
DOWN = {"status": "error", "detail": "database unavailable"}


def _terminate(engine: Engine, where: str) -> int:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        ended = conn.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = current_database() AND {where}"
        ).scalar_one()
    return int(ended)


def test_health_survives_its_connection_being_ended(client: TestClient, engine: Engine) -> None:
    """A database restart ends the health check's idle connection: the next check opens a
    new one and still answers 200, as the pool's pre-ping did."""
    assert client.get("/api/health/").json() == OK
    assert _terminate(engine, "application_name = 'praxi-health'") >= 1
    response = client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == OK


@pytest.mark.own_database
def test_health_is_503_while_the_database_refuses_and_200_once_it_is_back(
    client: TestClient, engine: Engine, database_url: str
) -> None:
    assert client.get("/api/health/").json() == OK
    name = make_url(database_url).database
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # Superusers (the fixture's engine) are exempt; the application's role is refused.
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" CONNECTION LIMIT 0')
        try:
            _terminate(engine, f"usename = '{APP_USER}'")
            for _ in range(2):
                response = client.get("/api/health/")
                assert response.status_code == 503
                assert response.json() == DOWN
        finally:
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" CONNECTION LIMIT -1')
    response = client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == OK


def test_health_stays_public_and_answers_405_for_other_methods(client: TestClient) -> None:
    response = client.get("/api/health/", headers={"Authorization": "Bearer not-a-token"})
    assert response.json() == OK
    response = client.post("/api/health/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def test_a_cached_principal_is_the_user_row_as_loaded(
    db: sessionmaker[Session], users: Users
) -> None:
    """The principal cache rebuilds the signed-in user per request without the ORM's
    constructor: it must look and behave like the row a query loads (detached, every
    column, its role)."""
    created = users.create("doctor", first_name="Hanna", last_name="Berg", email="hb@example.org")
    with db() as session:
        loaded = session.scalars(select(User).where(User.id == created.id)).one()
        session.expunge(loaded)
    rebuilt = CachedUser.of({"sub": str(loaded.id)}, loaded).user_row()
    for user in (loaded, rebuilt):
        state = orm_inspect(user)
        assert state.detached
        assert state.key == (User, (loaded.id,), None)
        assert not state.modified
        assert not state.unloaded
        assert not state.expired_attributes
    for column in User.__table__.columns:
        assert getattr(rebuilt, column.key) == getattr(loaded, column.key), column.key
    assert rebuilt.role is not None
    assert loaded.role is not None
    assert (rebuilt.role.id, rebuilt.role.name, rebuilt.role.label) == (
        loaded.role.id,
        loaded.role.name,
        loaded.role.label,
    )
    assert orm_inspect(rebuilt.role).key == (Role, (loaded.role.id,), None)
    assert rebuilt.role_name == "doctor"
    assert rebuilt.display_name == "Hanna Berg"
    # Usable in a session like the loaded row: merged without a query for unloaded parts.
    with db() as session:
        merged = session.merge(rebuilt, load=False)
        assert merged.username == loaded.username


def _audit_actions(
    db: sessionmaker[Session],
) -> list[tuple[str, int | None, dict[str, Any] | None]]:
    with db() as session:
        rows = session.scalars(select(AuditLog).order_by(AuditLog.id))
        return [(row.action, row.patient_id, row.meta) for row in rows]


def test_a_read_audit_is_written_and_leaves_its_connection_transactional(
    engine: Engine, db: sessionmaker[Session], users: Users
) -> None:
    """Read audits write on a pooled connection in autocommit: it must go back to the pool
    transactional, or a later write on it would commit statement by statement."""
    user = users.create("assistant")
    actor = Principal(user)
    record_read(db, actor, "perf_read", patient_id=None, meta={"date": "2026-12-07"})
    record_read(db, actor, "perf_read_plain")
    assert _audit_actions(db)[-2:] == [
        ("perf_read", None, {"date": "2026-12-07"}),
        ("perf_read_plain", None, None),
    ]
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        assert isinstance(connection, psycopg.Connection)
        assert connection.autocommit is False
    finally:
        pooled.close()
    # A write on the pool after the reads is still one transaction.
    with db() as session:
        session.begin()
        session.add(AuditLog(user_id=user.id, role_name="assistant", action="never_kept"))
        session.flush()
        session.rollback()
    assert "never_kept" not in [action for action, _, _ in _audit_actions(db)]


def _wait_until_gone(engine: Engine, pid: int) -> None:
    """pg_terminate_backend only signals: until the backend has exited, its socket may
    still look idle to the pool's check."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            alive = conn.exec_driver_sql(
                f"SELECT count(*) FROM pg_stat_activity WHERE pid = {pid}"
            ).scalar_one()
        if not alive:
            return
        time.sleep(0.02)
    raise AssertionError(f"backend {pid} did not exit")


def test_a_read_audit_survives_its_pooled_connection_being_ended(
    engine: Engine, db: sessionmaker[Session], users: Users
) -> None:
    actor = Principal(users.create("doctor"))
    own = make_test_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
    try:
        factory = make_session_factory(own)
        record_read(factory, actor, "before_restart")
        with own.connect() as conn:  # the one pooled connection the audit used
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        # End it, as a database restart would; the next read audit must still be written.
        assert _terminate(engine, f"pid = {int(pid)}") == 1
        _wait_until_gone(engine, int(pid))
        record_read(factory, actor, "after_restart")
    finally:
        own.dispose()
    assert [action for action, _, _ in _audit_actions(db)][-2:] == [
        "before_restart",
        "after_restart",
    ]


def _concrete(path_format: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path_format)


def test_routes_are_found_as_without_the_path_check(client: TestClient) -> None:
    """Every router entry that skips requests by path answers every request exactly as
    FastAPI's own matching does: all registered paths (with and without the trailing
    slash, nested deeper, unknown), with a method each route has and one it may lack."""
    app = client.app
    assert isinstance(app, FastAPI)
    entries = [e for e in app.router.routes if hasattr(e.matches, "__wrapped__")]
    assert len(entries) >= len(ROUTERS) - 1  # every domain router (one may be a plain route)
    paths = {"/", "/api/", "/api/nothing/", "/api/health", "/health/x/", "/api/docs"}
    for route in app.routes:
        path = _concrete(str(getattr(route, "path", "/")))
        paths |= {path, path.rstrip("/"), path + "x/", path + "1/", path.replace("1", "abc")}
    for path in sorted(paths):
        for method in ("GET", "DELETE"):  # the method only decides full vs partial
            scope = {"type": "http", "path": path, "method": method, "root_path": ""}
            for entry in entries:
                assert entry.matches(dict(scope)) == inspect.unwrap(entry.matches)(dict(scope)), (
                    method,
                    path,
                )


def test_a_request_still_reaches_its_route_and_others_get_404_or_405(
    client: TestClient, as_role: Callable[[str | None], dict[str, str]]
) -> None:
    headers = as_role("assistant")
    assert client.get("/api/doctors/", headers=headers).status_code == 200
    assert client.get("/api/auth/me/", headers=headers).status_code == 200
    missing = client.get("/api/no-such-thing/", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}
    wrong = client.delete("/api/doctors/", headers=headers)
    assert wrong.status_code in (403, 405)


def test_health_checks_through_the_pool_where_async_connections_cannot_run(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows' ProactorEventLoop (one worker) cannot run psycopg's async connections:
    there the check takes a pooled connection in the thread pool, with the same answers."""
    monkeypatch.setattr(health_router, "runs_on_proactor", lambda _loop: True)
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/health/")
        assert response.status_code == 200
        assert response.json() == OK
    down = make_settings("postgresql+psycopg://praxi:wrong@127.0.0.1:1/praxi", tmp_path / "d")
    with TestClient(create_app(down)) as client:
        response = client.get("/api/health/")
    assert response.status_code == 503
    assert response.json() == DOWN
