"""The navigation's "Warteliste (4)": open entries, kept current by change notices."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QListWidgetItem

from desktop.api import waiting_list
from desktop.api.waiting_list import Counts
from desktop.ops import Ops
from shared.domain.events import LiveEntity

RELOAD_ON = {LiveEntity.WAITING_LIST_ENTRY, LiveEntity.WAITING_LIST_SLOT}
#: Notices come in bursts (a booking writes an entry, a slot and an appointment).
DELAY_MS = 100


class WaitingListBadge(QObject):
    """Writes ``"<label> (<open entries>)"`` into the navigation item; an urgent entry adds
    a "!" so the desk sees it without opening the screen."""

    def __init__(self, ops: Ops, item: QListWidgetItem, text: str, parent: QObject) -> None:
        super().__init__(parent)
        self.ops = ops
        self.item = item
        self.text = text
        self.counts: Counts | None = None
        self._seq = 0
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.reload)
        ops.changed.connect(self._something_changed)
        self.reload()

    def _something_changed(self, entity: str) -> None:
        if entity in RELOAD_ON:
            self._timer.start()

    def reload(self) -> None:
        self._seq += 1
        seq = self._seq
        # A failure keeps the last number; the status bar is not the place for a badge.
        self.ops.run(waiting_list.counts, self).success(lambda c: self._show(seq, c)).failure(
            lambda _exc: None
        ).run()

    def _show(self, seq: int, counts: Counts) -> None:
        if seq != self._seq:
            return
        self.counts = counts
        if counts.open == 0:
            self.item.setText(self.text)
            self.item.setToolTip("")
            return
        mark = " !" if counts.urgent else ""
        self.item.setText(f"{self.text} ({counts.open}){mark}")
        self.item.setToolTip(
            self.tr("{0} wartend, {1} angeboten, davon {2} dringend").format(
                counts.waiting, counts.offered, counts.urgent
            )
        )
