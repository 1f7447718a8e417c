"""The ``praxi-ci-agent`` command as a real subprocess: start-up checks, exit codes, logging."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from ci_agent_helpers import AGENT_TOKEN, DEV_TOKEN, free_port, payload

from ci_agent.config import Settings, check_settings, resolve_target_url

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PRAXI_CI_", "AGENT_"))}
CLEAN_ENV.pop("DEVELOPER_AGENT_URL", None)
CLEAN_ENV.pop("DEVELOPER_AGENT_TOKEN", None)


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "ci_agent", *args],
        env={**CLEAN_ENV, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "AGENT_TOKEN": AGENT_TOKEN,
        "DEVELOPER_AGENT_TOKEN": DEV_TOKEN,
        "PRAXI_CI_LOGS_DIR": str(tmp_path / "logs"),
        **extra,
    }


@pytest.mark.parametrize(
    ("raw", "target"),
    [
        ("https://dev.example.org", "https://dev.example.org/process-logs"),
        ("https://dev.example.org/", "https://dev.example.org/process-logs"),
        ("https://dev.example.org/agent", "https://dev.example.org/agent/process-logs"),
        ("https://dev.example.org/process-logs", "https://dev.example.org/process-logs"),
        ("https://dev.example.org/process-logs/", "https://dev.example.org/process-logs"),
        ("https://dev.example.org//", "https://dev.example.org/process-logs"),
        ("https://dev.example.org\n", "https://dev.example.org/process-logs"),
        ("http://127.0.0.1:8711", "http://127.0.0.1:8711/process-logs"),
        ("http://[::1]:8711/", "http://[::1]:8711/process-logs"),
    ],
)
def test_url_table(raw: str, target: str) -> None:
    assert resolve_target_url(raw) == target


@pytest.mark.parametrize(
    "raw",
    [
        "https://dev.example.org?x=1",
        "https://dev.example.org#f",
        "https://user:pw@dev.example.org",
        "ftp://dev.example.org",
        "http://dev.example.org",
        "https://",
        "",
    ],
)
def test_url_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=r".+"):
        resolve_target_url(raw)


def test_insecure_upstream_can_be_allowed() -> None:
    assert (
        resolve_target_url("http://dev.lan", allow_insecure=True) == "http://dev.lan/process-logs"
    )


def test_query_in_url_prevents_start(tmp_path: Path) -> None:
    env = base_env(tmp_path, DEVELOPER_AGENT_URL="https://dev.example.org?x=1")
    result = run_cli("receiver", "--port", str(free_port()), env=env)
    assert result.returncode == 2
    assert "DEVELOPER_AGENT_URL" in result.stderr
    assert "x=1" not in result.stderr


def test_no_subcommand_prints_usage(tmp_path: Path) -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert run_cli("bogus").returncode == 2


def test_missing_agent_token_refuses_to_start(tmp_path: Path) -> None:
    env = base_env(tmp_path, DEVELOPER_AGENT_URL="https://dev.example.org")
    del env["AGENT_TOKEN"]
    port = free_port()
    result = run_cli("receiver", "--port", str(port), env=env)
    assert result.returncode == 2
    assert "AGENT_TOKEN: missing" in result.stderr
    assert DEV_TOKEN not in result.stderr + result.stdout
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AGENT_TOKEN", "short", "AGENT_TOKEN: must be at least 16 characters long"),
        ("AGENT_TOKEN", "has space in the token value", "AGENT_TOKEN: must not contain"),
        ("PRAXI_CI_FIX_BRANCH", "main", "PRAXI_CI_FIX_BRANCH: must not be main or master"),
        ("PRAXI_CI_ALLOWED_FIX_PATHS", "server/**", "PRAXI_CI_ALLOWED_FIX_PATHS: every entry"),
        ("PRAXI_CI_ALLOWED_FIX_PATHS", "tests/../server/**", "PRAXI_CI_ALLOWED_FIX_PATHS"),
        ("PRAXI_CI_MAX_CHANGED_LINES", "9000", "PRAXI_CI_MAX_CHANGED_LINES: must be between"),
        ("PRAXI_CI_PORT", "abc", "PRAXI_CI_PORT: invalid value"),
        ("PRAXI_CI_FORWARD_TIMEOUT_S", "10", "PRAXI_CI_FORWARD_TIMEOUT_S: must be greater"),
    ],
)
def test_check_config_names_the_variable(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = run_cli("check-config", "--mode", "combined", env=base_env(tmp_path, **{name: value}))
    assert result.returncode == 2
    assert message in result.stderr
    if "TOKEN" in name:
        assert value not in result.stderr


def test_check_config_ok_and_equal_tokens_warn(tmp_path: Path) -> None:
    ok = run_cli("check-config", "--mode", "combined", env=base_env(tmp_path))
    assert ok.returncode == 0, ok.stderr
    same = run_cli(
        "check-config", "--mode", "receiver",
        env=base_env(tmp_path, AGENT_TOKEN=DEV_TOKEN, DEVELOPER_AGENT_URL="https://x.example"),
    )  # fmt: skip
    assert same.returncode == 0
    assert "should differ" in same.stderr


def test_unwritable_logs_dir_refuses_to_start(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    env = base_env(tmp_path, PRAXI_CI_LOGS_DIR=str(blocker / "logs"))
    result = run_cli("processor", "--port", str(free_port()), env=env)
    assert result.returncode == 2
    assert "PRAXI_CI_LOGS_DIR" in result.stderr


def test_settings_checks_are_mode_specific() -> None:
    settings = Settings(agent_token=None, developer_agent_token=DEV_TOKEN)
    problems, _ = check_settings(settings, "processor")
    assert problems == []
    problems, _ = check_settings(settings, "receiver")
    assert "AGENT_TOKEN: missing" in problems
    assert "DEVELOPER_AGENT_URL: missing" in problems


def wait_healthy(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError("server did not become healthy")


def test_combined_process_end_to_end_and_log_hygiene(tmp_path: Path) -> None:
    port = free_port()
    env = base_env(tmp_path, PRAXI_CI_PORT=str(port))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ci_agent", "combined"],
        env={**CLEAN_ENV, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    secret_log_line = "very-private-log-content-4242"
    try:
        wait_healthy(url, proc)
        second = run_cli("processor", "--port", str(free_port()), env=env)
        assert second.returncode == 2
        assert ".processor.lock" in second.stderr

        body = payload(run_id=31337, status="failure", backend_log=secret_log_line + "\n")
        response = httpx.post(
            url + "/api/ci/logs",
            json=body,
            headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
            timeout=30,
        )
        assert response.status_code == 200
        assert response.json()["upstream"]["run_id"] == "31337"
        assert (tmp_path / "logs" / "31337" / "analysis.json").is_file()
        wrong = httpx.post(url + "/api/ci/logs", json=body, headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 401
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    server_log = out + err
    for forbidden in (AGENT_TOKEN, DEV_TOKEN, "Authorization", "Bearer", secret_log_line):
        assert forbidden not in server_log
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("route") == "/api/ci/logs"]
    assert [a["status"] for a in access] == [200, 401]
    assert access[0]["run_id"] == "31337"
    assert access[0]["upstream_status"] == 200
    assert access[0]["attempts"] == 1
    assert {"ts", "level", "mode", "request_id", "duration_ms", "body_bytes"} <= set(access[0])
