"""What the front desk does with one appointment, wherever it is shown: check the patient in
("Patient ist da"), change the status, cancel with a reason, mark a no-show, delete.

The calendar's context menu, its check-in key and the appointment dialog all use one
:class:`AppointmentActions`, so each action asks, writes and reports refusals the same way.
Every write goes through ``desktop.api`` inside ``desktop.ops`` work; the server decides
(spec 03, 05) and its refusals come back as German messages on :attr:`refused`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.api import appointments, patient_flow
from desktop.api.client import ApiClient
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.session import Session, User
from desktop.views.calendar.model import Appointment
from desktop.views.series.cancel_scope import cancel_with_scope
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus

#: The check-in key: Strg+D, "Patient ist **d**a".
CHECK_IN_KEY = QKeySequence("Ctrl+D")

#: Statuses offered under "Status"; "abgesagt" is reached through "Absagen …" (with a reason).
STATUS_CHOICES: list[tuple[AppointmentStatus, str]] = [
    (AppointmentStatus.SCHEDULED, QT_TRANSLATE_NOOP("AppointmentActions", "geplant")),
    (AppointmentStatus.CONFIRMED, QT_TRANSLATE_NOOP("AppointmentActions", "bestätigt")),
    (AppointmentStatus.COMPLETED, QT_TRANSLATE_NOOP("AppointmentActions", "abgeschlossen")),
]
#: Roles that may change appointments (rbac-appointments.md); a doctor only their own.
_WRITERS = {"admin", "assistant", "doctor"}


def practice_now() -> datetime:
    """Practice-local wall clock (the calendar's times are practice-local and naive)."""
    zone = ZoneInfo(os.environ.get("PRAXI_TIMEZONE") or "Europe/Berlin")
    return datetime.now(zone).replace(tzinfo=None)


def signed_in_user(ops: Ops) -> User | None:
    """The user of the session that owns ``ops`` (None in a bare test setup: the server
    then decides alone what is allowed)."""
    session = ops.parent()
    return session.user if isinstance(session, Session) else None


class CancelDialog(QDialog):
    """Asks why an appointment is cancelled; the reason is required (it goes into the
    appointment's notes, where the next person to look finds it)."""

    def __init__(self, appointment: Appointment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Termin absagen"))
        layout = QVBoxLayout(self)
        question = QLabel(
            self.tr("Termin von {0} am {1} um {2} Uhr absagen.").format(
                appointment.patient_name,
                f"{appointment.start:%d.%m.%Y}",
                f"{appointment.start:%H:%M}",
            )
        )
        question.setWordWrap(True)
        layout.addWidget(question)
        label = QLabel(self.tr("&Grund der Absage:"))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(self.tr("Grund der Absage"))
        self.reason.setPlaceholderText(self.tr("z. B. Patientin hat angerufen, ist erkrankt"))
        self.reason.setFixedHeight(70)
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Termin &absagen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.textChanged.connect(self._update_ok)
        self._update_ok()
        self.reason.setFocus()

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reason_text()))


