"""The receiver served by uvicorn, forwarding to a real local upstream (spec 06 §3)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from ci_agent_helpers import (
    AGENT_TOKEN,
    DEV_TOKEN,
    LiveServer,
    Reply,
    Upstream,
    auth,
    free_port,
    make_settings,
    payload,
)

from ci_agent import __version__
from ci_agent.app import create_app

Serve = Callable[..., LiveServer]


def start_receiver(serve: Serve, logs_dir: Path, upstream_url: str, **kw: Any) -> LiveServer:
    settings = make_settings(logs_dir, developer_agent_url=upstream_url, **kw)
    return serve(create_app("receiver", settings))


def start_pair(serve: Serve, upstream: Upstream, logs_dir: Path, **kw: Any) -> LiveServer:
    up = serve(upstream.app)
    return start_receiver(serve, logs_dir, up.url, **kw)


def send(client: httpx.Client, server: LiveServer, body: Any, **kw: Any) -> httpx.Response:
    headers = {**auth(AGENT_TOKEN), "Content-Type": "application/json", **kw.pop("headers", {})}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(server.url + "/api/ci/logs", content=content, headers=headers, **kw)


def test_forwarding_success_and_headers(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    upstream = Upstream()
    receiver = start_pair(serve, upstream, logs_dir)
    body = payload(run_id=123, playwright_log="lone \ud800 here", extra_field="dropped")
    response = send(
        client,
        receiver,
        body,
        headers={"Cookie": "session=secret", "X-Forwarded-For": "1.2.3.4", "X-Request-ID": "r-1"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "received",
        "upstream": {"status": "processed", "classification": {"category": "none"}},
    }
    assert response.headers["x-request-id"] == "r-1"
    assert response.headers["cache-control"] == "no-store"
    [seen] = upstream.seen
    assert seen.headers["authorization"] == f"Bearer {DEV_TOKEN}"
    assert seen.headers["user-agent"] == f"praxi-ci-agent/{__version__}"
    assert seen.headers["x-request-id"] == "r-1"
    assert "cookie" not in seen.headers
    assert "x-forwarded-for" not in seen.headers
    forwarded = seen.json()
    assert forwarded["run_id"] == 123  # keeps the JSON type
    assert forwarded["playwright_log"] == "lone \ufffd here"
    assert "extra_field" not in forwarded
    assert "run_attempt" not in forwarded
    assert list(forwarded) == [
        "playwright_log",
        "backend_log",
        "run_id",
        "job_name",
        "timestamp",
        "branch",
        "commit",
        "status",
    ]


@pytest.mark.parametrize("suffix", ["", "/", "/process-logs", "/process-logs/", "//"])
def test_target_url_joining(
    serve: Serve, logs_dir: Path, client: httpx.Client, suffix: str
) -> None:
    upstream = Upstream()
    up = serve(upstream.app)
    receiver = start_receiver(serve, logs_dir, up.url + suffix + "\n")
    assert send(client, receiver, payload()).status_code == 200
    assert len(upstream.seen) == 1


def test_upstream_down_three_attempts(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    receiver = start_receiver(serve, logs_dir, f"http://127.0.0.1:{free_port()}")
    response = send(client, receiver, payload())
    assert response.status_code == 502
    assert response.json() == {
        "error": "Forwarding failed",
        "code": "upstream_unreachable",
        "message": "connect failed",
        "attempts": 3,
    }


def test_upstream_500_is_retried_then_reported_with_truncated_body(
    serve: Serve, logs_dir: Path, client: httpx.Client
) -> None:
    upstream = Upstream(Reply(500, b"E" * 10_000))
    receiver = start_pair(serve, upstream, logs_dir)
    response = send(client, receiver, payload())
    assert response.status_code == 502
    data = response.json()
    assert data["code"] == "upstream_error"
    assert data["upstream_status"] == 500
    assert data["upstream_body"] == "E" * 4096
    assert data["upstream_body_truncated"] is True
    assert data["attempts"] == 3
    assert len(upstream.seen) == 3


def test_upstream_503_twice_then_200(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    busy = Reply(503, b'{"error":"Service Unavailable","code":"busy"}', {"Retry-After": "0"})
    upstream = Upstream(busy, busy, Reply(200, b'{"status":"processed"}'))
    receiver = start_pair(serve, upstream, logs_dir)
    response = send(client, receiver, payload())
    assert response.status_code == 200
    assert response.json()["upstream"] == {"status": "processed"}
    assert len(upstream.seen) == 3


@pytest.mark.parametrize("status", [400, 401, 409, 413])
def test_4xx_is_not_retried(
    serve: Serve, logs_dir: Path, client: httpx.Client, status: int
) -> None:
    upstream = Upstream(Reply(status, b'{"code":"x"}'))
    receiver = start_pair(serve, upstream, logs_dir)
    response = send(client, receiver, payload())
    assert response.status_code == 502
    assert response.json() == {
        "error": "Forwarding failed",
        "code": "upstream_error",
        "upstream_status": status,
        "upstream_body": '{"code":"x"}',
        "upstream_body_truncated": False,
        "attempts": 1,
    }
    assert len(upstream.seen) == 1


def test_redirect_is_not_followed(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    upstream = Upstream(Reply(307, b"", {"Location": "http://127.0.0.1:1/elsewhere"}))
    receiver = start_pair(serve, upstream, logs_dir)
    response = send(client, receiver, payload())
    assert response.status_code == 502
    assert response.json()["upstream_status"] == 307
    assert len(upstream.seen) == 1


def test_slow_upstream_times_out(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    upstream = Upstream(Reply(200, delay_s=3))
    receiver = start_pair(
        serve, upstream, logs_dir, forward_timeout_s=0.3, forward_total_budget_s=1.0
    )
    response = send(client, receiver, payload())
    assert response.status_code == 502
    data = response.json()
    assert data["code"] == "upstream_timeout"
    assert data["message"] == "read timeout"
    # Budget 1 s with 0.3 s attempts: retries stop when the next one could not finish in time.
    assert 1 <= data["attempts"] <= 3


def test_non_json_2xx_gives_null_upstream(
    serve: Serve, logs_dir: Path, client: httpx.Client
) -> None:
    receiver = start_pair(serve, Upstream(Reply(200, b"plain text")), logs_dir)
    response = send(client, receiver, payload())
    assert response.json() == {"status": "received", "upstream": None}


def test_auth_is_checked_before_anything_else(
    serve: Serve, logs_dir: Path, client: httpx.Client
) -> None:
    upstream = Upstream()
    receiver = start_pair(serve, upstream, logs_dir)
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {DEV_TOKEN}"},
    ):
        response = client.post(receiver.url + "/api/ci/logs", content=b"{bad", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {"error": "Unauthorized", "code": "unauthorized"}
    assert upstream.seen == []


def test_unauthenticated_body_is_never_read(serve: Serve, logs_dir: Path) -> None:
    receiver = start_pair(serve, Upstream(), logs_dir)
    # Announce a 5 MB body but send none: answering at all proves the body was not awaited.
    request = (
        "POST /api/ci/logs HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{receiver.port}\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 5000000\r\n"
        "Expect: 100-continue\r\n"
        "Authorization: Bearer wrong-token\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=5) as sock:
        sock.sendall(request.encode())
        answer = sock.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.1 401")
    assert "100 Continue" not in answer


def test_method_not_allowed_and_unknown_path(
    serve: Serve, logs_dir: Path, client: httpx.Client
) -> None:
    receiver = start_pair(serve, Upstream(), logs_dir)
    response = client.get(receiver.url + "/api/ci/logs")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {"error": "Method Not Allowed", "code": "method_not_allowed"}
    missing = client.post(receiver.url + "/nope", headers=auth(AGENT_TOKEN))
    assert missing.status_code == 404
    assert missing.json() == {"error": "Not Found", "code": "not_found"}
    assert missing.headers["content-type"] == "application/json; charset=utf-8"
    assert missing.headers["cache-control"] == "no-store"
    assert client.post(receiver.url + "/process-logs").status_code == 404
    assert client.get(receiver.url + "/docs").status_code == 404
    health = client.get(receiver.url + "/healthz")
    assert health.json() == {"status": "ok", "mode": "receiver", "version": __version__}


def test_request_id_is_generated_when_invalid(
    serve: Serve, logs_dir: Path, client: httpx.Client
) -> None:
    receiver = start_pair(serve, Upstream(), logs_dir)
    response = client.get(receiver.url + "/healthz", headers={"X-Request-ID": "bad id!"})
    assert response.headers["x-request-id"] != "bad id!"
    assert len(response.headers["x-request-id"]) == 32


def test_receiver_validation_and_limits(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    upstream = Upstream()
    receiver = start_pair(serve, upstream, logs_dir, max_body_bytes=10 * 1024 * 1024)
    too_big = b'{"playwright_log": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = send(client, receiver, too_big)
    assert response.status_code == 413
    assert response.json()["limit_bytes"] == 10485760
    assert send(client, receiver, b"[]").json()["details"] == ["Body must be a JSON object"]
    assert send(client, receiver, b"").json()["code"] == "invalid_payload"
    assert send(client, receiver, b"NaN").json()["code"] == "invalid_json"
    assert send(client, receiver, payload(run_id="../../etc")).json()["code"] == ("invalid_payload")
    assert upstream.seen == []


def test_not_configured_app_answers_503(serve: Serve, client: httpx.Client) -> None:
    server = serve(create_app("combined", None))
    for method, path in (("POST", "/api/ci/logs"), ("POST", "/process-logs"), ("GET", "/healthz")):
        response = client.request(method, server.url + path, headers=auth(AGENT_TOKEN))
        assert response.status_code == 503
        assert response.json() == {"error": "Service Unavailable", "code": "not_configured"}


def test_concurrency_limit_answers_busy(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    upstream = Upstream(Reply(200, delay_s=1.5))
    receiver = start_pair(serve, upstream, logs_dir, max_concurrency=1, forward_timeout_s=5)
    first: list[int] = []
    thread = threading.Thread(
        target=lambda: first.append(send(httpx.Client(timeout=10), receiver, payload()).status_code)
    )
    thread.start()
    while not upstream.seen:  # the first request is now inside the service
        thread.join(0.01)
    second = send(client, receiver, payload())
    thread.join()
    assert second.status_code == 503
    assert second.json() == {"error": "Service Unavailable", "code": "busy"}
    assert second.headers["retry-after"] == "1"
    assert first == [200]


def test_combined_end_to_end(serve: Serve, logs_dir: Path, client: httpx.Client) -> None:
    from ci_agent_helpers import bind_free_socket

    sock = bind_free_socket()
    port = sock.getsockname()[1]
    settings = make_settings(logs_dir, port=port)  # URL defaults to this very process
    server = serve(create_app("combined", settings), sock)
    failing = (
        "  1) [chromium] › e2e/login.spec.ts:5:3 › Login › works ───\n"
        "    Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/login\n"
        "  1 failed\n"
    )
    body = payload(run_id=8080, status="failure", playwright_log=failing)
    response = send(client, server, body)
    assert response.status_code == 200
    upstream = response.json()["upstream"]
    assert upstream["run_id"] == "8080"
    assert upstream["classification"]["category"] == "network"
    assert upstream["triggers"]["self_heal"] is True
    run = logs_dir / "8080"
    analysis = json.loads((run / "analysis.json").read_text())
    triggers = json.loads((run / "triggers.json").read_text())
    assert analysis["payload_sha256"] == triggers["payload_sha256"]
    assert (run / "playwright.log").read_text() == failing

    again = send(client, server, body)
    assert again.json()["upstream"]["duplicate"] is True

    later = send(client, server, payload(run_id=8080, run_attempt=2, status="success"))
    assert later.status_code == 200
    stale = send(client, server, payload(run_id=8080, run_attempt=1, status="failure"))
    assert stale.status_code == 502
    assert stale.json()["upstream_status"] == 409
    assert stale.json()["attempts"] == 1
    assert json.loads(stale.json()["upstream_body"])["stored_run_attempt"] == 2
