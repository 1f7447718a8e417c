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
from functools import lru_cache
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QToolTip,
    QWidget,
)

from desktop.api.op_timeline import Operation, PlanData
from desktop.theme import (
    CANCELLED_BORDER,
    CANCELLED_FILL,
    CANCELLED_TEXT,
    FALLBACK_BLOCK,
    RED,
    SELECTED_BORDER,
    text_on,
)
from desktop.views.calendar.scene import weekday_short
from desktop.views.op_plan.geometry import HEADER_W, ROW_H, Geometry, working_span
from desktop.views.op_plan.headers import GRID, SEPARATOR, RoomHeader, TimeAxis, grid_steps
from desktop.views.op_plan.model import STATUS_COLORS, STATUS_LABELS
from shared.domain.statuses import OperationStatus

#: The selection frame: dark ink, never the conflict red (a selected block is not a problem).
SELECTION = QColor(SELECTED_BORDER)


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
#: The phase bar along the block's bottom edge: preparation and post-processing hatched,
#: the operation itself solid. It carries no text, so the text above sits on one colour.
PHASE_H = 6
#: Running operations: elapsed time against the planned length, just above the phase bar.
PROGRESS_H = 4
TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
CHIP_H = 15.0
#: Below this width (or in the week range) a block shows the compact label.
COMPACT_W = 120.0
#: Overrun of a running operation, drawn right of its planned end on the white row.
OVERRUN_TEXT = QColor(RED)
OVERRUN_FILL = QColor("#FDECEA")
ROW_BACKGROUND = QColor("#FFFFFF")


@dataclass(frozen=True)
class Palette:
    """Colours of one status: the one fill every text sits on, its text, border, phases."""

    fill: QColor
    text: QColor
    border: QColor
    #: Operation phase in the phase bar, and the hatch of preparation / post-processing.
    phase: QColor
    hatch: QColor
    progress: QColor


_palettes: dict[str, Palette] = {}


def palette(status: str) -> Palette:
    """Built once per status instead of once per block (contrast maths is not free)."""
    found = _palettes.get(status)
    if found is None:
        if status == OperationStatus.CANCELLED:
            # Not faded: 40 % opacity made its text unreadable (the calendar's lesson).
            fill = QColor(CANCELLED_FILL)
            found = Palette(
                fill,
                QColor(CANCELLED_TEXT),
                QColor(CANCELLED_BORDER),
                QColor(CANCELLED_BORDER),
                QColor(CANCELLED_BORDER),
                QColor(CANCELLED_BORDER),
            )
        else:
            fill = QColor(STATUS_COLORS.get(status, FALLBACK_BLOCK))
            text = text_on(fill)
            found = Palette(fill, text, fill.darker(150), fill.darker(170), text, text)
        _palettes[status] = found
    return found


def block_text_pairs() -> list[tuple[str, QColor, QColor]]:
    """(what, text colour, background) of every text a block draws, for the contrast test."""
    pairs = [
        (f"Block {status.value}", palette(status).text, palette(status).fill)
        for status in OperationStatus
    ]
    pairs.append(("Gerätechip", CHIP_TEXT, CHIP_FILL))
    pairs.append(("Überzogen", OVERRUN_TEXT, OVERRUN_FILL))
    return pairs


@lru_cache(maxsize=1024)
def initials(name: str) -> str:
    """``"Anna Müller"`` → ``"AM"`` (titles such as "Dr." are skipped)."""
    words = [w for w in name.replace("-", " ").split() if not w.endswith(".")]
    return "".join(w[0].upper() for w in words[:3]) or name[:2]


@lru_cache(maxsize=1024)
def short_kind(name: str, length: int = 6) -> str:
    """``"Arthroskopie"`` → ``"Arthr."``: the type's first word, cut with a dot."""
    word = (name.split() or [""])[0]
    return word if len(word) <= length else word[: length - 1] + "."


@dataclass
class _Layout:
    """Rects and texts of a block; built on its first paint (only shown blocks)."""

    lines: list[str]
    #: The lines joined for one ``drawText``.
    text: str
    text_rect: QRectF
    #: (rect, hatched) of the phase bar: preparation, operation, post-processing.
    phases: list[tuple[QRectF, bool]]
    chips_y: float


