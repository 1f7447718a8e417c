""" "Wiederholen …": an appointment as a series, previewed before it is booked (issue 17).

The dialog takes the appointment dialog's draft (patient, doctor, type, time, resources) and
asks how often: täglich / wöchentlich / monatlich, every n, how many times. The server's
preview lists every occurrence — free, or why not — and for a blocked one the nearest free
time that day, which one click takes over as its replacement. "Serie buchen" books all or
nothing; "Nur freie buchen" skips the blocked ones left. Every request runs through
``desktop.ops``; the dialog never waits on the network.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.api import series
from desktop.api.appointments import AppointmentDraft
from desktop.api.errors import ApiError
from desktop.ops import Ops
from desktop.theme import GREEN, RED
from shared.domain.events import LiveEntity

PREVIEW_DELAY_MS = 250
WEEKDAY_NAMES = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


class OccurrenceRow(QWidget):
    """One line of the preview: number, date and time, verdict, and the alternative's button."""

    take = Signal(int, object)  # index, start of the alternative

    def __init__(self, occurrence: series.Occurrence, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.occurrence = occurrence
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 1, 4, 1)
        self.label = QLabel()
        row.addWidget(self.label, 1)
        self.take_button = QPushButton()
        self.take_button.setAutoDefault(False)
        self.take_button.hide()
        row.addWidget(self.take_button)
        self.replaced: datetime | None = None
        alternative = occurrence.alternative
        if not occurrence.free and alternative is not None:
            self.take_button.setText(self.tr("{0} übernehmen").format(f"{alternative[0]:%H:%M}"))
            self.take_button.setToolTip(self.tr("Diesen Termin zu dieser Zeit buchen"))
            self.take_button.show()
            self.take_button.clicked.connect(
                lambda: self.take.emit(occurrence.index, alternative[0])
            )
        self.show_state()

    @property
    def bookable(self) -> bool:
        return self.occurrence.free or self.replaced is not None

    def replace_with(self, start: datetime) -> None:
        self.replaced = start
        self.take_button.hide()
        self.show_state()

    def show_state(self) -> None:
        item = self.occurrence
        day = f"{WEEKDAY_NAMES[item.start.weekday()]} {item.start:%d.%m.%Y}"
        when = f"{item.index}.  {day}  {item.start:%H:%M}–{item.end:%H:%M}"
        if self.replaced is not None:
            minutes = item.end - item.start
            text = self.tr("{0}  ↻ ersetzt durch {1}–{2}").format(
                when, f"{self.replaced:%H:%M}", f"{self.replaced + minutes:%H:%M}"
            )
            colour = GREEN
        elif item.free:
            text = self.tr("{0}  ✓ frei").format(when)
            colour = GREEN
        else:
            text = self.tr("{0}  ✗ {1}").format(when, item.reason)
            colour = RED
        self.label.setText(text)
        self.label.setStyleSheet(f"color: {colour};")
        self.label.setAccessibleName(text)


