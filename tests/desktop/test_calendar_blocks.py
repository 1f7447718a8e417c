"""What a block tells the front desk: the visit's status by badge, colour and word; the full
text on hover; cancelled, no-show and conflicts each look different; a legend explains it.

Against a live server: appointments are booked and moved through their statuses with the API
(master data and the day's state), the checks read the painted grid.
"""

from __future__ import annotations

import os
from datetime import time
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QToolTip
from pytestqt.qtbot import QtBot
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from desktop import theme
from desktop.views.calendar.legend import STATUS_LOOKS
from desktop.views.calendar.model import BlockStatus
from desktop.views.calendar.scene import STRIPE_W, AppointmentItem, CalendarScene, block_style
from desktop.views.main_window import MainWindow
from server.appointments.models import Appointment as AppointmentRow
from tests.desktop.helpers import slot_point
from tests.desktop.seed import SeededPractice, at, book

NOTE = "Nüchtern kommen, Befunde der Vorpraxis mitbringen"


def _api(practice: SeededPractice, method: str, path: str, body: dict[str, object]) -> int:
    response = httpx.request(
        method, practice.url + path, json=body, headers=practice.headers, timeout=10
    )
    assert response.status_code in (200, 201), response.text
    return int(response.json()["id"])


def _flow(practice: SeededPractice, appointment: int, *steps: str) -> int:
    """A patient flow for ``appointment``, moved along the chain through ``steps``."""
    flow = _api(
        practice, "POST", "/api/patient-flow/", {"appointment_id": appointment, "status": "waiting"}
    )
    for step in steps:
        _api(practice, "PATCH", f"/api/patient-flow/{flow}/status/", {"status": step})
    return flow


@pytest.fixture
def day_of_statuses(practice: SeededPractice, db: sessionmaker[Session]) -> dict[str, int]:
    """Dr. Weber's Monday with one appointment in every block status (Müller's 9:00 stays
    "geplant")."""
    weber = practice.doctors[2]
    ids = {
        "arrived": book(practice, "arrived", 1004, weber, at(8), at(8, 10), notes=NOTE),
        "confirmed": book(practice, "confirmed", 1001, weber, at(8, 30), at(9)),
        "cancelled": book(practice, "cancelled", 1002, weber, at(9), at(9, 30)),
        "no_show": book(practice, "no_show", 1003, weber, at(11), at(11, 30)),
        "treated": book(practice, "treated", 1004, weber, at(14), at(14, 30)),
        "done": book(practice, "done", 1001, weber, at(15), at(15, 30)),
    }
    _api(practice, "PATCH", f"/api/appointments/{ids['confirmed']}/", {"status": "confirmed"})
    _api(practice, "PATCH", f"/api/appointments/{ids['cancelled']}/", {"status": "cancelled"})
    # The server marks no-shows only once an appointment is over, and the test day lies ahead.
    with db() as session, session.begin():
        session.execute(
            update(AppointmentRow)
            .where(AppointmentRow.id == ids["no_show"])
            .values(is_no_show=True)
        )
    _flow(practice, ids["arrived"])
    _flow(practice, ids["treated"], "preparing", "in_treatment")
    _flow(practice, ids["done"], "preparing", "in_treatment", "post_treatment", "done")
    return ids


@pytest.fixture
def grid(qtbot: QtBot, day_of_statuses: dict[str, int], window: MainWindow) -> CalendarScene:
    """The calendar showing that day (F5, as the desk would, if it was open already)."""
    scene = window.calendar.grid.calendar_scene
    QTest.keyClick(window.calendar, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: set(day_of_statuses.values()) <= set(scene.items_by_id), timeout=10_000)
    return scene


def _viewport_image(window: MainWindow) -> QImage:
    return (
        window.calendar.grid.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    )


def _block_area(window: MainWindow, item: AppointmentItem) -> QRect:
    view = window.calendar.grid
    view.ensureVisible(item.sceneBoundingRect(), 0, 60)
    return view.mapFromScene(item.sceneBoundingRect()).boundingRect()


