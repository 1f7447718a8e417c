"""The OP timeline: a QGraphicsScene with rooms as rows and time as x axis.

In the day range the x axis is one day; in the week range the shown days sit side by side,
each with the same working span, separated by a line and headed "Mo 18.01.". The span is
07:00–20:00, widened to whole hours so that every loaded operation fits (at most 00:00–24:00),
so all days share one scale and a drag to another day column keeps its clock time (``geometry``).
The room names and the time axis are pinned beside and above the scrolled area (``headers``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QToolTip,
    QWidget,
)

from desktop.theme import RED, text_on
from desktop.views.calendar.scene import weekday_short
from desktop.views.op_plan.geometry import HEADER_W, ROW_H, Geometry, working_span
from desktop.views.op_plan.headers import GRID, SEPARATOR, RoomHeader, TimeAxis, grid_steps
from desktop.views.op_plan.model import STATUS_COLORS, Operation, PlanData


class _Fonts:
    """Fonts and metrics shared by every block: built once, not per paint."""

    shared: ClassVar[tuple[QFont, QFont, QFontMetricsF] | None] = None
    chip_widths: ClassVar[dict[str, float]] = {}

    @classmethod
    def get(cls, base: QFont) -> tuple[QFont, QFont, QFontMetricsF]:
        """Label font, the same struck out (cancelled), and the label font's metrics."""
        if cls.shared is None:
            label = QFont(base)
            label.setPointSizeF(9)
            struck = QFont(label)
            struck.setStrikeOut(True)
            cls.shared = (label, struck, QFontMetricsF(label))
        return cls.shared

    @classmethod
    def chip_width(cls, metrics: QFontMetricsF, text: str) -> float:
        width = cls.chip_widths.get(text)
        if width is None:
            width = cls.chip_widths[text] = math.ceil(metrics.horizontalAdvance(text)) + 10
        return width


CHIP_PEN = QColor("#455A64")
CHIP_FILL = QColor("#ECEFF1")
CHIP_TEXT = QColor("#1F2933")
BLOCK_H = ROW_H - 8


@dataclass(frozen=True)
class Palette:
    """Colours of one status: segments, border and the readable text on each segment."""

    base: QColor
    light: QColor
    border: QColor
    text_on_base: QColor
    text_on_light: QColor


_palettes: dict[str, Palette] = {}


def palette(status: str) -> Palette:
    """Built once per status instead of once per block (contrast maths is not free)."""
    found = _palettes.get(status)
    if found is None:
        base = QColor(STATUS_COLORS.get(status, "#8FA9C9"))
        light = QColor(base).lighter(150)
        found = Palette(base, light, base.darker(140), text_on(base), text_on(light))
        _palettes[status] = found
    return found


@dataclass
class _Layout:
    """Rects of a block's segments and texts; built on its first paint (only shown blocks)."""

    segments: list[tuple[QRectF, QColor]]
    text_x: float
    text_rect: QRectF
    #: Clip rect and colour per text part; one unclipped part when both colours agree.
    text_parts: list[tuple[QRectF | None, QColor]]