class OperationBlock(QGraphicsObject):
    """One operation: its text on one solid colour, a phase bar, device chips; draggable."""

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
        self.on_open: Callable[[OperationBlock], None] | None = None
        #: Conflict the server reported for the current drag target ("" = none, None = unknown).
        self.conflict: str | None = None
        self._palette = palette(op.status)
        self._layout: _Layout | None = None
        self.width = max(8.0, (op.end - op.start).total_seconds() / 60 * geometry.px_per_minute)
        #: Minutes a running operation has run / run over its planned end (``set_now``).
        self.elapsed = 0
        self.overrun = 0
        self._bounds = QRectF(0, 0, self.width, BLOCK_H)
        self._compact = geometry.week or self.width < COMPACT_W
        self.place()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setCursor(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)
        self.movable = movable and op.status in (
            OperationStatus.PLANNED,
            OperationStatus.CONFIRMED,
        )

    @property
    def compact(self) -> bool:
        return self._compact

    @property
    def text_bottom(self) -> float:
        """Where the text lines end (the device chips start below)."""
        return self._ensure_layout().text_rect.bottom()

    @property
    def label(self) -> str:
        """The text the block shows (lines joined), for tests and accessibility."""
        return "\n".join(self._ensure_layout().lines)

    def tooltip(self) -> str:
        """Shown on hover (built then, not for every block up front): the conflict the server
        reported for the drag target, else the operation's full details."""
        if self.conflict:
            return self.conflict
        op = self.op
        tr = QCoreApplication.translate
        lines = [
            op.type_name,
            op.patient_name,
            f"{weekday_short(op.start.date())} {op.start:%d.%m.}, {op.start:%H:%M}–{op.end:%H:%M}",
            tr("OpPlanPage", "Operateur: {0}").format(op.surgeon or "–"),
        ]
        for key, label in (
            ("assistant", tr("OpPlanPage", "Assistenz: {0}")),
            ("anesthesist", tr("OpPlanPage", "Anästhesie: {0}")),
        ):
            name = op.member_name(key)
            if name:
                lines.append(label.format(name))
        if op.devices:
            lines.append(tr("OpPlanPage", "Geräte: {0}").format(", ".join(op.devices)))
        lines.append(
            tr("OpPlanPage", "Status: {0}").format(
                tr("OpPlanPage", STATUS_LABELS.get(op.status, op.status))
            )
        )
        if op.status == OperationStatus.RUNNING:
            lines.append(self.progress_text())
        return "\n".join(lines)

    def progress_text(self) -> str:
        tr = QCoreApplication.translate
        text = tr("OpPlanPage", "Läuft seit {0} von {1} min").format(self.elapsed, self.op.minutes)
        if self.overrun:
            text += " · " + tr("OpPlanPage", "überzogen um {0} min").format(self.overrun)
        return text

    def set_now(self, now: datetime | None) -> None:
        """A running operation's elapsed time and overrun as of ``now`` (repaints if changed)."""
        if self.op.status != OperationStatus.RUNNING or now is None:
            elapsed = overrun = 0
        else:
            elapsed = max(0, int((now - self.op.start).total_seconds() // 60))
            overrun = max(0, int((now - self.op.end).total_seconds() // 60))
        if (elapsed, overrun) == (self.elapsed, self.overrun):
            return
        if overrun != self.overrun:
            self.prepareGeometryChange()
            extra = overrun * self.geometry.px_per_minute
            self._bounds = QRectF(0, 0, self.width + extra, BLOCK_H)
        self.elapsed, self.overrun = elapsed, overrun
        self.update()

    def place(self) -> None:
        """Where the operation belongs (again): after a refused drag or on a reused block."""
        self.setPos(self.geometry.x_of(self.op.start), self.geometry.y_of(self.row) + 4)

    @property
    def pressed(self) -> bool:
        return self._press is not None

    def _ensure_layout(self) -> _Layout:
        if self._layout is None:
            self._layout = self._make_layout(_Fonts.get(QFont())[2])
        return self._layout

    def _make_layout(self, metrics: QFontMetricsF) -> _Layout:
        op = self.op
        ppm = self.geometry.px_per_minute
        prep_x = min(self.width, op.prep * ppm)
        op_x = min(self.width, (op.prep + op.duration) * ppm)
        bar_y = BLOCK_H - PHASE_H
        phases = [
            (QRectF(x0, bar_y, x1 - x0, PHASE_H), hatched)
            for x0, x1, hatched in (
                (0.0, prep_x, True),
                (prep_x, op_x, False),
                (op_x, self.width, True),
            )
            if x1 > x0
        ]
        inner = max(0.0, self.width - 8)
        if self.compact:
            # Week zoom: "AM · Arthr." — the full text is in the tooltip.
            who, what = initials(op.surgeon), short_kind(op.type_name)
            one_line = f"{who} · {what}"
            # Too narrow for one line: initials above the type, rather than "AM …".
            fits = metrics.horizontalAdvance(one_line) <= inner
            raw = [one_line] if fits else [who, what]
            if not fits:
                # An hour in the week range is ~27 px: the initials get the block's whole
                # width, or wide letters ("CW", "MW") would elide to nothing.
                inner = max(0.0, self.width - 4)
                if metrics.horizontalAdvance(who) > inner:
                    raw = [who[:1], what]
        else:
            when = f"{op.start:%H:%M}"
            if op.devices:
                # Two lines leave room for the device chips.
                raw = [f"{when} {op.type_name} · {op.patient_name}", op.surgeon]
            else:
                raw = [f"{when} {op.type_name}", op.patient_name, op.surgeon]
        mode = Qt.TextElideMode.ElideRight
        lines = [metrics.elidedText(line, mode, inner) for line in raw if line]
        lines = [line for line in lines if line and line != "…"]
        text_h = metrics.lineSpacing() * len(lines)
        chips_y = 2 + text_h + 1
        text_rect = QRectF((self.width - inner) / 2, 2, inner, text_h)
        return _Layout(lines, "\n".join(lines), text_rect, phases, chips_y)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        label_font, struck_font, metrics = _Fonts.get(painter.font())
        layout = self._layout
        if layout is None:
            layout = self._layout = self._make_layout(metrics)
        colours = self._palette
        body = QRectF(0, 0, self.width, BLOCK_H)
        # Axis-aligned rectangles need no antialiasing (much cheaper on the raster engine).
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(body, colours.fill)
        for rect, hatched in layout.phases:
            if hatched:
                painter.fillRect(rect, QBrush(colours.hatch, Qt.BrushStyle.BDiagPattern))
            else:
                painter.fillRect(rect, colours.phase)
        if self.op.status == OperationStatus.RUNNING:
            self._paint_progress(painter, metrics)
        self._paint_frame(painter, body)
        if layout.lines:
            painter.setFont(
                struck_font if self.op.status == OperationStatus.CANCELLED else label_font
            )
            painter.setPen(colours.text)
            # One call for all lines: Qt lays them out at the font's line spacing.
            painter.drawText(layout.text_rect, TOP_LEFT, layout.text)
        if not self.op.devices or self.compact:
            return
        chip_y = layout.chips_y
        if chip_y + CHIP_H > BLOCK_H - PHASE_H - PROGRESS_H:
            return  # no room left under the text
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(label_font)
        chip_x = 4.0
        for device in self.op.devices:
            w = _Fonts.chip_width(metrics, device)
            if chip_x + w > self.width - 2:
                break
            chip = QRectF(chip_x, chip_y, w, CHIP_H)
            painter.setPen(CHIP_PEN)
            painter.setBrush(CHIP_FILL)
            painter.drawRoundedRect(chip, 6, 6)
            painter.setPen(CHIP_TEXT)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, device)
            chip_x += w + 4

    def _paint_progress(self, painter: QPainter, metrics: QFontMetricsF) -> None:
        """Elapsed against planned (a bar in the text colour) and the overrun beyond the end."""
        planned = max(1, self.op.minutes)
        y = BLOCK_H - PHASE_H - PROGRESS_H
        done = min(1.0, self.elapsed / planned) * self.width
        painter.fillRect(QRectF(0, y, done, PROGRESS_H), self._palette.progress)
        if not self.overrun:
            return
        extra = QRectF(self.width, BLOCK_H - 18, self._bounds.width() - self.width, 18)
        painter.fillRect(extra, OVERRUN_FILL)
        painter.fillRect(
            QRectF(extra.left(), BLOCK_H - 4, extra.width(), 4),
            QBrush(OVERRUN_TEXT, Qt.BrushStyle.SolidPattern),
        )
        painter.setPen(OVERRUN_TEXT)
        text = f"+{self.overrun} min"
        if metrics.horizontalAdvance(text) + 4 <= extra.width():
            painter.drawText(extra.adjusted(2, 0, 0, -4), Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_frame(self, painter: QPainter, body: QRectF) -> None:
        """Border; the selection is a dark double frame, a conflict the dashed red one."""
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.conflict:
            pen = QPen(QColor(RED))
            pen.setWidthF(3.0)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(body.adjusted(1, 1, -2, -2))
            return
        if self.isSelected():
            pen = QPen(SELECTION)
            pen.setWidthF(3.0)
            painter.setPen(pen)
            painter.drawRect(body.adjusted(1, 1, -2, -2))
            # A light inner line keeps the frame visible on dark fills too.
            painter.setPen(QPen(ROW_BACKGROUND))
            painter.drawRect(body.adjusted(3, 3, -4, -4))
            return
        painter.setPen(QPen(self._palette.border))
        painter.drawRect(body.adjusted(0, 0, -1, -1))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            scene = self.scene()
            if scene is not None:
                scene.clearSelection()
            self.setSelected(True)
            if self.on_select is not None:
                self.on_select(self)
            if event.button() == Qt.MouseButton.LeftButton:
                self._press = event.scenePos()
                self._origin = self.pos()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        self._press = None
        if self.on_open is not None:
            self.on_open(self)
        event.accept()

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


class Proposal(QGraphicsRectItem):
    """The range being dragged on an empty row: the start and length of a new operation."""

    def __init__(self) -> None:
        super().__init__()
        self.setBrush(QColor(45, 111, 178, 60))
        pen = QPen(SELECTION)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setZValue(5)


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
        self.on_open: Callable[[OperationBlock], None] | None = None
        #: A range dragged on an empty row: (row, start, end) proposed for a new operation.
        self.on_propose: Callable[[int, datetime, datetime], None] | None = None
        self.proposal: Proposal | None = None
        self._proposal_from: QPointF | None = None
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
                block.set_now(now)
                self.blocks[op.id] = block
                continue
            if block is not None:
                old[op.id] = block
            block = OperationBlock(op, row, g, self.movable)
            block.on_drop = self.on_drop
            block.on_select = self.on_select
            block.on_hover = self.on_hover
            block.on_open = self.on_open
            block.set_now(now)
            self.addItem(block)
            self.blocks[op.id] = block
        for gone in old.values():
            self.removeItem(gone)
        self.proposal = None  # ``clear`` may have deleted it
        self.laid_out.emit()

    def running_blocks(self) -> list[OperationBlock]:
        return [b for b in self.blocks.values() if b.op.status == OperationStatus.RUNNING]

    def set_now(self, now: datetime) -> None:
        """The clock moved: running blocks update their elapsed bar and overrun."""
        self.now = now
        for block in self.running_blocks():
            block.set_now(now)

    # -- proposing a new operation by dragging an empty range --------------------------------

    def _row_of(self, y: float) -> int | None:
        rows = len(self.data.rooms) if self.data else 0
        row = self.geometry.row_at(y)
        return row if 0 <= row < rows and y >= self.geometry.axis_h else None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        on_block = any(isinstance(i, OperationBlock) for i in self.items(event.scenePos()))
        if (
            event.button() == Qt.MouseButton.LeftButton
            and not on_block
            and self.movable
            and self.on_propose is not None
            and self._row_of(event.scenePos().y()) is not None
        ):
            self.clearSelection()
            self._proposal_from = event.scenePos()
            event.accept()
            return
        super().mousePressEvent(event)

    def _proposed(self, to: QPointF) -> tuple[int, datetime, datetime, QRectF] | None:
        origin = self._proposal_from
        if origin is None:
            return None
        row = self._row_of(origin.y())
        if row is None:
            return None
        g = self.geometry
        left, right = sorted((origin.x(), to.x()))
        start, end = g.time_at(left), g.time_at(right)
        if end <= start:
            return None
        x0, x1 = g.x_of(start), g.x_of(end)
        return row, start, end, QRectF(x0, g.y_of(row) + 2, x1 - x0, ROW_H - 4)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._proposal_from is None:
            super().mouseMoveEvent(event)
            return
        found = self._proposed(event.scenePos())
        if found is None:
            return
        if self.proposal is None:
            self.proposal = Proposal()
            self.addItem(self.proposal)
        self.proposal.setRect(found[3])
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._proposal_from is None:
            super().mouseReleaseEvent(event)
            return
        found = self._proposed(event.scenePos())
        self._proposal_from = None
        event.accept()
        if found is not None and self.on_propose is not None:
            row, start, end, _rect = found
            self.on_propose(row, start, end)

    def clear_proposal(self) -> None:
        """The dialog the proposal opened has closed: the dashed range goes."""
        if self.proposal is not None:
            self.removeItem(self.proposal)
            self.proposal = None

    def block_at(self, point: QPointF) -> OperationBlock | None:
        return next((i for i in self.items(point) if isinstance(i, OperationBlock)), None)

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
        #: Right click on a block: (block, global position) for the page's status menu.
        self.on_context_menu: Callable[[OperationBlock, QPoint], None] | None = None
        #: Keys while the timeline has the focus; True = handled (the page's shortcuts).
        self.on_key: Callable[[QKeyEvent], bool] | None = None
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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self.on_key is not None and self.on_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        block = self.timeline.block_at(self.mapToScene(event.pos()))
        if block is None or self.on_context_menu is None:
            super().contextMenuEvent(event)
            return
        self.timeline.clearSelection()
        block.setSelected(True)
        if block.on_select is not None:
            block.on_select(block)
        self.on_context_menu(block, event.globalPos())
        event.accept()

    def point_of(self, row: int, when: datetime, dy: float = 20) -> QPointF:
        g = self.timeline.geometry
        return QPointF(g.x_of(when), g.y_of(row) + dy)
