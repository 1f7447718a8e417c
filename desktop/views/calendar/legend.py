"""What the calendar's marks mean: one look per block status, and the legend that explains it.

A status is shown three ways at once (WCAG 1.4.1: colour is never the only signal): a small
badge icon (shape), the badge's colour, and a word on the block. The grid
(``desktop.views.calendar.scene``) and the legend draw from the same table and the same
pixmaps, so the legend cannot drift from what the blocks show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHideEvent,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QToolButton, QWidget

from desktop import theme
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.views.calendar.model import BlockStatus


@dataclass(frozen=True)
class StatusLook:
    label: str  # source text of the context "Calendar"
    hint: str  # source text: what the status means, for the legend
    color: str  # badge colour; white glyphs on it reach 4.5:1 (test_theme_contrast)


STATUS_LOOKS: dict[BlockStatus, StatusLook] = {
    BlockStatus.SCHEDULED: StatusLook(
        QT_TRANSLATE_NOOP("Calendar", "geplant"),
        QT_TRANSLATE_NOOP("Calendar", "Termin vergeben"),
        "#52606D",
    ),
    BlockStatus.CONFIRMED: StatusLook(
        QT_TRANSLATE_NOOP("Calendar", "bestätigt"),
        QT_TRANSLATE_NOOP("Calendar", "Patient hat zugesagt"),
        "#1E5FA8",
    ),
    BlockStatus.ARRIVED: StatusLook(
        QT_TRANSLATE_NOOP("Calendar", "da"),
        QT_TRANSLATE_NOOP("Calendar", "angemeldet, im Wartezimmer oder in Vorbereitung"),
        "#8A5A00",
    ),
    BlockStatus.IN_TREATMENT: StatusLook(
        QT_TRANSLATE_NOOP("Calendar", "in Behandlung"),
        QT_TRANSLATE_NOOP("Calendar", "in Behandlung oder Nachbereitung"),
        "#00796B",
    ),
    BlockStatus.DONE: StatusLook(
        QT_TRANSLATE_NOOP("Calendar", "fertig"),
        QT_TRANSLATE_NOOP("Calendar", "Besuch abgeschlossen"),
        theme.GREEN,
    ),
    BlockStatus.NO_SHOW: StatusLook(
        QT_TRANSLATE_NOOP("Calendar", "nicht erschienen"),
        QT_TRANSLATE_NOOP("Calendar", "als nicht erschienen markiert"),
        theme.NO_SHOW,
    ),
    BlockStatus.CANCELLED: StatusLook(
        QT_TRANSLATE_NOOP("Calendar", "abgesagt"),
        QT_TRANSLATE_NOOP("Calendar", "grau schraffiert, Zeit ist wieder frei"),
        "#616E7C",
    ),
}

#: The glyph colour on every badge.
BADGE_GLYPH = "#FFFFFF"


def status_label(status: BlockStatus) -> str:
    return QCoreApplication.translate("Calendar", STATUS_LOOKS[status].label)


# -- icons --------------------------------------------------------------------------------


def _glyph(painter: QPainter, status: BlockStatus, size: float) -> None:
    """The white symbol inside a badge of ``size`` px (origin at the badge's top-left)."""
    s = size
    pen = QPen(QColor(BADGE_GLYPH), max(1.2, s / 8))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    c = s / 2
    if status is BlockStatus.SCHEDULED:  # clock hands
        painter.drawLine(QPointF(c, c), QPointF(c, s * 0.24))
        painter.drawLine(QPointF(c, c), QPointF(s * 0.72, c))
    elif status is BlockStatus.CONFIRMED:  # one tick
        path = QPainterPath(QPointF(s * 0.27, s * 0.52))
        path.lineTo(QPointF(s * 0.44, s * 0.69))
        path.lineTo(QPointF(s * 0.74, s * 0.33))
        painter.drawPath(path)
    elif status is BlockStatus.ARRIVED:  # a person: the patient is here
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(BADGE_GLYPH))
        painter.drawEllipse(QPointF(c, s * 0.36), s * 0.15, s * 0.15)
        body = QPainterPath(QPointF(s * 0.25, s * 0.8))
        body.cubicTo(
            QPointF(s * 0.25, s * 0.5), QPointF(s * 0.75, s * 0.5), QPointF(s * 0.75, s * 0.8)
        )
        body.closeSubpath()
        painter.drawPath(body)
    elif status is BlockStatus.IN_TREATMENT:  # medical cross
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(BADGE_GLYPH))
        arm, long = s * 0.17, s * 0.56
        painter.drawRect(QRectF(c - arm / 2, c - long / 2, arm, long))
        painter.drawRect(QRectF(c - long / 2, c - arm / 2, long, arm))
    elif status is BlockStatus.DONE:  # two ticks
        for dx in (-s * 0.12, s * 0.1):
            path = QPainterPath(QPointF(s * 0.22 + dx, s * 0.52))
            path.lineTo(QPointF(s * 0.36 + dx, s * 0.67))
            path.lineTo(QPointF(s * 0.62 + dx, s * 0.35))
            painter.drawPath(path)
    elif status is BlockStatus.NO_SHOW:  # a barred circle
        r = s * 0.26
        painter.drawEllipse(QPointF(c, c), r, r)
        painter.drawLine(QPointF(c - r * 0.7, c + r * 0.7), QPointF(c + r * 0.7, c - r * 0.7))
    else:  # cancelled: a cross
        a, b = s * 0.32, s * 0.68
        painter.drawLine(QPointF(a, a), QPointF(b, b))
        painter.drawLine(QPointF(a, b), QPointF(b, a))


