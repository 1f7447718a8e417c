"""The calendar grid as a QGraphicsScene: columns (doctors of a day, or days of a doctor).

Static decoration (hours shading, grid, breaks, absences) is painted in ``drawBackground``;
only appointments are items, so building a 12 × 40 day stays in the low milliseconds.
The header (column titles) and the time ruler are painted pinned in ``drawForeground``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QStyleOptionGraphicsItem,
    QToolTip,
    QWidget,
)

from desktop import theme
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.theme import FALLBACK_BLOCK, RED, parse_color, text_on
from desktop.views.calendar.legend import (
    STATUS_LOOKS,
    break_brush,
    cancelled_brush,
    status_icon,
    status_label,
)
from desktop.views.calendar.model import Appointment, BlockStatus, CalendarData

RULER_W = 56.0
HEADER_H = 44.0
SLOT_PX = 22.0  # height of one slot at default zoom (≥ 18 px, spec 07 "Visual style")
MIN_COLUMN_W = 110.0
RESIZE_GRIP = 6.0
STRIPE_W = 3.0  # the status colour along a block's left edge
TEXT_X = 5.0 + STRIPE_W
WIDE_BLOCK = 220.0  # from this width on, a block's first line shows its end time too

#: Source texts; shown through ``weekday_short``.
WEEKDAYS = [
    QT_TRANSLATE_NOOP("Calendar", "Mo"),
    QT_TRANSLATE_NOOP("Calendar", "Di"),
    QT_TRANSLATE_NOOP("Calendar", "Mi"),
    QT_TRANSLATE_NOOP("Calendar", "Do"),
    QT_TRANSLATE_NOOP("Calendar", "Fr"),
    QT_TRANSLATE_NOOP("Calendar", "Sa"),
    QT_TRANSLATE_NOOP("Calendar", "So"),
]


def weekday_short(day: date) -> str:
    """ "Mo" … "So" as shown."""
    return QCoreApplication.translate("Calendar", WEEKDAYS[day.weekday()])


@dataclass(frozen=True)
class Column:
    """One column of the grid: a doctor on a day, or a room/device on a day."""

    day: date
    doctor_id: int
    title: str
    subtitle: str
    color: str | None
    resource_id: int | None = None


@dataclass(frozen=True)
class Geometry:
    first_hour: int
    last_hour: int
    slot_minutes: int
    column_w: float

    @property
    def px_per_minute(self) -> float:
        return SLOT_PX / self.slot_minutes

    @property
    def height(self) -> float:
        return (self.last_hour - self.first_hour) * 60 * self.px_per_minute

    def y_of(self, clock: time) -> float:
        minutes = clock.hour * 60 + clock.minute + clock.second / 60 - self.first_hour * 60
        return HEADER_H + minutes * self.px_per_minute

    def x_of(self, column: int) -> float:
        return RULER_W + column * self.column_w

    def minutes_at(self, y: float) -> float:
        return self.first_hour * 60 + (y - HEADER_H) / self.px_per_minute

    def snap(self, minutes: float) -> int:
        step = self.slot_minutes
        return int(round(minutes / step) * step)


_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable


class AppointmentItem(QGraphicsItem):
    """A block; paints itself (time, patient, type, status marks)."""

    def __init__(self, scene: CalendarScene, appointment: Appointment, column: int) -> None:
        super().__init__()
        self.appointment = appointment
        self.column = column
        self._scene_ref = scene
        self._rect = QRectF()
        self._prepared_for: tuple[float, float, bool] | None = None
        self._lines: list[tuple[QPointF, QStaticText, float]] = []
        self._fill = self._border = self._fg = self._stripe = QColor()
        self._icon_at: QPointF | None = None
        self._icon_size = 0
        #: px above the block that a tight one-line label may ink (dots of Ä, Ö, Ü)
        self._overhang = 0.0
        self._status = BlockStatus.SCHEDULED
        self._icon: QPixmap | None = None
        self.conflict = False
        self.setFlag(_SELECTABLE, True)
        self.setZValue(2)
        self.layout()

    def assign(self, appointment: Appointment, column: int) -> None:
        """Reuse this item for ``appointment`` (labels are kept when nothing they show changed)."""
        if appointment != self.appointment:
            self._prepared_for = None
        self.appointment = appointment
        self.column = column
        self.conflict = False
        self.setZValue(2)
        self.layout()

    def layout(self) -> None:
        scene = self._scene_ref
        geo = scene.geometry
        a = self.appointment
        top = geo.y_of(a.start.time())
        minutes = max(a.minutes, 5)
        height = max(minutes * geo.px_per_minute, 12.0)
        self.prepareGeometryChange()
        self._rect = QRectF(0, 0, geo.column_w - 6, height - 1)
        self._overhang = scene.tight_overhang if scene.is_tight(height - 1) else 0.0
        self.setPos(geo.x_of(self.column) + 3, top)

    def set_width(self, width: float) -> None:
        self.prepareGeometryChange()
        self._rect.setWidth(width)

    @property
    def resource_column(self) -> bool:
        columns = self._scene_ref.columns
        return self.column < len(columns) and columns[self.column].resource_id is not None

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        # paint() draws inside the block, but for umlaut dots of a tight label (computed per
        # call: the view resizes a dragged block's rect directly)
        if self._overhang:
            return self._rect.adjusted(0, -self._overhang, 0, 0)
        return self._rect

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)  # clicks and hovers hit the block, not its overhang
        return path

    def block_rect(self) -> QRectF:
        return QRectF(self._rect)

    def color(self) -> QColor:
        return self._style()[0]

    def _style(self) -> tuple[QColor, QColor, QColor]:
        a = self.appointment
        if a.cancelled:
            return CANCELLED_STYLE
        return block_style(a.type_color if self._scene_ref.color_by_type else a.doctor_color)

    def _texts(self, lines: int) -> list[str]:
        """The label lines; one line carries the status word at its end, more lines at the
        start of the second (the name stays first: it is what the desk scans for)."""
        a = self.appointment
        start, end = a.start, a.end
        status = _status_word(self._status)
        # Second line: type and room; in the resource view the column is the room, so the
        # doctor is what the line adds.
        where = a.doctor_name if self.resource_column else a.room_name
        # "3/6": a series; "2/4 Aufklärung · Katarakt-Kette": a chain's place, its step's name
        # (unless the type already says it) and the chain
        chain = []
        if a.chain:
            step = a.chain.step_name if a.chain.step_name != a.type_name else ""
            chain = [f"{a.chain_place} {step}".strip(), a.chain.name]
        details = [x for x in (a.series_place, *chain, a.type_name, where) if x]
        clock = f"{start.hour:02d}:{start.minute:02d}"
        if lines == 1:
            place = "".join(f" · {x}" for x in (a.series_place, a.chain_place) if x)
            return [f"{clock} {a.patient_name}{place} · {status}"]
        if self._rect.width() >= WIDE_BLOCK:  # the end fits without crowding out the name
            clock += f"–{end.hour:02d}:{end.minute:02d}"
        return [f"{clock}  {a.patient_name}", " · ".join([status, *details])]

    def _prepare(self) -> None:
        """Colours and elided label lines, computed once per size instead of on every paint.

        The line layout follows the block's height: full lines where they fit; a 10-minute
        block (one slot of ~15 px) gets one line set tight on its glyphs, so descenders are
        not cut; a block too low for any text shows its status icon (text in the tooltip).
        """
        scene = self._scene_ref
        rect = self._rect
        self._fill, self._border, self._fg = self._style()
        self._status = self.appointment.block_status
        self._stripe = _status_colour(self._status)
        self._icon = None
        height = rect.height()
        line_h = scene.item_line_h
        fits = int((height - 2) // line_h)
        self._lines = []
        icon = int(min(scene.icon_size, height - 2))
        self._icon_size = icon if icon >= 8 else 0
        if fits >= 1:
            first_top = 1.0 + scene.item_text_top(line_h)
            tops = [first_top + n * line_h for n in range(fits)]
        elif scene.is_tight(height):
            # baseline so that the glyphs' ink (ascender … descender) is centred in the block
            ink = scene.glyph_ascent + scene.glyph_descent
            baseline = (height - ink) / 2 + scene.glyph_ascent
            tops = [baseline - scene.item_metrics.ascent()]
        else:
            tops = []
        texts = self._texts(min(len(tops), 2)) if tops else []
        x = TEXT_X + (self._icon_size + 3 if self._icon_size else 0)
        for n, text in enumerate(texts):
            line_x = x if n == 0 else TEXT_X
            static, advance = scene.label(text, int(rect.width() - line_x - 3))
            self._lines.append((QPointF(line_x, tops[n]), static, advance))
        if self._icon_size:
            if tops:
                centre = tops[0] + scene.item_metrics.ascent() - scene.item_metrics.xHeight() / 2
            else:
                centre = height / 2
            top = max(1.0, min(height - 1 - self._icon_size, centre - self._icon_size / 2))
            self._icon_at = QPointF(TEXT_X, top)
        else:
            self._icon_at = None
        self._prepared_for = (rect.width(), rect.height(), scene.color_by_type)

    def _ensure_prepared(self) -> None:
        rect = self._rect
        if self._prepared_for != (rect.width(), rect.height(), self._scene_ref.color_by_type):
            self._prepare()

    def shown_text(self) -> list[str]:
        """The label lines as they are painted (elided where the block is too narrow)."""
        self._ensure_prepared()
        return [static.text() for _, static, _ in self._lines]

    def shown_icon(self) -> BlockStatus | None:
        """The status whose badge the block paints (None when the block is too low for it)."""
        self._ensure_prepared()
        return self._status if self._icon_at is not None else None

    def tooltip(self) -> str:
        """Everything the block may have cut off, in full."""
        a = self.appointment
        lines = [
            f"{a.start:%H:%M}–{a.end:%H:%M}  {a.patient_name}",
            " · ".join(x for x in (a.type_name, a.room_name) if x),
            a.doctor_name,
            *(
                [QCoreApplication.translate("Calendar", "Serie: Termin {0}").format(a.series_place)]
                if a.series
                else []
            ),
            *(
                [
                    QCoreApplication.translate(
                        "Calendar", "Terminkette: {0}, Schritt {1}: {2}"
                    ).format(a.chain.name, a.chain_place, a.chain.step_name)
                    if a.chain.step_name
                    else QCoreApplication.translate(
                        "Calendar", "Terminkette: {0}, Schritt {1}"
                    ).format(a.chain.name, a.chain_place)
                ]
                if a.chain
                else []
            ),
            QCoreApplication.translate("Calendar", "Status: {0}").format(
                status_label(a.block_status)
            ),
        ]
        if a.notes:
            lines.append(QCoreApplication.translate("Calendar", "Notiz: {0}").format(a.notes))
        return "\n".join(line for line in lines if line)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        # Only fillRect, drawPixmap and drawStaticText: a pen-stroked rectangle under the item
        # transform costs ~50 µs in the raster engine, a filled one ~4 µs, and a cached
        # QStaticText skips text layout entirely.
        rect = self._rect
        scene = self._scene_ref
        self._ensure_prepared()
        selected = self.isSelected()
        cancelled = self.appointment.cancelled
        if selected or self.conflict:
            # a dragged block is also the selected one: the conflict must still show
            painter.fillRect(rect, RED_C if self.conflict else SELECTED_C)
            inner = rect.adjusted(2, 2, -2, -2)
        else:
            painter.fillRect(rect, self._border)
            inner = rect.adjusted(1, 1, -1, -1)
        painter.fillRect(inner, self._fill)
        if cancelled:
            painter.fillRect(inner, scene.cancelled_hatch)
        painter.fillRect(
            QRectF(inner.left(), inner.top(), min(STRIPE_W, inner.width()), inner.height()),
            self._stripe,
        )
        if self._icon_at is not None:
            ratio = painter.device().devicePixelRatioF()
            icon = self._icon
            if icon is None or icon.devicePixelRatio() != ratio:
                icon = self._icon = status_icon(self._status, self._icon_size, ratio)
            painter.drawPixmap(self._icon_at, icon)
        painter.setPen(self._fg)
        painter.setFont(scene.item_font)
        for n, (point, static, advance) in enumerate(self._lines):
            painter.drawStaticText(point, static)
            if cancelled and n == 0:  # struck through (spec 07), the name stays readable
                mid = point.y() + scene.item_strike_y
                painter.fillRect(QRectF(point.x(), mid, advance, 1), self._fg)


_STYLES: dict[tuple[str | None, str], tuple[QColor, QColor, QColor]] = {}
_STATUS_COLOURS: dict[BlockStatus, QColor] = {}
_STATUS_WORDS: dict[BlockStatus, str] = {}


def _status_colour(status: BlockStatus) -> QColor:
    colour = _STATUS_COLOURS.get(status)
    if colour is None:
        colour = _STATUS_COLOURS[status] = QColor(STATUS_LOOKS[status].color)
    return colour


def _status_word(status: BlockStatus) -> str:
    """The translated word, looked up once per status (the UI language is fixed at start)."""
    word = _STATUS_WORDS.get(status)
    if word is None:
        word = _STATUS_WORDS[status] = status_label(status)
    return word


def block_style(color: str | None) -> tuple[QColor, QColor, QColor]:
    """Fill, border and readable text colour of a block colour (few distinct values: cached)."""
    key = (color, FALLBACK_BLOCK)
    style = _STYLES.get(key)
    if style is None:
        fill = parse_color(color)
        style = _STYLES[key] = (fill, fill.darker(135), text_on(fill))
    return style


RED_C = QColor(RED)
SELECTED_C = QColor(theme.SELECTED_BORDER)
CANCELLED_STYLE = (
    QColor(theme.CANCELLED_FILL),
    QColor(theme.CANCELLED_BORDER),
    QColor(theme.CANCELLED_TEXT),
)


class CalendarScene(QGraphicsScene):
    def __init__(self, parent: object = None) -> None:
        super().__init__()
        self.data: CalendarData | None = None
        self.columns: list[Column] = []
        #: the block of each appointment (its first one in a resource view)
        self.items_by_id: dict[int, AppointmentItem] = {}
        #: every block, keyed by (appointment id, resource id or None)
        self.blocks: dict[tuple[int, int | None], AppointmentItem] = {}
        self._resource_view = False
        self.color_by_type = False
        self.geometry = Geometry(7, 19, 15, MIN_COLUMN_W)
        self.now: datetime | None = None
        self.cursor: tuple[int, int] | None = None  # (column, slot index)
        self.item_font = QFont()
        self.item_font.setPointSizeF(9)
        self.item_font.setStyleHint(QFont.StyleHint.SansSerif)
        self.item_metrics = QFontMetricsF(self.item_font)
        self.item_line_h = self.item_metrics.height() + 1
        self.item_strike_y = self.item_metrics.ascent() - self.item_metrics.xHeight() / 2
        # The ink of a line, from lower-case ascenders down to descenders: a 10-minute block
        # on the 15-minute grid (~14 px) is about that high, less than the font's height.
        # Descenders (g, j, p, q, y) win over the dots of capital umlauts (Ö, Ü), which may
        # lose a pixel at the top there; the tooltip has the full text.
        self.glyph_ascent = -self.item_metrics.tightBoundingRect("hdlbkf").top()
        self.glyph_descent = self.item_metrics.tightBoundingRect("gjpqy").bottom()
        self.tight_line_h = self.glyph_ascent + self.glyph_descent
        # No clip for them (a clip rect costs more than the whole block): the item's bounds
        # grow by what the dots may reach above.
        umlaut_top = -self.item_metrics.tightBoundingRect("ÄÖÜ").top()
        self.tight_overhang = float(max(0.0, umlaut_top - self.glyph_ascent))
        self.icon_size = int(min(12, round(self.item_metrics.height() - 2)))
        self._labels: dict[tuple[str, int], tuple[QStaticText, float]] = {}
        self.header_font = QFont()
        self.header_font.setBold(True)
        self.small_font = QFont()
        self.small_font.setPointSizeF(9)
        self._hatch = break_brush()
        self.cancelled_hatch = cancelled_brush()
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)

    # -- labels ---------------------------------------------------------------------------

    def is_tight(self, height: float) -> bool:
        """Whether a block of ``height`` gets the tight one-line label (too low for a full line)."""
        return (height - 2) // self.item_line_h < 1 and height >= self.tight_line_h

    def item_text_top(self, line_h: float) -> float:
        """Offset of a label's top inside its line (static text is drawn from its top-left)."""
        return (line_h - self.item_metrics.height()) / 2

    def label(self, text: str, width: int) -> tuple[QStaticText, float]:
        """``text`` elided to ``width`` as a prepared QStaticText and its advance, cached.

        Reloads after a change notice show mostly the same labels, so they are laid out once
        per text and column width, not once per build or paint.
        """
        key = (text, width)
        found = self._labels.get(key)
        if found is not None:
            return found
        if len(self._labels) > 20_000:
            self._labels.clear()
        metrics = self.item_metrics
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        static = QStaticText(elided)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
        static.prepare(QTransform(), self.item_font)
        found = self._labels[key] = (static, static.size().width())
        return found

    # -- building -------------------------------------------------------------------------

    def set_content(
        self, data: CalendarData, columns: list[Column], slot_minutes: int, column_w: float
    ) -> None:
        self.data = data
        self.columns = columns
        first, last = data.hour_span()
        self.geometry = Geometry(first, last, slot_minutes, column_w)
        # Items are reused (same appointment id first, keeping its selection; then any spare
        # one): a reload after a change notice mostly repaints the same blocks, and creating
        # and destroying hundreds of items costs more than the painting itself.
        old, self.blocks, self.items_by_id = self.blocks, {}, {}
        resource_view = bool(columns) and columns[0].resource_id is not None
        if resource_view != self._resource_view:  # labels differ between the two views
            self._resource_view = resource_view
            for block in old.values():
                block._prepared_for = None
        placed: list[tuple[tuple[int, int | None], Appointment, int]] = []
        if resource_view:
            by_resource = {(c.day, c.resource_id): n for n, c in enumerate(columns)}
            for appointment in data.appointments:
                day = appointment.start.date()
                for resource in data.booked_resources(appointment):
                    column = by_resource.get((day, resource))
                    if column is not None:
                        placed.append(((appointment.id, resource), appointment, column))
        else:
            index = {(c.day, c.doctor_id): n for n, c in enumerate(columns)}
            for appointment in data.appointments:
                column = index.get((appointment.start.date(), appointment.doctor))
                if column is not None:
                    placed.append(((appointment.id, None), appointment, column))
        waiting: list[tuple[tuple[int, int | None], Appointment, int]] = []
        for key, appointment, column in placed:
            item = old.pop(key, None)
            if item is None:
                waiting.append((key, appointment, column))
            else:
                item.assign(appointment, column)
                self.blocks[key] = item
        spare = list(old.values())
        old.clear()
        for key, appointment, column in waiting:
            if spare:
                item = spare.pop()
                item.setSelected(False)
                item.assign(appointment, column)
            else:
                item = AppointmentItem(self, appointment, column)
                self.addItem(item)
            self.blocks[key] = item
        for key, item in self.blocks.items():
            self.items_by_id.setdefault(key[0], item)
        for item in spare:  # hand them back to Python instead of clear()'s C++ delete
            self.removeItem(item)
        self._layout_overlaps()
        width = RULER_W + len(columns) * column_w
        self.setSceneRect(QRectF(0, 0, width, HEADER_H + self.geometry.height + 8))
        self.update()

    def relayout(self, column_w: float) -> None:
        if self.data is None:
            return
        geo = self.geometry
        self.geometry = Geometry(geo.first_hour, geo.last_hour, geo.slot_minutes, column_w)
        for item in self.blocks.values():
            item.layout()
        self._layout_overlaps()
        self.setSceneRect(
            QRectF(
                0, 0, RULER_W + len(self.columns) * column_w, HEADER_H + self.geometry.height + 8
            )
        )
        self.update()

    def _layout_overlaps(self) -> None:
        """Side by side where blocks of one column overlap (cancelled ones included)."""
        per_column: dict[int, list[AppointmentItem]] = {}
        for item in self.blocks.values():
            per_column.setdefault(item.column, []).append(item)
        for items in per_column.values():
            items.sort(key=lambda i: (i.appointment.start, i.appointment.id))
            lanes: list[datetime] = []
            cluster: list[tuple[AppointmentItem, int]] = []
            cluster_end: datetime | None = None

            def flush(lanes: list[datetime], cluster: list[tuple[AppointmentItem, int]]) -> None:
                count = len(lanes)
                if count > 1:
                    for it, lane in cluster:
                        width = (self.geometry.column_w - 6) / count
                        it.set_width(width - 2)
                        it.setPos(self.geometry.x_of(it.column) + 3 + lane * width, it.pos().y())

            for item in items:
                a = item.appointment
                if cluster_end is not None and a.start >= cluster_end:
                    flush(lanes, cluster)
                    lanes, cluster, cluster_end = [], [], None
                lane = next((n for n, end in enumerate(lanes) if end <= a.start), None)
                if lane is None:
                    lanes.append(a.end)
                    lane = len(lanes) - 1
                else:
                    lanes[lane] = a.end
                cluster.append((item, lane))
                cluster_end = a.end if cluster_end is None else max(cluster_end, a.end)
            flush(lanes, cluster)

    # -- tooltips -------------------------------------------------------------------------

    def block_at(self, point: QPointF) -> AppointmentItem | None:
        for item in self.items(point):
            if isinstance(item, AppointmentItem):
                return item
        return None

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:  # noqa: N802 - Qt override
        # Tooltips are built on hover, not stored on every item: a build stays as cheap as
        # it was, and the text is always the current one.
        item = self.block_at(event.scenePos())
        if item is None:
            QToolTip.hideText()
            event.ignore()
            return
        QToolTip.showText(event.screenPos(), item.tooltip(), event.widget())
        event.accept()

    # -- coordinates ----------------------------------------------------------------------

    def column_at(self, x: float) -> int | None:
        if x < RULER_W or not self.columns:
            return None
        column = int((x - RULER_W) // self.geometry.column_w)
        return column if 0 <= column < len(self.columns) else None

    def slot_count(self) -> int:
        geo = self.geometry
        return (geo.last_hour - geo.first_hour) * 60 // geo.slot_minutes

    def slot_start(self, column: int, slot: int) -> datetime:
        geo = self.geometry
        day = self.columns[column].day
        base = datetime.combine(day, time(0))
        return base + timedelta(minutes=geo.first_hour * 60 + slot * geo.slot_minutes)

    def slot_at(self, y: float) -> int:
        geo = self.geometry
        minutes = geo.minutes_at(y) - geo.first_hour * 60
        return max(0, min(self.slot_count() - 1, int(minutes // geo.slot_minutes)))

    def slot_rect(self, column: int, slot: int) -> QRectF:
        geo = self.geometry
        top = HEADER_H + slot * SLOT_PX
        return QRectF(geo.x_of(column), top, geo.column_w, SLOT_PX)

    def appointment_at_slot(self, column: int, slot: int) -> AppointmentItem | None:
        start = self.slot_start(column, slot)
        end = start + timedelta(minutes=self.geometry.slot_minutes)
        for item in self.blocks.values():
            a = item.appointment
            if item.column == column and a.start < end and a.end > start:
                return item
        return None

    def local_conflict(self, column: int, start: datetime, end: datetime, exclude: int) -> bool:
        """Instant pre-check while dragging (the server decides on drop)."""
        if self.data is None:
            return False
        col = self.columns[column]
        if col.resource_id is not None:
            return False  # blocks are not moved in the resource view
        windows = self.data.open_windows(col.doctor_id, col.day)
        if not any(
            ws <= start.time()
            and (end.time() <= we or end.time() == time(0))
            and start.date() == end.date()
            for ws, we in windows
        ):
            return True
        if self.data.absence(col.doctor_id, col.day):
            return True
        for b in self.data.breaks_for(col.doctor_id, col.day):
            if start.time() < b.end and end.time() > b.start:
                return True
        for item in self.items_by_id.values():
            a = item.appointment
            if (
                a.id != exclude
                and not a.cancelled
                and a.doctor == col.doctor_id
                and a.start < end
                and a.end > start
            ):
                return True
        return False

    # -- painting -------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802 - Qt override
        rect = QRectF(rect)
        geo = self.geometry
        painter.fillRect(rect, QColor(theme.BASE))
        if self.data is None or not self.columns:
            return
        shade = QColor(theme.OUTSIDE_HOURS)
        height = geo.height
        bottom = HEADER_H + height
        break_labels: list[tuple[QRectF, str]] = []
        for n, col in enumerate(self.columns):
            x = geo.x_of(n)
            column_rect = QRectF(x, HEADER_H, geo.column_w, height)
            if not column_rect.intersects(rect):
                continue
            painter.fillRect(column_rect, shade)
            resource_column = col.resource_id is not None
            absence = None if resource_column else self.data.absence(col.doctor_id, col.day)
            if absence is None:
                windows = (
                    self.data.practice_windows(col.day)
                    if resource_column
                    else self.data.open_windows(col.doctor_id, col.day)
                )
                for start, end in windows:
                    top, low = geo.y_of(start), geo.y_of(end)
                    painter.fillRect(QRectF(x, top, geo.column_w, low - top), QColor(theme.BASE))
                breaks = self.data.breaks_for(col.doctor_id, col.day)
                if resource_column:
                    breaks = [b for b in breaks if b.doctor is None]
                for b in breaks:
                    top, low = geo.y_of(b.start), geo.y_of(b.end)
                    area = QRectF(x, top, geo.column_w, low - top)
                    painter.fillRect(area, QColor(theme.BREAK_FILL))
                    painter.fillRect(area, self._hatch)
                    if b.reason and low - top >= 14:
                        break_labels.append((area, b.reason))
            else:
                painter.fillRect(column_rect, QColor(theme.ABSENT_COLUMN))
        # grid lines
        slot = geo.slot_minutes
        per_hour = 60 // slot
        light, strong = QPen(QColor(theme.GRID_LINE)), QPen(QColor(theme.GRID_LINE_STRONG))
        total = (geo.last_hour - geo.first_hour) * per_hour
        left, right = RULER_W, RULER_W + len(self.columns) * geo.column_w
        for n in range(total + 1):
            y = HEADER_H + n * SLOT_PX
            if y < rect.top() - 1 or y > rect.bottom() + 1:
                continue
            painter.setPen(strong if n % per_hour == 0 else light)
            painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setPen(QPen(QColor(theme.GRID_LINE_STRONG)))
        for n in range(len(self.columns) + 1):
            x = geo.x_of(n)
            painter.drawLine(QPointF(x, HEADER_H), QPointF(x, bottom))
        # Break reasons last, on a plain chip: hatching and grid lines would strike them out.
        if break_labels:
            painter.setFont(self.small_font)
            metrics = painter.fontMetrics()
            chip_h = metrics.height() + 2
            for area, reason in break_labels:
                text = metrics.elidedText(
                    reason, Qt.TextElideMode.ElideRight, int(area.width() - 16)
                )
                chip = QRectF(
                    area.left() + 4,
                    area.center().y() - chip_h / 2,
                    metrics.horizontalAdvance(text) + 8,
                    chip_h,
                )
                painter.fillRect(chip, QColor(theme.BREAK_FILL))
                painter.setPen(QColor(theme.BREAK_TEXT))
                painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        if self.cursor is not None and self.cursor[0] < len(self.columns):
            painter.setPen(QPen(QColor(theme.ACCENT), 2))
            painter.setBrush(QColor(47, 111, 178, 40))
            painter.drawRect(self.slot_rect(*self.cursor).adjusted(1, 1, -1, -1))

    def paint_pinned(self, painter: QPainter, visible: QRectF) -> None:
        """Header, ruler and now-line at the visible edges (called by the view)."""
        geo = self.geometry
        if not self.columns:
            return
        top = visible.top()
        left = visible.left()
        # now line
        if self.now is not None:
            for n, col in enumerate(self.columns):
                if col.day == self.now.date() and geo.first_hour <= self.now.hour < geo.last_hour:
                    y = geo.y_of(self.now.time())
                    painter.setPen(QPen(QColor(RED), 2))
                    painter.drawLine(QPointF(geo.x_of(n), y), QPointF(geo.x_of(n + 1), y))
                    painter.setBrush(QColor(RED))
                    painter.drawEllipse(QPointF(geo.x_of(n) + 3, y), 3.5, 3.5)
        # absence reasons, just below the header wherever the grid is scrolled to
        if self.data is not None:
            painter.setFont(self.small_font)
            for n, col in enumerate(self.columns):
                absence = (
                    self.data.absence(col.doctor_id, col.day) if col.resource_id is None else None
                )
                if absence is None:
                    continue
                text = (
                    QCoreApplication.translate("Calendar", "Abwesend: {0}").format(absence.reason)
                    if absence.reason
                    else QCoreApplication.translate("Calendar", "Abwesend")
                )
                chip = QRectF(geo.x_of(n) + 6, top + HEADER_H + 6, geo.column_w - 12, 22)
                painter.setPen(QColor(theme.ABSENCE_CHIP_BORDER))
                painter.setBrush(QColor(theme.ABSENCE_CHIP))
                painter.drawRoundedRect(chip, 4, 4)
                painter.setPen(QColor(theme.INK_SOFT))
                painter.drawText(
                    chip.adjusted(6, 0, -6, 0),
                    Qt.AlignmentFlag.AlignCenter,
                    painter.fontMetrics().elidedText(
                        text, Qt.TextElideMode.ElideRight, int(chip.width() - 12)
                    ),
                )
        # ruler
        ruler = QRectF(left, top, RULER_W, visible.height())
        painter.fillRect(ruler, QColor("#F4F6F9"))
        painter.setPen(QColor("#C3CAD3"))
        painter.drawLine(QPointF(left + RULER_W, top), QPointF(left + RULER_W, visible.bottom()))
        painter.setFont(self.small_font)
        painter.setPen(QColor("#3E4C59"))
        per_hour = 60 // geo.slot_minutes
        for hour in range(geo.first_hour, geo.last_hour + 1):
            y = HEADER_H + (hour - geo.first_hour) * per_hour * SLOT_PX
            painter.drawText(
                QRectF(left, y - 2, RULER_W - 8, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"{hour:02d}:00",
            )
        # header
        header = QRectF(left, top, visible.width(), HEADER_H)
        painter.fillRect(header, QColor("#F4F6F9"))
        for n, col in enumerate(self.columns):
            x = geo.x_of(n)
            cell = QRectF(x, top, geo.column_w, HEADER_H)
            if cell.right() < left + RULER_W:
                continue
            painter.setBrush(parse_color(col.color))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRect(QRectF(x + 1, top + HEADER_H - 4, geo.column_w - 2, 3))
            painter.setPen(QColor("#1F2933"))
            painter.setFont(self.header_font)
            metrics_title = painter.fontMetrics().elidedText(
                col.title, Qt.TextElideMode.ElideRight, int(geo.column_w - 8)
            )
            painter.drawText(
                cell.adjusted(4, 4, -4, -20), Qt.AlignmentFlag.AlignCenter, metrics_title
            )
            painter.setFont(self.small_font)
            painter.setPen(QColor("#52606D"))
            painter.drawText(
                cell.adjusted(4, 22, -4, -5), Qt.AlignmentFlag.AlignCenter, col.subtitle
            )
            painter.setPen(QColor("#C3CAD3"))
            painter.drawLine(QPointF(x, top), QPointF(x, top + HEADER_H))
        painter.setPen(QColor("#C3CAD3"))
        painter.drawLine(QPointF(left, top + HEADER_H), QPointF(visible.right(), top + HEADER_H))
        painter.fillRect(QRectF(left, top, RULER_W, HEADER_H), QColor("#F4F6F9"))
