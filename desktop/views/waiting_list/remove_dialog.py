"""Take an entry off the waiting list: why (the server needs a reason) and an optional remark."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.api.waiting_list import Entry
from desktop.views.waiting_list.labels import REMOVAL, label
from shared.domain.waiting_list import RemovalReason

#: The reasons a person gives, in the order the front desk meets them ("expired" is the
#: server's own).
MANUAL_REASONS = (
    RemovalReason.PATIENT_DECLINED,
    RemovalReason.BOOKED_ELSEWHERE,
    RemovalReason.OTHER,
)
REMARK_LIMIT = 500


class RemoveDialog(QDialog):
    def __init__(self, entry: Entry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Von der Warteliste nehmen"))
        layout = QVBoxLayout(self)
        question = QLabel(
            self.tr("{0} ({1}) von der Warteliste nehmen?").format(
                entry.patient_name, entry.type_name
            )
        )
        question.setWordWrap(True)
        layout.addWidget(question)
        form = QFormLayout()
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Grund"))
        for reason in MANUAL_REASONS:
            self.reason.addItem(label(REMOVAL[reason]), reason.value)
        form.addRow(self.tr("&Grund:"), self.reason)
        self.remark = QLineEdit()
        self.remark.setMaxLength(REMARK_LIMIT)
        self.remark.setAccessibleName(self.tr("Bemerkung"))
        form.addRow(self.tr("&Bemerkung:"), self.remark)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Entfernen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_reason(self) -> RemovalReason:
        return RemovalReason(str(self.reason.currentData()))
