"""What the front desk does with the mouse on the calendar and the board, for the tests of
check-in, cancelling and the morning scenario (right-click menus, menu clicks, drags)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from desktop.views.calendar.page import CalendarPage
from desktop.views.calendar.scene import AppointmentItem
from desktop.views.main_window import MainWindow
from desktop.views.patient_flow.page import Card, PatientFlowPage
from shared.domain.statuses import PatientFlowStatus
from tests.desktop.seed import SeededPractice


def block(page: CalendarPage, appointment_id: int) -> AppointmentItem:
    return page.grid.calendar_scene.items_by_id[appointment_id]


def click_block(page: CalendarPage, appointment_id: int) -> None:
    """A left click on the block: it becomes the selected appointment."""
    item = block(page, appointment_id)
    view = page.grid
    view.ensureVisible(item.sceneBoundingRect(), 0, 40)
    where = view.mapFromScene(item.sceneBoundingRect().center())
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where
    )


def right_click_block(qtbot: QtBot, page: CalendarPage, appointment_id: int) -> QMenu:
    """Right-click on the block; returns the context menu that opens."""
    item = block(page, appointment_id)
    view = page.grid
    view.ensureVisible(item.sceneBoundingRect(), 0, 40)
    where = view.mapFromScene(item.sceneBoundingRect().center())
    # QTest's mouse clicks go straight to the widget and never become a context-menu event;
    # the window system sends this one after a right click.
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, view.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: getattr(page, "context_menu", None) is not None)
    menu: QMenu = page.context_menu
    qtbot.waitUntil(menu.isVisible)
    return menu


def menu_texts(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def click_menu(menu: QMenu, text: str) -> None:
    """Click the entry as a user does (its place in the open menu)."""
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    assert action.isEnabled(), f"„{text}“ is disabled"
    QTest.mouseClick(
        menu,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        menu.actionGeometry(action).center(),
    )


def open_board(qtbot: QtBot, window: MainWindow) -> PatientFlowPage:
    window.nav.setCurrentRow(window.page_keys.index("patient_flow"))
    page = window.pages.currentWidget()
    assert isinstance(page, PatientFlowPage)
    qtbot.waitUntil(lambda: page.opened and not page.loading, timeout=10_000)
    return page


def open_calendar(qtbot: QtBot, window: MainWindow) -> CalendarPage:
    window.nav.setCurrentRow(window.page_keys.index("calendar"))
    page = window.calendar
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)
    return page


def drag_card(card: Card, page: PatientFlowPage, status: str) -> None:
    column = page.columns[PatientFlowStatus(status)]
    target = card.mapFromGlobal(column.mapToGlobal(QPoint(column.width() // 2, 60)))
    start = QPoint(10, 10)
    QTest.mousePress(card, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(card, target)
    QTest.mouseRelease(card, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)


def flows_of(practice: SeededPractice, appointment_id: int) -> list[dict[str, Any]]:
    """The server's patient flows of one appointment (all, finished ones too)."""
    rows: list[dict[str, Any]] = practice.get("/api/patient-flow/").json()
    return [r for r in rows if (r.get("appointment") or {}).get("id") == appointment_id]


def card_of(page: PatientFlowPage, patient_part: str) -> Card | None:
    return next((c for c in page.cards.values() if patient_part in c.card.patient), None)
