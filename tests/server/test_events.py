"""The live change stream ``GET /api/events/`` (00 §11).

Streams are read with ``httpx`` in a background thread against a real uvicorn (the test
client buffers whole responses, so it cannot read an endless stream); access rules that end
before a stream starts use the test client.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from server.auth import tokens
from server.core.events import publish
from server.embedded_db import free_port
from server.events import broker as broker_module
from server.events import router as router_module
from server.events.broker import CLOSED, EventBroker, Subscription, render_frame
from server.settings import Settings
from tests.server.conftest import TEST_SECRET, Users
from tests.server.live_server import live_server

PRACTICE_HOURS = {"weekday": 0, "start_time": "08:00", "end_time": "12:00"}
# 00 §6: practice zone with explicit offset, microseconds only when non-zero.
AT_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?(Z|[+-]\d{2}:\d{2})$")
END = "end"
PING = "ping"


@dataclass
class Frame:
    kind: str  # "change", PING or END
    data: dict[str, Any] | None = None
    received: float = field(default_factory=time.monotonic)


class EventReader:
    """Reads ``/api/events/`` in a thread; frames land in ``self.frames``."""

    def __init__(self, base: str, token: str | None) -> None:
        self.url = f"{base}/api/events/"
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.frames: queue.Queue[Frame] = queue.Queue()
        self.opened = threading.Event()
        self.status: int | None = None
        self.content_type = ""
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._response: httpx.Response | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> EventReader:
        self._thread.start()
        assert self.opened.wait(15), "the stream did not open"
        if self.error is not None:
            raise self.error
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._response is not None:
            # Wake the reading thread at once: shut the socket down under it.
            stream = self._response.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(10)
        assert not self._thread.is_alive(), "the reader did not stop"

    def _run(self) -> None:
        try:
            timeout = httpx.Timeout(10.0, read=60.0)
            with (
                httpx.Client(timeout=timeout) as client,
                client.stream("GET", self.url, headers=self.headers) as response,
            ):
                self._response = response
                self.status = response.status_code
                self.content_type = response.headers.get("content-type", "")
                self.opened.set()
                buffer = b""
                for chunk in response.iter_bytes():
                    buffer += chunk
                    while b"\n\n" in buffer:
                        block, buffer = buffer.split(b"\n\n", 1)
                        self.frames.put(parse_block(block))
                    if self._stop.is_set():
                        return
        except BaseException as exc:
            if not self._stop.is_set():
                self.error = exc
        finally:
            self.opened.set()
            self.frames.put(Frame(END))

    def next(self, timeout: float = 10.0, *, skip_pings: bool = True) -> Frame:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no frame in time"
            try:
                frame = self.frames.get(timeout=remaining)
            except queue.Empty:
                raise AssertionError("no frame in time") from None
            if frame.kind != PING or not skip_pings:
                return frame

    def next_change(self, timeout: float = 10.0) -> dict[str, Any]:
        frame = self.next(timeout)
        assert frame.kind == "change", frame
        assert frame.data is not None
        return frame.data


def parse_block(block: bytes) -> Frame:
    lines = block.decode().split("\n")
    if lines == [": ping"]:
        return Frame(PING)
    assert len(lines) == 2, lines
    assert lines[0] == "event: change"
    assert lines[1].startswith("data: ")
    return Frame("change", orjson.loads(lines[1][len("data: ") :]))


@pytest.fixture
def fast_ping(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(router_module, "PING_INTERVAL_SECONDS", 0.3)
    return 0.3


@pytest.fixture
def live(settings: Settings, fast_ping: float) -> Iterator[str]:
    with live_server(settings) as base:
        yield base


def admin_token(users: Users, **kwargs: Any) -> str:
    return users.token(users.create("admin"), **kwargs)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def listener_backends(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'praxi-events'"
            " AND datname = current_database()"
        )
        return [row[0] for row in rows]


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


# --- the stream -----------------------------------------------------------------------------


@pytest.mark.external_postgres
def test_write_through_the_api_arrives_with_entity_id_and_action(live: str, users: Users) -> None:
    token = admin_token(users)
    with EventReader(live, token) as reader, httpx.Client(base_url=live, timeout=10) as api:
        assert reader.status == 200
        assert reader.content_type.startswith("text/event-stream")
        created = api.post("/api/practice-hours/", json=PRACTICE_HOURS, headers=auth(token))
        assert created.status_code == 201
        row_id = created.json()["id"]
        event = reader.next_change()
        assert list(event) == ["entity", "id", "action", "at"]
        assert event["entity"] == "practice_hours"
        assert event["id"] == row_id
        assert event["action"] == "created"
        at = datetime.fromisoformat(event["at"])
        assert AT_PATTERN.match(event["at"]), event["at"]
        assert at.utcoffset() == datetime.now(ZoneInfo("Europe/Berlin")).utcoffset()
        assert abs((datetime.now(UTC) - at).total_seconds()) < 5

        updated = api.patch(
            f"/api/practice-hours/{row_id}/", json={"end_time": "13:00"}, headers=auth(token)
        )
        assert updated.status_code == 200
        event = reader.next_change()
        assert (event["entity"], event["id"], event["action"]) == (
            "practice_hours",
            row_id,
            "updated",
        )
        assert api.delete(f"/api/practice-hours/{row_id}/", headers=auth(token)).status_code == 204
        event = reader.next_change()
        assert (event["entity"], event["id"], event["action"]) == (
            "practice_hours",
            row_id,
            "deleted",
        )


def test_every_core_role_receives_user_changes(live: str, users: Users) -> None:
    admin = admin_token(users)
    target = users.create("doctor")
    tokens = [users.token(users.create(role)) for role in ("assistant", "doctor", "billing")]
    with contextlib.ExitStack() as stack:
        readers = [stack.enter_context(EventReader(live, token)) for token in tokens]
        response = httpx.patch(
            f"{live}/api/users/{target.id}/", json={"first_name": "Neu"}, headers=auth(admin)
        )
        assert response.status_code == 200
        for reader in readers:
            event = reader.next_change()
            assert (event["entity"], event["id"], event["action"]) == ("user", target.id, "updated")


def test_failed_write_publishes_nothing(live: str, users: Users) -> None:
    token = admin_token(users)
    with EventReader(live, token) as reader:
        bad = httpx.post(
            f"{live}/api/practice-hours/",
            json={**PRACTICE_HOURS, "end_time": "07:00"},
            headers=auth(token),
        )
        assert bad.status_code == 400
        good = httpx.post(f"{live}/api/practice-hours/", json=PRACTICE_HOURS, headers=auth(token))
        assert good.status_code == 201
        # Notices arrive in commit order: had the 400 published, it would come first.
        event = reader.next_change()
        assert (event["entity"], event["id"]) == ("practice_hours", good.json()["id"])


def test_rolled_back_transaction_publishes_nothing(
    live: str, users: Users, db: sessionmaker[Session]
) -> None:
    with EventReader(live, admin_token(users)) as reader:
        with db() as session:
            publish(session, "patient", 111, "created")
            session.rollback()
        with db() as session, session.begin():
            publish(session, "patient", 222, "updated")
        event = reader.next_change()
        assert (event["entity"], event["id"], event["action"]) == ("patient", 222, "updated")


def test_ping_arrives(live: str, users: Users, fast_ping: float) -> None:
    with EventReader(live, admin_token(users)) as reader:
        first = reader.next(timeout=5, skip_pings=False)
        second = reader.next(timeout=5, skip_pings=False)
        assert (first.kind, second.kind) == (PING, PING)
        # Paced by the interval (generous upper bound: the machine may be busy).
        assert fast_ping * 0.5 <= second.received - first.received <= fast_ping + 2


def test_stream_ends_when_the_token_expires(live: str, users: Users) -> None:
    token = admin_token(users, lifetime=timedelta(seconds=2))
    import jwt

    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    with EventReader(live, token) as reader:
        assert reader.status == 200
        frame = reader.next(timeout=10)
        assert frame.kind == END
        ended = time.time()
        assert expires - 0.2 <= ended <= expires + 2, (ended, expires)
        assert reader.error is None


def test_last_event_id_is_ignored_and_nothing_is_replayed(live: str, users: Users) -> None:
    token = admin_token(users)
    earlier = httpx.post(f"{live}/api/practice-hours/", json=PRACTICE_HOURS, headers=auth(token))
    assert earlier.status_code == 201
    reader = EventReader(live, token)
    reader.headers["Last-Event-ID"] = "1"
    with reader:
        later = httpx.post(f"{live}/api/practice-hours/", json=PRACTICE_HOURS, headers=auth(token))
        assert reader.next_change()["id"] == later.json()["id"]


# Counts the listeners and connections of one app: no other app may run on its database.
@pytest.mark.own_database
def test_listener_reconnects_and_open_streams_end_when_it_drops(
    live: str, users: Users, engine: Engine
) -> None:
    token = admin_token(users)
    with EventReader(live, token) as reader:
        pids = listener_backends(engine)
        assert len(pids) == 1
        with engine.connect() as connection:
            connection.exec_driver_sql(f"SELECT pg_terminate_backend({pids[0]})")
        assert reader.next(timeout=10).kind == END
    wait_until(lambda: len(listener_backends(engine)) == 1 and listener_backends(engine) != pids)
    with EventReader(live, token) as reader:
        created = httpx.post(
            f"{live}/api/practice-hours/", json=PRACTICE_HOURS, headers=auth(token)
        )
        assert reader.next_change()["id"] == created.json()["id"]


# Counts the listeners and connections of one app: no other app may run on its database.
@pytest.mark.own_database
def test_one_listener_per_process_and_streams_hold_no_session(
    live: str, users: Users, engine: Engine
) -> None:
    token = admin_token(users)
    with EventReader(live, token), EventReader(live, token), EventReader(live, token):
        assert len(listener_backends(engine)) == 1
        with engine.connect() as connection:
            others = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state <> 'idle' AND pid <> pg_backend_pid()"
                " AND application_name <> 'praxi-events'"
            ).scalar_one()
        assert others == 0


# Counts the listeners and connections of one app: no other app may run on its database.
@pytest.mark.own_database
def test_app_shutdown_stops_the_listener(
    settings: Settings, users: Users, engine: Engine, fast_ping: float
) -> None:
    # Apps shared by other tests of this process run listener threads of their own.
    others = {t for t in threading.enumerate() if t.name == "praxi-events"}
    with live_server(settings) as base, EventReader(base, admin_token(users)) as reader:
        assert reader.next(timeout=5, skip_pings=False).kind == PING
        assert len(listener_backends(engine)) == 1
    assert not [t for t in threading.enumerate() if t.name == "praxi-events" and t not in others]
    wait_until(lambda: listener_backends(engine) == [])


# --- access (00 §3, §4) -----------------------------------------------------------------


def test_no_token_is_401(client: TestClient) -> None:
    response = client.get("/api/events/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_expired_token_is_401(client: TestClient, users: Users) -> None:
    # Expired for longer than the clock-skew leeway that verification grants.
    token = users.token(users.create("admin"), lifetime=-(tokens.LEEWAY + timedelta(seconds=5)))
    response = client.get("/api/events/", headers=auth(token))
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


@pytest.mark.parametrize("role", ["nurse", "reception", "lab", "management", None])
def test_other_roles_and_roleless_users_get_403(
    client: TestClient, as_role: Callable[[str | None], dict[str, str]], role: str | None
) -> None:
    response = client.get("/api/events/", headers=as_role(role))
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods(
    client: TestClient, as_role: Callable[[str | None], dict[str, str]], method: str
) -> None:
    assert client.request(method, "/api/events/").status_code == 401
    for role in ("admin", "assistant", "doctor", "billing"):
        response = client.request(method, "/api/events/", headers=as_role(role))
        assert response.status_code == 405, role
        assert response.json() == {"detail": f'Method "{method}" not allowed.'}
    for other in ("nurse", None):
        assert client.request(method, "/api/events/", headers=as_role(other)).status_code == 403


def test_not_audited(live: str, users: Users, engine: Engine) -> None:
    with engine.connect() as connection:
        before = connection.exec_driver_sql("SELECT count(*) FROM audit_log").scalar_one()
    with EventReader(live, admin_token(users)) as reader:
        reader.next(timeout=5, skip_pings=False)
    with engine.connect() as connection:
        after = connection.exec_driver_sql("SELECT count(*) FROM audit_log").scalar_one()
    assert after == before


def test_schema_lists_the_stream(client: TestClient) -> None:
    operation = client.get("/api/schema/").json()["paths"]["/api/events/"]["get"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]


# --- units --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "tz", "expected"),
    [
        ("2026-01-15T09:02:11.402113Z", "Europe/Berlin", "2026-01-15T10:02:11.402113+01:00"),
        ("2026-07-15T08:00:00.000000Z", "Europe/Berlin", "2026-07-15T10:00:00+02:00"),
        ("2026-07-15T08:00:00.500000Z", "UTC", "2026-07-15T08:00:00.500000Z"),
    ],
)
def test_frame_renders_at_in_the_practice_zone(at: str, tz: str, expected: str) -> None:
    payload = orjson.dumps({"entity": "appointment", "id": 42, "action": "updated", "at": at})
    frame = render_frame(payload.decode(), ZoneInfo(tz))
    assert frame == (
        b'event: change\ndata: {"entity":"appointment","id":42,"action":"updated","at":"'
        + expected.encode()
        + b'"}\n\n'
    )


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        '{"entity": "appointment", "id": 1, "action": "updated"}',
        '{"entity": "nope", "id": 1, "action": "updated", "at": "2026-01-01T00:00:00Z"}',
        '{"entity": "user", "id": "1", "action": "updated", "at": "2026-01-01T00:00:00Z"}',
        '{"entity": "user", "id": 1, "action": "touched", "at": "2026-01-01T00:00:00Z"}',
        '{"entity": "user", "id": 1, "action": "updated", "at": "2026-01-01T00:00:00"}',
    ],
)
def test_malformed_notices_are_ignored(payload: str) -> None:
    assert render_frame(payload, ZoneInfo("UTC")) is None


def test_published_payload_is_exact_utc(engine: Engine, db: sessionmaker[Session]) -> None:
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute("LISTEN praxi_events")
        with db() as session, session.begin():
            publish(session, "doctor_break", 7, "deleted")
        notices = list(listener.notifies(timeout=5, stop_after=1))
    payload = orjson.loads(notices[0].payload)
    assert {k: payload[k] for k in ("entity", "id", "action")} == {
        "entity": "doctor_break",
        "id": 7,
        "action": "deleted",
    }
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z", payload["at"])


def test_slow_subscriber_is_disconnected_without_affecting_others(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(broker_module, "QUEUE_SIZE", 2)
    broker = EventBroker(engine, ZoneInfo("UTC"))

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        slow, fast = Subscription(broker, loop), Subscription(broker, loop)
        broker._subscribers.update({slow, fast})
        for n in range(3):
            slow._offer(b"frame %d" % n)
            fast._offer(b"frame %d" % n)
            assert await fast.get(1) == b"frame %d" % n
        assert slow.overflowed
        assert slow.closed
        assert await slow.get(1) is CLOSED
        assert not fast.closed
        assert broker._subscribers == {fast}

    asyncio.run(scenario())


# --- several server processes ---------------------------------------------------------------


@dataclass
class ServerProcess:
    base: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.log_path.read_text()
            assert time.monotonic() < deadline, "the server process did not come up"
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base}/api/health/", timeout=1).status_code == 200:
                    return
            time.sleep(0.05)


@contextlib.contextmanager
def server_processes(database_url: str, root: Path, count: int) -> Iterator[list[ServerProcess]]:
    """``count`` x ``python -m uvicorn server.app:create_app --factory`` on free ports and the
    same database, started in parallel; each logs to its own file."""
    env = {**os.environ, "PRAXI_DATABASE_URL": database_url, "PRAXI_SECRET_KEY": TEST_SECRET}
    creationflags = subprocess.CREATE_NEW_PROCESS_GROUP if sys.platform == "win32" else 0
    servers: list[ServerProcess] = []
    try:
        for index in range(count):
            port = free_port()
            data_dir = root / f"server{index}"
            data_dir.mkdir(parents=True, exist_ok=True)
            log_path = data_dir / "uvicorn.log"
            with log_path.open("wb") as log_file:
                process = subprocess.Popen(
                    [
                        sys.executable, "-m", "uvicorn", "server.app:create_app", "--factory",
                        "--host", "127.0.0.1", "--port", str(port), "--log-level", "info",
                    ],
                    env={**env, "PRAXI_DATA_DIR": str(data_dir)},
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                    creationflags=creationflags,
                )  # fmt: skip
            servers.append(ServerProcess(f"http://127.0.0.1:{port}", process, log_path))
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.kill()
                server.process.wait(10)


def stop_gracefully(process: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        process.send_signal(signal.CTRL_BREAK_EVENT)
    else:
        process.send_signal(signal.SIGTERM)


@pytest.mark.external_postgres
@pytest.mark.slow
def test_change_in_one_server_process_reaches_a_stream_of_another_within_a_second(
    database_url: str, tmp_path: Path, users: Users
) -> None:
    token = admin_token(users)
    with (
        server_processes(database_url, tmp_path, 2) as (server_a, server_b),
        EventReader(server_a.base, token) as reader,
        httpx.Client(base_url=server_b.base, timeout=10) as writer,
    ):
        # The writer's first request pays its connection pool's start; the contract bound is
        # about the way of the notice, so warm the writer up first.
        assert writer.get("/api/practice-hours/", headers=auth(token)).status_code == 200
        latencies = []
        for _ in range(5):
            sent = time.monotonic()
            created = writer.post("/api/practice-hours/", json=PRACTICE_HOURS, headers=auth(token))
            answered = time.monotonic()
            assert created.status_code == 201
            frame = reader.next(timeout=5)
            assert frame.kind == "change"
            assert frame.data is not None
            assert (frame.data["entity"], frame.data["id"], frame.data["action"]) == (
                "practice_hours",
                created.json()["id"],
                "created",
            )
            latency = frame.received - sent
            latencies.append(latency)
            print(
                f"event latency: {latency * 1000:.1f} ms from request start, "
                f"{(frame.received - answered) * 1000:.1f} ms after the response"
            )
        assert max(latencies) < 1.0, latencies


@pytest.mark.slow
@pytest.mark.own_database  # counts its app's connections: no other app on its database
def test_shutdown_ends_open_streams_and_closes_the_listener(
    database_url: str, tmp_path: Path, users: Users, engine: Engine
) -> None:
    token = admin_token(users)
    with server_processes(database_url, tmp_path, 1) as (server,):
        with EventReader(server.base, token) as reader:
            assert len(listener_backends(engine)) == 1
            stopped = time.monotonic()
            stop_gracefully(server.process)
            assert reader.next(timeout=10).kind == END
        # uvicorn re-raises the signal it stopped for, so the exit code says nothing here.
        server.process.wait(10)
        assert time.monotonic() - stopped < 10
        log = server.log_path.read_text()
        assert "Application shutdown complete." in log, log
        assert "Traceback" not in log, log
        wait_until(lambda: listener_backends(engine) == [])
