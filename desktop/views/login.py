"""Sign-in dialog (also used for re-login when the session ran out)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.session import Session
from desktop.theme import RED


class LoginDialog(QDialog):
    def __init__(
        self, session: Session, parent: QWidget | None = None, *, relogin: bool = False
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Anmelden – PraxiApp"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        heading = QLabel(
            self.tr("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.")
            if relogin
            else self.tr("Bitte melden Sie sich an.")
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        self.username = QLineEdit(session.prefs.last_username)
        self.username.setAccessibleName(self.tr("Benutzername"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Passwort"))
        form.addRow(self.tr("&Benutzername:"), self.username)
        form.addRow(self.tr("&Passwort:"), self.password)
        layout.addLayout(form)
        self.remember = QCheckBox(self.tr("Angemeldet bleiben"))
        self.remember.setChecked(session.prefs.stay_signed_in)
        layout.addWidget(self.remember)
        self.server = QLabel(self.tr("Server: {0}").format(session.server_url))
        ca_file = session.client.ca_file
        if ca_file is not None:
            # Which CA the desktop trusts is the first question when TLS is in trouble.
            self.server.setText(
                self.server.text() + "\n" + self.tr("CA-Zertifikat: {0}").format(ca_file.name)
            )
            self.server.setToolTip(str(ca_file))
        self.server.setStyleSheet("color: #52606D;")
        layout.addWidget(self.server)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Anmelden"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if relogin:
            self.username.setReadOnly(True)
        (self.password if self.username.text() else self.username).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._fail(self.tr("Bitte Benutzername und Passwort eingeben."))
            return
        self.ok_button.setEnabled(False)
        self.error.hide()
        self.session.login(username, password, self.remember.isChecked()).success(
            self._signed_in
        ).failure(lambda exc: self._fail(str(exc))).run()

    def _signed_in(self, _: Any) -> None:
        self.accept()

    def _fail(self, message: str) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()
