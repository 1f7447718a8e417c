"""``praxi --display``: the call-up display on its own PC (no user sign-in).

It needs the practice server's address (``--server`` or the stored setting) and a display
access created by an admin under Einstellungen → Praxis → "Zugang anlegen". Both are asked
for once and kept: the address in the settings, the access in the OS credential store
(never in a plain file).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop import credentials
from desktop.api.calls import DisplayConnection
from desktop.config import Preferences
from desktop.views.display.window import DisplayWindow

#: The credential store's account name for the display access (one per server).
DISPLAY_ACCOUNT = "aufrufanzeige"


class DisplaySetupDialog(QDialog):
    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Aufrufanzeige einrichten"))
        form = QFormLayout(self)
        intro = QLabel(
            self.tr(
                "Den Zugang legt eine Administratorin unter Einstellungen → Praxis → "
                "„Zugang anlegen“ an."
            )
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.url = QLineEdit(url)
        self.url.setAccessibleName(self.tr("Serveradresse"))
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setAccessibleName(self.tr("Zugang der Anzeige"))
        form.addRow(self.tr("Serveradresse"), self.url)
        form.addRow(self.tr("Zugang"), self.token)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def run_display(
    app: QApplication, prefs: Preferences, server_url: str | None, ca_file: Path | None
) -> int:
    url = (server_url or prefs.server_url).strip()
    token = credentials.load_refresh_token(url, DISPLAY_ACCOUNT) if url else None
    if not url or not token:
        dialog = DisplaySetupDialog(url)
        if not dialog.exec():
            return 1
        url, token = dialog.url.text().strip(), dialog.token.text().strip()
        if not url or not token:
            return 1
        if not server_url:
            prefs.server_url = url
        credentials.store_refresh_token(url, DISPLAY_ACCOUNT, token)
    window = DisplayWindow(DisplayConnection(url, token, ca_file=ca_file))
    window.showFullScreen()
    window.start()
    try:
        return app.exec()
    finally:
        window.stop()
