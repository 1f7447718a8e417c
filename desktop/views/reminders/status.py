"""The reminder status of one appointment, as a line per reminder (appointment dialog).

"SMS · 16.01.2027 09:00 · geplant"; a failed one in red with its error as tooltip, a
withdrawn one with its reason. Loaded in the background when the dialog opens.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from desktop.api import reminders
from desktop.api.reminders import Reminder
from desktop.ops import Ops
from desktop.theme import INK, RED
from desktop.views.reminders.common import error_text
from shared.domain.events import LiveEntity
from shared.domain.reminders import ReminderStatus


class ReminderStatusLabel(QLabel):
    def __init__(self, ops: Ops, appointment_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.appointment_id = appointment_id
        self.reminders: list[Reminder] | None = None
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Erinnerungen des Termins"))
        self.setText(self.tr("wird geladen …"))
        # Sent, failed or withdrawn meanwhile (the worker, another workstation): live events.
        ops.changed.connect(self._something_changed)
        self.reload()

    def _something_changed(self, entity: str) -> None:
        if entity in (LiveEntity.REMINDER, LiveEntity.APPOINTMENT, LiveEntity.REMINDER_CONSENT):
            self.reload()

    def reload(self) -> None:
        appointment_id = self.appointment_id
        self.ops.run(lambda api: reminders.of_appointment(api, appointment_id), self).success(
            self._show
        ).failure(self._failed).run()

    def _line(self, reminder: Reminder) -> str:
        when = reminder.sent_at or reminder.due_at
        parts = [reminder.channel.label]
        if when is not None:
            parts.append(when.strftime("%d.%m.%Y %H:%M"))
        status = reminder.status.label
        if reminder.status is ReminderStatus.WITHDRAWN and reminder.reason_label:
            status += f" ({reminder.reason_label})"
        parts.append(status)
        return " · ".join(parts)

    def _show(self, found: list[Reminder]) -> None:
        self.reminders = found
        if not found:
            self.setText(self.tr("Keine Erinnerung geplant."))
            self.setStyleSheet(f"color: {INK};")
            self.setToolTip(
                self.tr("Keine Regel für diese Terminart oder keine Einwilligung des Patienten.")
            )
            return
        self.setText("\n".join(self._line(r) for r in found))
        failed = [r for r in found if r.status is ReminderStatus.FAILED]
        self.setStyleSheet(f"color: {RED if failed else INK};")
        self.setToolTip("\n".join(r.last_error for r in failed if r.last_error))

    def _failed(self, error: Exception) -> None:
        self.reminders = None
        self.setText(self.tr("Erinnerungen nicht abrufbar: {0}").format(error_text(error)))
        self.setStyleSheet(f"color: {RED};")
