"""Asking where to save an export (PDF, CSV, PNG): one dialog, the same rules everywhere.

The suggestion lies in the user's Documents folder; a name typed without the extension gets
it, so that Windows opens the file with the right program.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(
    parent: QWidget, title: str, file_name: str, pattern: str, suffix: str
) -> str | None:
    """The path the user chose for ``file_name`` (e.g. ``Tagesliste-2027-01-18.pdf``), or
    None when they cancelled. ``pattern`` is the file-type filter, ``suffix`` without dot."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getSaveFileName(parent, title, os.path.join(folder, file_name), pattern)
    if not path:
        return None
    if not path.lower().endswith("." + suffix):
        path += "." + suffix
    return path
