"""Chart widgets of the Statistik screen: key-figure tiles and horizontal bar charts.

Bars run horizontally so that long names (rooms, surgeons, operation types) stay readable
on the left axis instead of colliding under the bars. Each bar carries its value as a caption
at its end; the value axis ticks are formatted German (1.234,5). Charts are static pictures of
the data: no panning, zooming or context menu, which in a report only gets in the way.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
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


class GermanAxis(pg.AxisItem):  # type: ignore[misc]
    """Value axis with German tick labels (decimal comma, dot as thousands separator)."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802 - pyqtgraph override
        step = spacing * scale
        decimals = 0 if step >= 1 else min(3, math.ceil(-math.log10(step)))
        return [german_number(value * scale, decimals) for value in values]


def _elide(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


class BarChart(QWidget):
    """Horizontal bars, first bar on top, captions at the bar ends; a notice when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.unit = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.font_ = QFont(self.font())
        self.font_.setPointSizeF(9)
        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": GermanAxis("bottom")})
        self.plot.setAccessibleName(self.tr("Balkendiagramm"))
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showGrid(x=True, y=False, alpha=0.25)
        self.box = item.getViewBox()
        self.box.setMouseEnabled(x=False, y=False)
        self.box.setMenuEnabled(False)
        self.box.sigResized.connect(self._fit)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(GRID))
            axis.setTextPen(pg.mkPen(TEXT))
            axis.setTickFont(self.font_)
        item.getAxis("left").setStyle(tickLength=0)
        # Labels on major ticks only: "5 10 15", not "1 2 3 … 19".
        item.getAxis("bottom").setStyle(maxTextLevel=0)
        # The value axis draws the grid lines; below the view box they stay behind the bars.
        item.getAxis("bottom").setZValue(-1)
        self.empty = QLabel(self.tr("Keine Daten im gewählten Zeitraum."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMinimumHeight(80)
        self.empty.setStyleSheet(f"color: {MUTED}; font-style: italic;")
        layout.addWidget(self.plot)
        layout.addWidget(self.empty)
        self._captions: list[Any] = []
        self.show_bars((), "")

    def show_bars(self, bars: tuple[Bar, ...], unit: str) -> None:
        self.bars = list(bars)
        self.unit = unit
        item = self.plot.getPlotItem()
        item.clear()
        self._captions = []
        self.plot.setVisible(bool(bars))
        self.empty.setVisible(not bars)
        if not bars:
            return
        count = len(bars)
        rows = [count - 1 - index for index in range(count)]  # first bar on top
        brushes = [QColor(bar.color) if bar.color else QColor(ACCENT) for bar in bars]
        brushes = [color if color.isValid() else QColor(ACCENT) for color in brushes]
        pens = [pg.mkPen(color.darker(130)) for color in brushes]
        bar_item = pg.BarGraphItem(
            x0=0,
            y=rows,
            height=0.62,
            width=[bar.value for bar in bars],
            brushes=brushes,
            pens=pens,
        )
        item.addItem(bar_item)
        for row, bar in zip(rows, bars, strict=True):
            caption = pg.TextItem(bar.caption, color=TEXT, anchor=(0, 0.5))
            caption.setFont(self.font_)
            caption.setPos(bar.value, row)
            item.addItem(caption)
            self._captions.append(caption)
        left = item.getAxis("left")
        left.setTicks([[(row, _elide(bar.label)) for row, bar in zip(rows, bars, strict=True)]])
        metrics = QFontMetrics(self.font_)
        left.setWidth(max(metrics.horizontalAdvance(_elide(bar.label)) for bar in bars) + 14)
        item.setLabel("bottom", unit, color=MUTED)
        self.setFixedHeight(AXES_PX + ROW_PX * count + 12)
        self._fit()

    def _fit(self) -> None:
        """Widen the value range so every caption fits to the right of its bar."""
        if not self.bars:
            return
        width = max(1.0, float(self.box.width()))
        metrics = QFontMetrics(self.font_)
        top = max(bar.value for bar in self.bars)
        needed = top if top > 0 else 1.0
        for bar in self.bars:
            room = width - metrics.horizontalAdvance(bar.caption) - 16
            if room > width * 0.25:
                needed = max(needed, bar.value * width / room)
            else:
                needed = max(needed, bar.value * 4)
        count = len(self.bars)
        self.box.setRange(xRange=(0, needed), yRange=(-0.6, count - 0.4), padding=0)
