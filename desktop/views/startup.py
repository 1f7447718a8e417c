"""Start-up dialogs: progress while the server/database starts, server settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)


class StartupDialog(QDialog):
    """Shown while the embedded server starts or a remote server is contacted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("PraxiApp wird gestartet"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        title = QLabel(self.tr("PraxiApp"))
        title.setStyleSheet("font-size: 16pt; font-weight: 700; color: #2F6FB2;")
        layout.addWidget(title)
        self.status = QLabel(self.tr("Server wird gestartet …"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        layout.addWidget(self.bar)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("color: #52606D; font-family: monospace;")
        self.details.hide()
        layout.addWidget(self.details)
        self.buttons = QDialogButtonBox()
        self.retry_button = self.buttons.addButton(
            self.tr("Erneut versuchen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.settings_button = self.buttons.addButton(
            self.tr("Server ändern …"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.quit_button = self.buttons.addButton(
            self.tr("Beenden"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.retry_button.hide()
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def progress(self, text: str) -> None:
        self.status.setText(text)
        self.bar.setRange(0, 0)
        self.details.hide()
        self.retry_button.hide()

    def failed(self, text: str, details: str = "") -> None:
        self.status.setText(text)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.retry_button.show()


class ServerSettingsDialog(QDialog):
    """Server URL; empty means embedded mode (this PC)."""

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Server-Einstellungen"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("https://praxis-server.local:8000")
        form.addRow(self.tr("Server-&Adresse:"), self.url)
        layout.addLayout(form)
        hint = QLabel(
            self.tr(
                "Leer lassen, um die Datenbank auf diesem PC zu verwenden (Einzelplatzbetrieb)."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #52606D;")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
