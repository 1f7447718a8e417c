"""The OP coordinator's day, through the OP-Plan only: plan an operation by dragging a free
range in OP 2, see why the surgeon cannot, take the offered next start, save; confirm, start
and finish it while the clock runs (elapsed bar, overrun); cancel another one; open the OP
list from OP-Plan and save the day's schedule as a PDF.

The API is used only to set up master data and the surgeon's other operation, and to check
what the server holds afterwards. The server's clock (``test_now``) and the window's clock
move together, as the day does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.session import Session as DesktopSession
from desktop.views.main_window import MainWindow
from desktop.views.op_plan.operation_dialog import OperationDialog
from desktop.views.op_plan.page import OpPlanPage
from desktop.views.op_plan.timeline import OVERRUN_FILL, OperationBlock
from server.master_data.models import OperationType, Resource
from tests.desktop.conftest import sign_in
from tests.desktop.live import RestartableServer
from tests.desktop.pdf_text import pdf_pages
from tests.desktop.seed import MONDAY, NOW, SeededPractice, at
from tests.server.conftest import make_settings

TEAM_ROLE_TEXT = "Anna Müller (Operateur)"


class DayClock:
    """One clock for the server (``test_now``) and the window."""

    def __init__(self, server: RestartableServer) -> None:
        self.server = server
        self.now = NOW
        server.settings.test_now = NOW

    def __call__(self) -> datetime:
        return self.now.replace(tzinfo=None)

    def set(self, clock: time) -> None:
        self.now = datetime.combine(MONDAY, clock, tzinfo=NOW.tzinfo)
        self.server.settings.test_now = self.now


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[RestartableServer]:
    """The conftest's server, with the test clock set (suggestions and "Starten" need it)."""
    live = RestartableServer(make_settings(database_url, tmp_path / "data", test_now=NOW))
    live.start()
    yield live
    live.stop()


@pytest.fixture
def theatre(db: sessionmaker[Session], practice: SeededPractice) -> dict[str, int]:
    """OP 1 and OP 2, an arthroscopy type, a C-arm; Müller operates in OP 1 11:00–12:30 and
    Weber in OP 1 at 14:00."""
    with db() as session, session.begin():
        kind = OperationType(
            name="Arthroskopie", prep_duration=15, op_duration=60, post_duration=15, color="#1A73E8"
        )
        rooms = [Resource(name=f"OP {n}", type="room", color="#6A5ACD") for n in (1, 2)]
        device = Resource(name="C-Bogen", type="device", color="#8B4513")
        session.add_all([kind, *rooms, device])
        session.flush()
        ids = {"type": kind.id, "op1": rooms[0].id, "op2": rooms[1].id, "device": device.id}
    d = practice.doctors
    for name, patient, surgeon, hour in (("mueller", 1001, d[0], 11), ("weber", 1003, d[2], 14)):
        body = {
            "patient_id": patient,
            "primary_surgeon": surgeon,
            "op_room": ids["op1"],
            "op_type": ids["type"],
            "start_time": at(hour),
        }
        response = httpx.post(
            practice.url + "/api/operations/", json=body, headers=practice.headers, timeout=10
        )
        assert response.status_code == 201, response.text
        ids[name] = int(response.json()["id"])
    return ids


@pytest.fixture
def coordinator(
    qtbot: QtBot, session: DesktopSession, practice: SeededPractice, server: RestartableServer
) -> tuple[MainWindow, DayClock]:
    clock = DayClock(server)
    user = sign_in(qtbot, session, practice.assistant_username, practice.password)
    window = MainWindow(session, user, clock=clock)
    qtbot.addWidget(window)
    window.resize(1366, 800)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window, clock


def server_ops(practice: SeededPractice) -> list[dict[str, Any]]:
    return list(practice.get(f"/api/operations/?date={MONDAY.isoformat()}").json())


def server_op(practice: SeededPractice, op_id: int) -> dict[str, Any]:
    return dict(practice.get(f"/api/operations/{op_id}/").json())


def open_plan(qtbot: QtBot, window: MainWindow) -> OpPlanPage:
    window.nav.setCurrentRow(window.page_keys.index("op_plan"))
    page = window.pages.currentWidget()
    assert isinstance(page, OpPlanPage)
    qtbot.waitUntil(lambda: page.data is not None and not page.loading, timeout=10_000)
    for _ in range(2):  # the whole day in sight: no scrolling while dragging
        QTest.mouseClick(page.zoom_out, Qt.MouseButton.LeftButton)
    return page


def row_of(page: OpPlanPage, name: str) -> int:
    assert page.data is not None
    return next(i for i, room in enumerate(page.data.rooms) if room.name == name)


def view_point(page: OpPlanPage, row: int, clock: time) -> QPoint:
    g = page.scene.geometry
    return page.view.mapFromScene(
        QPointF(g.x_of(datetime.combine(MONDAY, clock)), g.y_of(row) + 20)
    )


