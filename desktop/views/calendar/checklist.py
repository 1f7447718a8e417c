"""A button with a checkable list (which doctors, which rooms): several choices, one click each."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class _StayOpenMenu(QMenu):
    """Ticking an entry keeps the menu open, so several are chosen in one go."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        action = self.activeAction()
        if action is not None and action.isEnabled() and action.isCheckable():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class ChecklistButton(QToolButton):
    #: the ticked entries changed (read ``checked_ids``)
    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = _StayOpenMenu(self)
        self.setMenu(self.menu_)
        self.entries: dict[int, QAction] = {}
        self._names: dict[int, str] = {}

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # room for the menu arrow, which the style draws over the text otherwise
        return super().sizeHint() + QSize(14, 0)

    def set_items(self, items: list[tuple[int, str]], checked: set[int] | None = None) -> None:
        """The entries in order; ``checked`` None ticks all of them (nothing is emitted)."""
        previous = set(self.checked_ids()) if self.entries else None
        wanted = checked if checked is not None else previous
        self.menu_.clear()
        self.entries = {}
        self._names = dict(items)
        every = self.menu_.addAction(self.tr("Alle"))
        every.triggered.connect(lambda: self.set_checked(set(self._names)))
        self.menu_.addSeparator()
        for key, name in items:
            action = self.menu_.addAction(name)
            action.setCheckable(True)
            action.setChecked(wanted is None or key in wanted or not (wanted & set(self._names)))
            action.toggled.connect(self._toggled)
            self.entries[key] = action
        self._show_choice()

    def set_checked(self, keys: set[int]) -> None:
        for key, action in self.entries.items():
            action.blockSignals(True)
            action.setChecked(key in keys)
            action.blockSignals(False)
        self._show_choice()
        self.changed.emit()

    def checked_ids(self) -> list[int]:
        return [key for key, action in self.entries.items() if action.isChecked()]

    def _toggled(self, _on: bool) -> None:
        if not self.checked_ids():  # an empty calendar helps nobody: keep the last one
            sender = self.sender()
            if isinstance(sender, QAction):
                sender.blockSignals(True)
                sender.setChecked(True)
                sender.blockSignals(False)
            return
        self._show_choice()
        self.changed.emit()

    def _show_choice(self) -> None:
        chosen = self.checked_ids()
        if len(chosen) == len(self.entries):
            text = self.tr("{0}: alle").format(self.label)
        elif len(chosen) == 1:
            text = f"{self.label}: {self._names[chosen[0]]}"
        else:
            text = self.tr("{0}: {1} von {2}").format(self.label, len(chosen), len(self.entries))
        self.setText(text)
        self.setToolTip(", ".join(self._names[key] for key in chosen))
