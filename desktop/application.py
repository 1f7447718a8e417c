"""The ``QApplication`` as ``praxi`` sets it up: German locale, translations and theme.

Apart from ``app`` (the start-up sequence) so that ``selftest``, which ``app`` runs for
``--selftest``, can build the same application without importing ``app``.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop import theme
from desktop.config import APPLICATION, ORGANIZATION


def create_application(argv: list[str]) -> QApplication:
    """QApplication with German locale, Qt's German translations and the PraxiApp theme."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("PraxiApp")
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    translator = QTranslator(app)
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(), "qtbase", "_", translations):
        app.installTranslator(translator)
    # Our own sources are German already; a praxi_<lang>.qm next to this file would
    # translate them into another language.
    own = QTranslator(app)
    if own.load(QLocale(), "praxi", "_", os.path.join(os.path.dirname(__file__), "i18n")):
        app.installTranslator(own)
    theme.apply(app)
    return app