def block_point(page: OpPlanPage, block: OperationBlock) -> QPoint:
    page.view.ensureVisible(block, 20, 20)
    return page.view.mapFromScene(block.mapToScene(QPointF(12, 20)))


def click(page: OpPlanPage, where: QPoint) -> None:
    QTest.mouseClick(
        page.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where
    )


def right_click(qtbot: QtBot, page: OpPlanPage, where: QPoint) -> QMenu:
    # QTest's clicks never become context-menu events; the window system sends this one.
    viewport = page.view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, viewport.mapToGlobal(where))
    QApplication.sendEvent(viewport, event)
    qtbot.waitUntil(lambda: page.context_menu is not None and page.context_menu.isVisible())
    assert page.context_menu is not None
    return page.context_menu


def click_menu(menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    assert action.isEnabled(), f"„{text}“ is disabled"
    QTest.mouseClick(
        menu,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        menu.actionGeometry(action).center(),
    )


def test_op_coordinator_plans_and_runs_the_day(
    qtbot: QtBot,
    coordinator: tuple[MainWindow, DayClock],
    practice: SeededPractice,
    theatre: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, clock = coordinator
    page = open_plan(qtbot, window)
    op2 = row_of(page, "OP 2")

    # -- drag a free range in OP 2: the dialog opens with that room and start
    viewport = page.view.viewport()
    start, end = view_point(page, op2, time(11)), view_point(page, op2, time(12, 30))
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, QPoint((start.x() + end.x()) // 2, start.y()))
    QTest.mouseMove(viewport, end)
    assert page.scene.proposal is not None
    assert page.scene.proposal.isVisible()
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.choices is not None)
    dialog = page.dialog
    assert isinstance(dialog, OperationDialog)
    assert dialog.windowTitle() == "Neue OP"
    assert dialog.room.currentText() == "OP 2"
    assert dialog.time.time().toString("HH:mm") == "11:00"

    # -- patient by the search (Enter takes the first hit), type, team
    QTest.keyClicks(dialog.patient.search, "Wagner")
    QTest.keyClick(dialog.patient.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.patient.label.text().startswith("Wagner, Sophie"))
    dialog.kind.setCurrentIndex(dialog.kind.findData(theatre["type"]))
    assert "= 90 min" in dialog.phases.text()
    assert dialog.end_label.text() == "bis 12:30 Uhr"
    surgeon = dialog.team[next(iter(dialog.team))]
    surgeon.setCurrentIndex(surgeon.findText("Anna Müller"))
    anaesthesia = list(dialog.team.values())[2]
    anaesthesia.setCurrentIndex(anaesthesia.findText("Bernd Schmidt"))
    # Nobody holds two roles: the surgeon is not offered as assistant.
    assistant = list(dialog.team.values())[1]
    assert not assistant.model().item(assistant.findText("Anna Müller")).isEnabled()  # type: ignore[attr-defined]

    # -- the surgeon is busy: told who, where and when; the next start is offered
    qtbot.waitUntil(lambda: TEAM_ROLE_TEXT in dialog.verdict.text(), timeout=10_000)
    assert dialog.verdict.text() == (
        "Anna Müller (Operateur) operiert bereits 11:00–12:30 in OP 1 (Arthroskopie)."
    )
    qtbot.waitUntil(lambda: bool(dialog.suggestion_buttons))
    offer = dialog.suggestion_buttons[0]
    assert offer.isVisible()
    assert "13:15" in offer.text()  # after her operation and the lunch break
    QTest.mouseClick(offer, Qt.MouseButton.LeftButton)
    assert dialog.time.time().toString("HH:mm") == "13:15"
    assert dialog.end_label.text() == "bis 14:45 Uhr"
    qtbot.waitUntil(lambda: dialog.verdict.text().startswith("✓"), timeout=10_000)
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10_000)

    created = next(o for o in server_ops(practice) if o["patient_id"] == 1004)
    assert created["start_time"].startswith("2027-01-18T13:15")
    assert created["op_room"]["id"] == theatre["op2"]
    assert created["team"]["primary_surgeon"]["name"] == "Anna Müller"
    assert created["team"]["anesthesist"]["name"] == "Bernd Schmidt"
    assert created["status"] == "planned"
    op_id = int(created["id"])
    qtbot.waitUntil(lambda: op_id in page.scene.blocks, timeout=5000)
    block = page.scene.blocks[op_id]
    assert block.row == op2
    # Narrow at this zoom: surgeon's initials and the type's short name, the rest on hover.
    assert block.label == "AM · Arthr."
    assert "Wagner, Sophie" in block.tooltip()

    # -- confirm it from the block's context menu
    menu = right_click(qtbot, page, block_point(page, block))
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Bearbeiten …",
        "Bestätigen",
        "Absagen …",
    ]
    click_menu(menu, "Bestätigen")
    qtbot.waitUntil(lambda: server_op(practice, op_id)["status"] == "confirmed", timeout=5000)
    qtbot.waitUntil(lambda: page.scene.blocks[op_id].op.status == "confirmed", timeout=5000)
    assert "Status: <b>Bestätigt</b>" in page.details.text()
    # Not yet: starting is only possible from 13:15 on, and the button says so.
    starten = page.status_buttons["running"]
    assert not starten.isEnabled()
    assert "13:15" in starten.toolTip()

    # -- 13:20: start it with the keyboard (S on the selected block)
    clock.set(time(13, 20))
    click(page, block_point(page, page.scene.blocks[op_id]))
    qtbot.waitUntil(lambda: page.status_buttons["running"].isEnabled())
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: server_op(practice, op_id)["status"] == "running", timeout=5000)
    qtbot.waitUntil(lambda: page.scene.blocks[op_id].op.status == "running", timeout=5000)
    running = page.scene.blocks[op_id]
    assert running.elapsed == 5
    assert "Läuft seit 5 von 90 min" in page.details.text()

    # -- 15:00: it runs over its planned end (14:45); the overrun shows by itself
    clock.set(time(15))
    qtbot.waitUntil(lambda: page.scene.blocks[op_id].overrun == 15, timeout=5000)
    running = page.scene.blocks[op_id]
    assert "überzogen um 15 min" in running.tooltip()
    beyond = running.mapToScene(QPointF(running.width + 6, running.boundingRect().height() - 10))
    page.view.ensureVisible(running)
    spot = page.view.mapFromScene(beyond)
    assert page.view.viewport().grab().toImage().pixelColor(spot) == OVERRUN_FILL

    # -- finish it with the side panel's button
    QTest.mouseClick(page.status_buttons["done"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: server_op(practice, op_id)["status"] == "done", timeout=5000)
    qtbot.waitUntil(lambda: page.scene.blocks[op_id].op.status == "done", timeout=5000)
    assert page.status_buttons == {}
    assert "Status: <b>Abgeschlossen</b>" in page.details.text()

    # -- cancel Weber's operation (asked first)
    weber = page.scene.blocks[theatre["weber"]]
    menu = right_click(qtbot, page, block_point(page, weber))
    click_menu(menu, "Absagen …")
    qtbot.waitUntil(lambda: page.confirm_box is not None and page.confirm_box.isVisible())
    assert page.confirm_box is not None
    assert "Arthroskopie für Becker, Jonas" in page.confirm_box.text()
    yes = page.confirm_box.button(QMessageBox.StandardButton.Yes)
    assert yes.text() == "OP absagen"
    QTest.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: server_op(practice, theatre["weber"])["status"] == "cancelled", timeout=5000
    )
    qtbot.waitUntil(
        lambda: page.scene.blocks[theatre["weber"]].op.status == "cancelled", timeout=5000
    )
    # The other operations are untouched.
    assert server_op(practice, theatre["mueller"])["status"] == "planned"
    assert server_op(practice, op_id)["status"] == "done"

    # -- the OP list, opened from OP-Plan, shows the day as it went
    QTest.mouseClick(page.op_list_button, Qt.MouseButton.LeftButton)
    listing = page.op_list
    assert listing is not None
    qtbot.waitUntil(lambda: listing.loaded_once and not listing.loading, timeout=10_000)
    assert listing.isVisible()
    assert listing.column_texts(1) == ["11:00", "13:15", "14:00"]  # Beginn
    assert listing.column_texts(3) == ["OP 1", "OP 2", "OP 1"]  # Raum
    assert listing.column_texts(5) == [
        "Mustermann, Max (15.05.1990)",
        "Wagner, Sophie (09.07.2001)",
        "Becker, Jonas (30.11.1977)",
    ]
    assert listing.column_texts(7) == ["Geplant", "Abgeschlossen", "Abgesagt"]

    # -- "Als PDF …" saves the day's schedule with those operations (the file dialog is Qt's;
    # it answers with the place the coordinator would pick)
    target = tmp_path / "Tagesplan.pdf"
    asked: list[str] = []

    def save_as(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    QTest.mouseClick(listing.pdf_button, Qt.MouseButton.LeftButton)
    assert [Path(name).name for name in asked] == ["OP-Plan-2027-01-18.pdf"]
    [(size, text)] = pdf_pages(target.read_bytes())
    assert size == (842, 595)  # one A4 landscape page
    assert "OP-Plan Montag, 18.01.2027" in text
    for row in (
        ("OP 1", "11:00–12:30", "Mustermann, Max", "Anna Müller", "Geplant"),
        ("13:15–14:45", "Wagner, Sophie", "Abgeschlossen"),
        ("14:00–15:30", "Becker, Jonas", "Abgesagt"),
    ):
        for words in row:
            assert words in text, (words, text)
    # Grouped by room: OP 1's two operations come before OP 2's.
    assert text.index("Becker, Jonas") < text.index("OP 2") < text.index("Wagner, Sophie")
