"""The OP timeline's pinned headers: the room column on the left and the time axis on top.

They are widgets in the view's margins (``QAbstractScrollArea.setViewportMargins``), not part
of the scene: a scroll moves only the viewport (Qt blits it), and each header repaints when
the scroll bar of its own direction moves. So the room names stay in sight while the time
axis scrolls sideways (a week is wider than most windows), the hours and days stay in sight
while the rows scroll, and a header never covers or catches a click meant for a block.

Both paint in scene coordinates, shifted by the scene point shown at the viewport's top left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from desktop.theme import RED
from desktop.views.op_plan.geometry import AXIS_H, HEADER_W, ROW_H, WEEK_AXIS_H, Geometry

if TYPE_CHECKING:
    from desktop.views.op_plan.timeline import TimelineView

HEADER_BG = QColor("#F3F5F8")
BORDER = QColor("#C5CCD5")
GRID = QColor("#E3E7EC")
TEXT = QColor("#1F2933")
MUTED = QColor("#52606D")
SEPARATOR = QColor("#7B8794")
DEFAULT_ROOM_COLOR = "#6A5ACD"


def grid_steps(g: Geometry) -> tuple[int, int]:
    """(label every n hours, grid line every n minutes) for the zoom: labels ~40 px apart at
    least, grid lines only where they stay apart."""
    per_hour = 60 * g.px_per_minute
    label_every = next((n for n in (1, 2, 3, 4, 6, 12) if per_hour * n >= 40), 24)
    step = 15 if g.px_per_minute >= 1.5 else 30 if g.px_per_minute >= 0.75 else 60
    if per_hour < 8:
        step = 60 * label_every
    return label_every, step


def header_fonts(base: QFont) -> tuple[QFont, QFont]:
    font = QFont(base)
    font.setPointSizeF(9)
    bold = QFont(font)
    bold.setBold(True)
    return font, bold


class RoomHeader(QWidget):
    """Left of the viewport: each room's colour, name and utilisation beside its row."""

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view
        self.setAccessibleName(self.tr("Räume"))

    def row_top(self, row: int) -> float:
        """Widget y of the top of ``row`` as the view is scrolled now."""
        g = self.view.timeline.geometry
        return g.y_of(row) - self.view.scene_origin().y() + g.axis_h

    def label_rect(self, row: int) -> QRectF:
        """Where the room name of ``row`` is painted (widget coordinates)."""
        return QRectF(10, self.row_top(row) + 6, HEADER_W - 14, 20)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        scene = self.view.timeline
        g = scene.geometry
        rooms = scene.data.rooms if scene.data else []
        painter = QPainter(self)
        painter.fillRect(self.rect(), HEADER_BG)
        font, bold = header_fonts(self.font())
        usage = self.tr("Auslastung Woche") if g.week else self.tr("Auslastung")
        painter.save()
        # The rows pass under the corner above them (the time axis' height), not over it.
        painter.setClipRect(QRectF(0, g.axis_h, HEADER_W, max(0, self.height() - g.axis_h)))
        for row, room in enumerate(rooms):
            y = self.row_top(row)
            if y + ROW_H < g.axis_h or y > self.height():
                continue
            painter.setPen(GRID)
            painter.drawLine(QPointF(0, y + ROW_H), QPointF(HEADER_W, y + ROW_H))
            painter.fillRect(
                QRectF(0, y + 6, 4, ROW_H - 12), QColor(room.color or DEFAULT_ROOM_COLOR)
            )
            painter.setFont(bold)
            painter.setPen(TEXT)
            painter.drawText(self.label_rect(row), room.name)
            if not scene.show_utilisation or room.utilization is None:
                continue
            share = room.utilization
            painter.setFont(font)
            painter.setPen(MUTED)
            painter.drawText(QRectF(10, y + 28, HEADER_W - 14, 16), f"{usage} {share * 100:.0f} %")
            painter.fillRect(QRectF(10, y + 47, HEADER_W - 24, 5), QColor("#D9DEE4"))
            painter.fillRect(
                QRectF(10, y + 47, (HEADER_W - 24) * min(1.0, share), 5),
                QColor(RED if share > 1 else "#2F6FB2"),
            )
        painter.restore()
        painter.setPen(BORDER)
        painter.drawLine(QPointF(0, g.axis_h - 0.5), QPointF(HEADER_W, g.axis_h - 0.5))
        painter.drawLine(QPointF(HEADER_W - 0.5, 0), QPointF(HEADER_W - 0.5, self.height()))


class TimeAxis(QWidget):
    """Above the viewport: hour labels and, in the week range, each day's header."""

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view
        self.setAccessibleName(self.tr("Zeitachse"))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        scene = self.view.timeline
        g = scene.geometry
        painter = QPainter(self)
        painter.fillRect(self.rect(), HEADER_BG)
        left = self.view.scene_origin().x()
        right = left + self.width()
        painter.translate(-left, 0)
        font, bold = header_fonts(self.font())
        label_every, step = grid_steps(g)
        hour_step = max(60, step)
        axis_h, total, ppm = g.axis_h, g.span_minutes, g.px_per_minute
        today = scene.now.date() if scene.now is not None else None
        separator = QPen(SEPARATOR)
        separator.setWidthF(1.5)
        for index, day in enumerate(g.shown_days):
            x0 = g.day_x(index)
            if x0 > right or x0 + g.day_width < left:
                continue
            painter.setFont(font)
            for minute in range(0, total + 1, hour_step):
                x = x0 + minute * ppm
                if x < left - 60 or x > right:
                    continue  # a label reaches about 40 px to the right of its line
                painter.setPen(BORDER)
                painter.drawLine(QPointF(x, axis_h - AXIS_H), QPointF(x, axis_h))
                hour = g.first_hour + minute // 60
                # No label that would run into the next day's first one.
                room_left = total - minute >= 60 * label_every or not g.week
                if (hour - g.first_hour) % label_every == 0 and room_left:
                    painter.setPen(MUTED)
                    painter.drawText(QPointF(x + 3, axis_h - 8), f"{hour:02d}:00")
            if not g.week:
                continue
            # The day's name stays at the left edge while any of its column is in sight.
            text_x = max(x0, left) + 6
            width = x0 + g.day_width - text_x - 2
            if width > 0:
                painter.setFont(bold)
                painter.setPen(QColor(RED) if day == today else TEXT)
                painter.drawText(
                    QRectF(text_x, 2, width, WEEK_AXIS_H - AXIS_H - 2),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    scene.day_label(day),
                )
            painter.setPen(separator)
            painter.drawLine(QPointF(x0, 0), QPointF(x0, axis_h))
        if g.week:
            painter.setPen(separator)
            painter.drawLine(QPointF(g.width, 0), QPointF(g.width, axis_h))
        painter.resetTransform()
        painter.setPen(BORDER)
        painter.drawLine(QPointF(0, axis_h - 0.5), QPointF(self.width(), axis_h - 0.5))
