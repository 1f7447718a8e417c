"""``praxi``: the desktop client's entry point and start-up sequence.

Start-up: server (embedded child or configured URL) → reachable? → first-run wizard if the
server has no users → silent sign-in with the stored refresh token, else the sign-in dialog →
main window. Every step that talks to the server runs as a background operation.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError, UntrustedCertificate
from desktop.api.tls import CaFileError, validate_ca_file
from desktop.application import create_application
from desktop.config import Preferences
from desktop.embedded import EmbeddedServer
from desktop.session import Session, User
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.setup_wizard import SetupWizard, demo_seeder
from desktop.views.startup import ServerSettingsDialog, StartupDialog

log = logging.getLogger("praxi.desktop")

HEALTH_POLL_MS = 250
START_TIMEOUT_S = 120


class Launcher(QObject):
    """Runs the start-up sequence and owns the long-lived objects."""

    def __init__(
        self,
        app: QApplication,
        prefs: Preferences,
        server_url: str | None,
        ca_file: Path | None = None,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.prefs = prefs
        self.explicit_url = server_url
        #: ``--ca-file``: wins over the stored setting for this run, like ``--server``.
        self.explicit_ca_file = ca_file
        self.embedded: EmbeddedServer | None = None
        self.session: Session | None = None
        self.window: MainWindow | None = None
        self.dialog = StartupDialog()
        self.dialog.rejected.connect(self.app.quit)
        self.dialog.retry_button.clicked.connect(self.start)
        self.dialog.settings_button.clicked.connect(self.change_server)
        self._poll = QTimer(self, interval=HEALTH_POLL_MS)
        self._poll.timeout.connect(self._probe)
        self._probing = False
        self._elapsed_polls = 0
        app.aboutToQuit.connect(self.shutdown)

    # -- server ---------------------------------------------------------------------------

    def start(self) -> None:
        self.dialog.show()
        url = self.explicit_url or self.prefs.server_url
        # The embedded server speaks plain HTTP on 127.0.0.1: a CA setting does not apply.
        ca_file = (self.explicit_ca_file or self.prefs.ca_file) if url else None
        if not url:
            if self.embedded is None or self.embedded.exited() is not None:
                self.embedded = EmbeddedServer()
                try:
                    self.embedded.start()
                except OSError as exc:
                    self.dialog.failed(
                        self.tr("Der Server konnte nicht gestartet werden."), str(exc)
                    )
                    return
            url = self.embedded.url
            self.dialog.progress(self.tr("Datenbank wird gestartet …"))
        else:
            self.dialog.progress(self.tr("Verbindung zu {0} wird hergestellt …").format(url))
        if (
            self.session is None
            or self.session.server_url != url.rstrip("/")
            or self.session.client.ca_file != ca_file
        ):
            try:
                client = ApiClient(url, ca_file=ca_file)
            except CaFileError as exc:
                self.dialog.failed(str(exc))
                return
            self.session = Session(client, self.prefs, self)
        self._elapsed_polls = 0
        self._poll.start()

    def _probe(self) -> None:
        if self._probing or self.session is None:
            return
        self._elapsed_polls += 1
        if self.embedded is not None:
            code = self.embedded.exited()
            if code is not None:
                self._poll.stop()
                self.dialog.failed(
                    self.tr("Der Server wurde unerwartet beendet (Code {0}).").format(code),
                    self.embedded.log_tail(),
                )
                return
            self.dialog.progress(self.tr(self.embedded.progress_hint()))
        if self._elapsed_polls * HEALTH_POLL_MS > START_TIMEOUT_S * 1000:
            self._poll.stop()
            self.dialog.failed(
                self.tr("Der Server antwortet nicht."),
                self.embedded.log_tail() if self.embedded else "",
            )
            return
        self._probing = True
        remote = self.embedded is None

        def up(_: Any) -> None:
            self._probing = False
            self._poll.stop()
            self.check_setup()

        def down(exc: Exception) -> None:
            self._probing = False
            if isinstance(exc, UntrustedCertificate):
                # Waiting cannot fix a certificate: say so at once, settings are one click away.
                self._poll.stop()
                self.dialog.failed(str(exc))
                return
            if remote and self._elapsed_polls >= 8:
                self._poll.stop()
                self.dialog.failed(self.tr("Der Server ist nicht erreichbar."), str(exc))

        self.session.ops.run(lambda api: api.public("GET", "/api/health/"), self).public().success(
            up
        ).failure(down).run()

    def change_server(self) -> None:
        settings = ServerSettingsDialog(
            self.explicit_url or self.prefs.server_url,
            self.explicit_ca_file or self.prefs.ca_file,
            self.dialog,
        )
        if settings.exec():
            self.explicit_url = None
            self.explicit_ca_file = None
            self.prefs.server_url = settings.url.text()
            self.prefs.ca_file = settings.ca_file()
            self._poll.stop()
            self.start()

    # -- setup and sign-in ----------------------------------------------------------------

    def check_setup(self) -> None:
        assert self.session is not None
        self.dialog.progress(self.tr("Einrichtung wird geprüft …"))

        def status(body: dict[str, Any]) -> None:
            if body.get("needs_setup"):
                self.run_wizard()
            else:
                self.sign_in()

        self.session.ops.run(
            lambda api: api.public("GET", "/api/setup/status/"), self
        ).public().success(status).failure(lambda exc: self.dialog.failed(str(exc))).run()

    def run_wizard(self) -> None:
        assert self.session is not None
        session = self.session
        self.dialog.hide()
        # Demo data only for the embedded server: seed-demo writes to this PC's data folder.
        seeder = demo_seeder(self.embedded.child_env()) if self.embedded is not None else None
        wizard = SetupWizard(session.ops, seed_demo=seeder)
        self.wizard = wizard
        wizard.accepted.connect(lambda: self._wizard_done(wizard))
        wizard.rejected.connect(self.app.quit)
        wizard.open()

    def _wizard_done(self, wizard: SetupWizard) -> None:
        assert self.session is not None
        username, password = wizard.credentials
        self.session.login(username, password, remember=False).success(self.open_main).failure(
            lambda _: self.sign_in()
        ).run()

    def sign_in(self) -> None:
        assert self.session is not None
        resume = self.session.try_resume()
        if resume is not None:
            self.dialog.progress(self.tr("Anmeldung wird fortgesetzt …"))
            resume.success(self.open_main).failure(lambda _: self.ask_login()).run()
            return
        self.ask_login()

    def ask_login(self) -> None:
        assert self.session is not None
        self.dialog.hide()
        login = LoginDialog(self.session)
        self.login_dialog = login
        if login.exec():
            assert self.session.user is not None
            self.open_main(self.session.user)
        else:
            self.app.quit()

    def open_main(self, user: User) -> None:
        assert self.session is not None
        self.dialog.hide()
        self.window = MainWindow(self.session, user)
        self.window.signed_out.connect(self._signed_out)
        self.window.show()
        self.window.start_with_preferences()  # "Heute" (or the user's choice) first

    def _signed_out(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        QTimer.singleShot(0, self.ask_login)

    def shutdown(self) -> None:
        self._poll.stop()
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="praxi", description="PraxiApp – Praxisverwaltung")
    parser.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="an diesen Server verbinden statt den eingebauten zu starten",
    )
    parser.add_argument(
        "--ca-file",
        metavar="PATH",
        type=Path,
        default=None,
        help="CA-Zertifikat (PEM), mit dem das Zertifikat des Servers geprüft wird "
        "(Standard: Einstellung bzw. Zertifikate des Betriebssystems)",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        help="Datenordner des eingebauten Servers (Standard: PRAXI_DATA_DIR)",
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="Installation prüfen (ohne Fenster, temporäre Daten) und beenden",
    )
    parser.add_argument(
        "--display",
        action="store_true",
        help="die Aufrufanzeige für das Wartezimmer im Vollbild öffnen (ohne Anmeldung)",
    )
    parser.add_argument(
        "--measure-startup",
        action="store_true",
        help="Startzeit bis zum Anmeldefenster ausgeben und beenden",
    )
    args, _qt_args = parser.parse_known_args(argv[1:])
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv)
    if args.selftest:
        from desktop.selftest import run_selftest

        return run_selftest(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.ca_file is not None:
        try:
            validate_ca_file(args.ca_file)
        except CaFileError as exc:
            print(f"praxi: --ca-file: {exc}", file=sys.stderr)
            return 2
    if args.data_dir:
        os.environ["PRAXI_DATA_DIR"] = args.data_dir
    app = create_application(argv)
    prefs = Preferences()
    if args.display:
        from desktop.views.display.launch import run_display

        return run_display(app, prefs, args.server, args.ca_file)
    launcher = Launcher(app, prefs, args.server, args.ca_file)
    if args.measure_startup:
        from desktop.selftest import StartupProbe

        StartupProbe(app)
    # Ctrl+C / SIGTERM: leave the event loop normally so aboutToQuit stops the server.
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda *_: app.quit())
    heartbeat = QTimer(app, interval=500)  # lets Python see signals while Qt waits
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()
    launcher.start()
    try:
        return app.exec()
    except ApiError as exc:  # pragma: no cover - defensive; ops catch these
        QMessageBox.critical(None, "PraxiApp", str(exc))
        return 1
    finally:
        launcher.shutdown()


if __name__ == "__main__":
    raise SystemExit(main())
