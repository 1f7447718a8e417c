"""A section card of the Statistik screen: title, hint and tiles, a bar chart or a message."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.views.master_data.form import ERROR_STYLE
from desktop.views.statistics.charts import MUTED, TEXT, BarChart, TileGrid
from desktop.views.statistics.content import Content, Section

CARD_STYLE = (
    "#sectionCard { background: #FFFFFF; border: 1px solid #D9DEE4; border-radius: 8px; }"
    f"#sectionTitle {{ color: {TEXT}; font-size: 11pt; font-weight: 700; }}"
    f"#sectionHint {{ color: {MUTED}; font-size: 8.5pt; }}"
    f"#sectionState {{ color: {MUTED}; font-size: 8.5pt; }}"
)
#: A refusal is expected for some roles: calm grey, not an alarming red.
REFUSAL_STYLE = (
    f"color: {MUTED}; background: #F0F3F7; border: 1px solid #D9DEE4; border-radius: 4px;"
    " padding: 10px;"
)


class SectionCard(QFrame):
    """States: ``loading`` (nothing yet), ``ready``, ``refused`` (403), ``failed``."""

    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.state = "loading"
        self.content: Content | None = None
        self.setObjectName("sectionCard")
        self.setStyleSheet(CARD_STYLE)
        self.setAccessibleName(section.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.title = QLabel(section.title)
        self.title.setObjectName("sectionTitle")
        self.state_label = QLabel()
        self.state_label.setObjectName("sectionState")
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.state_label)
        layout.addLayout(head)
        self.hint = QLabel(section.hint)
        self.hint.setObjectName("sectionHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(section.hint))
        layout.addWidget(self.hint)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.tiles = TileGrid(4 if section.wide else 2)
        self.tiles.hide()
        layout.addWidget(self.tiles)
        self.chart = BarChart()
        self.chart.hide()
        layout.addWidget(self.chart)
        layout.addStretch(1)
        self.state_label.setText(self.tr("wird geladen …"))

    def refreshing(self, busy: bool) -> None:
        """The last data stays visible while a new answer is on its way."""
        if not busy:
            self.state_label.setText("")
        elif self.state == "loading":
            self.state_label.setText(self.tr("wird geladen …"))
        else:
            self.state_label.setText(self.tr("wird aktualisiert …"))

    def show_content(self, content: Content) -> None:
        self.state = "ready"
        self.content = content
        self.message.hide()
        if content.tiles:
            self.tiles.show_tiles(content.tiles)
            self.tiles.show()
            self.chart.hide()
        else:
            self.chart.show_bars(content.bars, content.axis_unit)
            self.chart.show()
            self.tiles.hide()

    def show_refusal(self, text: str) -> None:
        self._show_message("refused", text, REFUSAL_STYLE)

    def show_failure(self, text: str) -> None:
        self._show_message("failed", text, ERROR_STYLE)

    def _show_message(self, state: str, text: str, style: str) -> None:
        self.state = state
        self.content = None
        self.tiles.hide()
        self.chart.hide()
        self.message.setStyleSheet(style)
        self.message.setText(text)
        self.message.show()
