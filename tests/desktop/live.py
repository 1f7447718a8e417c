"""A real uvicorn server in a thread that can be stopped and started again on the same port."""

from __future__ import annotations

import threading
import time

import uvicorn

from server.app import create_app
from server.embedded_db import free_port
from server.settings import Settings


class RestartableServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        app = create_app(self.settings)
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
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
        self._server, self._thread = server, thread
        self._events = app.state.praxi_events

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            # What the shutdown signal does in production: uvicorn waits for open responses,
            # and an event stream never finishes on its own.
            self._events.close_streams()
            self._server.should_exit = True
            self._thread.join(timeout=20)
        self._server = self._thread = None
