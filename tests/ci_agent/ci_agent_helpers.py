"""Helpers for the CI agent tests: real uvicorn servers on 127.0.0.1 and a real upstream."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ci_agent.config import Settings

AGENT_TOKEN = "agent-token-for-tests-0123456789abcdef"
DEV_TOKEN = "developer-token-for-tests-fedcba9876543210"


class LiveServer:
    """An ASGI app served by a real uvicorn in a background thread."""

    def __init__(self, app: ASGIApp, sock: socket.socket | None = None) -> None:
        self.sock = sock or bind_free_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            server_header=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def bind_free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def free_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


def make_settings(logs_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "agent_token": AGENT_TOKEN,
        "developer_agent_token": DEV_TOKEN,
        "developer_agent_url": None,
        "logs_dir": logs_dir,
        # Short timings so the whole suite stays fast; the rules are the same.
        "forward_timeout_s": 2.0,
        "forward_backoff_base_s": 0.01,
        "forward_backoff_max_s": 0.05,
        "forward_total_budget_s": 10.0,
        "lock_timeout_s": 1.0,
        "body_read_timeout_s": 5.0,
    }
    values.update(overrides)
    return Settings(**values)


def payload(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "playwright_log": "Running 3 tests using 1 worker\n  3 passed (4.1s)\n",
        "backend_log": "INFO:     Application startup complete.\n",
        "run_id": 13312345678,
        "job_name": "e2e-tests",
        "timestamp": "2026-02-13T08:40:02Z",
        "branch": "main",
        "commit": "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d",
        "status": "success",
    }
    body.update(overrides)
    return body


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"status":"processed","classification":{"category":"none"}}'
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Seen:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Upstream:
    """Answers with the queued replies in order; the last one repeats."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies) or [Reply()]
        self.seen: list[Seen] = []
        self.app = Starlette(routes=[Route("/{path:path}", self.handle, methods=["POST", "GET"])])

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        self.seen.append(Seen({k.lower(): v for k, v in request.headers.items()}, body))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        return Response(reply.body, status_code=reply.status, headers=reply.headers)


def auth(token: str = DEV_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
