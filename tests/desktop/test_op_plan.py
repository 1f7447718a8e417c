"""OP-Plan: rooms as rows, drag to another time or room, refusals snap back, live updates."""

from __future__ import annotations

from datetime import datetime, time

import httpx
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.main_window import MainWindow
from desktop.views.op_plan.page import OpPlanPage
from server.master_data.models import OperationType, Resource
from tests.desktop.seed import MONDAY, SeededPractice, at


@pytest.fixture
def op_day(db: sessionmaker[Session], practice: SeededPractice) -> dict[str, int]:
    with db() as session, session.begin():
        kind = OperationType(
            name="Arthroskopie", prep_duration=15, op_duration=60, post_duration=15, color="#1A73E8"
        )
        room_1 = Resource(name="OP 1", type="room", color="#6A5ACD")
        room_2 = Resource(name="OP 2", type="room", color="#228B22")
        device = Resource(name="C-Bogen", type="device", color="#8B4513")
        session.add_all([kind, room_1, room_2, device])
        session.flush()
        ids = {"type": kind.id, "op1": room_1.id, "op2": room_2.id, "device": device.id}
    for name, patient, surgeon, room in (
        ("a", 1001, practice.doctors[0], ids["op1"]),
        ("b", 1004, practice.doctors[2], ids["op2"]),
    ):
        body = {
            "patient_id": patient,
            "primary_surgeon": surgeon,
            "op_room": room,
            "op_type": ids["type"],
            "op_device_ids": [ids["device"]] if name == "a" else [],
            "start_time": at(11),
        }
        response = httpx.post(
            practice.url + "/api/operations/", json=body, headers=practice.headers, timeout=10
        )
        assert response.status_code == 201, response.text
        ids[name] = int(response.json()["id"])
    return ids


def open_plan(qtbot: QtBot, window: MainWindow) -> OpPlanPage:
    window.nav.setCurrentRow(window.page_keys.index("op_plan"))
    page = window.pages.currentWidget()
    assert isinstance(page, OpPlanPage)
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=10_000)
    page.zoom(-2)  # the whole day fits, so no scrolling between press and release
    return page


def point(page: OpPlanPage, row: int, clock: time) -> QPoint:
    g = page.scene.geometry
    scene_point = QPointF(g.x_of(datetime.combine(MONDAY, clock)) + 4, g.y_of(row) + 20)
    page.view.ensureVisible(scene_point.x(), scene_point.y(), 1, 1, 80, 20)
    return page.view.mapFromScene(scene_point)


def drag(page: OpPlanPage, start: QPoint, end: QPoint) -> None:
    viewport = page.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_dragging_over_a_busy_room_highlights_the_conflict(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_day: dict[str, int]
) -> None:
    page = open_plan(qtbot, window)
    block = page.scene.blocks[op_day["a"]]
    viewport = page.view.viewport()
    start, end = point(page, 1, time(11, 5)), point(page, 2, time(11, 35))
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, end)
    qtbot.waitUntil(lambda: bool(block.conflict), timeout=5000)
    assert "Operation conflict" in str(block.conflict)
    free = point(page, 2, time(14, 5))
    QTest.mouseMove(viewport, free)
    qtbot.waitUntil(lambda: block.conflict == "", timeout=5000)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, free)
    qtbot.waitUntil(
        lambda: str(server_op(practice, op_day["a"])["start_time"]).startswith("2027-01-18T14:00"),
        timeout=5000,
    )


def server_op(practice: SeededPractice, op_id: int) -> dict[str, object]:
    return dict(practice.get(f"/api/operations/{op_id}/").json())


def test_rooms_blocks_and_utilisation(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_day: dict[str, int]
) -> None:
    page = open_plan(qtbot, window)
    assert page.data is not None
    assert [r.name for r in page.data.rooms] == ["Behandlungsraum 1", "OP 1", "OP 2"]
    utilization = page.data.rooms[1].utilization
    assert utilization is not None
    assert utilization > 0
    block = page.scene.blocks[op_day["a"]]
    assert block.row == 1
    assert block.op.devices == ["C-Bogen"]
    assert block.op.prep_end.time() == time(11, 15)
    # selecting shows details and the allowed status actions; confirming goes to the server
    block.on_select and block.on_select(block)
    assert "Arthroskopie" in page.details.text()
    assert set(page.status_buttons) == {"confirmed", "cancelled"}
    qtbot.mouseClick(page.status_buttons["confirmed"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: server_op(practice, op_day["a"])["status"] == "confirmed")
    qtbot.waitUntil(lambda: page.scene.blocks[op_day["a"]].op.status == "confirmed")
    # zoom with + / − keeps the blocks
    width = page.scene.blocks[op_day["a"]].width
    page.zoom(1)
    assert page.scene.blocks[op_day["a"]].width > width


def test_drag_moves_to_another_time(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_day: dict[str, int]
) -> None:
    page = open_plan(qtbot, window)
    drag(page, point(page, 1, time(11, 5)), point(page, 2, time(14, 5)))
    qtbot.waitUntil(
        lambda: str(server_op(practice, op_day["a"])["start_time"]).startswith("2027-01-18T14:00"),
        timeout=5000,
    )
    assert server_op(practice, op_day["a"])["op_room"]["id"] == op_day["op2"]  # type: ignore[index]
    qtbot.waitUntil(lambda: page.scene.blocks[op_day["a"]].row == 2, timeout=5000)


def test_move_onto_a_busy_room_snaps_back_with_the_message(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_day: dict[str, int]
) -> None:
    page = open_plan(qtbot, window)
    block = page.scene.blocks[op_day["a"]]
    origin = block.pos()
    with qtbot.waitSignal(page.message_shown, timeout=5000) as shown:
        drag(page, point(page, 1, time(11, 5)), point(page, 2, time(11, 35)))
    assert "Operation conflict" in str(shown.args[0])
    assert page.message.isVisible()
    assert page.scene.blocks[op_day["a"]].pos() == origin
    assert str(server_op(practice, op_day["a"])["start_time"]).startswith("2027-01-18T11:00")


def test_change_from_another_client_appears_live(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_day: dict[str, int]
) -> None:
    page = open_plan(qtbot, window)
    qtbot.waitUntil(lambda: window.session.live.connected, timeout=5000)
    response = httpx.patch(
        practice.url + f"/api/operations/{op_day['b']}/",
        json={"start_time": at(15)},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    qtbot.waitUntil(
        lambda: page.scene.blocks[op_day["b"]].op.start.time() == time(15), timeout=1500
    )