class OperationBlock(QGraphicsObject):
    """One operation: prep / op / post segments, label, device chips; draggable."""

    def __init__(self, op: Operation, row: int, geometry: Geometry, movable: bool) -> None:
        super().__init__()
        self.op = op
        self.row = row
        self.geometry = geometry
        self._press: QPointF | None = None
        self._origin = QPointF()
        self.on_drop: Callable[[OperationBlock, int, datetime], None] | None = None
        self.on_select: Callable[[OperationBlock], None] | None = None
        self.on_hover: Callable[[OperationBlock, int, datetime], None] | None = None
        #: Conflict the server reported for the current drag target ("" = none, None = unknown).
        self.conflict: str | None = None
        self._palette = palette(op.status)
        self._layout: _Layout | None = None
        self._label = f"{op.type_name} · {op.patient_name}\n{op.surgeon}"
        self.width = max(8.0, (op.end - op.start).total_seconds() / 60 * geometry.px_per_minute)
        self._bounds = QRectF(0, 0, self.width, BLOCK_H)
        self.place()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setCursor(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)
        self.movable = movable and op.status not in ("done", "cancelled", "running")
        if op.status == "cancelled":
            self.setOpacity(0.4)

    def tooltip(self) -> str:
        """Shown on hover (built then, not for every block up front): the conflict the server
        reported for the drag target, else the operation's details."""
        if self.conflict:
            return self.conflict
        op = self.op
        return (
            f"{op.type_name}\n{op.patient_name}\n{op.surgeon}\n"
            f"{weekday_short(op.start.date())} {op.start:%d.%m.}, {op.start:%H:%M}–{op.end:%H:%M}"
        )

    def place(self) -> None:
        """Where the operation belongs (again): after a refused drag or on a reused block."""
        self.setPos(self.geometry.x_of(self.op.start), self.geometry.y_of(self.row) + 4)

    @property
    def pressed(self) -> bool:
        return self._press is not None

    def _make_layout(self) -> _Layout:
        op, colours = self.op, self._palette
        ppm = self.geometry.px_per_minute
        prep_x = op.prep * ppm
        op_x = (op.prep + op.duration) * ppm
        end_x = self.width
        segments = [
            (QRectF(x0, 0, x1 - x0, BLOCK_H), colour)
            for x0, x1, colour in (
                (0.0, prep_x, colours.light),
                (prep_x, op_x, colours.base),
                (op_x, end_x, colours.light),
            )
            if x1 > x0
        ]
        text_x = max(2.0, prep_x + 2)
        text_rect = QRectF(text_x, 1, max(0.0, self.width - text_x - 2), 34)
        # Readable text over every segment: the part over the operation segment in the
        # colour chosen for it, the overflow onto the light post segment for that one.
        parts: list[tuple[QRectF | None, QColor]]
        if colours.text_on_base == colours.text_on_light:
            parts = [(None, colours.text_on_base)]
        else:
            parts = [
                (QRectF(0, 0, op_x, BLOCK_H), colours.text_on_base),
                (QRectF(op_x, 0, max(0.0, end_x - op_x), BLOCK_H), colours.text_on_light),
            ]
        return _Layout(segments, text_x, text_rect, parts)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        layout = self._layout
        if layout is None:
            layout = self._layout = self._make_layout()
        label_font, struck_font, metrics = _Fonts.get(painter.font())
        # Axis-aligned rectangles need no antialiasing (much cheaper on the raster engine).
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for rect, colour in layout.segments:
            painter.fillRect(rect, colour)
        selected = self.isSelected()
        flagged = selected or bool(self.conflict)
        pen = QPen(QColor(RED) if flagged else self._palette.border)
        pen.setWidthF(3.0 if self.conflict else 2.0 if selected else 1.0)
        if self.conflict:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self._bounds.adjusted(0, 0, -1, -1))
        if layout.text_rect.width() < 4:
            return  # too narrow at this zoom for any readable text
        painter.setFont(struck_font if self.op.status == "cancelled" else label_font)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        for clip, colour in layout.text_parts:
            painter.setPen(colour)
            if clip is None:
                painter.drawText(layout.text_rect, flags, self._label)
                continue
            if clip.width() <= 0:
                continue
            painter.save()
            painter.setClipRect(clip)
            painter.drawText(layout.text_rect, flags, self._label)
            painter.restore()
        if not self.op.devices:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(label_font)
        chip_x = layout.text_x
        for device in self.op.devices:
            w = _Fonts.chip_width(metrics, device)
            if chip_x + w > self.width:
                break
            chip = QRectF(chip_x, BLOCK_H - 18, w, 15)
            painter.setPen(CHIP_PEN)
            painter.setBrush(CHIP_FILL)
            painter.drawRoundedRect(chip, 6, 6)
            painter.setPen(CHIP_TEXT)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, device)
            chip_x += w + 4

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            scene = self.scene()
            if scene is not None:
                scene.clearSelection()
            self.setSelected(True)
            if self.on_select is not None:
                self.on_select(self)
            self._press = event.scenePos()
            self._origin = self.pos()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._press is None or not self.movable:
            return
        delta = event.scenePos() - self._press
        row = max(0, self.geometry.row_at(event.scenePos().y()))
        self.setPos(self._origin.x() + delta.x(), self.geometry.y_of(row) + 4)
        if self.on_hover is not None:
            self.on_hover(self, row, self.geometry.time_at(self.pos().x()))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        press, self._press = self._press, None
        if press is None or not self.movable:
            return
        if (event.scenePos() - press).manhattanLength() < 4:
            self.snap_back()
            return
        row = max(0, self.geometry.row_at(event.scenePos().y()))
        start = self.geometry.time_at(self.pos().x())
        if self.on_drop is not None:
            self.on_drop(self, row, start)

    def snap_back(self) -> None:
        self.setPos(self._origin)
        self.set_conflict(None)

    def set_conflict(self, text: str | None) -> None:
        self.conflict = text
        self.update()


