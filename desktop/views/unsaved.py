"""Leaving a form with unsaved edits: ask "Speichern / Verwerfen / Abbrechen" first.

Every screen with a record form (Stammdaten, Patienten, Benutzer) owns one
:class:`LeaveGuard`. Whatever would replace the form — another row, "Neu", another tab or
screen, closing the window — asks ``guard.leave(then)`` first. Nothing changed: ``True``, go
ahead. Otherwise the step is refused for now (``False``, the caller stays where it is) and the
question opens; the answer decides what happens to the refused step ``then``:

* "Verwerfen": the edits are dropped and ``then`` runs;
* "Speichern": the form is saved in the background; ``then`` runs once the server has
  accepted it (a refusal keeps the form with its messages, and the step is dropped);
* "Abbrechen": nothing happens, the edited record stays.

The question is window-modal but never a nested event loop (``open``, not ``exec``): the
caller returns at once, and a window closed or deleted meanwhile leaves nothing waiting.
Screens offer the same check to the main window as ``can_leave(then)`` (:class:`Leavable`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, auto
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

translate = QCoreApplication.translate


class Answer(Enum):
    SAVE = auto()
    DISCARD = auto()
    CANCEL = auto()


#: Receives the user's answer.
Decide = Callable[[Answer], None]
#: Puts the question to the user and hands the answer to ``Decide`` (tests answer directly).
Ask = Callable[[QWidget, Decide], None]


class Leavable(Protocol):
    def can_leave(self, then: Callable[[], object]) -> bool: ...


def question_box(parent: QWidget | None) -> QMessageBox:
    """The German question with its three buttons (not shown yet)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("UnsavedChanges", "Ungespeicherte Änderungen"))
    box.setText(translate("UnsavedChanges", "Die Änderungen wurden noch nicht gespeichert."))
    box.setInformativeText(
        translate("UnsavedChanges", "Möchten Sie sie speichern, bevor Sie fortfahren?")
    )
    save = box.addButton(
        translate("UnsavedChanges", "Speichern"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(translate("UnsavedChanges", "Verwerfen"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(
        translate("UnsavedChanges", "Abbrechen"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    return box


def ask_with_message_box(parent: QWidget, decide: Decide) -> None:
    box = question_box(parent)

    def finished() -> None:
        clicked = box.clickedButton()
        role = box.buttonRole(clicked) if clicked is not None else None
        box.deleteLater()
        if role == QMessageBox.ButtonRole.AcceptRole:
            decide(Answer.SAVE)
        elif role == QMessageBox.ButtonRole.DestructiveRole:
            decide(Answer.DISCARD)
        else:
            decide(Answer.CANCEL)

    box.finished.connect(finished)
    box.open()


class LeaveGuard:
    """Asks before edits are dropped; finishes the refused step after the answer."""

    def __init__(
        self,
        owner: QWidget,
        *,
        modified: Callable[[], bool],
        save: Callable[[], bool],
        saving: Callable[[], bool],
        discard: Callable[[], None],
        ask: Ask = ask_with_message_box,
    ) -> None:
        self.owner = owner
        self._modified = modified
        self._save = save
        self._saving = saving
        self._discard = discard
        self.ask = ask
        self.asking = False
        self._after_save: Callable[[], object] | None = None

    def leave(self, then: Callable[[], object]) -> bool:
        """True: nothing is lost by leaving now. False: stay; the answer decides on ``then``."""
        if self._after_save is not None:
            if self._saving():
                self._after_save = then  # the save the user asked for is under way: go after it
                return False
            self._after_save = None  # that save ended unreported (e.g. dropped at a re-login)
        if self.asking:
            return False
        if not self._modified():
            return True
        self.asking = True
        self.ask(self.owner, lambda answer: self._answered(answer, then))
        return False

    def _answered(self, answer: Answer, then: Callable[[], object]) -> None:
        self.asking = False
        if answer is Answer.DISCARD:
            self._discard()
            then()
        elif answer is Answer.SAVE:
            self._after_save = then
            if not self._save():  # nothing was sent (e.g. nothing to send): stay
                self._after_save = None

    def save_finished(self, ok: bool) -> None:
        """The page reports the end of a save; a successful one continues the refused step."""
        then, self._after_save = self._after_save, None
        if ok and then is not None:
            then()
