"""The grid widget: scrolling, pinned header, selection, drag to move/resize, keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from desktop.views.calendar.model import Appointment
from desktop.views.calendar.scene import (
    HEADER_H,
    MIN_COLUMN_W,
    RESIZE_GRIP,
    RULER_W,
    SLOT_PX,
    AppointmentItem,
    CalendarScene,
)


@dataclass
class _Drag:
    item: AppointmentItem
    resize: bool
    press: QPointF
    origin_pos: QPointF
    origin_height: float
    moved: bool = False
    column: int = 0
    start: datetime | None = None
    end: datetime | None = None


class CalendarView(QGraphicsView):
    """Emits intentions; the calendar page turns them into background operations."""

    create_requested = Signal(int, object)  # column, start datetime
    open_requested = Signal(object)  # Appointment
    move_requested = Signal(object, int, object, object)  # Appointment, column, start, end
    context_requested = Signal(object, object)  # Appointment, global QPoint
    #: Strg+D on a selected appointment: "Patient ist da" (the one check-in key)
    check_in_requested = Signal(object)  # Appointment
    #: Page-level commands typed while the grid has focus ("new", "today", "prev", "next", "undo")
    command = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        self.calendar_scene = CalendarScene()
        super().__init__(self.calendar_scene, parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Minimal updates for item changes (selection, drag); scrolling repaints everything
        # because the header and the time ruler are pinned to the viewport's edges.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlags(
            QGraphicsView.OptimizationFlag.DontSavePainterState
            | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing
        )
        self.horizontalScrollBar().valueChanged.connect(self._repaint_all)
        self.verticalScrollBar().valueChanged.connect(self._repaint_all)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(self.tr("Terminkalender"))
        self._drag: _Drag | None = None
        self.fixed_column_w: float | None = None
        #: False in the resource view: blocks open on double-click but are not dragged
        self.moves_enabled = True

    # -- layout ---------------------------------------------------------------------------

    def column_width(self, count: int) -> float:
        if self.fixed_column_w is not None:
            return self.fixed_column_w
        available = self.viewport().width() - RULER_W - 2
        return max(MIN_COLUMN_W, available / max(count, 1))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        scene = self.calendar_scene
        if scene.columns:
            scene.relayout(self.column_width(len(scene.columns)))

    def _repaint_all(self) -> None:
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802 - Qt override
        # Items paint without saving the painter state (DontSavePainterState): start clean.
        painter.setOpacity(1.0)
        painter.setWorldTransform(self.viewportTransform())
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        self.calendar_scene.paint_pinned(painter, visible)

    def scroll_to_hour(self, hour: int) -> None:
        geo = self.calendar_scene.geometry
        y = HEADER_H + max(0, hour - geo.first_hour) * 60 * geo.px_per_minute - HEADER_H
        self.verticalScrollBar().setValue(int(y))

    # -- hit testing ----------------------------------------------------------------------

    def item_at(self, pos: QPointF) -> AppointmentItem | None:
        for item in self.items(pos.toPoint()):
            if isinstance(item, AppointmentItem):
                return item
        return None

    def _scene_pos(self, event: QMouseEvent) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    # -- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        item = self.item_at(event.position())
        scene = self.calendar_scene
        if event.button() != Qt.MouseButton.LeftButton:
            if item is not None:
                scene.clearSelection()
                item.setSelected(True)
            return
        pos = self._scene_pos(event)
        if item is None:
            scene.clearSelection()
            column = scene.column_at(pos.x())
            if column is not None and pos.y() > HEADER_H:
                self.set_cursor(column, scene.slot_at(pos.y()))
            return
        scene.clearSelection()
        item.setSelected(True)
        self.set_cursor(item.column, scene.slot_at(item.pos().y() + 1))
        if not self.moves_enabled:
            return
        local = item.mapFromScene(pos)
        resize = local.y() >= item.block_rect().bottom() - RESIZE_GRIP
        self._drag = _Drag(
            item, resize, pos, item.pos(), item.block_rect().height(), column=item.column
        )

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        drag = self._drag
        if drag is None:
            item = self.item_at(event.position()) if self.moves_enabled else None
            if item is not None:
                local = item.mapFromScene(self._scene_pos(event))
                near_edge = local.y() >= item.block_rect().bottom() - RESIZE_GRIP
                self.viewport().setCursor(
                    Qt.CursorShape.SizeVerCursor if near_edge else Qt.CursorShape.OpenHandCursor
                )
            else:
                self.viewport().unsetCursor()
            return
        pos = self._scene_pos(event)
        delta = pos - drag.press
        if not drag.moved and abs(delta.x()) + abs(delta.y()) < 4:
            return
        drag.moved = True
        scene = self.calendar_scene
        geo = scene.geometry
        a = drag.item.appointment
        step = geo.slot_minutes
        if drag.resize:
            minutes = max(
                step, round((drag.origin_height + delta.y()) / geo.px_per_minute / step) * step
            )
            drag.start, drag.end, drag.column = (
                a.start,
                a.start + timedelta(minutes=minutes),
                drag.item.column,
            )
            rect = drag.item.block_rect()
            drag.item.prepareGeometryChange()
            drag.item._rect.setHeight(minutes * geo.px_per_minute - 1)
            del rect
        else:
            column = scene.column_at(pos.x())
            if column is None:
                column = drag.item.column
            shift = round(delta.y() / geo.px_per_minute / step) * step
            duration = a.end - a.start
            day = scene.columns[column].day
            start = datetime.combine(day, a.start.time()) + timedelta(minutes=shift)
            drag.start, drag.end, drag.column = start, start + duration, column
            drag.item.setPos(
                geo.x_of(column) + 3,
                geo.y_of(start.time()) if start.date() == day else drag.origin_pos.y(),
            )
        drag.item.conflict = scene.local_conflict(drag.column, drag.start, drag.end, a.id)
        drag.item.setZValue(5)
        drag.item.update()
        self.viewport().setCursor(
            Qt.CursorShape.ClosedHandCursor if not drag.resize else Qt.CursorShape.SizeVerCursor
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        drag, self._drag = self._drag, None
        if drag is None or not drag.moved or drag.start is None or drag.end is None:
            return
        a = drag.item.appointment
        drag.item.setZValue(2)
        drag.item.conflict = False
        if drag.start == a.start and drag.end == a.end and drag.column == drag.item.column:
            drag.item.layout()
            return
        self.move_requested.emit(a, drag.column, drag.start, drag.end)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        item = self.item_at(event.position())
        if item is not None:
            self.open_requested.emit(item.appointment)
            return
        pos = self._scene_pos(event)
        scene = self.calendar_scene
        column = scene.column_at(pos.x())
        if column is None or pos.y() <= HEADER_H:
            return
        slot = scene.slot_at(pos.y())
        self.set_cursor(column, slot)
        self.create_requested.emit(column, scene.slot_start(column, slot))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        item = self.item_at(QPointF(event.pos()))
        if item is not None:
            self.calendar_scene.clearSelection()
            item.setSelected(True)
            self.context_requested.emit(item.appointment, event.globalPos())

    # -- keyboard -------------------------------------------------------------------------

    def set_cursor(self, column: int, slot: int) -> None:
        scene = self.calendar_scene
        if not scene.columns:
            return
        column = max(0, min(len(scene.columns) - 1, column))
        slot = max(0, min(scene.slot_count() - 1, slot))
        scene.cursor = (column, slot)
        self.ensureVisible(scene.slot_rect(column, slot), 0, int(SLOT_PX) + int(HEADER_H))
        scene.update()

    def selected_appointment(self) -> Appointment | None:
        for item in self.calendar_scene.selectedItems():
            if isinstance(item, AppointmentItem):
                return item.appointment
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        scene = self.calendar_scene
        key = event.key()
        moves = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in moves and scene.columns:
            column, slot = scene.cursor or (0, 0)
            dc, ds = moves[Qt.Key(key)]
            self.set_cursor(column + dc, slot + ds)
            column, slot = scene.cursor or (0, 0)
            scene.clearSelection()
            item = scene.appointment_at_slot(column, slot)
            if item is not None:
                item.setSelected(True)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and scene.cursor is not None:
            column, slot = scene.cursor
            item = scene.appointment_at_slot(column, slot)
            if item is not None:
                self.open_requested.emit(item.appointment)
            else:
                self.create_requested.emit(column, scene.slot_start(column, slot))
            return
        if _is_check_in(event):
            appointment = self.selected_appointment()
            if appointment is not None:
                self.check_in_requested.emit(appointment)
            return
        command = _command_for(event)
        if command is not None:
            self.command.emit(command)
            return
        super().keyPressEvent(event)

    def snap_back(self, appointment_id: int) -> None:
        item = self.calendar_scene.items_by_id.get(appointment_id)
        if item is not None:
            item.layout()
            self.calendar_scene._layout_overlaps()


def _is_check_in(event: QKeyEvent) -> bool:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() == Qt.Key.Key_D and mods == Qt.KeyboardModifier.ControlModifier


def _command_for(event: QKeyEvent) -> str | None:
    """The calendar's keys (also reachable as page shortcuts when the grid lacks focus)."""
    key, mods = event.key(), event.modifiers()
    ctrl = mods & Qt.KeyboardModifier.ControlModifier
    if ctrl and key == Qt.Key.Key_N:
        return "new"
    if ctrl and key == Qt.Key.Key_Z:
        return "undo"
    if not ctrl and key == Qt.Key.Key_T:
        return "today"
    if key == Qt.Key.Key_PageUp:
        return "prev"
    if key == Qt.Key.Key_PageDown:
        return "next"
    return None
