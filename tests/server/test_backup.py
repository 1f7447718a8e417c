"""`praxi-server backup` / `restore`: pg_dump -Fc and pg_restore, retention, embedded mode."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from server.app import create_app
from server.audit.chain import verify
from server.audit.checkpoint import FILE_NAME, load
from server.backup import service
from server.cli import main
from tests.server.conftest import (
    TEST_AUDIT_KEY,
    TEST_SECRET,
    Users,
    make_settings,
    make_test_engine,
)
from tests.server.scheduling_fixtures import NOW, at, build_practice

SNAPSHOT_TABLES = ("users", "audit_log", "audit_log_chain", "appointments", "patients")


# Restores replace the whole schema (and one test drops it): a database of their own.
pytestmark = pytest.mark.own_database


def plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Row count and a content hash of every table of the public schema."""
    with psycopg.connect(plain(url)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        result: dict[str, tuple[int, str]] = {}
        for table in tables:
            row = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            ).fetchone()
            assert row is not None
            result[table] = (row[0], row[1])
    return result


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("PRAXI_DATABASE_URL", database_url)
    monkeypatch.setenv("PRAXI_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("PRAXI_DATA_DIR", str(tmp_path / "data"))
    return database_url


def dumps(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.dump"))


@pytest.fixture
def populated(
    database_url: str, db: sessionmaker[Session], users: Users, tmp_path: Path
) -> Iterator[str]:
    practice = build_practice(db, users)
    admin = users.create("admin", "chef")
    settings = make_settings(database_url, tmp_path / "app", test_now=NOW)
    with TestClient(create_app(settings)) as api:
        headers = users.headers(admin)
        for hour in (10, 11, 12):
            body = practice.body(start_time=at(hour), end_time=at(hour, 30))
            body["resource_ids"] = [practice.room_id]
            response = api.post("/api/appointments/", json=body, headers=headers)
            assert response.status_code == 201, response.text
        response = api.post(
            "/api/patients/",
            json={"first_name": "Erika", "last_name": "Musterfrau", "birth_date": "1964-08-12"},
            headers=headers,
        )
        assert response.status_code == 201, response.text
    return database_url


def destroy(url: str) -> None:
    with psycopg.connect(plain(url), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def test_backup_destroy_restore_gives_identical_data(
    populated: str, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(populated)
    assert all(before[table][0] > 0 for table in SNAPSHOT_TABLES)
    folder = tmp_path / "backups"
    assert main(["backup", "--output", str(folder)]) == 0
    out = capsys.readouterr().out
    (dump,) = dumps(folder)
    assert dump.name.startswith("praxi-")
    assert dump.suffix == ".dump"
    assert out.startswith(f"Backup written to {dump} (")
    assert dump.read_bytes()[:5] == b"PGDMP"  # custom format
    if os.name == "posix":
        assert dump.stat().st_mode & 0o077 == 0

    # The dump carries the audit chain's head, outside the database.
    sidecar = dump.with_name(dump.name + ".audit-checkpoint.json")
    carried = load(sidecar, TEST_AUDIT_KEY)
    assert carried is not None
    assert carried.entries == before["audit_log"][0]
    if os.name == "posix":
        assert sidecar.stat().st_mode & 0o077 == 0

    destroy(populated)
    assert service.user_table_count(populated) == 0
    (tmp_path / "data" / FILE_NAME).unlink()  # the restore brings the backup's checkpoint back
    assert main(["restore", str(dump)]) == 0
    out = capsys.readouterr().out
    assert "database is up to date" in out
    assert "Audit checkpoint of the backup installed" in out
    assert snapshot(populated) == before
    assert load(tmp_path / "data" / FILE_NAME, TEST_AUDIT_KEY) == carried

    # The audit chain survived, matches the carried checkpoint and keeps growing.
    engine = make_test_engine(populated, pool_size=1)
    try:
        assert verify(engine, TEST_AUDIT_KEY, carried).ok
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO audit_log (action) VALUES ('after_restore')")
        report = verify(engine, TEST_AUDIT_KEY, carried)
        assert (report.ok, report.rows) == (True, before["audit_log"][0] + 1)
    finally:
        engine.dispose()
    assert main(["audit-verify"]) == 0


def test_restore_into_non_empty_database_needs_yes(
    populated: str, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "b"
    assert main(["backup", "--output", str(folder)]) == 0
    (dump,) = dumps(folder)
    before = snapshot(populated)
    with psycopg.connect(plain(populated), autocommit=True) as conn:
        conn.execute("DELETE FROM appointment_resources")
        conn.execute("UPDATE users SET first_name = 'Geändert'")
    changed = snapshot(populated)
    assert changed != before
    capsys.readouterr()
    assert main(["restore", str(dump)]) == 1  # stdin is not a terminal: no prompt, refused
    assert "not empty" in capsys.readouterr().err
    assert snapshot(populated) == changed
    assert main(["restore", str(dump), "--yes"]) == 0
    assert snapshot(populated) == before
    assert main(["restore", str(tmp_path / "missing.dump"), "--yes"]) == 1


def test_password_reaches_the_tools_only_through_the_environment(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def recording_run(args: list[str], **kwargs: Any) -> Any:
        calls.append((args, kwargs["env"]))
        return real_run(args, **kwargs)

    monkeypatch.setattr(service.subprocess, "run", recording_run)
    result = service.create_backup(database_url, tmp_path)
    service.restore_backup(database_url, result.path)
    password = make_url(database_url).password
    assert password
    assert len(calls) == 2
    for args, env in calls:
        assert not any(password in arg for arg in args)
        assert env["PGPASSWORD"] == password


def test_failed_backup_leaves_no_file(tmp_path: Path, database_url: str) -> None:
    broken = database_url.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(service.BackupError, match="pg_dump failed"):
        service.create_backup(broken, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_auto_backup_daily_with_retention(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    for days in (2, 3, 4, 5):
        stamp = (now - timedelta(days=days)).strftime("%Y%m%dT%H%M%S")
        (folder / f"praxi-{stamp}Z.dump").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")

    made = service.auto_backup(database_url, folder, keep=3, now=lambda: now)
    assert made is not None
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "notes.txt",
        "praxi-20270307T120000Z.dump",
        "praxi-20270308T120000Z.dump",
        "praxi-20270310T120000Z.dump",
    ]
    # Within 24 h of the newest backup nothing happens.
    later = now + timedelta(hours=23)
    assert service.auto_backup(database_url, folder, keep=3, now=lambda: later) is None
    # A second backup within the same second gets its own name and sorts after the first.
    second = service.create_backup(database_url, folder, now=now)
    assert second.path.name == "praxi-20270310T120000Z_2.dump"
    assert service.list_backups(folder)[-1][1] == second.path


@pytest.fixture
def embedded_root() -> Iterator[Path]:
    # Not under pytest's tmp_path: as root the cluster runs as another user that must be
    # able to reach its folder (pytest's base folder is private to root).
    root = Path(tempfile.mkdtemp(prefix="praxi-test-backup-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_backup_in_embedded_mode(
    embedded_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The commands export the embedded cluster's URL; monkeypatch restores the environment.
    monkeypatch.setenv("PRAXI_DATABASE_URL", "unset-below")
    monkeypatch.delenv("PRAXI_DATABASE_URL")
    data_dir = embedded_root / "embedded"
    monkeypatch.setenv("PRAXI_DATA_DIR", str(data_dir))
    assert main(["backup"]) == 0
    # The embedded server's own processes connect as the role that owns nothing.
    assert make_url(os.environ["PRAXI_DATABASE_URL"]).username == "praxi_app"
    (dump,) = dumps(data_dir / "backups")
    assert dump.read_bytes()[:5] == b"PGDMP"
    # A database never migrated has no audit log yet: no checkpoint to carry.
    assert not dump.with_name(dump.name + ".audit-checkpoint.json").exists()
    assert str(dump) in capsys.readouterr().out
    monkeypatch.delenv("PRAXI_DATABASE_URL")
    assert main(["restore", str(dump), "--yes"]) == 0
    assert "database is up to date" in capsys.readouterr().out
    # Migrated now: the embedded app role may read the log, and the next backup carries the
    # checkpoint that audit-verify wrote.
    monkeypatch.delenv("PRAXI_DATABASE_URL")
    assert main(["audit-verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
    assert (data_dir / FILE_NAME).is_file()
    monkeypatch.delenv("PRAXI_DATABASE_URL")
    assert main(["backup"]) == 0
    newest = dumps(data_dir / "backups")[-1]
    assert newest.with_name(newest.name + ".audit-checkpoint.json").is_file()
