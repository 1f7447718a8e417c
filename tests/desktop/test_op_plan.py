"""OP-Plan: rooms as rows, drag to another time or room, refusals snap back, live updates;
the operation dialog edits and explains conflicts; only planners get the planning actions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import httpx
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from desktop.views.main_window import MainWindow
from desktop.views.op_plan.geometry import ROW_H
from desktop.views.op_plan.operation_dialog import OperationDialog
from desktop.views.op_plan.page import OpPlanPage
from desktop.views.op_plan.timeline import OperationBlock
from server.master_data.models import OperationType, Resource
from server.working_hours.models import DoctorHours, PracticeHours
from tests.desktop.seed import MONDAY, SeededPractice, at
from tests.desktop.staff import OpenWindow, staff_window

__all__ = ["staff_window"]


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
    # what is in the way, and when — in the block's tooltip, in German
    assert block.conflict == (
        "OP 2 ist 11:00–12:30 durch eine andere OP belegt (Arthroskopie, Clara Weber)."
    )
    assert block.tooltip() == block.conflict
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
    QTest.mouseClick(page.status_buttons["confirmed"], Qt.MouseButton.LeftButton)
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
    assert shown.args[0] == (
        "Verschieben abgelehnt: OP 2 ist 11:00–12:30 durch eine andere OP belegt "
        "(Arthroskopie, Clara Weber)."
    )
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


# -- week range -------------------------------------------------------------------------------

TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = (
    MONDAY + timedelta(days=n) for n in (1, 2, 3, 4, 5)
)


def create_op(
    practice: SeededPractice, kind: int, patient: int, surgeon: int, room: int, start: str
) -> int:
    body = {
        "patient_id": patient,
        "primary_surgeon": surgeon,
        "op_room": room,
        "op_type": kind,
        "start_time": start,
    }
    response = httpx.post(
        practice.url + "/api/operations/", json=body, headers=practice.headers, timeout=10
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
def op_week(practice: SeededPractice, op_day: dict[str, int]) -> dict[str, int]:
    """Besides Monday's two: Tuesday 10:00 in OP 2, Thursday 14:00 in OP 1, next Wednesday."""
    d = practice.doctors
    ids = dict(op_day)
    ids["tue"] = create_op(practice, ids["type"], 1002, d[1], ids["op2"], at(10, day=TUESDAY))
    ids["thu"] = create_op(practice, ids["type"], 1003, d[0], ids["op1"], at(14, day=THURSDAY))
    next_wednesday = WEDNESDAY + timedelta(days=7)
    ids["next"] = create_op(
        practice, ids["type"], 1004, d[2], ids["op1"], at(9, day=next_wednesday)
    )
    return ids


def open_week(qtbot: QtBot, window: MainWindow) -> OpPlanPage:
    page = open_plan(qtbot, window)
    QTest.mouseClick(page.week_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.data is not None and page.data.week and not page.loading, timeout=10_000
    )
    return page


def column_of(page: OpPlanPage, block: OperationBlock) -> int:
    """Index of the day column the block's left edge lies in."""
    g = page.scene.geometry
    columns = [i for i in range(len(g.shown_days)) if g.day_x(i) <= block.x() < g.day_x(i + 1)]
    assert len(columns) == 1, (block.x(), [g.day_x(i) for i in range(len(g.shown_days) + 1)])
    return columns[0]


