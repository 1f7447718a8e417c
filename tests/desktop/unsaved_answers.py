"""Answering the "Ungespeicherte Änderungen" question in tests.

``Answers`` stands in for the user at a page's ``guard.ask`` (the injectable question);
``open_question`` finds the real message box, which the guard opens without a modal loop.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.views.unsaved import Answer, Decide


class Answers:
    """Gives the answers in order (then "Abbrechen") and counts the questions."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.asked = 0

    def __call__(self, _parent: QWidget, decide: Decide) -> None:
        self.asked += 1
        decide(self.answers.pop(0) if self.answers else Answer.CANCEL)


def open_question(qtbot: QtBot) -> QMessageBox:
    """The message box that is up now (waits briefly for it)."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    return box


def click(box: QMessageBox, button_text: str) -> None:
    next(b for b in box.buttons() if b.text() == button_text).click()
