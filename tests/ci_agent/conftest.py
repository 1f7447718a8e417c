"""Fixtures that run the CI agent for real: uvicorn on 127.0.0.1, random free ports."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from ci_agent_helpers import LiveServer, make_settings
from starlette.types import ASGIApp

from ci_agent.app import create_app


@pytest.fixture
def serve() -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def _serve(app: ASGIApp, sock: socket.socket | None = None) -> LiveServer:
        server = LiveServer(app, sock).start()
        servers.append(server)
        return server

    yield _serve
    for server in reversed(servers):
        server.stop()


@pytest.fixture
def logs_dir(tmp_path: Path) -> Path:
    path = tmp_path / "logs"
    path.mkdir()
    return path


@pytest.fixture
def processor(serve: Callable[..., LiveServer], logs_dir: Path) -> LiveServer:
    return serve(create_app("processor", make_settings(logs_dir)))


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=20, trust_env=False) as c:
        yield c