def week_points(page: OpPlanPage, *targets: tuple[int, date, time]) -> list[QPoint]:
    """View points of (row, day, clock) targets, all scrolled into view together."""
    g = page.scene.geometry
    points = [
        QPointF(g.x_of(datetime.combine(day, clock)) + 4, g.y_of(row) + 20)
        for row, day, clock in targets
    ]
    xs, ys = [p.x() for p in points], [p.y() for p in points]
    area = QRectF(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
    page.view.ensureVisible(area, 20, 20)
    return [page.view.mapFromScene(p) for p in points]


def test_week_range_shows_the_operations_of_each_day_in_its_column(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_week: dict[str, int]
) -> None:
    page = open_week(qtbot, window)
    assert page.data is not None
    assert page.data.days == [MONDAY + timedelta(days=n) for n in range(5)]  # no weekend ops
    assert [page.scene.day_label(day) for day in page.data.days[:2]] == ["Mo 18.01.", "Di 19.01."]
    assert "KW 3" in page.range_label.text()
    blocks = page.scene.blocks
    assert op_week["next"] not in blocks  # next week's operation is not part of this week
    assert (column_of(page, blocks[op_week["a"]]), blocks[op_week["a"]].row) == (0, 1)
    assert (column_of(page, blocks[op_week["b"]]), blocks[op_week["b"]].row) == (0, 2)
    assert (column_of(page, blocks[op_week["tue"]]), blocks[op_week["tue"]].row) == (1, 2)
    assert (column_of(page, blocks[op_week["thu"]]), blocks[op_week["thu"]].row) == (3, 1)
    # the same clock time sits at the same place within each day column
    g = page.scene.geometry
    assert blocks[op_week["tue"]].x() - g.day_x(1) == pytest.approx(
        g.x_of(datetime.combine(MONDAY, time(10))) - g.day_x(0)
    )
    # hovering a block tells its day and time
    tuesday = blocks[op_week["tue"]]
    page.view.ensureVisible(tuesday)
    spot = page.view.mapFromScene(tuesday.mapToScene(QPointF(10, 20)))
    help_event = QHelpEvent(QEvent.Type.ToolTip, spot, page.view.viewport().mapToGlobal(spot))
    QApplication.sendEvent(page.view.viewport(), help_event)
    assert "Di 19.01., 10:00–11:30" in QToolTip.text()
    # utilisation of the shown week: OP 1 has 2 × 90 min of 5 × 480 min (04 §5.8)
    assert page.data.rooms[1].utilization == pytest.approx(180 / 2400)
    # the side panel and its status actions work on a block of another day
    tuesday_block = blocks[op_week["tue"]]
    tuesday_block.on_select and tuesday_block.on_select(tuesday_block)
    assert "19.01.2027" in page.details.text()
    QTest.mouseClick(page.status_buttons["confirmed"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: server_op(practice, op_week["tue"])["status"] == "confirmed")
    qtbot.waitUntil(lambda: page.scene.blocks[op_week["tue"]].op.status == "confirmed")
    assert page.data.week
    # the range is remembered: a page opened later starts in the week range
    assert window.prefs.qsettings.value("op_plan/range") == "week"
    later = OpPlanPage(window.ops, window.user, settings=window.prefs.qsettings)
    qtbot.addWidget(later)
    assert later.week
    assert later.week_button.isChecked()
    # back to Tag: one day again
    QTest.mouseClick(page.day_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data is not None and not page.data.week, timeout=10_000)
    assert set(page.scene.blocks) == {op_week["a"], op_week["b"]}


def test_week_range_adds_the_weekend_when_an_operation_starts_on_it(
    qtbot: QtBot,
    window: MainWindow,
    practice: SeededPractice,
    op_week: dict[str, int],
    db: sessionmaker[Session],
) -> None:
    surgeon = practice.doctors[2]
    with db() as session, session.begin():
        session.add(PracticeHours(weekday=5, start_time=time(8), end_time=time(13)))
        session.add(
            DoctorHours(doctor_id=surgeon, weekday=5, start_time=time(8), end_time=time(13))
        )
    saturday = create_op(
        practice, op_week["type"], 1004, surgeon, op_week["op2"], at(9, day=SATURDAY)
    )
    page = open_week(qtbot, window)
    assert page.data is not None
    assert len(page.data.days) == 7
    assert page.scene.day_label(page.data.days[5]) == "Sa 23.01."
    block = page.scene.blocks[saturday]
    assert (column_of(page, block), block.row) == (5, 2)


def test_week_drag_to_another_day_moves_the_operation_to_that_date(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_week: dict[str, int]
) -> None:
    page = open_week(qtbot, window)
    start, end = week_points(page, (1, MONDAY, time(11)), (2, WEDNESDAY, time(14)))
    drag(page, start, end)
    qtbot.waitUntil(
        lambda: str(server_op(practice, op_week["a"])["start_time"]).startswith("2027-01-20T14:00"),
        timeout=5000,
    )
    assert server_op(practice, op_week["a"])["op_room"]["id"] == op_week["op2"]  # type: ignore[index]
    qtbot.waitUntil(
        lambda: page.scene.blocks[op_week["a"]].op.start == datetime.combine(WEDNESDAY, time(14)),
        timeout=5000,
    )
    block = page.scene.blocks[op_week["a"]]
    assert (column_of(page, block), block.row) == (2, 2)


def test_week_move_onto_a_busy_room_snaps_back_with_the_message(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_week: dict[str, int]
) -> None:
    page = open_week(qtbot, window)
    block = page.scene.blocks[op_week["a"]]
    origin = block.pos()
    # Tuesday 10:30 in OP 2 overlaps Tuesday's operation there (10:00–11:30)
    start, end = week_points(page, (1, MONDAY, time(11)), (2, TUESDAY, time(10, 30)))
    with qtbot.waitSignal(page.message_shown, timeout=5000) as shown:
        drag(page, start, end)
    assert "OP 2 ist 10:00–11:30 durch eine andere OP belegt (Arthroskopie, Bernd Schmidt)." in str(
        shown.args[0]
    )
    assert page.message.isVisible()
    assert page.scene.blocks[op_week["a"]].pos() == origin
    assert str(server_op(practice, op_week["a"])["start_time"]).startswith("2027-01-18T11:00")


def test_week_navigation_moves_by_a_week(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_week: dict[str, int]
) -> None:
    page = open_week(qtbot, window)
    # the main window's navigator steers the OP-Plan while it is shown
    assert window.next_button.accessibleName() == "Nächste Woche"
    QTest.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.data is not None and page.data.days[0] == MONDAY + timedelta(days=7),
        timeout=10_000,
    )
    assert page.day == MONDAY + timedelta(days=7)
    assert set(page.scene.blocks) == {op_week["next"]}
    assert column_of(page, page.scene.blocks[op_week["next"]]) == 2
    assert "KW 4" in page.range_label.text()
    QTest.mouseClick(window.prev_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.prev_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.data is not None and page.data.days[0] == MONDAY - timedelta(days=7),
        timeout=10_000,
    )
    assert page.scene.blocks == {}
    # in the day range ◀ ▶ go back to single days
    QTest.mouseClick(page.day_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: page.data is not None and page.data.days == [MONDAY - timedelta(days=6)],
        timeout=10_000,
    )


def test_week_range_follows_changes_from_another_client(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_week: dict[str, int]
) -> None:
    page = open_week(qtbot, window)
    qtbot.waitUntil(lambda: window.session.live.connected, timeout=5000)
    response = httpx.patch(
        practice.url + f"/api/operations/{op_week['tue']}/",
        json={"start_time": at(10, day=WEDNESDAY)},
        headers=practice.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    qtbot.waitUntil(lambda: column_of(page, page.scene.blocks[op_week["tue"]]) == 2, timeout=1500)


def test_week_scrolled_to_the_far_right_keeps_the_room_names_in_sight(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_week: dict[str, int]
) -> None:
    page = open_week(qtbot, window)
    assert page.data is not None
    view, g = page.view, page.scene.geometry
    page.zoom(2)  # the week is wider than the window
    bar = view.horizontalScrollBar()
    assert bar.maximum() > bar.minimum()
    bar.setValue(bar.maximum())
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.left() > g.day_x(1)  # Monday has scrolled out of sight, Friday is in it
    assert shown.right() >= g.day_x(4) + g.day_width / 2
    header = view.room_header
    assert header.isVisible()
    for row in range(len(page.data.rooms)):
        label = header.label_rect(row).toRect()
        in_view = QRect(header.mapTo(view, label.topLeft()), label.size())
        assert view.rect().contains(in_view), (row, in_view, view.rect())
        # beside its own row: the row's middle is level with the label's row
        middle = view.mapFromScene(QPointF(shown.left(), g.y_of(row) + ROW_H / 2))
        middle_y = view.viewport().mapTo(view, middle).y()
        assert in_view.top() < middle_y < in_view.top() + ROW_H
    # painted there, not only placed: OP 1's colour stripe is in a grab of the view
    stripe = header.mapTo(view, QPoint(2, round(header.row_top(1) + ROW_H / 2)))
    assert view.grab().toImage().pixelColor(stripe) == QColor("#6A5ACD")
    # the hour labels sit just above the scrolled area, as wide as it
    assert view.time_axis.isVisible()
    assert view.time_axis.geometry().bottom() + 1 == view.viewport().geometry().top()
    assert view.time_axis.width() == view.viewport().width()
    # clicking and dragging blocks works as before, here from Thursday to Friday in OP 2
    thursday = page.scene.blocks[op_week["thu"]]
    start, end = week_points(page, (1, THURSDAY, time(14)), (2, FRIDAY, time(9)))
    assert bar.value() > bar.minimum()
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start
    )
    assert page.selected == op_week["thu"]
    assert thursday.isSelected()
    assert "21.01.2027" in page.details.text()
    drag(page, start, end)
    qtbot.waitUntil(
        lambda: str(server_op(practice, op_week["thu"])["start_time"]).startswith(
            "2027-01-22T09:00"
        ),
        timeout=5000,
    )
    assert server_op(practice, op_week["thu"])["op_room"]["id"] == op_week["op2"]  # type: ignore[index]
    qtbot.waitUntil(lambda: column_of(page, page.scene.blocks[op_week["thu"]]) == 4, timeout=5000)


# -- creating and editing in the dialog -------------------------------------------------------


def open_block(qtbot: QtBot, page: OpPlanPage, op_id: int) -> OperationDialog:
    """Double-click on the block: its operation opens for editing."""
    block = page.scene.blocks[op_id]
    page.view.ensureVisible(block, 20, 20)
    where = page.view.mapFromScene(block.mapToScene(QPointF(12, 20)))
    QTest.mouseDClick(
        page.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where
    )
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.choices is not None)
    assert page.dialog is not None
    return page.dialog