_ICONS: dict[tuple[BlockStatus, int, float], QPixmap] = {}


def status_icon(status: BlockStatus, size: int, ratio: float = 1.0) -> QPixmap:
    """The badge of ``status``, ``size`` logical px, cached: blocks blit it (a painted path
    per block and paint would cost more than the rest of the block)."""
    key = (status, size, ratio)
    icon = _ICONS.get(key)
    if icon is None:
        icon = QPixmap(round(size * ratio), round(size * ratio))
        icon.setDevicePixelRatio(ratio)
        icon.fill(Qt.GlobalColor.transparent)
        painter = QPainter(icon)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # a thin white ring keeps the badge apart from any block colour
        painter.setPen(QPen(QColor("#FFFFFF"), 1))
        painter.setBrush(QColor(STATUS_LOOKS[status].color))
        painter.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
        _glyph(painter, status, size)
        painter.end()
        _ICONS[key] = icon
    return icon


def cancelled_brush() -> QBrush:
    """The hatching of cancelled blocks (legend swatch and grid share it)."""
    return QBrush(QColor(theme.CANCELLED_HATCH), Qt.BrushStyle.BDiagPattern)


def break_brush() -> QBrush:
    return QBrush(QColor(theme.BREAK_HATCH), Qt.BrushStyle.BDiagPattern)


# -- the legend ---------------------------------------------------------------------------


def _swatch(draw: Callable[[QPainter, QRectF], None], ratio: float) -> QPixmap:
    w, h = 30, 16
    pixmap = QPixmap(round(w * ratio), round(h * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(theme.BASE))
    painter = QPainter(pixmap)
    draw(painter, QRectF(0, 0, w, h))
    painter.end()
    return pixmap


def _draw_conflict(painter: QPainter, rect: QRectF) -> None:
    painter.fillRect(rect, QColor(theme.RED))
    painter.fillRect(rect.adjusted(2, 2, -2, -2), QColor(theme.FALLBACK_BLOCK))


def _draw_cancelled(painter: QPainter, rect: QRectF) -> None:
    painter.fillRect(rect, QColor(theme.CANCELLED_BORDER))
    inner = rect.adjusted(1, 1, -1, -1)
    painter.fillRect(inner, QColor(theme.CANCELLED_FILL))
    painter.fillRect(inner, cancelled_brush())


def _draw_break(painter: QPainter, rect: QRectF) -> None:
    painter.fillRect(rect, QColor(theme.BREAK_FILL))
    painter.fillRect(rect, break_brush())


def _draw_absent(painter: QPainter, rect: QRectF) -> None:
    painter.fillRect(rect, QColor(theme.ABSENT_COLUMN))


def _draw_closed(painter: QPainter, rect: QRectF) -> None:
    painter.fillRect(rect, QColor(theme.OUTSIDE_HOURS))


def _draw_now(painter: QPainter, rect: QRectF) -> None:
    y = rect.center().y()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor(theme.RED), 2))
    painter.drawLine(QPointF(rect.left() + 4, y), QPointF(rect.right(), y))
    painter.setBrush(QColor(theme.RED))
    painter.drawEllipse(QPointF(rect.left() + 4, y), 3.5, 3.5)


