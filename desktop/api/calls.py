"""Calling patients by number (issue 20; contract: docs/call-up-display.md).

Two sides:

* staff: :func:`call` — "Aufrufen" on the flow board (a normal signed-in call);
* the call-up display: :class:`DisplayConnection` — no user session, only a display token
  (``pxd_…``), which the server accepts on ``/api/calls/`` and ``/api/calls/stream/`` and
  nowhere else. The stream sends the whole board (options and the last calls) on connect and
  after every change, so a display that reconnects is complete at once.

Blocking functions: run them in a worker thread (``desktop.ops`` or the display's reader
thread), never on the UI thread.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError, ConnectionLost
from desktop.api.patient_flow import Flow, _flow, _refusals
from desktop.api.tls import ssl_context

CALLS_PATH = "/api/calls/"
STREAM_PATH = "/api/calls/stream/"
#: The server pings every 15 s; three missed pings mean the connection is dead.
READ_TIMEOUT_S = 45.0


def call(api: ApiClient, flow_id: int, room: str) -> Flow:
    """ "Aufrufen": the displays show the flow's number and ``room`` (the status stays)."""
    try:
        return _flow(api.post(f"/api/patient-flow/{flow_id}/call/", {"room": room}))
    except ApiError as exc:
        raise _refusals(exc) from exc


@dataclass(frozen=True)
class Call:
    id: int
    number: str
    room: str
    called_at: datetime


@dataclass(frozen=True)
class CallBoard:
    """What a display shows: its options and the last calls, newest first."""

    title: str
    chime: bool
    history: int
    calls: tuple[Call, ...]

    @property
    def latest(self) -> Call | None:
        return self.calls[0] if self.calls else None


def _board(body: dict[str, Any]) -> CallBoard:
    return CallBoard(
        title=str(body.get("title") or ""),
        chime=bool(body.get("chime", True)),
        history=int(body.get("history") or 5),
        calls=tuple(
            Call(
                int(row["id"]),
                str(row["number"]),
                str(row["room"]),
                datetime.fromisoformat(str(row["called_at"]).replace("Z", "+00:00")).replace(
                    tzinfo=None
                ),
            )
            for row in body.get("calls") or []
        ),
    )


class DisplayRefused(Exception):
    """The server refuses the display token (401/403): waiting will not help."""


def parse_boards(lines: Iterator[str]) -> Iterator[CallBoard | None]:
    """SSE lines → boards; ``None`` for a keep-alive comment."""
    event, data = "", list[str]()
    for line in lines:
        if line == "":
            if event == "calls" and data:
                yield _board(json.loads("\n".join(data)))
            event, data = "", []
        elif line.startswith(":"):
            yield None
        else:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)


class DisplayConnection:
    """The display's own HTTP connection to the server, with its token."""

    def __init__(self, base_url: str, token: str, *, ca_file: Path | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._tls = ssl_context(ca_file)
        self._lock = threading.Lock()
        self._http: httpx.Client | None = None
        self._socket: socket.socket | None = None

    def fetch(self) -> CallBoard:
        """The board now (one request)."""
        try:
            response = httpx.get(
                self.base_url + CALLS_PATH, headers=self._headers, timeout=10, verify=self._tls
            )
        except httpx.TransportError as exc:
            raise ConnectionLost(str(exc)) from exc
        if response.status_code in (401, 403):
            raise DisplayRefused()
        if response.status_code != 200:
            raise ApiError(response.status_code, response.text, "GET", CALLS_PATH)
        return _board(response.json())

    def stream(self) -> Iterator[CallBoard | None]:
        """Boards as they change (the first one at once), ``None`` on every ping; ends when
        the stream ends or :meth:`close` is called; raises on a network failure."""
        http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(10.0, connect=3.0, read=READ_TIMEOUT_S),
            verify=self._tls,
        )
        with self._lock:
            self._http = http
        try:
            headers = {**self._headers, "Accept": "text/event-stream"}
            with http.stream("GET", STREAM_PATH, headers=headers) as response:
                if response.status_code in (401, 403):
                    raise DisplayRefused()
                if response.status_code != 200:
                    response.read()
                    raise ApiError(response.status_code, response.text, "GET", STREAM_PATH)
                stream = response.extensions.get("network_stream")
                with self._lock:
                    self._socket = stream.get_extra_info("socket") if stream else None
                yield from parse_boards(response.iter_lines())
        finally:
            with self._lock:
                if self._http is http:
                    self._http = None
                self._socket = None
            http.close()

    def close(self) -> None:
        """Ends a running :meth:`stream` from another thread."""
        with self._lock:
            http, self._http = self._http, None
            sock, self._socket = self._socket, None
        if sock is not None:
            # Closing the client from another thread does not wake a blocked read on every
            # platform; shutting the socket down does (as desktop.live does).
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if http is not None:
            # Closing under the reader may race with it; it ends either way.
            with contextlib.suppress(Exception):
                http.close()
