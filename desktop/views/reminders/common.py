"""Small parts the reminder views share: offsets as text, error texts, a question box."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.api.errors import ApiError
from desktop.views.master_data.form import failure_text, german

translate = QCoreApplication.translate
_CONTEXT = "Reminders"
MIN_OFFSET = 15
MAX_OFFSET = 43_200  # 30 days, the server's limit
MAX_OFFSETS = 5
_PART = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(min|m|h|std|d|t|tag|tage)?\s*$", re.IGNORECASE)
_UNIT_MINUTES = {"min": 1, "m": 1, "h": 60, "std": 60, "d": 1440, "t": 1440, "tag": 1440}


def format_offset(minutes: int) -> str:
    """``2880`` → ``48 h``, ``90`` → ``90 min``."""
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def format_offsets(offsets: Iterable[int]) -> str:
    return ", ".join(format_offset(m) for m in offsets)


def parse_offsets(text: str) -> list[int]:
    """``"48 h, 2 h, 30 min"`` → ``[2880, 120, 30]``; a number alone is hours. Commas
    separate the entries, so a fraction is written with a point (``1.5 h``) or in minutes.

    Raises ``ValueError`` with a German message the form shows as it is.
    """
    offsets: list[int] = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        match = _PART.match(part)
        if match is None:
            raise ValueError(
                translate(_CONTEXT, "„{0}“ ist kein Zeitpunkt (z. B. 48 h, 2 h, 30 min).").format(
                    part
                )
            )
        unit = (match.group(2) or "h").lower()
        unit = "tag" if unit == "tage" else unit
        minutes = round(float(match.group(1).replace(",", ".")) * _UNIT_MINUTES[unit])
        if not MIN_OFFSET <= minutes <= MAX_OFFSET:
            raise ValueError(
                translate(
                    _CONTEXT, "Zeitpunkte liegen zwischen 15 Minuten und 30 Tagen vor dem Termin."
                )
            )
        if minutes in offsets:
            raise ValueError(translate(_CONTEXT, "Jeder Zeitpunkt nur einmal, bitte."))
        offsets.append(minutes)
    if len(offsets) > MAX_OFFSETS:
        raise ValueError(translate(_CONTEXT, "Höchstens fünf Zeitpunkte je Regel."))
    return sorted(offsets, reverse=True)


def error_text(error: Exception, labels: dict[str, str] | None = None) -> str:
    """A failed call as German text; field errors of a 400 named by their form label."""
    body = error.body if isinstance(error, ApiError) and error.status == 400 else None
    if isinstance(body, dict) and "detail" not in body:
        parts = []
        for key, message in body.items():
            label = (labels or {}).get(key)
            parts.append(f"{label}: {german(message)}" if label else german(message))
        return " ".join(parts)
    return failure_text(error)


def ask(
    parent: QWidget, title: str, text: str, confirm: str, then: Callable[[], Any]
) -> QMessageBox:
    """A question opened without a modal loop; ``then`` runs once the user confirmed."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(confirm, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate(_CONTEXT, "Abbrechen"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)

    def finished() -> None:
        confirmed = box.clickedButton() is yes
        box.deleteLater()
        if confirmed:
            then()

    box.finished.connect(finished)
    box.open()
    return box