def test_editing_explains_room_and_device_conflicts_and_saves_a_new_time(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_day: dict[str, int]
) -> None:
    page = open_plan(qtbot, window)
    dialog = open_block(qtbot, page, op_day["b"])
    assert dialog.windowTitle() == "OP bearbeiten"
    assert dialog.patient.label.text().startswith("Wagner, Sophie")
    assert dialog.room.currentText() == "OP 2"
    assert dialog.time.time().toString("HH:mm") == "11:00"
    assert dialog.kind.currentData() == op_day["type"]
    assert dialog.end_label.text() == "bis 12:30 Uhr"
    surgeon, assistant, _anaesthesia = dialog.team.values()
    assert surgeon.currentText() == "Clara Weber"
    assert assistant.currentData() is None
    qtbot.waitUntil(lambda: dialog.verdict.text().startswith("✓"), timeout=10_000)
    # OP 1 is taken by Müller's arthroscopy at that time: said with what and when
    dialog.room.setCurrentIndex(dialog.room.findText("OP 1"))
    qtbot.waitUntil(lambda: "OP 1 ist" in dialog.verdict.text(), timeout=10_000)
    assert dialog.verdict.text() == (
        "OP 1 ist 11:00–12:30 durch eine andere OP belegt (Arthroskopie, Anna Müller)."
    )
    # back in OP 2, the C-arm is the one in the way
    dialog.room.setCurrentIndex(dialog.room.findText("OP 2"))
    qtbot.waitUntil(lambda: dialog.verdict.text().startswith("✓"), timeout=10_000)
    c_arm = dialog.devices.findItems("C-Bogen", Qt.MatchFlag.MatchExactly)[0]
    c_arm.setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: "C-Bogen" in dialog.verdict.text(), timeout=10_000)
    assert dialog.verdict.text() == (
        "Gerät C-Bogen wird 11:00–12:30 bei einer anderen OP in OP 1 gebraucht."
    )
    # at 14:00 all is free; saving moves the block
    dialog.time.setTime(dialog.time.time().fromString("14:00", "HH:mm"))
    qtbot.waitUntil(lambda: dialog.verdict.text().startswith("✓"), timeout=10_000)
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10_000)
    saved = server_op(practice, op_day["b"])
    assert str(saved["start_time"]).startswith("2027-01-18T14:00")
    assert [d["name"] for d in saved["op_devices"]] == ["C-Bogen"]  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: page.scene.blocks[op_day["b"]].op.start.time() == time(14), timeout=5000
    )


def test_new_operation_button_and_ctrl_n_open_an_empty_dialog(
    qtbot: QtBot, window: MainWindow, practice: SeededPractice, op_day: dict[str, int]
) -> None:
    page = open_plan(qtbot, window)
    assert page.new_button.isVisible()
    QTest.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.choices is not None)
    dialog = page.dialog
    assert dialog is not None
    assert dialog.windowTitle() == "Neue OP"
    assert not dialog.save_button.isEnabled()  # nothing chosen yet
    assert dialog.patient.search.hasFocus() or dialog.patient.search.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: page.dialog is None)
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.dialog is not None)
    assert page.dialog is not None
    page.dialog.reject()


def test_doctors_see_the_plan_without_planning_actions(
    qtbot: QtBot, staff_window: OpenWindow, op_day: dict[str, int]
) -> None:
    window = staff_window("doctor")
    page = open_plan(qtbot, window)
    assert not page.new_button.isVisible()
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.dialog is None
