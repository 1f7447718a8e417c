"""Start-up dialogs: progress while the server/database starts, connection settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.api.tls import CaFileError, validate_ca_file
from desktop.theme import RED


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
    """Server URL (empty means embedded mode, this PC) and the practice's CA certificate."""

    def __init__(
        self, url: str, ca_file: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Verbindungseinstellungen"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("https://praxis-server.local:8000")
        form.addRow(self.tr("Server-&Adresse:"), self.url)
        self.ca_path = QLineEdit(str(ca_file) if ca_file is not None else "")
        self.ca_path.setPlaceholderText(self.tr("Zertifikate des Betriebssystems"))
        self.ca_path.setAccessibleName(self.tr("CA-Zertifikat"))
        self.browse_button = QPushButton(self.tr("&Durchsuchen …"))
        self.browse_button.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_path, 1)
        ca_row.addWidget(self.browse_button)
        ca_label = QLabel(self.tr("CA-&Zertifikat (optional):"))
        ca_label.setBuddy(self.ca_path)  # a row holding a layout gets no buddy by itself
        form.addRow(ca_label, ca_row)
        layout.addLayout(form)
        hint = QLabel(
            self.tr(
                "Leer lassen, um die Datenbank auf diesem PC zu verwenden (Einzelplatzbetrieb).\n"
                "CA-Zertifikat: nur nötig, wenn das Zertifikat des Servers von der Praxis "
                "selbst ausgestellt wurde (PEM-Datei, z. B. praxis-ca.pem)."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #52606D;")
        layout.addWidget(hint)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def ca_file(self) -> Path | None:
        # Windows Explorer's "Als Pfad kopieren" puts the path in quotes.
        text = self.ca_path.text().strip().strip('"')
        return Path(text).expanduser() if text else None

    def _browse(self) -> None:
        current = self.ca_file()
        start = str(current.parent) if current is not None else str(Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("CA-Zertifikat wählen"),
            start,
            self.tr("Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)"),
        )
        if chosen:
            self.ca_path.setText(str(Path(chosen)))

    def accept(self) -> None:
        """Only a usable setting closes the dialog; otherwise say what is wrong."""
        url = self.url.text().strip()
        if url and not url.lower().startswith(("https://", "http://")):
            self._fail(self.tr("Die Server-Adresse muss mit https:// beginnen."))
            return
        ca_file = self.ca_file()
        if ca_file is not None:
            try:
                validate_ca_file(ca_file)
            except CaFileError as exc:
                self._fail(str(exc))
                return
        self.error.hide()
        super().accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
