"""Live updates: a change on one workstation shows up on another within a second (00 §11)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from desktop.api.client import ApiClient, TokenPair
from desktop.config import Preferences
from desktop.live import Change, parse_events
from desktop.session import Session as DesktopSession
from desktop.views.main_window import MainWindow
from server.auth.tokens import issue_access
from tests.desktop.conftest import sign_in
from tests.desktop.live import RestartableServer
from tests.desktop.seed import SeededPractice, at
from tests.server.conftest import TEST_SECRET


@pytest.fixture
def second_session(
    qtbot: QtBot, server: RestartableServer, prefs: Preferences, practice: SeededPractice
) -> Iterator[DesktopSession]:
    """Another workstation: its own client, its own session, the same server."""
    client = ApiClient(server.url)
    other = DesktopSession(client, prefs)
    sign_in(qtbot, other, practice.assistant_username, practice.password)
    yield other
    other.live.stop()
    qtbot.waitUntil(lambda: other.ops.in_flight() == 0, timeout=10_000)
    client.close()


def scene_patients(window: MainWindow) -> set[int]:
    items = window.calendar.grid.calendar_scene.items_by_id.values()
    return {item.appointment.patient_id for item in items}


def test_a_booking_on_one_workstation_appears_in_the_others_calendar(
    qtbot: QtBot,
    window: MainWindow,
    second_session: DesktopSession,
    practice: SeededPractice,
) -> None:
    qtbot.waitUntil(lambda: window.session.live.connected, timeout=5000)
    assert 1004 not in scene_patients(window)
    body = {
        "patient_id": 1004,
        "doctor": practice.doctors[2],
        "type": practice.type_id,
        "start_time": at(14),
        "end_time": at(14, 30),
    }
    booked: list[object] = []
    second_session.ops.run(lambda api: api.post("/api/appointments/", body)).success(
        booked.append
    ).run()
    qtbot.waitUntil(lambda: bool(booked), timeout=5000)
    qtbot.waitUntil(lambda: 1004 in scene_patients(window), timeout=1500)
    assert "live" in window.connection.text()


def test_after_a_dropped_stream_the_client_reconnects_and_reloads(
    qtbot: QtBot,
    window: MainWindow,
    server: RestartableServer,
    db: sessionmaker[Session],
    practice: SeededPractice,
) -> None:
    live = window.session.live
    live.max_backoff_s = 0.3
    qtbot.waitUntil(lambda: live.connected, timeout=5000)
    server.stop()
    qtbot.waitUntil(lambda: not live.connected, timeout=5000)
    # While nobody listens, the appointment moves to 15:00 (no notice reaches anyone).
    with db() as session, session.begin():
        session.execute(
            text(
                "UPDATE appointments SET start_time = start_time + interval '6 hours',"
                " end_time = end_time + interval '6 hours' WHERE id = :id"
            ),
            {"id": practice.appointments["mueller_9"]},
        )
    server.start()
    qtbot.waitUntil(lambda: live.connected, timeout=10_000)
    scene = window.calendar.grid.calendar_scene
    qtbot.waitUntil(
        lambda: (
            practice.appointments["mueller_9"] in scene.items_by_id
            and scene.items_by_id[practice.appointments["mueller_9"]].appointment.start.hour == 15
        ),
        timeout=5000,
    )


def test_an_expired_access_token_is_refreshed_before_reconnecting(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice
) -> None:
    session = window.session
    session.live.stop()
    qtbot.waitUntil(lambda: not session.live.running(), timeout=5000)
    tokens = session.client.tokens
    assert tokens is not None
    expired = issue_access(
        TEST_SECRET,
        user_id=practice.assistant_id,
        role="assistant",
        now=datetime.now(UTC) - timedelta(hours=1),
        lifetime=timedelta(minutes=5),
    )
    session.client.set_tokens(TokenPair(expired, tokens.refresh))
    session.live.start()
    qtbot.waitUntil(lambda: session.live.connected, timeout=5000)
    renewed = session.client.tokens
    assert renewed is not None
    assert renewed.access != expired
    assert renewed.refresh != tokens.refresh  # rotation


def test_event_lines_are_parsed_and_pings_ignored() -> None:
    lines = [
        ": ping",
        "",
        "event: change",
        "data: "
        + '{"entity": "patient", "id": 7, "action": "created", "at": "2027-01-18T09:00:00+01:00"}',
        "",
    ]
    parsed = list(parse_events(iter(lines)))
    assert parsed == [None, Change("patient", 7, "created", "2027-01-18T09:00:00+01:00")]