class TimelineScene(QGraphicsScene):
    #: After ``build``: rows, days or scale may have changed (the pinned headers follow).
    laid_out = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.geometry = Geometry(date.today())
        self.blocks: dict[int, OperationBlock] = {}
        self.data: PlanData | None = None
        self.now: datetime | None = None
        self.show_utilisation = True
        self.movable = True
        self.on_drop: Callable[[OperationBlock, int, datetime], None] | None = None
        self.on_select: Callable[[OperationBlock], None] | None = None
        self.on_hover: Callable[[OperationBlock, int, datetime], None] | None = None
        self._layout_key: tuple[object, ...] | None = None

    def build(self, data: PlanData, now: datetime | None) -> None:
        """Blocks for ``data``; on a refresh with the same scale and days, blocks whose
        operation did not change are kept (a live update touches a few, not all)."""
        self.data = data
        self.now = now
        g = self.geometry
        g.day = data.day
        g.days = list(data.days)
        g.first_hour, g.last_hour = working_span(data)
        layout = (g.px_per_minute, g.first_hour, g.last_hour, tuple(g.shown_days), self.movable)
        old = self.blocks if layout == self._layout_key else {}
        self._layout_key = layout
        if not old:
            self.clear()
        self.blocks = {}
        rows = max(1, len(data.rooms))
        height = g.y_of(rows)
        # Only the blocks' area: the room column and the time axis are the pinned headers.
        self.setSceneRect(QRectF(HEADER_W, g.axis_h, g.width - HEADER_W + 8, height - g.axis_h + 4))
        rows_by_room = {room.id: i for i, room in enumerate(data.rooms)}
        shown = set(g.shown_days)
        for op in data.operations:
            row = rows_by_room.get(op.room_id)
            # The week range places an operation in the column of the day it starts on.
            if row is None or (g.week and op.start.date() not in shown):
                continue
            block = old.pop(op.id, None)
            if block is not None and block.op == op and block.row == row:
                if not block.pressed:
                    block.place()
                    if block.conflict is not None:
                        block.set_conflict(None)
                self.blocks[op.id] = block
                continue
            if block is not None:
                old[op.id] = block
            block = OperationBlock(op, row, g, self.movable)
            block.on_drop = self.on_drop
            block.on_select = self.on_select
            block.on_hover = self.on_hover
            self.addItem(block)
            self.blocks[op.id] = block
        for gone in old.values():
            self.removeItem(gone)
        self.laid_out.emit()

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:  # noqa: N802 - Qt override
        under = self.items(event.scenePos())
        block = next((item for item in under if isinstance(item, OperationBlock)), None)
        if block is None:
            QToolTip.hideText()
            event.ignore()
            return
        QToolTip.showText(event.screenPos(), block.tooltip(), event.widget())
        event.accept()

    def day_label(self, day: date) -> str:
        return f"{weekday_short(day)} {day:%d.%m.}"

    def drawBackground(self, painter: QPainter, rect: QRect | QRectF) -> None:  # noqa: N802
        """White rows with their lines, the time grid, weekend shade and day separators."""
        area = QRectF(rect)
        painter.fillRect(area, QColor("#FFFFFF"))
        g = self.geometry
        rows = len(self.data.rooms) if self.data else 0
        axis_h = g.axis_h
        height = g.y_of(max(1, rows))
        _label_every, step = grid_steps(g)
        grid = QPen(GRID)
        hour_pen = QPen(QColor("#C5CCD5"))
        separator = QPen(SEPARATOR)
        separator.setWidthF(1.5)
        total = g.span_minutes
        for index, day in enumerate(g.shown_days):
            x0 = g.day_x(index)
            if x0 > area.right() or x0 + g.day_width < area.left():
                continue
            if g.week and day.weekday() >= 5:
                painter.fillRect(
                    QRectF(x0, axis_h, g.day_width, height - axis_h), QColor("#F7F8FA")
                )
            for minute in range(0, total + 1, step):
                x = x0 + minute * g.px_per_minute
                if x < area.left() - 1 or x > area.right() + 1:
                    continue
                painter.setPen(hour_pen if minute % 60 == 0 else grid)
                painter.drawLine(QPointF(x, axis_h), QPointF(x, height))
            if g.week:
                painter.setPen(separator)
                painter.drawLine(QPointF(x0, axis_h), QPointF(x0, height))
        if g.week:
            painter.setPen(separator)
            painter.drawLine(QPointF(g.width, axis_h), QPointF(g.width, height))
        painter.setPen(grid)
        for row in range(rows):
            y = g.y_of(row) + ROW_H
            painter.drawLine(QPointF(HEADER_W, y), QPointF(g.width, y))

    def drawForeground(self, painter: QPainter, rect: QRect | QRectF) -> None:  # noqa: N802
        if self.now is None or self.now.date() not in self.geometry.shown_days:
            return
        x = self.geometry.x_of(self.now)
        pen = QPen(QColor(RED))
        pen.setWidthF(2)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, self.geometry.axis_h), QPointF(x, self.sceneRect().bottom()))


