"""The OP timeline: a QGraphicsScene with rooms as rows and the day's time as x axis."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from desktop.theme import RED, text_on
from desktop.views.op_plan.model import STATUS_COLORS, Operation, PlanData

HEADER_W = 170.0
AXIS_H = 26.0
ROW_H = 64.0
DAY_START = time(7)
DAY_END = time(20)
SNAP_MIN = 5


@dataclass
class Geometry:
    day: date
    px_per_minute: float = 2.0

    def x_of(self, when: datetime) -> float:
        origin = datetime.combine(self.day, DAY_START)
        return HEADER_W + (when - origin).total_seconds() / 60 * self.px_per_minute

    def time_at(self, x: float) -> datetime:
        minutes = (x - HEADER_W) / self.px_per_minute
        minutes = round(minutes / SNAP_MIN) * SNAP_MIN
        return datetime.combine(self.day, DAY_START) + timedelta(minutes=minutes)

    def y_of(self, row: int) -> float:
        return AXIS_H + row * ROW_H

    def row_at(self, y: float) -> int:
        return int((y - AXIS_H) // ROW_H)

    @property
    def width(self) -> float:
        return self.x_of(datetime.combine(self.day, DAY_END))


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
        self.width = max(8.0, geometry.x_of(op.end) - geometry.x_of(op.start))
        self.setPos(geometry.x_of(op.start), geometry.y_of(row) + 4)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setCursor(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)
        self.movable = movable and op.status not in ("done", "cancelled", "running")
        if op.status == "cancelled":
            self.setOpacity(0.4)
        self.setToolTip(
            f"{op.type_name}\n{op.patient_name}\n{op.surgeon}\n{op.start:%H:%M}–{op.end:%H:%M}"
        )
        self.setZValue(2)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return QRectF(0, 0, self.width, ROW_H - 8)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        g = self.geometry
        op = self.op
        base = QColor(STATUS_COLORS.get(op.status, "#8FA9C9"))
        light = QColor(base).lighter(150)
        x0 = g.x_of(op.start)
        segments = [
            (op.start, op.prep_end, light),
            (op.prep_end, op.op_end, base),
            (op.op_end, op.end, light),
        ]
        h = ROW_H - 8
        painter.setPen(Qt.PenStyle.NoPen)
        for start, end, color in segments:
            if end <= start:
                continue
            painter.setBrush(QBrush(color))
            painter.drawRect(QRectF(g.x_of(start) - x0, 0, g.x_of(end) - g.x_of(start), h))
        flagged = self.isSelected() or bool(self.conflict)
        pen = QPen(QColor(RED) if flagged else base.darker(140))
        pen.setWidthF(3.0 if self.conflict else 2.0 if self.isSelected() else 1.0)
        if self.conflict:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(0, 0, self.width, h))
        font = QFont(painter.font())
        font.setPointSizeF(9)
        font.setStrikeOut(op.status == "cancelled")
        painter.setFont(font)
        text_x = max(2.0, g.x_of(op.prep_end) - x0 + 2)
        text_rect = QRectF(text_x, 1, max(0.0, self.width - text_x - 2), 34)
        label = f"{op.type_name} · {op.patient_name}\n{op.surgeon}"
        # Readable text over every segment: the part over the operation segment in the
        # colour chosen for it, the overflow onto the light post segment for that one.
        op_right = g.x_of(op.op_end) - x0
        for clip, background in (
            (QRectF(0, 0, op_right, h), base),
            (QRectF(op_right, 0, max(0.0, self.width - op_right), h), light),
        ):
            painter.save()
            painter.setClipRect(clip)
            painter.setPen(text_on(background))
            painter.drawText(
                text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label
            )
            painter.restore()
        chip_x = text_x
        font.setStrikeOut(False)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        for device in op.devices:
            w = metrics.horizontalAdvance(device) + 10
            if chip_x + w > self.width:
                break
            painter.setPen(QPen(QColor("#455A64")))
            painter.setBrush(QColor("#ECEFF1"))
            painter.drawRoundedRect(QRectF(chip_x, h - 18, w, 15), 6, 6)
            painter.setPen(QColor("#1F2933"))
            painter.drawText(QRectF(chip_x, h - 18, w, 15), Qt.AlignmentFlag.AlignCenter, device)
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

    def build(self, data: PlanData, now: datetime | None) -> None:
        self.clear()
        self.blocks = {}
        self.data = data
        self.now = now
        self.geometry.day = data.day
        g = self.geometry
        rows = max(1, len(data.rooms))
        height = g.y_of(rows)
        self.setSceneRect(QRectF(0, 0, g.width + 8, height + 4))
        rows_by_room = {room.id: i for i, room in enumerate(data.rooms)}
        for op in data.operations:
            row = rows_by_room.get(op.room_id)
            if row is None:
                continue
            block = OperationBlock(op, row, g, self.movable)
            block.on_drop = self.on_drop
            block.on_select = self.on_select
            block.on_hover = self.on_hover
            self.addItem(block)
            self.blocks[op.id] = block

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        painter.fillRect(rect, QColor("#FFFFFF"))
        g = self.geometry
        data = self.data
        rooms = data.rooms if data else []
        height = g.y_of(max(1, len(rooms)))
        painter.fillRect(QRectF(0, 0, g.width + 8, AXIS_H), QColor("#F3F5F8"))
        grid = QPen(QColor("#E3E7EC"))
        hour_pen = QPen(QColor("#C5CCD5"))
        font = QFont(painter.font())
        font.setPointSizeF(9)
        painter.setFont(font)
        minute = 0
        total = (DAY_END.hour - DAY_START.hour) * 60
        step = 15 if g.px_per_minute >= 1.5 else 30
        while minute <= total:
            x = HEADER_W + minute * g.px_per_minute
            painter.setPen(hour_pen if minute % 60 == 0 else grid)
            painter.drawLine(QPointF(x, AXIS_H if minute % 60 else 0), QPointF(x, height))
            if minute % 60 == 0:
                painter.setPen(QColor("#52606D"))
                label = f"{DAY_START.hour + minute // 60:02d}:00"
                painter.drawText(QPointF(x + 3, AXIS_H - 8), label)
            minute += step
        for i in range(len(rooms)):
            y = g.y_of(i)
            painter.setPen(grid)
            painter.drawLine(QPointF(0, y + ROW_H), QPointF(g.width, y + ROW_H))
        painter.fillRect(QRectF(0, AXIS_H, HEADER_W, height - AXIS_H), QColor("#F3F5F8"))
        for i, room in enumerate(rooms):
            y = g.y_of(i)
            painter.fillRect(QRectF(0, y + 6, 4, ROW_H - 12), QColor(room.color or "#6A5ACD"))
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(QColor("#1F2933"))
            painter.drawText(QRectF(10, y + 6, HEADER_W - 14, 20), room.name)
            painter.setFont(font)
            if self.show_utilisation and room.utilization is not None:
                share = room.utilization
                painter.setPen(QColor("#52606D"))
                painter.drawText(
                    QRectF(10, y + 28, HEADER_W - 14, 16), f"Auslastung {share * 100:.0f} %"
                )
                painter.fillRect(QRectF(10, y + 47, HEADER_W - 24, 5), QColor("#D9DEE4"))
                painter.fillRect(
                    QRectF(10, y + 47, (HEADER_W - 24) * min(1.0, share), 5),
                    QColor(RED if share > 1 else "#2F6FB2"),
                )
        painter.setPen(QPen(QColor("#C5CCD5")))
        painter.drawLine(QPointF(HEADER_W, 0), QPointF(HEADER_W, height))

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        if self.now is None or self.now.date() != self.geometry.day:
            return
        x = self.geometry.x_of(self.now)
        pen = QPen(QColor(RED))
        pen.setWidthF(2)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, 0), QPointF(x, self.sceneRect().height()))


class TimelineView(QGraphicsView):
    def __init__(self, scene: TimelineScene, on_zoom: Callable[[int], None]) -> None:
        super().__init__(scene)
        self.timeline = scene
        self._on_zoom = on_zoom
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(self.tr("OP-Zeitplan"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._on_zoom(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def point_of(self, row: int, when: datetime, dy: float = 20) -> QPointF:
        g = self.timeline.geometry
        return QPointF(g.x_of(when), g.y_of(row) + dy)
