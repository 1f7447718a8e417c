from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.users.bootstrap import BootstrapError, bootstrap_admin
from server.users.models import User
from tests.server.conftest import make_settings


def test_bootstrap_creates_admin_once_and_never_changes_it(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(
        database_url, tmp_path, admin_username="Chef", admin_password=SecretStr("erstes-passwort")
    )
    bootstrap_admin(settings, db)
    changed = settings.with_overrides(admin_password=SecretStr("anderes-passwort"))
    bootstrap_admin(changed, db)
    with db() as session:
        (user,) = session.scalars(select(User)).all()
        assert user.role_name == "admin"
        assert user.is_active
        audit = session.scalars(select(AuditLog)).one()
    assert audit.meta == {"target_user_id": user.id, "username": "Chef", "source": "bootstrap"}
    assert "erstes-passwort" not in caplog.text
    assert "anderes-passwort" not in caplog.text


def test_bootstrap_refuses_a_weak_password(
    database_url: str, tmp_path: Path, db: sessionmaker[Session]
) -> None:
    settings = make_settings(
        database_url, tmp_path, admin_username="chef", admin_password=SecretStr("kurz")
    )
    with pytest.raises(BootstrapError, match="at least 8"):
        bootstrap_admin(settings, db)


def test_bootstrap_with_only_one_variable_only_warns(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    bootstrap_admin(make_settings(database_url, tmp_path, admin_username="chef"), db)
    assert "no admin account is created" in caplog.text
    with db() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


def run_cli(
    database_url: str, tmp_path: Path, *args: str, stdin: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRAXI_DATABASE_URL": database_url, "PRAXI_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_create_user_cli_reads_password_from_stdin(
    database_url: str, tmp_path: Path, db: sessionmaker[Session]
) -> None:
    result = run_cli(
        database_url,
        tmp_path,
        "create-user",
        "dr.mueller",
        "--role",
        "doctor",
        "--first-name",
        "Anna",
        stdin="geheim-123\r\n",
    )
    assert result.returncode == 0, result.stderr
    with db() as session:
        user = session.scalars(select(User)).one()
        audit = session.scalars(select(AuditLog)).one()
    assert result.stdout.strip() == f"Created user dr.mueller (id {user.id})"
    assert (user.role_name, user.first_name) == ("doctor", "Anna")
    assert audit.meta == {"target_user_id": user.id, "username": "dr.mueller", "source": "cli"}
    assert "geheim-123" not in result.stdout + result.stderr

    duplicate = run_cli(
        database_url,
        tmp_path,
        "create-user",
        "DR.MUELLER",
        "--role",
        "doctor",
        stdin="geheim-123\n",
    )
    assert duplicate.returncode == 1
    assert "already exists" in duplicate.stderr


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["neu", "--role", "chefarzt"], "geheim-123", 'Unknown role "chefarzt"'),
        (["neu", "--role", "doctor"], "kurz", "at least 8 characters"),
        (["kein platz", "--role", "doctor"], "geheim-123", "Enter a valid username"),
        (["neu", "--email", "kaputt"], "geheim-123", "Enter a valid email address"),
    ],
)
def test_create_user_cli_rejects_invalid_input(
    database_url: str,
    tmp_path: Path,
    db: sessionmaker[Session],
    args: list[str],
    password: str,
    message: str,
) -> None:
    result = run_cli(database_url, tmp_path, "create-user", *args, stdin=password + "\n")
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with db() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
