"""Chart widgets of the Statistik screen: key-figure tiles and horizontal bar charts.

Bars run horizontally so that long names (rooms, surgeons, operation types) stay readable
on the left axis instead of colliding under the bars. Each bar carries its value as a caption
at its end; the value axis ticks are formatted German (1.234,5). Charts are static pictures of
the data: no panning, zooming or context menu, which in a report only gets in the way.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.theme import ACCENT
from desktop.views.statistics.content import COUNT, Bar, Tile, tile_value_text, translate
from desktop.views.statistics.numbers import german_number

TEXT = "#1F2933"
MUTED = "#52606D"
GRID = "#D9DEE4"
ROW_PX = 30
AXES_PX = 58
MAX_LABEL_CHARS = 28

TILE_STYLE = (
    "#tile { background: #F7F9FB; border: 1px solid #E1E6EC; border-radius: 6px; }"
    f"#tileLabel {{ color: {MUTED}; font-size: 9pt; }}"
    f"#tileValue {{ color: {TEXT}; font-size: 17pt; font-weight: 700; }}"
    f"#tileUnit {{ color: {MUTED}; font-size: 10pt; }}"
    f"#tileNote {{ color: {MUTED}; font-size: 8.5pt; }}"
)


class TileWidget(QFrame):
    """One key figure: label, big value with its unit, a short note."""

    def __init__(self, tile: Tile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tile = tile
        self.setObjectName("tile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.label = QLabel(tile.label)
        self.label.setObjectName("tileLabel")
        value_row = QWidget()
        row = QGridLayout(value_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setHorizontalSpacing(5)
        self.value_label = QLabel(tile_value_text(tile))
        self.value_label.setObjectName("tileValue" if tile.value is not None else "tileUnit")
        self.unit_label = QLabel(self._unit_text(tile))
        self.unit_label.setObjectName("tileUnit")
        row.addWidget(self.value_label, 0, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.unit_label, 0, 1, Qt.AlignmentFlag.AlignBottom)
        row.setColumnStretch(2, 1)
        # An empty note keeps its line, so values of neighbouring tiles stay on one height.
        self.note_label = QLabel(tile.note or "\u00a0")
        self.note_label.setObjectName("tileNote")
        for widget in (self.label, value_row, self.note_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setAccessibleName(f"{tile.label}: {self.value_label.text()} {self.unit_label.text()}")

    def _unit_text(self, tile: Tile) -> str:
        if tile.value is None:
            return ""
        # A bare number already reads as a count; "Anzahl" next to it would be noise.
        return "" if tile.unit == COUNT else translate("Statistik", tile.unit)


def columns_for(count: int, most: int) -> int:
    """Columns for ``count`` tiles: full rows where possible (6 tiles → 3 + 3, not 4 + 2)."""
    if count <= most:
        return max(1, count)
    return next((c for c in range(most, 1, -1) if count % c == 0), most)


class TileGrid(QWidget):
    """Tiles in rows of at most ``most_columns``."""

    def __init__(self, most_columns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.most_columns = most_columns
        self.setStyleSheet(TILE_STYLE)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.tiles: list[TileWidget] = []

    def show_tiles(self, tiles: tuple[Tile, ...]) -> None:
        for widget in self.tiles:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.tiles = [TileWidget(tile, self) for tile in tiles]
        columns = columns_for(len(self.tiles), self.most_columns)
        for index, widget in enumerate(self.tiles):
            self.grid.addWidget(widget, index // columns, index % columns)
        for column in range(self.most_columns):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def tile(self, label: str) -> TileWidget:
        return next(widget for widget in self.tiles if widget.tile.label == label)


def _elide(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def nice_ticks(top: float) -> tuple[float, list[float]]:
    """Tick step and ticks 0…``top`` on a 1-2-5 scale, about four to six of them."""
    if top <= 0:
        return 1.0, [0.0, 1.0]
    rough = top / 5
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    count = int(top // step)
    return step, [index * step for index in range(count + 1)]


class _BarCanvas(QWidget):
    """Paints the bars, their captions, the name column and the German value axis."""

    def __init__(self, chart: BarChart) -> None:
        super().__init__(chart)
        self.chart = chart
        self.setAccessibleName(self.tr("Balkendiagramm"))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        bars = self.chart.bars
        if not bars:
            return
        font = self.chart.font_
        metrics = QFontMetrics(font)
        painter = QPainter(self)
        painter.setFont(font)
        left = max(metrics.horizontalAdvance(_elide(bar.label)) for bar in bars) + 14
        right = self.width() - 8
        plot_top, plot_bottom = 4, self.height() - AXES_PX + 14
        width = max(1, right - left)
        top = self.chart.value_range(width, metrics)
        step, ticks = nice_ticks(top)
        decimals = 0 if step >= 1 else min(3, math.ceil(-math.log10(step)))

        def x_of(value: float) -> float:
            return left + width * value / top

        painter.setPen(QPen(QColor(GRID)))
        for tick in ticks:
            x = round(x_of(tick))
            painter.drawLine(x, plot_top, x, plot_bottom)
        painter.drawLine(left, plot_bottom, right, plot_bottom)
        painter.setPen(QColor(TEXT))
        for tick in ticks:
            text = german_number(tick, decimals)
            half = metrics.horizontalAdvance(text) / 2
            start = min(max(x_of(tick) - half, left - half), right - 2 * half)
            painter.drawText(QPointF(start, plot_bottom + 4 + metrics.ascent()), text)
        if self.chart.unit:
            painter.setPen(QColor(MUTED))
            axis_label = QRectF(left, plot_bottom + 6 + metrics.height(), width, metrics.height())
            painter.drawText(axis_label, Qt.AlignmentFlag.AlignCenter, self.chart.unit)

        row_height = (plot_bottom - plot_top) / len(bars)
        for index, bar in enumerate(bars):
            middle = plot_top + row_height * (index + 0.5)
            height = row_height * 0.62
            color = QColor(bar.color) if bar.color else QColor(ACCENT)
            if not color.isValid():
                color = QColor(ACCENT)
            rect = QRectF(left, middle - height / 2, x_of(max(bar.value, 0)) - left, height)
            painter.setPen(QPen(color.darker(130)))
            painter.setBrush(color)
            painter.drawRect(rect)
            painter.setPen(QColor(TEXT))
            label = QRectF(0, middle - row_height / 2, left - 8, row_height)
            painter.drawText(
                label,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _elide(bar.label),
            )
            caption = QRectF(rect.right() + 4, middle - row_height / 2, right, row_height)
            painter.drawText(
                caption, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.caption
            )
        painter.end()


class BarChart(QWidget):
    """Horizontal bars, first bar on top, captions at the bar ends; a notice when empty.

    Painted with QPainter rather than a plotting library: these are the screen's only charts,
    all of them simple bars, and pyqtgraph would have brought numpy and QtOpenGL into the
    installer (about 50 MB, past its size target) for them.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.unit = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.font_ = QFont(self.font())
        self.font_.setPointSizeF(9)
        self.plot = _BarCanvas(self)
        self.empty = QLabel(self.tr("Keine Daten im gewählten Zeitraum."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMinimumHeight(80)
        self.empty.setStyleSheet(f"color: {MUTED}; font-style: italic;")
        layout.addWidget(self.plot)
        layout.addWidget(self.empty)
        self.show_bars((), "")

    def show_bars(self, bars: tuple[Bar, ...], unit: str) -> None:
        self.bars = list(bars)
        self.unit = unit
        self.plot.setVisible(bool(bars))
        self.empty.setVisible(not bars)
        if bars:
            self.setFixedHeight(AXES_PX + ROW_PX * len(bars) + 12)
        self.plot.update()

    def value_range(self, width: int, metrics: QFontMetrics) -> float:
        """The axis end: the largest value, widened so every caption fits after its bar."""
        top = max((bar.value for bar in self.bars), default=0.0)
        needed = top if top > 0 else 1.0
        for bar in self.bars:
            room = width - metrics.horizontalAdvance(bar.caption) - 16
            if room > width * 0.25:
                needed = max(needed, bar.value * width / room)
            else:
                needed = max(needed, bar.value * 4)
        return needed