class TimelineView(QGraphicsView):
    """The scrolled blocks, with the room column and the time axis pinned in its margins."""

    def __init__(self, scene: TimelineScene, on_zoom: Callable[[int], None]) -> None:
        super().__init__(scene)
        self.timeline = scene
        self._on_zoom = on_zoom
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(self.tr("OP-Zeitplan"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.room_header = RoomHeader(self)
        self.time_axis = TimeAxis(self)
        self.horizontalScrollBar().valueChanged.connect(self.time_axis.update)
        self.verticalScrollBar().valueChanged.connect(self.room_header.update)
        scene.laid_out.connect(self.sync_headers)
        self.sync_headers()

    def scene_origin(self) -> QPointF:
        """The scene point at the viewport's top left (where scrolling has got to)."""
        return self.mapToScene(0, 0)

    def sync_headers(self) -> None:
        """Margins as wide and high as the headers of the current range, headers repainted."""
        axis_h = round(self.timeline.geometry.axis_h)
        margins = self.viewportMargins()
        if (margins.left(), margins.top()) != (round(HEADER_W), axis_h):
            self.setViewportMargins(round(HEADER_W), axis_h, 0, 0)
        self._place_headers()
        self.room_header.update()
        self.time_axis.update()

    def _place_headers(self) -> None:
        port = self.viewport().geometry()
        axis_h = round(self.timeline.geometry.axis_h)
        left = port.left() - round(HEADER_W)
        self.room_header.setGeometry(
            left, port.top() - axis_h, round(HEADER_W), port.height() + axis_h
        )
        self.time_axis.setGeometry(port.left(), port.top() - axis_h, port.width(), axis_h)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # The viewport also changes size when a scroll bar comes or goes (no resize of the view).
        if event.type() == QEvent.Type.Resize:
            self._place_headers()
        return super().viewportEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._on_zoom(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def point_of(self, row: int, when: datetime, dy: float = 20) -> QPointF:
        g = self.timeline.geometry
        return QPointF(g.x_of(when), g.y_of(row) + dy)
