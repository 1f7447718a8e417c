"""Small parts every booking dialog's form is built from (appointment, operation)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose Alt key (``&P``) moves to ``buddy``.

    A row built from a layout gets no buddy from QFormLayout, and a label without a buddy shows
    its "&" instead of underlining the Alt key: the caller names the buddy."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def check_state(checked: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked


def save_cancel_buttons(
    dialog: QDialog, save: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """ "Speichern" (calls ``save``, which closes the dialog once the server agreed) and
    "Abbrechen" (rejects); returns the box and its save button."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    save_button = box.button(QDialogButtonBox.StandardButton.Save)
    save_button.setText(QCoreApplication.translate("BookingDialog", "&Speichern"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("BookingDialog", "Abbrechen")
    )
    box.accepted.connect(save)
    box.rejected.connect(dialog.reject)
    return box, save_button
