"""Look and feel: Fusion, a calm light palette (dark when the system asks), shared colours.

Every text colour is chosen against the background it is drawn on and listed in
``TEXT_PAIRS`` (``tests/desktop/test_theme_contrast.py`` computes their WCAG ratios), so a
colour change that makes a text unreadable fails a test instead of a user's eyes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

RED = "#C62828"
AMBER = "#F9A825"
GREEN = "#2E7D32"
ACCENT = "#2F6FB2"
FALLBACK_BLOCK = "#8FA9C9"

# -- the light palette ----------------------------------------------------------------------
WINDOW = "#F4F6F9"
INK = "#1F2933"  # body text
INK_SOFT = "#3E4C59"  # ruler, chips
INK_MUTED = "#52606D"  # secondary labels
BASE = "#FFFFFF"
BUTTON = "#FBFCFD"
PLACEHOLDER = "#616E7C"  # placeholder text is text: 4.5:1 on Base, too
#: Disabled controls: a grey face and a lighter label. WCAG exempts them from 4.5:1; they stay
#: ≥ 3:1 so the label is still legible, and they are clearly lighter than enabled ones.
DISABLED_BUTTON = "#D5DCE3"
DISABLED_TEXT = "#6B7785"
DISABLED_BORDER = "#D3D9E0"

# -- calendar grid --------------------------------------------------------------------------
GRID_LINE = "#E3E7EC"
GRID_LINE_STRONG = "#C3CAD3"
OUTSIDE_HOURS = "#E9EDF2"
ABSENT_COLUMN = "#DADFE5"
ABSENCE_CHIP = "#F4F6F9"
ABSENCE_CHIP_BORDER = "#9AA5B1"
BREAK_FILL = "#FFF8DC"
BREAK_HATCH = "#D9C16A"
BREAK_TEXT = "#5C4A00"
#: Cancelled blocks: hatched light grey, dark grey text (not faded: 40 % opacity gave 1.8:1).
CANCELLED_FILL = "#EEF1F4"
CANCELLED_HATCH = "#CDD4DC"
CANCELLED_BORDER = "#8995A3"
CANCELLED_TEXT = "#323F4B"
#: No-show: its own colour, far from the conflict / now-line red.
NO_SHOW = "#6A1B9A"
SELECTED_BORDER = "#1F2933"

#: (what, text colour, background) of every text the theme draws; each must reach 4.5:1.
TEXT_PAIRS: list[tuple[str, str, str]] = [
    ("Fenstertext", INK, WINDOW),
    ("Text in Feldern", INK, BASE),
    ("Schaltflächentext", INK, BUTTON),
    ("Platzhalter", PLACEHOLDER, BASE),
    ("Auswahl", BASE, ACCENT),
    ("Tooltip", INK, BASE),
    ("Kalenderkopf", INK, WINDOW),
    ("Kalenderkopf, zweite Zeile", INK_MUTED, WINDOW),
    ("Zeitleiste", INK_SOFT, WINDOW),
    ("Abwesenheit", INK_SOFT, ABSENCE_CHIP),
    ("Pause", BREAK_TEXT, BREAK_FILL),
    ("Abgesagter Termin", CANCELLED_TEXT, CANCELLED_FILL),
    ("Abgesagter Termin auf Schraffur", CANCELLED_TEXT, CANCELLED_HATCH),
    ("Fehlermeldung", RED, "#FDECEA"),
]
#: Disabled labels: exempt from 4.5:1, kept ≥ 3:1 (legible yet visibly off).
DISABLED_PAIRS: list[tuple[str, str, str]] = [
    ("Deaktivierte Schaltfläche", DISABLED_TEXT, DISABLED_BUTTON),
    ("Deaktivierter Text", DISABLED_TEXT, WINDOW),
    ("Deaktiviertes Feld", DISABLED_TEXT, BASE),
]


def luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast(first: QColor | str, second: QColor | str) -> float:
    """WCAG 2 contrast ratio (1 … 21) of two opaque colours."""
    a, b = luminance(QColor(first)), luminance(QColor(second))
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


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


def light_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for which, value in (
        (role.Window, WINDOW),
        (role.WindowText, INK),
        (role.Base, BASE),
        (role.AlternateBase, "#F0F3F7"),
        (role.Text, INK),
        (role.Button, BUTTON),
        (role.ButtonText, INK),
        (role.Highlight, ACCENT),
        (role.HighlightedText, BASE),
        (role.ToolTipBase, BASE),
        (role.ToolTipText, INK),
        (role.PlaceholderText, PLACEHOLDER),
    ):
        palette.setColor(which, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for which, value in (
        (role.WindowText, DISABLED_TEXT),
        (role.Text, DISABLED_TEXT),
        (role.ButtonText, DISABLED_TEXT),
        (role.PlaceholderText, DISABLED_TEXT),
        (role.Button, DISABLED_BUTTON),
        (role.Base, WINDOW),
        (role.Highlight, "#9AA5B1"),
        (role.HighlightedText, BASE),
    ):
        palette.setColor(disabled, which, QColor(value))
    return palette


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    if is_dark():
        return  # Fusion follows the system's dark palette
    app.setPalette(light_palette())
