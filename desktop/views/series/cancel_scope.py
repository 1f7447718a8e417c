"""Cancelling an appointment of a series asks which ones (issue 17): this one, this and the
following, or the whole series."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.series import Scope


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
