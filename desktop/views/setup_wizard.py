"""First-run wizard: create the practice admin (``POST /api/setup/admin/``), demo data."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.api.errors import ApiError
from desktop.ops import Ops
from desktop.theme import RED

MIN_PASSWORD = 8


def seed_demo_available() -> bool:
    """Whether ``praxi-server`` knows ``seed-demo`` (blocking; run in a worker)."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "server.cli", "--help"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "seed-demo" in result.stdout


def run_seed_demo() -> None:
    """Blocking; run in a worker. Uses the same data directory (environment) as the server."""
    subprocess.run(
        [sys.executable, "-m", "server.cli", "seed-demo"],
        capture_output=True,
        timeout=300,
        check=True,
    )


class _WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Willkommen bei PraxiApp"))
        self.setSubTitle(self.tr("Einrichtung der Praxis auf diesem Rechner"))
        text = QLabel(
            self.tr(
                "Die Datenbank ist bereit. Legen Sie jetzt das Konto des Praxis-Administrators "
                "an. Mit diesem Konto richten Sie anschließend Ärzte, Mitarbeitende, "
                "Sprechzeiten und Terminarten ein.\n\n"
                "Es gibt keine voreingestellten Passwörter."
            )
        )
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)


class _AdminPage(QWizardPage):
    def __init__(self, demo_available: bool) -> None:
        super().__init__()
        self.setTitle(self.tr("Administrator-Konto"))
        self.setSubTitle(self.tr("Benutzername und Passwort für die Praxisverwaltung"))
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.username = QLineEdit()
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.email = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        for widget, label in (
            (self.username, self.tr("Benutzername")),
            (self.first_name, self.tr("Vorname")),
            (self.last_name, self.tr("Nachname")),
            (self.email, self.tr("E-Mail")),
            (self.password, self.tr("Passwort")),
            (self.password_again, self.tr("Passwort wiederholen")),
        ):
            widget.setAccessibleName(label)
        form.addRow(self.tr("&Benutzername:"), self.username)
        form.addRow(self.tr("&Vorname:"), self.first_name)
        form.addRow(self.tr("&Nachname:"), self.last_name)
        form.addRow(self.tr("&E-Mail (optional):"), self.email)
        form.addRow(self.tr("&Passwort:"), self.password)
        form.addRow(self.tr("Passwort &wiederholen:"), self.password_again)
        hint = QLabel(self.tr("Mindestens 8 Zeichen."))
        hint.setStyleSheet("color: #52606D;")
        form.addRow("", hint)
        self.demo = QCheckBox(self.tr("Demodaten laden (Beispielpraxis zum Ausprobieren)"))
        if demo_available:
            form.addRow("", self.demo)
        else:
            self.demo.hide()
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.setWordWrap(True)
        form.addRow("", self.error)
        for field in (self.username, self.password, self.password_again):
            field.textChanged.connect(self.completeChanged)

    def problem(self) -> str:
        if not self.username.text().strip():
            return self.tr("Bitte einen Benutzernamen eingeben.")
        if len(self.password.text()) < MIN_PASSWORD:
            return self.tr("Das Passwort muss mindestens 8 Zeichen lang sein.")
        if self.password.text() != self.password_again.text():
            return self.tr("Die Passwörter stimmen nicht überein.")
        return ""

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return not self.problem()


class SetupWizard(QWizard):
    """Accepted once the admin exists (and demo data is loaded, if asked for)."""

    def __init__(self, ops: Ops, *, demo_available: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(self.tr("PraxiApp einrichten"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setMinimumSize(560, 440)
        self.admin_page = _AdminPage(demo_available)
        self.addPage(_WelcomePage())
        self.addPage(self.admin_page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Weiter >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Zurück"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Konto &anlegen"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Abbrechen"))
        self.created: dict[str, Any] | None = None

    @property
    def credentials(self) -> tuple[str, str]:
        return self.admin_page.username.text().strip(), self.admin_page.password.text()

    def accept(self) -> None:
        if self.created is not None:
            super().accept()
            return
        page = self.admin_page
        body = {
            "username": page.username.text().strip(),
            "password": page.password.text(),
            "first_name": page.first_name.text().strip(),
            "last_name": page.last_name.text().strip(),
        }
        if page.email.text().strip():
            body["email"] = page.email.text().strip()
        demo = page.demo.isChecked() and page.demo.isVisible()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        page.error.setStyleSheet("color: #52606D;")
        page.error.setText(self.tr("Konto wird angelegt …"))
        self.setCursor(Qt.CursorShape.BusyCursor)

        def work(api: Any) -> dict[str, Any]:
            created: dict[str, Any] = api.public("POST", "/api/setup/admin/", json=body)
            if demo:
                run_seed_demo()
            return created

        self.ops.run(work, self).public().success(self._created).failure(self._failed).run()

    def _created(self, user: dict[str, Any]) -> None:
        self.unsetCursor()
        self.created = user
        super().accept()

    def _failed(self, exc: Exception) -> None:
        self.unsetCursor()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        page = self.admin_page
        page.error.setStyleSheet(f"color: {RED};")
        if isinstance(exc, subprocess.CalledProcessError):
            page.error.setText(
                self.tr(
                    "Das Konto wurde angelegt, die Demodaten konnten aber nicht geladen werden."
                )
            )
            return
        page.error.setText(
            str(exc)
            if isinstance(exc, ApiError)
            else self.tr("Der Server ist nicht erreichbar. Bitte erneut versuchen.")
        )
