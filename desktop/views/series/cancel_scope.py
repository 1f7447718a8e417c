"""Cancelling an appointment of a series asks which ones (issue 17): this one, this and the
following, or the whole series."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api import series
from desktop.api.series import Scope
from desktop.ops import Ops
from desktop.views.calendar.model import Appointment
from shared.domain.events import LiveEntity


class CancelScopeDialog(QDialog):
    def __init__(self, place: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Serientermin absagen"))
        layout = QVBoxLayout(self)
        question = QLabel(
            self.tr(
                "Dieser Termin gehört zu einer Serie (Termin {0}). Was soll abgesagt werden?"
            ).format(place)
        )
        question.setWordWrap(True)
        layout.addWidget(question)
        self.group = QButtonGroup(self)
        self.options: dict[Scope, QRadioButton] = {}
        for scope, label in (
            (Scope.THIS, self.tr("Nur &diesen Termin")),
            (Scope.FOLLOWING, self.tr("Diesen und alle &folgenden")),
            (Scope.ALL, self.tr("Die ganze &Serie")),
        ):
            button = QRadioButton(label)
            self.group.addButton(button)
            self.options[scope] = button
            layout.addWidget(button)
        self.options[Scope.THIS].setChecked(True)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton(
            self.tr("&Absagen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.tr("Abbrechen"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def scope(self) -> Scope:
        return next(scope for scope, button in self.options.items() if button.isChecked())


def ask_scope(place: str, parent: QWidget | None = None) -> Scope | None:
    """The chosen scope, or None when the user changed their mind."""
    dialog = CancelScopeDialog(place, parent)
    return dialog.scope() if dialog.exec() == QDialog.DialogCode.Accepted else None


def cancel_with_scope(
    ops: Ops,
    appointment: Appointment,
    parent: QWidget,
    *,
    cancel_single: Callable[[], None],
    cancelled: Callable[[Any], None],
    failed: Callable[[Exception], None],
) -> None:
    """ "Absagen …" wherever it is offered (calendar menu, appointment dialog): a series member
    asks for the scope first. "Nur diesen Termin" and an appointment without a series take
    ``cancel_single`` (the single cancel with its reason); the other scopes cancel on the
    server in one call (``POST /api/appointment-series/{id}/cancel/``)."""
    if appointment.series is None:
        cancel_single()
        return
    scope = ask_scope(appointment.series_place, parent)
    if scope is None:
        return
    if scope is Scope.THIS:
        cancel_single()
        return
    series_id, appointment_id = appointment.series[0], appointment.id
    ops.run(lambda api: series.cancel(api, series_id, scope, appointment_id), parent).changes(
        LiveEntity.APPOINTMENT
    ).success(cancelled).failure(failed).run()
