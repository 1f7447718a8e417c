"""`praxi-server serve` end to end: embedded PostgreSQL up, API answering, clean shutdown."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from server.embedded_db import free_port
from tests.server.live_server import wait_until_healthy

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT/SIGTERM")


@pytest.fixture
def own_dir() -> Iterator[Path]:
    """A private temp folder: pytest's numbered tmp dirs may be pruned by another pytest run
    on the same machine while a cluster still lives in them."""
    path = Path(tempfile.mkdtemp(prefix="praxi-serve-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def postgres_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if "postgres" in (proc.info["name"] or "") and str(data_dir) in cmdline:
            found.append(proc)
    return found


def start_server(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRAXI_")} | {
        "PRAXI_DATA_DIR": str(data_dir),
        "PRAXI_ADMIN_USERNAME": "chef",
        "PRAXI_ADMIN_PASSWORD": "start-passwort-1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_healthy(base: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    def output() -> str:
        return process.stdout.read() if process.stdout and process.poll() is not None else ""

    wait_until_healthy(base, process.poll, output, timeout=timeout)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_runs_on_embedded_database_and_leaves_no_postgres(
    own_dir: Path, stop_signal: signal.Signals
) -> None:
    data_dir = own_dir / "praxi-data"
    for attempt in range(2):  # first start initialises, the second reuses the cluster
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(data_dir, port)
        try:
            wait_healthy(base, process)
            login = httpx.post(
                f"{base}/api/auth/login/", json={"username": "chef", "password": "start-passwort-1"}
            )
            assert login.status_code == 200
            assert login.json()["user"]["role"]["name"] == "admin"
            assert postgres_processes(data_dir), "the embedded cluster should be running"
        finally:
            process.send_signal(stop_signal)
            output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
        assert postgres_processes(data_dir) == [], f"attempt {attempt}: postgres left behind"
    hba = (data_dir / "db" / "pgdata" / "pg_hba.conf").read_text()
    assert "trust" not in hba
    assert "start-passwort-1" not in output


def test_serve_stops_with_its_parent_process(own_dir: Path) -> None:
    """The desktop passes PRAXI_PARENT_PID; a killed parent must not leave server or postgres."""
    data_dir = own_dir / "praxi-data"
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRAXI_")} | {
        "PRAXI_DATA_DIR": str(data_dir),
        "PRAXI_PARENT_PID": str(parent.pid),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server)
        parent.kill()
        parent.wait(timeout=10)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, output
    assert postgres_processes(data_dir) == []
