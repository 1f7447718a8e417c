"""A real uvicorn server on 127.0.0.1 and a free port, in a background thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from server.app import create_app
from server.embedded_db import free_port
from server.settings import Settings


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        limit_concurrency=200,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def wait_until_healthy(
    base: str,
    exit_code: Callable[[], int | None],
    output: Callable[[], str],
    *,
    timeout: float = 60,
) -> None:
    """Poll ``/api/health/`` of a server process until it answers 200; fail with the
    process's output when it exits first or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = exit_code()
        if code is not None:
            raise AssertionError(f"server exited early ({code}):\n{output()}")
        try:
            if httpx.get(f"{base}/api/health/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server did not become healthy:\n{output()}")