def _colours(image: QImage, area: QRect) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for y in range(area.top(), area.bottom() + 1)
        for x in range(area.left(), area.right() + 1)
        if image.rect().contains(x, y)
    }


def _words(item: AppointmentItem) -> list[str]:
    """The " · "-separated parts of a block's painted lines."""
    return [part for line in item.shown_text() for part in line.split(" · ")]


EXPECTED = {
    "mueller_9": (BlockStatus.SCHEDULED, "geplant"),
    "confirmed": (BlockStatus.CONFIRMED, "bestätigt"),
    "arrived": (BlockStatus.ARRIVED, "da"),
    "treated": (BlockStatus.IN_TREATMENT, "in Behandlung"),
    "done": (BlockStatus.DONE, "fertig"),
    "no_show": (BlockStatus.NO_SHOW, "nicht erschienen"),
    "cancelled": (BlockStatus.CANCELLED, "abgesagt"),
}


def test_every_block_shows_its_status_by_word_badge_and_colour(
    window: MainWindow, grid: CalendarScene, practice: SeededPractice
) -> None:
    for name, (status, word) in EXPECTED.items():
        item = grid.items_by_id[practice.appointments[name]]
        assert word in _words(item), (name, item.shown_text())
        assert item.shown_icon() is status, name
        # the status colour runs down the block's left edge
        area = _block_area(window, item)
        image = _viewport_image(window)
        stripe = image.pixelColor(area.left() + 1 + int(STRIPE_W) // 2, area.center().y())
        assert stripe.name() == QColor(STATUS_LOOKS[status].color).name(), name


def test_the_status_follows_the_patient_flow_live(
    qtbot: QtBot, window: MainWindow, grid: CalendarScene, practice: SeededPractice
) -> None:
    mueller_9 = practice.appointments["mueller_9"]
    assert grid.items_by_id[mueller_9].shown_icon() is BlockStatus.SCHEDULED

    _flow(practice, mueller_9)  # checked in at another workstation

    qtbot.waitUntil(
        lambda: grid.items_by_id[mueller_9].shown_icon() is BlockStatus.ARRIVED, timeout=10_000
    )
    assert "da" in _words(grid.items_by_id[mueller_9])


def _ink_rows(image: QImage, area: QRect, ink: QColor) -> list[int]:
    """Rows of ``area`` holding pixels near ``ink`` (the label's text colour)."""
    rows = []
    for y in range(area.top(), area.bottom() + 1):
        if any(
            theme.contrast(image.pixelColor(x, y), ink) < 1.6
            for x in range(area.left(), area.right() + 1)
        ):
            rows.append(y)
    return rows


def test_a_ten_minute_block_shows_its_line_with_ascenders_and_descenders(
    window: MainWindow, grid: CalendarScene, practice: SeededPractice
) -> None:
    item = grid.items_by_id[practice.appointments["arrived"]]  # 08:00–08:10, 15-minute grid
    line = item.shown_text()
    assert len(line) == 1
    assert line[0].startswith("08:00 Wagner, Sophie")
    # How high the ink of this very line is when nothing cuts it …
    font = QFont(grid.item_font)
    free = QImage(400, 60, QImage.Format.Format_RGB32)
    free.fill(QColor("#FFFFFF"))
    painter = QPainter(free)
    painter.setFont(font)
    painter.setPen(QColor("#000000"))
    painter.drawText(QPoint(4, 40), line[0])
    painter.end()
    free_rows = _ink_rows(free, free.rect(), QColor("#000000"))
    # … and on the block (text area only: right of the badge, inside the border).
    area = _block_area(window, item)
    text_area = QRect(area.left() + 26, area.top(), area.width() - 30, area.height())
    fg = block_style(item.appointment.doctor_color)[2]  # the text colour on Weber's colour
    block_rows = _ink_rows(_viewport_image(window), text_area, fg)
    assert block_rows, "no text on the block"
    assert len(block_rows) >= len(free_rows) - 1  # at most one pixel row lost, not descenders
    assert block_rows[-1] <= area.bottom()


def test_hovering_a_block_shows_its_full_text(
    qtbot: QtBot, window: MainWindow, grid: CalendarScene, practice: SeededPractice
) -> None:
    view = window.calendar.grid
    point = slot_point(view, 2, time(8), dy=5)
    QToolTip.hideText()

    hover = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    view.viewportEvent(hover)

    qtbot.waitUntil(QToolTip.isVisible)
    text = QToolTip.text()
    assert "08:00–08:10  Wagner, Sophie" in text
    assert "Status: da" in text
    assert "Clara Weber" in text
    assert f"Notiz: {NOTE}" in text
    QToolTip.hideText()


def test_cancelled_and_no_show_look_unlike_a_conflict(
    qtbot: QtBot, window: MainWindow, grid: CalendarScene, practice: SeededPractice
) -> None:
    red = QColor(theme.RED).name()
    cancelled = grid.items_by_id[practice.appointments["cancelled"]]
    no_show = grid.items_by_id[practice.appointments["no_show"]]
    image = _viewport_image(window)
    for item in (cancelled, no_show):
        assert red not in _colours(image, _block_area(window, item))
    # cancelled: grey, readable text, struck through; no-show: purple mark
    cancelled_colours = _colours(_viewport_image(window), _block_area(window, cancelled))
    assert QColor(theme.CANCELLED_FILL).name() in cancelled_colours
    assert QColor(theme.CANCELLED_TEXT).name() in cancelled_colours
    assert theme.contrast(theme.CANCELLED_TEXT, theme.CANCELLED_FILL) >= 4.5
    assert QColor(theme.NO_SHOW).name() in _colours(
        _viewport_image(window), _block_area(window, no_show)
    )

    # dragging Müller's 10:00 onto 9:00 (taken) paints the conflict red
    view = window.calendar.grid
    mueller_10 = grid.items_by_id[practice.appointments["mueller_10"]]
    start = slot_point(view, 0, time(10), dy=8)
    target = slot_point(view, 0, time(9), dy=8)
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, QPoint(start.x(), (start.y() + target.y()) // 2))
    QTest.mouseMove(viewport, target)
    qtbot.waitUntil(lambda: mueller_10.conflict)
    dragged = view.mapFromScene(mueller_10.sceneBoundingRect()).boundingRect()
    assert red in _colours(_viewport_image(window), dragged)
    # back where it was: nothing is sent to the server
    QTest.mouseMove(viewport, start)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    assert not mueller_10.conflict


def test_the_legend_explains_the_marks_and_can_be_shown_and_hidden(
    qtbot: QtBot, window: MainWindow, grid: CalendarScene
) -> None:
    button = window.calendar.legend_button
    assert button.isVisible()
    assert button.text() == "Legende"
    panel = button.panel
    assert not panel.isVisible()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(panel.isVisible)
    shown = {label.text() for label in panel.findChildren(QLabel) if label.isVisible()}
    for _status, word in EXPECTED.values():
        assert word in shown
    for mark in ("Konflikt", "Pause", "Abwesend", "Außerhalb der Sprechzeit", "Jetzt"):
        assert mark in shown
    assert panel.geometry().top() >= button.mapToGlobal(QPoint(0, button.height())).y()

    QTest.keyClick(panel, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not panel.isVisible())
    assert not button.isChecked()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel.isVisible)
    button.setChecked(False)  # the same button, pressed again
    qtbot.waitUntil(lambda: not panel.isVisible())


def test_day_view_render_for_review(
    window: MainWindow, grid: CalendarScene, tmp_path: Path
) -> None:
    """Writes the day as the desk sees it (``PRAXI_BLOCKS_PNG`` names a copy to keep)."""
    window.calendar.grid.scroll_to_hour(8)
    image = window.calendar.grab()
    assert image.save(str(tmp_path / "blocks_day.png"))
    keep = os.environ.get("PRAXI_BLOCKS_PNG")
    if keep:
        image.save(keep)
