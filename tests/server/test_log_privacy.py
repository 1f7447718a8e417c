"""Issue 22: no patient data in the server log, and the desktop's server log is owner-only.

Real servers only: ``praxi-server serve`` as a child process with its output in a file, and
the desktop's :class:`desktop.embedded.EmbeddedServer` writing ``<data>/logs/server.log``.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError

from desktop.embedded import EmbeddedServer
from server.core.logging_privacy import PatientDataFilter
from server.embedded_db import free_port
from tests.server.live_server import wait_until_healthy

NAME = "Zyxwortel"  # a patient's name that nothing else in a log could contain
ADMIN = {"username": "chef", "password": "start-passwort-1"}


def wait_healthy(base: str, alive: subprocess.Popen[bytes] | EmbeddedServer, log: Path) -> None:
    exit_code = alive.poll if isinstance(alive, subprocess.Popen) else alive.exited
    wait_until_healthy(base, exit_code, lambda: log.read_text("utf-8"), timeout=120)


def log_in(base: str) -> dict[str, str]:
    response = httpx.post(f"{base}/api/auth/login/", json=ADMIN, timeout=10)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


def search_for_the_patient(base: str, headers: dict[str, str]) -> None:
    found = httpx.get(f"{base}/api/patients/search/", params={"q": NAME}, headers=headers)
    assert found.status_code == 200, found.text
    assert [row["first_name"] for row in found.json()] == [NAME]


def assert_private(log: Path) -> str:
    text = log.read_text("utf-8", "replace")
    assert NAME not in text, text
    assert NAME.lower() not in text.lower(), text
    return text


@pytest.fixture
def own_dir() -> Iterator[Path]:
    """Private temp folder (pytest's numbered ones may be pruned under a running cluster)."""
    path = Path(tempfile.mkdtemp(prefix="praxi-logs-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.own_database
def test_served_requests_leave_no_patient_name_in_the_log(database_url: str, own_dir: Path) -> None:
    """Access log, a 400, a database error with the name in its parameters and in
    PostgreSQL's own message (``Failing row contains (…)``) and a body the server refuses
    as malformed: the log of ``praxi-server serve`` shows the requests and errors, never the
    name."""
    libpq = (
        make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    with psycopg.connect(libpq, autocommit=True) as conn:
        # Stands for any database error on a patient's row (a constraint, a bug, a race).
        conn.execute(
            "ALTER TABLE patients ADD CONSTRAINT log_probe "
            f"CHECK (first_name <> '{NAME}' OR last_name <> 'Fehlerfall')"
        )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = own_dir / "serve.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRAXI_")} | {
        "PRAXI_DATA_DIR": str(own_dir / "data"),
        "PRAXI_DATABASE_URL": database_url,
        "PRAXI_ADMIN_USERNAME": ADMIN["username"],
        "PRAXI_ADMIN_PASSWORD": ADMIN["password"],
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(base, process, log)
            headers = log_in(base)
            patient = {"first_name": NAME, "last_name": "Testfall", "birth_date": "1970-01-02"}
            created = httpx.post(f"{base}/api/patients/", json=patient, headers=headers)
            assert created.status_code == 201, created.text
            search_for_the_patient(base, headers)
            listed = httpx.get(
                f"{base}/api/patients/", params={"search": NAME, "page": 1}, headers=headers
            )
            assert listed.status_code == 200, listed.text
            too_long = httpx.post(
                f"{base}/api/patients/", json={"first_name": NAME * 20}, headers=headers
            )
            assert too_long.status_code == 400, too_long.text
            refused = httpx.post(
                f"{base}/api/patients/",
                json={"first_name": NAME, "last_name": "Fehlerfall"},
                headers=headers,
            )
            assert refused.status_code == 500, refused.text
            unencodable = httpx.post(
                f"{base}/api/patients/",
                content=f'{{"first_name": "{NAME}\\ud800", "last_name": "X"}}'.encode(),
                headers={**headers, "Content-Type": "application/json"},
            )
            # Half a surrogate pair is refused as malformed JSON before it reaches the driver.
            assert unencodable.status_code == 400, unencodable.text
            assert NAME not in refused.text + unencodable.text
        finally:
            process.terminate()
            process.wait(timeout=30)
    text = assert_private(log)
    # The log still says what happened.
    assert '"GET /api/patients/search/?q=… HTTP/1.1" 200' in text
    assert '"GET /api/patients/?search=…&page=… HTTP/1.1" 200' in text
    assert "unhandled error on POST /api/patients/" in text
    assert "CheckViolation, SQLSTATE 23514" in text
    assert "INSERT INTO patients" in text


@pytest.mark.slow
def test_desktop_server_log_is_owner_only_and_names_no_patient(
    own_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desktop's embedded server (own PostgreSQL in the data folder) writes
    ``<data>/logs/server.log`` as 0600, also over a 0644 file an older version left."""
    monkeypatch.setenv("PRAXI_DATA_DIR", str(own_dir / "data"))
    server = EmbeddedServer(
        extra_env={
            "PRAXI_ADMIN_USERNAME": ADMIN["username"],
            "PRAXI_ADMIN_PASSWORD": ADMIN["password"],
        }
    )
    assert server.log_path == own_dir / "data" / "logs" / "server.log"
    if sys.platform != "win32":
        server.log_path.parent.mkdir(parents=True)
        server.log_path.write_text("a log of an older version\n")
        server.log_path.chmod(0o644)
    try:
        server.start()
        wait_healthy(server.url, server, server.log_path)
        headers = log_in(server.url)
        patient = {"first_name": NAME, "last_name": "Testfall"}
        created = httpx.post(f"{server.url}/api/patients/", json=patient, headers=headers)
        assert created.status_code == 201, created.text
        search_for_the_patient(server.url, headers)
    finally:
        server.stop()
    if sys.platform != "win32":
        assert stat.S_IMODE(server.log_path.stat().st_mode) == 0o600
    text = assert_private(server.log_path)
    assert "GET /api/patients/search/?q=…" in text
    assert "older version" not in text


def test_database_errors_show_neither_parameters_nor_quoted_values(engine: Engine) -> None:
    """``make_engine`` hides bound parameters; the log filter also withholds PostgreSQL's
    message, which quotes the value here (``invalid input syntax for type integer``)."""
    with pytest.raises(DBAPIError) as division, engine.connect() as conn:
        conn.execute(text("SELECT length(CAST(:name AS text)) / 0"), {"name": NAME})
    assert NAME not in str(division.value)
    with pytest.raises(DBAPIError) as cast, engine.connect() as conn:
        conn.execute(text("SELECT CAST(:name AS integer)"), {"name": NAME})
    assert NAME in str(cast.value.orig)  # PostgreSQL's own text quotes it

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PatientDataFilter())
    logger = logging.getLogger("praxi.test.log_privacy")
    logger.addHandler(handler)
    try:
        logger.warning("lost the database connection (%s)", cast.value.orig)
        try:
            raise RuntimeError("wrapped") from cast.value
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert NAME not in logged, logged
    assert "InvalidTextRepresentation, SQLSTATE 22P02" in logged
    assert "SELECT CAST(%(name)s AS integer)" in logged
    assert "RuntimeError: wrapped" in logged