class RepeatDialog(QDialog):
    booked = Signal(object)  # series.SeriesRecord

    def __init__(self, ops: Ops, draft: AppointmentDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.draft = draft
        self.setWindowTitle(self.tr("Termin wiederholen"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.frequency = QComboBox()
        for label, value in (
            (self.tr("täglich"), series.Frequency.DAILY),
            (self.tr("wöchentlich"), series.Frequency.WEEKLY),
            (self.tr("monatlich"), series.Frequency.MONTHLY),
        ):
            self.frequency.addItem(label, value)
        self.frequency.setCurrentIndex(1)
        form.addRow(self.tr("&Wiederholen:"), self.frequency)
        self.interval = QSpinBox()
        self.interval.setRange(1, 52)
        self.interval.setPrefix(self.tr("alle "))
        form.addRow(self.tr("&Abstand:"), self.interval)
        self.count = QSpinBox()
        self.count.setRange(2, series.MAX_OCCURRENCES)
        self.count.setValue(6)
        self.count.setSuffix(self.tr(" Termine"))
        form.addRow(self.tr("A&nzahl:"), self.count)
        layout.addLayout(form)

        self.summary = QLabel(self.tr("Vorschau wird geladen …"))
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Vorschau"))
        layout.addWidget(self.summary)
        self.occurrences = QListWidget()
        self.occurrences.setMinimumHeight(220)
        layout.addWidget(self.occurrences, 1)
        self.rows: list[OccurrenceRow] = []

        self.buttons = QDialogButtonBox()
        self.book_button = QPushButton(self.tr("Serie &buchen"))
        self.book_free_button = QPushButton(self.tr("Nur &freie buchen"))
        cancel = QPushButton(self.tr("Abbrechen"))
        self.buttons.addButton(self.book_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.book_free_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.book_button.clicked.connect(lambda: self.book(only_free=False))
        self.book_free_button.clicked.connect(lambda: self.book(only_free=True))
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.load_preview)
        self._seq = 0
        self.preview: series.SeriesPreview | None = None
        for signal in (
            self.frequency.currentIndexChanged,
            self.interval.valueChanged,
            self.count.valueChanged,
        ):
            signal.connect(lambda *_: self._timer.start())
        self._update_buttons()
        self.load_preview()

    def recurrence(self) -> series.Recurrence:
        return series.Recurrence(
            freq=self.frequency.currentData(),
            interval=self.interval.value(),
            count=self.count.value(),
        )

    def replacements(self) -> dict[int, datetime]:
        return {row.occurrence.index: row.replaced for row in self.rows if row.replaced}

    # -- preview ---------------------------------------------------------------------------

    def load_preview(self) -> None:
        self._seq += 1
        seq, draft, recurrence = self._seq, self.draft, self.recurrence()
        self.preview = None
        self._update_buttons()

        def shown(result: series.SeriesPreview) -> None:
            if seq == self._seq:
                self._show(result)

        def failed(exc: Exception) -> None:
            if seq == self._seq:
                self._complain(str(exc))

        self.ops.run(lambda api: series.preview(api, draft, recurrence), self).success(
            shown
        ).failure(failed).run()

    def _show(self, result: series.SeriesPreview) -> None:
        self.preview = result
        self.occurrences.clear()
        self.rows = []
        for occurrence in result.occurrences:
            row = OccurrenceRow(occurrence)
            row.take.connect(self._take)
            item = QListWidgetItem()
            item.setSizeHint(row.sizeHint())
            self.occurrences.addItem(item)
            self.occurrences.setItemWidget(item, row)
            self.rows.append(row)
        self._update_buttons()

    def _take(self, index: int, start: datetime) -> None:
        """One click: the blocked occurrence is booked at its alternative instead."""
        for row in self.rows:
            if row.occurrence.index == index:
                row.replace_with(start)
        self._update_buttons()

    def _update_buttons(self) -> None:
        if self.preview is None:
            self.book_button.setEnabled(False)
            self.book_free_button.setEnabled(False)
            return
        total = len(self.rows)
        bookable = sum(1 for row in self.rows if row.bookable)
        self.book_button.setEnabled(bookable == total)
        self.book_free_button.setEnabled(0 < bookable < total)
        if bookable == total:
            self.summary.setStyleSheet(f"color: {GREEN};")
            self.summary.setText(self.tr("Alle {0} Termine sind frei.").format(total))
        else:
            self.summary.setStyleSheet(f"color: {RED};")
            self.summary.setText(
                self.tr(
                    "{0} von {1} Terminen sind nicht frei — Alternative übernehmen "
                    "oder nur die freien buchen."
                ).format(total - bookable, total)
            )

    def _complain(self, text: str) -> None:
        self.summary.setStyleSheet(f"color: {RED};")
        self.summary.setText(text)

    # -- booking ---------------------------------------------------------------------------

    def book(self, *, only_free: bool) -> None:
        draft, recurrence, replacements = self.draft, self.recurrence(), self.replacements()
        self.book_button.setEnabled(False)
        self.book_free_button.setEnabled(False)

        def failed(exc: Exception) -> None:
            if isinstance(exc, ApiError) and exc.status == 409:
                # Someone was faster: show what is blocked now and let the user choose again.
                self._complain(self.tr("Inzwischen belegt — die Vorschau wurde neu geladen."))
                self.load_preview()
                return
            self._complain(str(exc))
            self._update_buttons()

        self.ops.run(
            lambda api: series.book(
                api, draft, recurrence, replacements=replacements, only_free=only_free
            ),
            self,
        ).changes(LiveEntity.APPOINTMENT).success(self._booked).failure(failed).run()

    def _booked(self, record: series.SeriesRecord) -> None:
        self.booked.emit(record)
        self.accept()