class AppointmentActions(QObject):
    """The appointment actions of one screen; ``parent`` hosts the questions it asks."""

    #: A write was refused or failed (German message, for the screen's message line).
    refused = Signal(str)
    #: A write succeeded (the appointment id), e.g. for a dialog to close.
    done = Signal(int)
    #: "Öffnen" in the context menu (the Appointment).
    open_requested = Signal(object)

    def __init__(
        self, ops: Ops, parent: QWidget, *, clock: Callable[[], datetime] = practice_now
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.host = parent
        self.clock = clock
        #: The open questions, if any (tests answer them like a user).
        self.cancel_dialog: CancelDialog | None = None
        self.delete_question: QMessageBox | None = None

    # -- what the signed-in user may do ----------------------------------------------------

    def may_change(self, appointment: Appointment) -> bool:
        """Whether the role may write this appointment (admin, MFA; a doctor their own)."""
        user = signed_in_user(self.ops)
        if user is None:
            return True
        if user.role == "doctor":
            return appointment.doctor == user.id
        return user.role in _WRITERS

    @staticmethod
    def may_check_in(appointment: Appointment) -> bool:
        """Not for a cancelled appointment, nor twice while the visit is still running."""
        return not appointment.cancelled and appointment.flow_status is None

    def may_mark_no_show(self, appointment: Appointment) -> bool:
        """Only once the appointment is over, and only for a planned or confirmed one
        (03 §6.6: the server refuses anything else)."""
        return (
            not appointment.is_no_show
            and appointment.status in (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED)
            and appointment.end < self.clock()
        )

    # -- the context menu -----------------------------------------------------------------

    def menu(self, appointment: Appointment) -> QMenu:
        """The calendar's context menu for ``appointment`` (not yet shown)."""
        menu = QMenu(self.host)
        menu.addAction(self.tr("Öffnen"), lambda: self.open_requested.emit(appointment))
        if not self.may_change(appointment):
            return menu
        menu.addSeparator()
        check_in = menu.addAction(self.tr("Patient ist da"), lambda: self.check_in(appointment))
        check_in.setShortcut(CHECK_IN_KEY)  # shown as a hint; the calendar handles the key
        check_in.setEnabled(self.may_check_in(appointment))
        status_menu = menu.addMenu(self.tr("Status"))
        status_menu.setEnabled(not appointment.cancelled)
        group = QActionGroup(status_menu)
        for status, label in STATUS_CHOICES:
            action = status_menu.addAction(self.tr(label))
            action.setCheckable(True)
            action.setChecked(appointment.status == status)
            action.triggered.connect(lambda _=False, s=status: self.set_status(appointment, s))
            group.addAction(action)
        cancel = menu.addAction(self.tr("Absagen …"), lambda: self.ask_cancel_in_scope(appointment))
        cancel.setEnabled(not appointment.cancelled)
        no_show = menu.addAction(
            self.tr("Nicht erschienen"), lambda: self.mark_no_show(appointment)
        )
        no_show.setEnabled(self.may_mark_no_show(appointment))
        menu.addSeparator()
        menu.addAction(self.tr("Löschen …"), lambda: self.delete(appointment, confirm=True))
        return menu

    # -- the actions ----------------------------------------------------------------------

    def _write(
        self,
        appointment: Appointment,
        work: Callable[[ApiClient], Any],
        failure: str,
        *changes: LiveEntity,
    ) -> None:
        self.ops.run(work, self.host).changes(*(changes or (LiveEntity.APPOINTMENT,))).success(
            lambda _: self.done.emit(appointment.id)
        ).failure(lambda exc: self.refused.emit(failure.format(exc))).run()

    def check_in(self, appointment: Appointment) -> None:
        """ "Patient ist da": the visit starts on the board, in "Angemeldet" (05 §7)."""
        appointment_id = appointment.id
        # Both: the board shows the new visit, the calendar block shows the patient is here.
        self._write(
            appointment,
            lambda api: patient_flow.check_in(api, appointment_id),
            self.tr("Nicht angemeldet: {0}"),
            LiveEntity.PATIENT_FLOW,
            LiveEntity.APPOINTMENT,
        )

    def set_status(self, appointment: Appointment, status: AppointmentStatus) -> None:
        appointment_id = appointment.id
        self._write(
            appointment,
            lambda api: appointments.set_status(api, appointment_id, status),
            self.tr("Status nicht geändert: {0}"),
        )

    def ask_cancel(self, appointment: Appointment) -> None:
        """Asks for the reason (window-modal, the UI stays live), then cancels."""
        dialog = self.cancel_dialog = CancelDialog(appointment, self.host)

        def answered(result: int) -> None:
            self.cancel_dialog = None
            if result == QDialog.DialogCode.Accepted:
                self.cancel(appointment, dialog.reason_text())
            dialog.deleteLater()

        dialog.finished.connect(answered)
        dialog.open()

    def ask_cancel_in_scope(self, appointment: Appointment) -> None:
        """ "Absagen …": an appointment of a series asks first which ones (this one, this and
        the following, the whole series, issue 17); a single one goes to :meth:`ask_cancel`."""
        cancel_with_scope(
            self.ops,
            appointment,
            self.host,
            cancel_single=lambda: self.ask_cancel(appointment),
            cancelled=lambda _: self.done.emit(appointment.id),
            failed=lambda exc: self.refused.emit(self.tr("Nicht abgesagt: {0}").format(exc)),
        )

    def cancel(self, appointment: Appointment, reason: str) -> None:
        appointment_id = appointment.id
        self._write(
            appointment,
            lambda api: appointments.cancel(api, appointment_id, reason),
            self.tr("Nicht abgesagt: {0}"),
        )

    def mark_no_show(self, appointment: Appointment) -> None:
        appointment_id = appointment.id
        self._write(
            appointment,
            lambda api: appointments.mark_no_show(api, appointment_id),
            self.tr("Nicht als „nicht erschienen“ markiert: {0}"),
        )

    def delete(self, appointment: Appointment, *, confirm: bool) -> None:
        """With ``confirm``, asks first (window-modal: the screen behind stays live)."""
        if not confirm:
            self._delete(appointment)
            return
        question = self.delete_question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Termin löschen"),
            self.tr("Den Termin von {0} am {1} um {2} Uhr endgültig löschen?").format(
                appointment.patient_name,
                f"{appointment.start:%d.%m.%Y}",
                f"{appointment.start:%H:%M}",
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.host,
        )
        question.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(_: int) -> None:
            self.delete_question = None
            if question.clickedButton() is question.button(QMessageBox.StandardButton.Yes):
                self._delete(appointment)
            question.deleteLater()

        question.finished.connect(answered)
        question.open()

    def _delete(self, appointment: Appointment) -> None:
        appointment_id = appointment.id
        self._write(
            appointment,
            lambda api: appointments.delete(api, appointment_id),
            self.tr("Nicht gelöscht: {0}"),
        )
