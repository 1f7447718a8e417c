"""Look and feel: Fusion, a calm light palette (dark when the system asks), shared colours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

RED = "#C62828"
AMBER = "#F9A825"
GREEN = "#2E7D32"
ACCENT = "#2F6FB2"
FALLBACK_BLOCK = "#8FA9C9"


def luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def text_on(background: QColor) -> QColor:
    """Black or white, whichever has the higher WCAG contrast on ``background``."""
    lum = luminance(background)
    black = (lum + 0.05) / 0.05
    white = 1.05 / (lum + 0.05)
    return QColor("#000000") if black >= white else QColor("#FFFFFF")


def parse_color(value: str | None, fallback: str = FALLBACK_BLOCK) -> QColor:
    color = QColor(value) if value else QColor()
    return color if color.isValid() else QColor(fallback)


def is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    if is_dark():
        return  # Fusion follows the system's dark palette
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#F4F6F9"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1F2933"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#F0F3F7"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1F2933"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#FBFCFD"))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor("#1F2933"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor("#1F2933"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#7B8794"))
    app.setPalette(palette)
