"""The embedded PostgreSQL does not outlive a killed `praxi-server serve` (server.watchdog)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from server.embedded_db import free_port
from tests.server.test_serve_embedded import postgres_processes, start_server, wait_healthy

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="kills the server with SIGKILL"),
]


@pytest.fixture
def own_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private temp folder (see test_serve_embedded); embedded mode, whatever CI sets."""
    monkeypatch.delenv("PRAXI_DATABASE_URL", raising=False)
    path = Path(tempfile.mkdtemp(prefix="praxi-watchdog-"))
    yield path
    for proc in postgres_processes(path):  # never leave a cluster behind, whatever happened
        proc.kill()
    shutil.rmtree(path, ignore_errors=True)


def watchdogs(data_dir: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "server.watchdog" in cmdline and any(str(data_dir) in part for part in cmdline):
            found.append(proc)
    return found


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout} s")


def healthy(port: int) -> bool:
    return httpx.get(f"http://127.0.0.1:{port}/api/health/", timeout=5).status_code == 200


def kill_hard(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)  # reaped: no zombie keeps the pid "alive"


def test_killed_server_leaves_no_postgres(own_dir: Path) -> None:
    data_dir = own_dir / "praxi-data"
    port = free_port()
    server = start_server(data_dir, port)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server)
        assert postgres_processes(data_dir), "the embedded cluster should be running"
        assert len(watchdogs(data_dir)) == 1
        time.sleep(1.5)  # a few polls: the watchdog leaves a live server's cluster alone
        assert postgres_processes(data_dir)
        assert healthy(port)
    finally:
        kill_hard(server)
    wait_for(lambda: not postgres_processes(data_dir), 10, "postgres should be stopped")
    wait_for(lambda: not watchdogs(data_dir), 5, "the watchdog should exit")
    # The next start finds a cleanly stopped cluster and starts its own.
    assert not (data_dir / "db" / "pgdata" / "postmaster.pid").exists()


def test_cluster_shared_by_two_servers_stops_with_the_last(own_dir: Path) -> None:
    data_dir = own_dir / "praxi-data"
    first_port, second_port = free_port(), free_port()
    first = start_server(data_dir, first_port)
    second: subprocess.Popen[str] | None = None
    try:
        wait_healthy(f"http://127.0.0.1:{first_port}", first)
        postmaster = {proc.pid for proc in postgres_processes(data_dir)}
        second = start_server(data_dir, second_port)
        wait_healthy(f"http://127.0.0.1:{second_port}", second)
        assert {proc.pid for proc in postgres_processes(data_dir)} >= postmaster
        kill_hard(first)
        time.sleep(3)  # several watchdog polls after the first server died
        assert healthy(second_port)
        still = {proc.pid for proc in postgres_processes(data_dir)}
        assert postmaster <= still, "the second server's cluster was stopped"
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=30)
        assert second.returncode == 0, output
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
    wait_for(lambda: not postgres_processes(data_dir), 10, "postgres should be stopped")
    wait_for(lambda: not watchdogs(data_dir), 5, "the watchdogs should exit")


def test_watchdog_exits_when_the_cluster_is_already_stopped(own_dir: Path) -> None:
    data_dir = own_dir / "praxi-data"
    port = free_port()
    server = start_server(data_dir, port)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert not postgres_processes(data_dir)
    wait_for(lambda: not watchdogs(data_dir), 5, "serve's watchdog should exit")
    # A watchdog for a live process (this test) on a stopped cluster ends by itself.
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.watchdog",
            "--pgdata",
            str(data_dir / "db" / "pgdata"),
            "--pid",
            str(os.getpid()),
        ],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 10
    assert not postgres_processes(data_dir)