_MARKS: list[tuple[str, str, Callable[[QPainter, QRectF], None]]] = [
    (
        QT_TRANSLATE_NOOP("Calendar", "Konflikt"),
        QT_TRANSLATE_NOOP("Calendar", "roter Rand: Ziel beim Verschieben ist belegt"),
        _draw_conflict,
    ),
    (
        QT_TRANSLATE_NOOP("Calendar", "abgesagt"),
        QT_TRANSLATE_NOOP("Calendar", "schraffiert, durchgestrichen"),
        _draw_cancelled,
    ),
    (
        QT_TRANSLATE_NOOP("Calendar", "Pause"),
        QT_TRANSLATE_NOOP("Calendar", "gelb schraffiert, mit Grund"),
        _draw_break,
    ),
    (
        QT_TRANSLATE_NOOP("Calendar", "Abwesend"),
        QT_TRANSLATE_NOOP("Calendar", "ganze Spalte grau, Grund oben"),
        _draw_absent,
    ),
    (
        QT_TRANSLATE_NOOP("Calendar", "Außerhalb der Sprechzeit"),
        QT_TRANSLATE_NOOP("Calendar", "hellgrau hinterlegt"),
        _draw_closed,
    ),
    (
        QT_TRANSLATE_NOOP("Calendar", "Jetzt"),
        QT_TRANSLATE_NOOP("Calendar", "rote Linie"),
        _draw_now,
    ),
]


class LegendPanel(QFrame):
    """Icons, colours and marks of the grid with their meaning, as a pop-up panel."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("calendarLegend")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Legende des Kalenders"))
        self.setAutoFillBackground(True)
        # the click on "Legende" that closes the panel must not reopen it at once
        self.setAttribute(Qt.WidgetAttribute.WA_NoMouseReplay, True)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        ratio = self.devicePixelRatioF()
        heading = QLabel(self.tr("Status (Symbol, Farbe und Wort auf dem Termin)"))
        heading.setStyleSheet("font-weight: 600;")
        grid.addWidget(heading, 0, 0, 1, 3)
        #: the label of each entry, by its text (tests and screen readers find them)
        self.entries: dict[str, QLabel] = {}
        row = 1
        for status, look in STATUS_LOOKS.items():
            self._entry(
                grid,
                row,
                status_icon(status, 14, ratio),
                QCoreApplication.translate("Calendar", look.label),
                QCoreApplication.translate("Calendar", look.hint),
            )
            row += 1
        marks = QLabel(self.tr("Markierungen im Raster"))
        marks.setStyleSheet("font-weight: 600;")
        grid.addWidget(marks, row, 0, 1, 3)
        row += 1
        for label, hint, draw in _MARKS:
            self._entry(
                grid,
                row,
                _swatch(draw, ratio),
                QCoreApplication.translate("Calendar", label),
                QCoreApplication.translate("Calendar", hint),
                key="mark:" + label,
            )
            row += 1
        colour = QLabel(self.tr("Blockfarbe: Arzt oder Terminart (Auswahl „Farbe nach …“ oben)."))
        colour.setStyleSheet(f"color: {theme.INK_MUTED};")
        grid.addWidget(colour, row, 0, 1, 3)

    def _entry(
        self,
        grid: QGridLayout,
        row: int,
        picture: QPixmap,
        label: str,
        hint: str,
        key: str | None = None,
    ) -> None:
        icon = QLabel()
        icon.setPixmap(picture)
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        name = QLabel(label)
        name.setStyleSheet("font-weight: 600;")
        explanation = QLabel(hint)
        explanation.setStyleSheet(f"color: {theme.INK_MUTED};")
        for column, widget in enumerate((icon, name, explanation)):
            grid.addWidget(widget, row, column)
        self.entries[key or label] = name

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.closed.emit()


class LegendButton(QToolButton):
    """ "Legende" in the calendar's tool bar: shows and hides the legend panel below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("Legende"))
        self.setToolTip(self.tr("Was Symbole, Farben und Markierungen im Kalender bedeuten"))
        self.setAccessibleName(self.tr("Legende ein- oder ausblenden"))
        self.setCheckable(True)
        self.panel = LegendPanel(self)
        self.panel.closed.connect(lambda: self.setChecked(False))
        self.toggled.connect(self._toggle)

    def _toggle(self, shown: bool) -> None:
        if not shown:
            self.panel.hide()
            return
        self.panel.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height() + 2))
        screen = self.screen().availableGeometry()
        x = min(below.x(), screen.right() - self.panel.width())
        self.panel.move(max(screen.left(), x), below.y())
        self.panel.show()
