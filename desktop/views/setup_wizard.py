"""First-run wizard: create the practice admin (``POST /api/setup/admin/``), demo data.

Demo data comes from ``praxi-server seed-demo --size small`` run as a child process against
the embedded server's data directory (there is no HTTP endpoint for it, 07 "First run"). Every
demo user gets the password chosen for the admin (``PRAXI_DEMO_PASSWORD``); the page says so.
Both steps run off the UI thread; a retry after a failure never dead-ends: "setup already
completed" (409) counts as done, and the demo step can be retried or skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.api.errors import ApiError
from desktop.ops import Ops
from desktop.theme import RED

MIN_PASSWORD = 8
SEED_TIMEOUT_S = 600

#: Loads the demo data with the given password for every demo user (blocking; in a worker).
DemoSeeder = Callable[[str], None]


class DemoSeedFailed(Exception):
    """``seed-demo`` ended with an error; ``detail`` is the end of what it printed."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


def seed_demo_command() -> list[str]:
    return [sys.executable, "-m", "server.cli", "seed-demo", "--size", "small"]


def run_seed_demo(password: str, env: Mapping[str, str] | None = None) -> None:
    """Blocking; run in a worker. ``env``: the server child's environment (same data dir)."""
    child_env = {**(os.environ if env is None else env), "PRAXI_DEMO_PASSWORD": password}
    try:
        result = subprocess.run(
            seed_demo_command(),
            capture_output=True,
            text=True,
            timeout=SEED_TIMEOUT_S,
            check=False,
            env=child_env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DemoSeedFailed(str(exc)) from exc
    if result.returncode != 0:
        lines = (result.stderr or result.stdout or "").strip().splitlines()
        raise DemoSeedFailed("\n".join(lines[-3:]))


def demo_seeder(env: Mapping[str, str] | None = None) -> DemoSeeder:
    return lambda password: run_seed_demo(password, env)


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
        self.demo.setAccessibleName(self.tr("Demodaten laden"))
        self.demo_hint = QLabel(
            self.tr(
                "Die Demo-Benutzer (Ärzte, MFA, Abrechnung) erhalten dasselbe Passwort wie "
                "dieses Administrator-Konto."
            )
        )
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setStyleSheet("color: #52606D;")
        self.demo_hint.setVisible(False)
        self.demo.toggled.connect(self.demo_hint.setVisible)
        if demo_available:
            form.addRow("", self.demo)
            form.addRow("", self.demo_hint)
        else:
            self.demo.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        form.addRow("", self.progress)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Status"))
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

    def __init__(
        self,
        ops: Ops,
        *,
        seed_demo: DemoSeeder | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.seed_demo = seed_demo
        self.setWindowTitle(self.tr("PraxiApp einrichten"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setMinimumSize(580, 500)
        self.admin_page = _AdminPage(seed_demo is not None)
        self.addPage(_WelcomePage())
        self.addPage(self.admin_page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Weiter >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Zurück"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Konto &anlegen"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Abbrechen"))
        self.created: dict[str, Any] | None = None
        self.demo_loaded = False
        self.busy = False
        self._clock = QElapsedTimer()
        self._ticker = QTimer(self, interval=500)
        self._ticker.timeout.connect(self._tick)
        self._step_text = ""

    @property
    def credentials(self) -> tuple[str, str]:
        return self.admin_page.username.text().strip(), self.admin_page.password.text()

    def _wants_demo(self) -> bool:
        page = self.admin_page
        return self.seed_demo is not None and page.demo.isChecked() and not self.demo_loaded

    # -- progress -------------------------------------------------------------------------

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        page = self.admin_page
        for widget in (
            page.username,
            page.first_name,
            page.last_name,
            page.email,
            page.password,
            page.password_again,
        ):
            widget.setReadOnly(busy or self.created is not None)
        page.demo.setEnabled(not busy)
        for button in (
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(button).setEnabled(not busy)
        page.progress.setVisible(busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
            self._step_text = text
            self._clock.start()
            self._ticker.start()
            page.error.setStyleSheet("color: #52606D;")
            page.error.setText(text)
        else:
            self.unsetCursor()
            self._ticker.stop()

    def _tick(self) -> None:
        seconds = self._clock.elapsed() // 1000
        self.admin_page.error.setText(
            self.tr("{0} ({1} s)").format(self._step_text, seconds) if seconds else self._step_text
        )

    def _show_error(self, text: str) -> None:
        page = self.admin_page
        page.error.setStyleSheet(f"color: {RED};")
        page.error.setText(text)

    # -- steps ----------------------------------------------------------------------------

    def accept(self) -> None:
        if self.busy:
            return
        if self.created is None:
            self._create_admin()
        elif self._wants_demo():
            self._load_demo()
        else:
            super().accept()

    def _create_admin(self) -> None:
        page = self.admin_page
        body = {
            "username": page.username.text().strip(),
            "password": page.password.text(),
            "first_name": page.first_name.text().strip(),
            "last_name": page.last_name.text().strip(),
        }
        if page.email.text().strip():
            body["email"] = page.email.text().strip()
        steps = 2 if self._wants_demo() else 1
        step = self.tr("Schritt 1 von 2: ") if steps == 2 else ""
        self._set_busy(True, step + self.tr("Konto wird angelegt …"))

        def work(api: Any) -> dict[str, Any]:
            try:
                created: dict[str, Any] = api.public("POST", "/api/setup/admin/", json=body)
            except ApiError as exc:
                if exc.status != 409:
                    raise
                # An earlier attempt created the account (its answer was lost) or setup is
                # done: continue; signing in afterwards tells whether the password matches.
                return {"username": body["username"], "already_existed": True}
            return created

        self.ops.run(work, self).public().success(self._admin_created).failure(
            self._admin_failed
        ).run()

    def _admin_created(self, user: dict[str, Any]) -> None:
        self.created = user
        self._set_busy(False)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Fertig"))
        if self._wants_demo():
            self._load_demo()
        else:
            super().accept()

    def _admin_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._show_error(
            str(exc)
            if isinstance(exc, ApiError)
            else self.tr("Der Server ist nicht erreichbar. Bitte erneut versuchen.")
        )

    def _load_demo(self) -> None:
        seeder = self.seed_demo
        assert seeder is not None
        password = self.admin_page.password.text()
        self._set_busy(
            True,
            self.tr("Schritt 2 von 2: Demodaten werden geladen – das dauert einige Sekunden …"),
        )
        self.ops.run(lambda _api: seeder(password), self).public().success(
            self._demo_loaded
        ).failure(self._demo_failed).run()

    def _demo_loaded(self, _: Any) -> None:
        self.demo_loaded = True
        self._set_busy(False)
        super().accept()

    def _demo_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        detail = exc.detail if isinstance(exc, DemoSeedFailed) else str(exc)
        self._show_error(
            self.tr(
                "Das Konto wurde angelegt, die Demodaten konnten aber nicht geladen werden. "
                "Erneut versuchen mit „Fertig“ oder ohne Demodaten fortfahren (Haken "
                "entfernen).\n{0}"
            ).format(detail)
        )
