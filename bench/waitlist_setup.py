"""Shared setup of the waiting-list benches (``waitlist_race.py``, ``waitlist_latency.py``).

A throw-away embedded PostgreSQL, migrated; a practice (Mon–Fri 08–18, one doctor, a
30-minute type, an admin); a real uvicorn server in a thread; an SSE reader of
``/api/events/``. Run on demand, never part of the test suite.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
import uvicorn
from pydantic import SecretStr

from server.app import create_app
from server.auth import tokens
from server.auth.passwords import hash_password
from server.db import make_engine, make_session_factory
from server.embedded_db import EmbeddedPostgres, free_port
from server.master_data.models import AppointmentType
from server.migrate import upgrade
from server.settings import Settings
from server.users.models import Role, User
from server.working_hours.models import DoctorHours, PracticeHours

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 4, 7, 0, tzinfo=TZ)  # a Monday morning; bookings from here on
SECRET = "bench-secret-" + "x" * 40


@dataclass
class Practice:
    base: str
    headers: dict[str, str]
    token: str
    doctor_id: int
    type_id: int


def weekday_after(first: date, index: int) -> date:
    """The ``index``-th weekday (Mon–Fri) from ``first`` on."""
    day = first
    seen = -1
    while True:
        if day.weekday() < 5:
            seen += 1
            if seen == index:
                return day
        day += timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, clock(hour, minute), tzinfo=TZ).isoformat()


def _seed(url: str) -> tuple[int, int, int]:
    engine = make_engine(url, pool_size=1)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        roles = {role.name: role for role in session.query(Role)}
        admin = User(
            username="bench.admin", password_hash=hash_password("x" * 12), role=roles["admin"]
        )
        doctor = User(
            username="dr.bench",
            first_name="Bea",
            last_name="Bench",
            password_hash=hash_password("x" * 12),
            role=roles["doctor"],
        )
        kind = AppointmentType(name="Kontrolle", duration_minutes=30)
        session.add_all([admin, doctor, kind])
        session.flush()
        for weekday in range(5):
            session.add(PracticeHours(weekday=weekday, start_time=clock(8), end_time=clock(18)))
            session.add(
                DoctorHours(
                    doctor_id=doctor.id, weekday=weekday, start_time=clock(8), end_time=clock(18)
                )
            )
        ids = (admin.id, doctor.id, kind.id)
    engine.dispose()
    return ids


@contextlib.contextmanager
def running_practice() -> Iterator[Practice]:
    root = Path(tempfile.mkdtemp(prefix="praxi-waitlist-bench-"))
    cluster = EmbeddedPostgres(root / "db", fast_unsafe=True)
    cluster.start()
    try:
        url = cluster.url()
        admin_id, doctor_id, type_id = _seed(url)
        settings = Settings(
            database_url=SecretStr(url),
            data_dir=root / "data",
            secret_key=SecretStr(SECRET),
            timezone="Europe/Berlin",
            testing=True,
            test_now=NOW,
            host="127.0.0.1",
            allowed_hosts=("127.0.0.1", "localhost"),
        )
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        token = tokens.issue_access(
            SECRET,
            user_id=admin_id,
            role="admin",
            # valid on the server's test clock (2027) as on the real one
            now=datetime(2000, 1, 1, tzinfo=UTC),
            lifetime=timedelta(days=365 * 100),
        )
        try:
            yield Practice(
                f"http://127.0.0.1:{port}",
                {"Authorization": f"Bearer {token}"},
                token,
                doctor_id,
                type_id,
            )
        finally:
            server.should_exit = True
            thread.join(20)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


class EventReader:
    """``/api/events/`` in a thread: ``(monotonic arrival, notice)`` pairs on a queue."""

    def __init__(self, base: str, token: str) -> None:
        self.url = f"{base}/api/events/"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.notices: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.opened = threading.Event()
        self._response: httpx.Response | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self.opened.wait(15):
            raise RuntimeError("the event stream did not open")

    def _run(self) -> None:
        timeout = httpx.Timeout(10.0, read=None)
        with (
            contextlib.suppress(httpx.HTTPError),
            httpx.Client(timeout=timeout) as client,
            client.stream("GET", self.url, headers=self.headers) as response,
        ):
            self._response = response
            self.opened.set()
            buffer = b""
            for chunk in response.iter_bytes():
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    arrived = time.monotonic()
                    for line in block.split(b"\n"):
                        if line.startswith(b"data: "):
                            self.notices.put((arrived, orjson.loads(line[6:])))

    def stop(self) -> None:
        """End the stream, so that the server can shut down at once."""
        if self._response is None:
            return
        stream = self._response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)

    def drain(self) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                self.notices.get_nowait()

    def next_slot_event(self, timeout: float = 10.0) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            arrived, notice = self.notices.get(timeout=max(0.01, deadline - time.monotonic()))
            if notice["entity"] == "waiting_list_slot" and notice["action"] == "created":
                return arrived, notice


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
