"""The OP list: the operations of a date range as a table, filtered, sorted and printed.

Opened from OP-Plan ("OP-Liste"), as a window of its own so the coordinator can keep it next
to the timeline. Filters (Raum, Operateur, Status, OP-Art) apply to the loaded operations at
once; a new range loads again. Printing makes the day's OP schedule: one A4 landscape page
per day, grouped by room (docs/op-rooms.md#printing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QMarginsF,
    QRectF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.api import op_list
from desktop.api.op_list import ListedOperation
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.theme import RED
from desktop.views.master_data.form import weekday_name
from desktop.views.save_as import ask_save_path
from shared.domain.events import LiveEntity
from shared.domain.statuses import OperationStatus

translate = QCoreApplication.translate

STATUS_LABELS: dict[OperationStatus, str] = {
    OperationStatus.PLANNED: QT_TRANSLATE_NOOP("OpList", "Geplant"),
    OperationStatus.CONFIRMED: QT_TRANSLATE_NOOP("OpList", "Bestätigt"),
    OperationStatus.RUNNING: QT_TRANSLATE_NOOP("OpList", "Läuft"),
    OperationStatus.DONE: QT_TRANSLATE_NOOP("OpList", "Abgeschlossen"),
    OperationStatus.CANCELLED: QT_TRANSLATE_NOOP("OpList", "Abgesagt"),
}
COLUMNS = (
    QT_TRANSLATE_NOOP("OpList", "Datum"),
    QT_TRANSLATE_NOOP("OpList", "Beginn"),
    QT_TRANSLATE_NOOP("OpList", "Ende"),
    QT_TRANSLATE_NOOP("OpList", "Raum"),
    QT_TRANSLATE_NOOP("OpList", "OP-Art"),
    QT_TRANSLATE_NOOP("OpList", "Patient"),
    QT_TRANSLATE_NOOP("OpList", "Operateur"),
    QT_TRANSLATE_NOOP("OpList", "Status"),
)
#: The role the table sorts by: times and dates chronologically, texts by their German words.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: A range longer than this is most likely a typing slip; the list would be unreadable anyway.
MAX_DAYS = 92
#: A printed cell wraps to at most this many lines (long notes are cut, names fit).
MAX_CELL_LINES = 3


def status_label(status: OperationStatus) -> str:
    return translate("OpList", STATUS_LABELS[status])


def _cells(op: ListedOperation) -> list[tuple[str, object]]:
    """(shown text, sort key) per column."""
    return [
        (f"{weekday_name(op.start.weekday(), short=True)} {op.start:%d.%m.%Y}", op.start),
        (f"{op.start:%H:%M}", op.start),
        (f"{op.end:%H:%M}", op.end),
        (op.room_name, op.room_name.casefold()),
        (op.type_name, op.type_name.casefold()),
        (op.patient_name, op.patient_name.casefold()),
        (op.surgeon_name, op.surgeon_name.casefold()),
        (status_label(op.status), list(OperationStatus).index(op.status)),
    ]


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class OpListFilters:
    """The chosen filter values (None = alle); plain data, so printing can name them."""

    def __init__(self) -> None:
        self.room: int | None = None
        self.surgeon: int | None = None
        self.status: OperationStatus | None = None
        self.type: int | None = None

    def accepts(self, op: ListedOperation) -> bool:
        return (
            (self.room is None or op.room_id == self.room)
            and (self.surgeon is None or op.surgeon_id == self.surgeon)
            and (self.status is None or op.status is self.status)
            and (self.type is None or op.type_id == self.type)
        )


class OpListWindow(QWidget):
    """The table and its tool bar; ``operations`` are the loaded ones, ``shown()`` the
    filtered ones in the table's order."""

    def __init__(self, ops: Ops, first: date, last: date, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ops = ops
        self.operations: list[ListedOperation] = []
        self.filters = OpListFilters()
        self.loading = False
        self.loaded_once = False
        self._pending = False
        self.setWindowTitle(self.tr("OP-Liste"))
        self.resize(1100, 640)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        bar = QHBoxLayout()
        self.first_edit = self._date_edit(first, self.tr("Von"))
        self.last_edit = self._date_edit(last, self.tr("Bis"))
        for label, edit in ((self.tr("&Von"), self.first_edit), (self.tr("&Bis"), self.last_edit)):
            caption = QLabel(label)
            caption.setBuddy(edit)
            bar.addWidget(caption)
            bar.addWidget(edit)
        bar.addStretch(1)
        self.print_button = QPushButton(self.tr("&Drucken …"))
        self.print_button.setToolTip(self.tr("Den OP-Plan je Tag drucken (Strg+P)"))
        self.print_button.clicked.connect(self.print_with_dialog)
        self.pdf_button = QPushButton(self.tr("Als &PDF …"))
        self.pdf_button.clicked.connect(self.ask_pdf)
        bar.addWidget(self.print_button)
        bar.addWidget(self.pdf_button)
        outer.addLayout(bar)
        # The filters get their own line: with the range and the print buttons they would
        # not fit a 1366 px screen at 150 %.
        filters = QHBoxLayout()
        self.room_filter = self._filter(filters, self.tr("&Raum"))
        self.surgeon_filter = self._filter(filters, self.tr("&Operateur"))
        self.status_filter = self._filter(filters, self.tr("&Status"))
        self.type_filter = self._filter(filters, self.tr("OP-&Art"))
        filters.addStretch(1)
        outer.addLayout(filters)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(
            f"color: {RED}; background: #FDECEA; border: 1px solid #F5C6C2; padding: 6px;"
        )
        self.message.hide()
        outer.addWidget(self.message)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Operationen"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index(COLUMNS[5]), QHeaderView.ResizeMode.Stretch)
        outer.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #52606D;")
        outer.addWidget(self.count_label)

        self._fill_status_filter()
        for combo in (self.room_filter, self.surgeon_filter, self.status_filter, self.type_filter):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.first_edit.dateChanged.connect(self._range_changed)
        self.last_edit.dateChanged.connect(self._range_changed)
        self.ops.changed.connect(self._something_changed)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_with_dialog)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.reload()

    # -- widgets ----------------------------------------------------------------------------

    def _date_edit(self, day: date, name: str) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setAccessibleName(name)
        return edit

    def _filter(self, bar: QHBoxLayout, label: str) -> QComboBox:
        caption = QLabel(label)
        combo = QComboBox()
        combo.setAccessibleName(label.replace("&", ""))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMaximumWidth(240)
        caption.setBuddy(combo)
        bar.addWidget(caption)
        bar.addWidget(combo)
        return combo

    def _fill_status_filter(self) -> None:
        self.status_filter.addItem(self.tr("alle"), None)
        for status in OperationStatus:
            self.status_filter.addItem(status_label(status), status.value)

    @staticmethod
    def _refill(combo: QComboBox, entries: Sequence[tuple[int, str]], everything: str) -> None:
        """New entries, keeping the chosen one while it is still there (else "alle")."""
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value, label in entries:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    # -- range and loading ------------------------------------------------------------------

    @property
    def first(self) -> date:
        return _day(self.first_edit.date())

    @property
    def last(self) -> date:
        return _day(self.last_edit.date())

    def set_range(self, first: date, last: date) -> None:
        """Show ``first``–``last`` (OP-Plan opens the list on its shown day or week)."""
        for edit, day in ((self.first_edit, first), (self.last_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.reload()

    def _range_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        first, last = self.first, self.last
        if last < first:
            self.show_message(self.tr("Das Ende des Zeitraums liegt vor seinem Anfang."))
            return
        if (last - first).days >= MAX_DAYS:
            self.show_message(
                self.tr("Bitte einen Zeitraum von höchstens {0} Tagen wählen.").format(MAX_DAYS)
            )
            return
        if self.loading:
            self._pending = True
            return
        self.message.hide()
        self.loading = True
        self.ops.run(lambda api: op_list.operations_between(api, first, last), self).success(
            lambda rows: self._loaded(first, last, rows)
        ).failure(self._failed).run()

    def _loaded(self, first: date, last: date, rows: list[ListedOperation]) -> None:
        self.loading = False
        if self._pending or (first, last) != (self.first, self.last):
            self._pending = False
            self.reload()
            return
        self.operations = rows
        self.loaded_once = True
        rooms = sorted({(op.room_id, op.room_name) for op in rows}, key=lambda e: e[1].casefold())
        surgeons = sorted(
            {(op.surgeon_id, op.surgeon_name) for op in rows}, key=lambda e: e[1].casefold()
        )
        kinds = sorted({(op.type_id, op.type_name) for op in rows}, key=lambda e: e[1].casefold())
        self._refill(self.room_filter, rooms, self.tr("alle"))
        self._refill(self.surgeon_filter, surgeons, self.tr("alle"))
        self._refill(self.type_filter, kinds, self.tr("alle"))
        self._filters_changed()

    def _failed(self, error: Exception) -> None:
        self.loading = False
        self._pending = False
        self.show_message(str(error))

    def _something_changed(self, entity: str) -> None:
        if self.loaded_once and entity in (
            LiveEntity.OPERATION,
            LiveEntity.RESOURCE,
            LiveEntity.OPERATION_TYPE,
        ):
            self.reload()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # -- filtering and the table ------------------------------------------------------------

    def _filters_changed(self, *_: object) -> None:
        status = self.status_filter.currentData()
        self.filters.room = self.room_filter.currentData()
        self.filters.surgeon = self.surgeon_filter.currentData()
        self.filters.status = OperationStatus(status) if status else None
        self.filters.type = self.type_filter.currentData()
        self._fill_table()

    def _fill_table(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        shown = [op for op in self.operations if self.filters.accepts(op)]
        for op in shown:
            items = []
            for text, key in _cells(op):
                item = QStandardItem(text)
                item.setData(key, SORT_ROLE)
                item.setData(op.id, Qt.ItemDataRole.UserRole)
                if op.cancelled:
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                    item.setForeground(QColor("#52606D"))
                items.append(item)
            self.model.appendRow(items)
        if not self.operations:
            self.count_label.setText(self.tr("Keine Operationen im gewählten Zeitraum."))
        else:
            self.count_label.setText(
                self.tr("{0} von {1} Operationen").format(len(shown), len(self.operations))
            )

    def shown(self) -> list[ListedOperation]:
        """The operations the table shows, in its order."""
        by_id = {op.id: op for op in self.operations}
        return [
            by_id[int(self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole))]
            for row in range(self.proxy.rowCount())
        ]

    def column_texts(self, column: int) -> list[str]:
        return [str(self.proxy.index(row, column).data()) for row in range(self.proxy.rowCount())]

    # -- printing ---------------------------------------------------------------------------

    def filter_summary(self) -> str:
        parts = []
        for caption, combo in (
            (self.tr("Raum"), self.room_filter),
            (self.tr("Operateur"), self.surgeon_filter),
            (self.tr("Status"), self.status_filter),
            (self.tr("OP-Art"), self.type_filter),
        ):
            if combo.currentData() is not None:
                parts.append(f"{caption}: {combo.currentText()}")
        return " · ".join(parts) if parts else self.tr("Alle Operationen")

    def export_pdf(self, path: str) -> int:
        """Writes the shown operations as the day's OP schedule; returns the page count
        (0 = nothing to print, no file written)."""
        if not self.shown():
            return 0
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(path)
        printer.setDocName(self.tr("OP-Plan"))
        return self.paint(printer)

    def ask_pdf(self) -> None:
        if not self.shown():
            self.show_message(self.tr("Keine Operationen zum Drucken."))
            return
        path = ask_save_path(
            self,
            self.tr("OP-Plan als PDF speichern"),
            self.tr("OP-Plan-{0}.pdf").format(f"{self.first:%Y-%m-%d}"),
            self.tr("PDF (*.pdf)"),
            "pdf",
        )
        if path is None:
            return
        try:
            self.export_pdf(path)
        except OSError as exc:
            self.show_message(self.tr("Die PDF-Datei wurde nicht gespeichert: {0}").format(exc))

    def print_with_dialog(self) -> None:
        if not self.shown():
            self.show_message(self.tr("Keine Operationen zum Drucken."))
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("OP-Plan drucken"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.paint(printer)

    def paint(self, printer: QPrinter, printed_at: datetime | None = None) -> int:
        """One A4 landscape page per day (more when a day does not fit); returns pages."""
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(12, 12, 12, 12),
                QPageLayout.Unit.Millimeter,
            )
        )
        days: dict[date, list[ListedOperation]] = {}
        for op in sorted(self.shown(), key=lambda o: (o.day, o.room_name.casefold(), o.start)):
            days.setdefault(op.day, []).append(op)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(self.tr("Der Drucker oder die Datei ist nicht verfügbar."))
        try:
            sheet = ScheduleSheet(painter, printer, self.filter_summary(), printed_at)
            for index, (day, operations) in enumerate(days.items()):
                if index:
                    printer.newPage()
                sheet.day(day, operations, printer.newPage)
            return sheet.pages
        finally:
            painter.end()


class ScheduleSheet:
    """Paints the day's OP schedule: title, filters, a table grouped by room, a footer."""

    HEADERS = (
        QT_TRANSLATE_NOOP("OpList", "Raum"),
        QT_TRANSLATE_NOOP("OpList", "Zeit"),
        QT_TRANSLATE_NOOP("OpList", "OP-Art"),
        QT_TRANSLATE_NOOP("OpList", "Patient"),
        QT_TRANSLATE_NOOP("OpList", "Operateur"),
        QT_TRANSLATE_NOOP("OpList", "Status"),
        QT_TRANSLATE_NOOP("OpList", "Geräte / Notiz"),
    )
    #: Column widths as shares of the page width.
    WIDTHS = (0.08, 0.10, 0.17, 0.25, 0.14, 0.11, 0.15)

    def __init__(
        self, painter: QPainter, printer: QPrinter, filters: str, printed_at: datetime | None
    ) -> None:
        self.painter = painter
        self.filters = filters
        self.printed_at = printed_at or datetime.now()
        self.area = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
        self.area.moveTo(0, 0)
        self.pages = 0
        base = QFont(painter.font())
        base.setPointSizeF(10)
        self.text_font = base
        self.bold = QFont(base)
        self.bold.setBold(True)
        self.title_font = QFont(base)
        self.title_font.setPointSizeF(16)
        self.title_font.setBold(True)
        self.small = QFont(base)
        self.small.setPointSizeF(9)
        painter.setFont(base)
        self.line = painter.fontMetrics().height() * 1.5

    def _tr(self, text: str) -> str:
        return translate("OpList", text)

    def day(
        self, day: date, operations: list[ListedOperation], new_page: Callable[[], bool]
    ) -> None:
        title = self._tr("OP-Plan {0}, {1}").format(weekday_name(day.weekday()), f"{day:%d.%m.%Y}")
        y = self._page_top(title)
        previous_room = ""
        for op in operations:
            show_room = op.room_name != previous_room
            height = self._row_height(op, show_room=show_room)
            if y + height > self.area.bottom() - self.line * 1.5:
                new_page()
                y = self._page_top(title + " " + self._tr("(Fortsetzung)"))
                show_room = True
            elif show_room and previous_room:
                self.painter.setPen(QPen(QColor("#7B8794"), 2))
                self.painter.drawLine(int(self.area.left()), int(y), int(self.area.right()), int(y))
            self._row(y, height, op, show_room=show_room)
            previous_room = op.room_name
            y += height

    def _page_top(self, title: str) -> float:
        p, area = self.painter, self.area
        self.pages += 1
        p.setPen(QColor("#1F2933"))
        p.setFont(self.title_font)
        title_h = p.fontMetrics().height() * 1.4
        p.drawText(QRectF(area.left(), area.top(), area.width(), title_h), title)
        y = area.top() + title_h
        p.setFont(self.small)
        p.setPen(QColor("#52606D"))
        p.drawText(QRectF(area.left(), y, area.width(), self.line), self.filters)
        footer = self._tr("Gedruckt am {0} um {1} Uhr · Seite {2}").format(
            f"{self.printed_at:%d.%m.%Y}", f"{self.printed_at:%H:%M}", self.pages
        )
        p.drawText(
            QRectF(area.left(), area.bottom() - self.line, area.width(), self.line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
            footer,
        )
        y += self.line * 1.2
        p.setFont(self.bold)
        p.setPen(QColor("#1F2933"))
        for (x, width), header in zip(self._columns(), self.HEADERS, strict=True):
            p.drawText(QRectF(x, y, width, self.line), self._tr(header))
        y += self.line
        p.setPen(QPen(QColor("#1F2933"), 3))
        rule = int(y - self.line * 0.2)
        p.drawLine(int(area.left()), rule, int(area.right()), rule)
        return y

    def _columns(self) -> list[tuple[float, float]]:
        x = self.area.left()
        columns = []
        for share in self.WIDTHS:
            width = self.area.width() * share
            columns.append((x, width - 8))
            x += width
        return columns

    def _cells(self, op: ListedOperation, *, show_room: bool) -> tuple[str, ...]:
        extra = ", ".join(op.devices)
        if op.notes:
            extra = f"{extra} · {op.notes}" if extra else op.notes
        return (
            op.room_name if show_room else "",
            f"{op.start:%H:%M}–{op.end:%H:%M}",
            op.type_name,
            op.patient_name,
            op.surgeon_name,
            status_label(op.status),
            extra.replace("\n", " "),
        )

    def _row_height(self, op: ListedOperation, *, show_room: bool) -> float:
        """Tall enough for the longest cell, wrapped: a patient's name is never cut off."""
        self.painter.setFont(self.text_font)
        metrics = self.painter.fontMetrics()
        tallest = 0
        for (_x, width), text in zip(
            self._columns(), self._cells(op, show_room=show_room), strict=True
        ):
            bounds = metrics.boundingRect(
                0, 0, int(width), 10_000, int(Qt.TextFlag.TextWordWrap), text
            )
            tallest = max(tallest, min(bounds.height(), metrics.lineSpacing() * MAX_CELL_LINES))
        return max(self.line, tallest + self.line - metrics.height())

    def _row(self, y: float, height: float, op: ListedOperation, *, show_room: bool) -> None:
        p = self.painter
        font = QFont(self.text_font)
        font.setStrikeOut(op.cancelled)  # nobody prepares for a cancelled operation
        cells = self._cells(op, show_room=show_room)
        pad = (self.line - p.fontMetrics().height()) / 2
        for index, ((x, width), text) in enumerate(zip(self._columns(), cells, strict=True)):
            p.setFont(self.bold if index == 0 else font)
            p.setPen(QColor("#52606D") if op.cancelled else QColor("#1F2933"))
            cell = QRectF(x, y + pad, width, height - pad)
            p.setClipRect(cell)  # a note longer than MAX_CELL_LINES stops at its row
            p.drawText(
                cell,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap),
                text,
            )
        p.setClipping(False)


def shown_range(days: Sequence[date]) -> tuple[date, date]:
    """The range the list opens with: the days OP-Plan shows (a week: Monday–Sunday)."""
    if len(days) > 1:
        monday = days[0]
        return monday, monday + timedelta(days=6)
    return days[0], days[0]
