"""The processor served by a real uvicorn: auth, validation, storage, idempotency, locking."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from ci_agent_helpers import AGENT_TOKEN, DEV_TOKEN, LiveServer, auth, make_settings, payload

from ci_agent.app import create_app
from ci_agent.storage import LockTimeout, RunLocks

FAILING_PW = """Running 2 tests using 1 worker

  1) [chromium] › e2e/calendar.spec.ts:24:7 › Calendar › shows week view ───────────────

    Error: strict mode violation: getByRole('button', { name: 'Week' }) resolved to 2 elements:

      29 |   await page.goto('/calendar');
    > 31 |   await page.getByRole('button', { name: 'Week' }).click();
         |                                                    ^
        at /home/runner/work/praxi/praxi/tests/e2e/calendar.spec.ts:31:5

  1 failed
    [chromium] › e2e/calendar.spec.ts:24:7 › Calendar › shows week view ────────────────
  1 passed (9.8s)
"""


def post(client: httpx.Client, server: LiveServer, body: Any, **kw: Any) -> httpx.Response:
    headers = {**auth(), "Content-Type": "application/json", **kw.pop("headers", {})}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(server.url + "/process-logs", content=content, headers=headers, **kw)


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": f"Basic {DEV_TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": "Token"},
        {"Authorization": f"Bearer {AGENT_TOKEN}"},  # the receiver's token is not accepted
    ],
)
def test_auth_failures(
    client: httpx.Client, processor: LiveServer, headers: dict[str, str]
) -> None:
    response = client.post(processor.url + "/process-logs", json=payload(), headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": "Unauthorized", "code": "unauthorized"}
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_bearer_scheme_is_case_insensitive_with_extra_spaces(
    client: httpx.Client, processor: LiveServer
) -> None:
    headers = {"Authorization": f"bearer   {DEV_TOKEN}"}
    assert post(client, processor, payload(), headers=headers).status_code == 200


def test_traversal_run_ids_are_rejected_and_nothing_is_written(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    bad = [
        "../../etc",
        "..",
        ".",
        "a/b",
        "a\\b",
        "%2e%2e",
        "..%2F..%2Fetc",
        "a%2fb",
        "/etc/passwd",
        "C:\\temp",
        "CON",
        "lpt1.log",
        "x" * 129,
        "x" * 5000,
        True,
        1.5,
        -1,
    ]
    for run_id in bad:
        response = post(client, processor, payload(run_id=run_id, status="failure"))
        assert response.status_code == 400, run_id
        assert response.json()["code"] == "invalid_payload"
    assert tree(logs_dir) == []
    assert tree(logs_dir.parent) == ["logs"]


@pytest.mark.parametrize(
    ("raw", "code", "details"),
    [
        (b"{not json", "invalid_json", None),
        (b'{"run_id": NaN}', "invalid_json", None),
        (b"[" * 33 + b"]" * 33, "invalid_json", None),
        (b"[]", "invalid_payload", ["Body must be a JSON object"]),
        (b"", "invalid_payload", ["Body must be a JSON object"]),
    ],
)
def test_body_errors(
    client: httpx.Client, processor: LiveServer, raw: bytes, code: str, details: Any
) -> None:
    response = post(client, processor, raw)
    assert response.status_code == 400
    assert response.json()["code"] == code
    if details is not None:
        assert response.json()["details"] == details


def test_validation_details_are_returned(client: httpx.Client, processor: LiveServer) -> None:
    response = post(client, processor, payload(commit="nothex!", run_attempt=0))
    assert response.status_code == 400
    assert response.json() == {
        "error": "Invalid payload",
        "code": "invalid_payload",
        "details": [
            "run_attempt must be an integer between 1 and 1000",
            "commit must be empty or 7-64 hexadecimal characters",
        ],
    }


def test_unsupported_media_type(client: httpx.Client, processor: LiveServer) -> None:
    response = post(client, processor, payload(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    gz = post(client, processor, payload(), headers={"Content-Encoding": "gzip"})
    assert gz.status_code == 415
    vendor = post(client, processor, payload(), headers={"Content-Type": "application/vnd.x+json"})
    assert vendor.status_code == 200


def test_failed_run_stores_all_files(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    body = payload(run_id=4711, status="failure", playwright_log=FAILING_PW.replace("\n", "\r\n"))
    response = post(client, processor, body)
    assert response.status_code == 200
    data = response.json()
    assert data["run_id"] == "4711"
    assert data["duplicate"] is False
    assert data["classification"]["category"] == "selector"
    assert data["triggers"] == {"self_heal": False, "fix_agent": True, "pr_instructions": True}
    assert str(logs_dir) not in response.text

    run = logs_dir / "4711"
    assert sorted(p.name for p in run.iterdir()) == [
        "analysis.json",
        "backend.log",
        "history.jsonl",
        "playwright.log",
        "triggers.json",
    ]
    assert (run / "playwright.log").read_bytes() == FAILING_PW.encode()  # CRLF → LF
    assert (run / "backend.log").read_text() == body["backend_log"]
    analysis = read_json(run / "analysis.json")
    triggers = read_json(run / "triggers.json")
    assert analysis["run_id"] == triggers["run_id"] == "4711"
    assert analysis["payload_sha256"] == triggers["payload_sha256"]
    assert analysis["status_normalized"] == "failed"
    assert analysis["timestamp"] == "2026-02-13T08:40:02Z"
    assert analysis["logs"]["playwright"]["lines"] == FAILING_PW.count("\n")
    assert analysis["tests"]["failing"][0]["repo_path"] == "tests/e2e/calendar.spec.ts"
    raw = (run / "analysis.json").read_text(encoding="utf-8")
    assert raw.endswith("}\n")
    assert raw.startswith('{\n  "schema_version": 2,\n  "analyzer"')
    assert "›" in raw  # non-ASCII not escaped
    history = (run / "history.jsonl").read_text().splitlines()
    assert len(history) == 1
    assert json.loads(history[0])["category"] == "selector"


def test_triggers_only_on_failure_and_stale_trigger_removed(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    run = logs_dir / "900"
    failed = post(
        client, processor, payload(run_id=900, status="failed", playwright_log=FAILING_PW)
    )
    assert failed.status_code == 200
    assert (run / "triggers.json").exists()
    failed_sha = read_json(run / "analysis.json")["payload_sha256"]

    passed = post(client, processor, payload(run_id=900, status="success"))
    assert passed.status_code == 200
    assert passed.json()["triggers"] == {
        "self_heal": False,
        "fix_agent": False,
        "pr_instructions": False,
    }
    assert not (run / "triggers.json").exists()
    analysis = read_json(run / "analysis.json")
    assert analysis["classification"]["category"] == "none"
    assert analysis["supersedes_payload_sha256"] == failed_sha
    lines = (run / "history.jsonl").read_text().splitlines()
    assert [json.loads(line)["category"] for line in lines] == ["selector", "none"]

    # Never written for passed, cancelled, unknown-status or empty-log runs.
    for run_id, body in {
        "p": payload(run_id="p", status="success", playwright_log=FAILING_PW),
        "c": payload(run_id="c", status="cancelled"),
        "u": payload(run_id="u", status="neutral", playwright_log=FAILING_PW),
        "e": payload(run_id="e", status="failure", playwright_log=" ", backend_log=""),
    }.items():
        assert post(client, processor, body).status_code == 200
        assert (logs_dir / run_id / "analysis.json").exists()
        assert not (logs_dir / run_id / "triggers.json").exists(), run_id
    assert read_json(logs_dir / "e" / "analysis.json")["classification"]["category"] == (
        "missing_logs"
    )


def test_duplicate_payload_changes_nothing(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    body = payload(run_id="dup-1", status="failure", playwright_log=FAILING_PW)
    first = post(client, processor, body)
    assert first.status_code == 200
    run = logs_dir / "dup-1"
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in run.iterdir()}
    second = post(client, processor, body)
    assert second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["classification"] == first.json()["classification"]
    assert second.json()["triggers"] == first.json()["triggers"]
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in run.iterdir()}
    assert after == before


def test_stale_attempt_is_rejected(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    assert post(client, processor, payload(run_id=77, run_attempt=2)).status_code == 200
    stale = post(client, processor, payload(run_id=77, run_attempt=1, status="failure"))
    assert stale.status_code == 409
    assert stale.json() == {"error": "Conflict", "code": "stale_attempt", "stored_run_attempt": 2}
    assert read_json(logs_dir / "77" / "analysis.json")["run_attempt"] == 2
    assert post(client, processor, payload(run_id=77, run_attempt=3)).status_code == 200


def test_redaction_and_unicode_replacement(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    jwt = (
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    )
    backend = (
        "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345\n"
        f"refresh cookie {jwt}\n"
        "DATABASE_URL=postgres://u:p@h/db\n"
        "lone \ud800 surrogate\n"
    )
    response = post(client, processor, payload(run_id=55, backend_log=backend))
    assert response.status_code == 200
    stored = (logs_dir / "55" / "backend.log").read_text(encoding="utf-8")
    assert stored == (
        "Authorization: Bearer ***\n"
        "refresh cookie ***JWT***\n"
        "DATABASE_URL=postgres://u:***@h/db\n"
        "lone \ufffd surrogate\n"
    )
    analysis = read_json(logs_dir / "55" / "analysis.json")
    assert analysis["logs"]["backend"]["redactions"] == 3
    assert analysis["logs"]["playwright"]["redactions"] == 0


def test_the_service_tokens_are_redacted_from_stored_logs(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    log = f"echo token={AGENT_TOKEN}\nX-Dev: {DEV_TOKEN}\n"
    assert post(client, processor, payload(run_id=56, playwright_log=log)).status_code == 200
    stored = (logs_dir / "56" / "playwright.log").read_text()
    assert AGENT_TOKEN not in stored
    assert DEV_TOKEN not in stored


def test_concurrent_posts_for_the_same_run_are_serialised(
    client: httpx.Client, processor: LiveServer, logs_dir: Path
) -> None:
    bodies = [
        payload(run_id="race", status="failure", playwright_log=FAILING_PW + f"\nworker {i}\n")
        for i in range(8)
    ]
    results: list[int] = []

    def send(body: dict[str, Any]) -> None:
        with httpx.Client(timeout=20, trust_env=False) as c:
            results.append(post(c, processor, body).status_code)

    threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 8
    run = logs_dir / "race"
    analysis = read_json(run / "analysis.json")
    triggers = read_json(run / "triggers.json")
    assert triggers["payload_sha256"] == analysis["payload_sha256"]
    # The stored log belongs to the same request as the analysis (no mixed set).
    stored = (run / "playwright.log").read_text()
    winner = next(b for b in bodies if b["playwright_log"] == stored)
    assert analysis["payload_sha256"] != ""
    assert winner["playwright_log"] == stored
    history = [json.loads(x) for x in (run / "history.jsonl").read_text().splitlines()]
    assert len(history) == 8
    assert history[-1]["payload_sha256"] == analysis["payload_sha256"]
    assert not [p for p in run.iterdir() if p.name.endswith(".tmp")]


def test_run_lock_times_out_while_held() -> None:
    async def scenario() -> str:
        locks = RunLocks()
        async with locks.hold("run", 1.0):
            try:
                async with locks.hold("run", 0.05):
                    return "acquired"
            except LockTimeout:
                pass
        async with locks.hold("run", 0.05):
            return "free again"

    assert asyncio.run(scenario()) == "free again"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinked_run_directory_is_refused(
    client: httpx.Client, processor: LiveServer, logs_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, logs_dir / "linked")
    response = post(client, processor, payload(run_id="linked", status="failure"))
    assert response.status_code == 500
    assert response.json() == {"error": "Internal Server Error", "code": "storage_error"}
    assert list(outside.iterdir()) == []


def test_body_limit(serve: Callable[..., LiveServer], logs_dir: Path, client: httpx.Client) -> None:
    server = serve(create_app("processor", make_settings(logs_dir, max_body_bytes=4096)))
    big = payload(playwright_log="x" * 5000)
    response = post(client, server, big)
    assert response.status_code == 413
    assert response.json() == {
        "error": "Payload Too Large",
        "code": "payload_too_large",
        "limit_bytes": 4096,
    }

    def chunks() -> Any:
        data = json.dumps(big).encode()
        for i in range(0, len(data), 1000):
            yield data[i : i + 1000]

    chunked = client.post(
        server.url + "/process-logs",
        content=chunks(),
        headers={**auth(), "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    assert chunked.json()["limit_bytes"] == 4096
    assert tree(logs_dir) == []


def test_slow_body_gets_408(serve: Callable[..., LiveServer], logs_dir: Path) -> None:
    import socket

    server = serve(create_app("processor", make_settings(logs_dir, body_read_timeout_s=0.3)))
    head = (
        "POST /process-logs HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 1000\r\n"
        f"Authorization: Bearer {DEV_TOKEN}\r\n\r\n"
        '{"playwright_log": "'
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode())  # and then never the rest of the body
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 408")
    assert '"code":"request_timeout"' in answer
