"""„Terminketten …“ of a patient: the booked chains, their steps, and cancelling a step or
the whole chain — what a step's cancellation does to the gaps of the others is shown
before it is confirmed (docs/series-and-chains.md, "Moving and cancelling a step")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from desktop.api import chains
from desktop.api.errors import ApiError
from desktop.api.patients import Patient
from desktop.ops import Ops

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
STATUS_TEXTS = {
    "scheduled": "geplant",
    "confirmed": "bestätigt",
    "planned": "geplant",
    "cancelled": "abgesagt",
    "completed": "erledigt",
    "done": "erledigt",
}
ACTIVE = ("scheduled", "confirmed", "planned")


class PatientChainsDialog(QDialog):
    def __init__(
        self,
        ops: Ops,
        patient: Patient,
        parent: QWidget | None = None,
        *,
        chain_id: int | None = None,
    ) -> None:
        """``chain_id``: the chain to show first (opened from one of its appointments)."""
        super().__init__(parent)
        self.ops = ops
        self.patient = patient
        self.chains: list[chains.Chain] = []
        self._first_chain_id = chain_id
        # What „Bestätigen“ does: cancel or move (to a start) a chain's step, accepting
        # the gap rules the check found broken.
        self.pending: tuple[str, int, int, datetime | None, bool] | None = None
        self.setWindowTitle(self.tr("Terminketten – {0}").format(patient.display_name))
        self.resize(820, 520)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Terminketten"))
        self.list.setMaximumHeight(110)
        self.list.currentRowChanged.connect(self._chain_chosen)
        self.steps = QTableWidget(0, 4)
        self.steps.setAccessibleName(self.tr("Schritte"))
        self.steps.setHorizontalHeaderLabels(
            [self.tr("Schritt"), self.tr("Zeit"), self.tr("Arzt"), self.tr("Status")]
        )
        self.steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.steps.itemSelectionChanged.connect(self._step_chosen)
        self.cancel_step_button = QPushButton(self.tr("Schritt &absagen …"))
        self.cancel_step_button.clicked.connect(self.check_cancel_step)
        self.move_to = QDateTimeEdit()
        self.move_to.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.move_to.setCalendarPopup(True)
        self.move_to.setAccessibleName(self.tr("Neuer Beginn"))
        self.move_button = QPushButton(self.tr("&Verschieben …"))
        self.move_button.clicked.connect(self.check_move_step)
        self.cancel_chain_button = QPushButton(self.tr("&Kette absagen"))
        self.cancel_chain_button.clicked.connect(self.cancel_chain)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet(f"color: {theme.INK};")
        self.confirm_button = QPushButton(self.tr("Absage &bestätigen"))
        self.confirm_button.clicked.connect(self.confirm)
        self.confirm_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_step_button)
        buttons.addWidget(self.move_to)
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.cancel_chain_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.steps, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.preview)
        layout.addWidget(close)
        self._step_chosen()
        self.reload()

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        patient_id = self.patient.id
        self.ops.run(lambda api: chains.for_patient(api, patient_id), self).success(
            self._loaded
        ).failure(self._failed).run()

    def _loaded(self, found: list[chains.Chain]) -> None:
        wanted = self.chain.id if self.chain else self._first_chain_id
        self.chains = found
        self.list.blockSignals(True)
        self.list.clear()
        for chain in found:
            state = self.tr("abgesagt") if chain.status == "cancelled" else self.tr("aktiv")
            first = chain.steps[0].start.astimezone(BERLIN) if chain.steps else None
            since = f" · ab {first:%d.%m.%Y}" if first else ""
            item = QListWidgetItem(f"{chain.name} · {len(chain.steps)} Schritte{since} · {state}")
            self.list.addItem(item)
        self.list.blockSignals(False)
        if not found:
            self.preview.setText(self.tr("Keine Terminketten für diesen Patienten."))
            return
        row = next((i for i, c in enumerate(found) if c.id == wanted), 0)
        self.list.setCurrentRow(row)
        self._chain_chosen(row)

    @classmethod
    def of_chain(
        cls, ops: Ops, chain_id: int, patient_id: int, patient_name: str, parent: QWidget | None
    ) -> PatientChainsDialog:
        """The patient's chains with ``chain_id`` chosen, opened from a calendar block whose
        appointment names its patient only by id and display name."""
        patient = Patient(id=patient_id, first_name="", last_name=patient_name, birth_date=None)
        return cls(ops, patient, parent, chain_id=chain_id)

    @property
    def chain(self) -> chains.Chain | None:
        row = self.list.currentRow()
        return self.chains[row] if 0 <= row < len(self.chains) else None

    def _chain_chosen(self, row: int) -> None:
        chain = self.chains[row] if 0 <= row < len(self.chains) else None
        steps = chain.steps if chain else ()
        self.steps.setRowCount(len(steps))
        for index, step in enumerate(steps):
            start, end = step.start.astimezone(BERLIN), step.end.astimezone(BERLIN)
            when = f"{WEEKDAYS[start.weekday()]} {start:%d.%m.%Y %H:%M}–{end:%H:%M}"
            cells = [
                f"{step.position}. {step.name}",
                when,
                step.doctor_name,
                STATUS_TEXTS.get(step.status, step.status),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.steps.setItem(index, column, item)
        self._reset_pending()
        self._step_chosen()

    def _chosen_step(self) -> chains.ChainStepState | None:
        chain, row = self.chain, self.steps.currentRow()
        if chain is None or not self.steps.selectedItems() or not 0 <= row < len(chain.steps):
            return None
        return chain.steps[row]

    def _step_chosen(self) -> None:
        chain, step = self.chain, self._chosen_step()
        open_chain = chain is not None and chain.status == "active"
        self.cancel_step_button.setEnabled(
            open_chain and step is not None and step.status in ACTIVE
        )
        self.cancel_chain_button.setEnabled(open_chain)
        self._reset_pending()

    def _reset_pending(self) -> None:
        self.pending = None
        self.confirm_button.hide()

    # -- cancelling -----------------------------------------------------------------------

    def check_cancel_step(self) -> None:
        """First what the cancellation would break; the user confirms after."""
        chain, step = self.chain, self._chosen_step()
        if chain is None or step is None:
            return
        chain_id, position = chain.id, step.position
        self.preview.setText(self.tr("Wird geprüft …"))
        self.ops.run(lambda api: chains.check_cancel_step(api, chain_id, position), self).success(
            lambda check: self._checked(chain_id, position, step.name, check)
        ).failure(self._failed).run()

    def check_move_step(self) -> None:
        """First what the move would break (or why it cannot be); the user confirms after."""
        chain, step = self.chain, self._chosen_step()
        if chain is None or step is None:
            return
        chosen = self.move_to.dateTime().toPython()
        assert isinstance(chosen, datetime)
        start = chosen.replace(tzinfo=BERLIN)
        chain_id, position = chain.id, step.position
        self.preview.setText(self.tr("Wird geprüft …"))
        self.ops.run(
            lambda api: chains.check_move_step(api, chain_id, position, start), self
        ).success(lambda check: self._checked(chain_id, position, step.name, check, start)).failure(
            self._failed
        ).run()

    def _checked(
        self,
        chain_id: int,
        position: int,
        name: str,
        check: chains.StepCheck,
        start: datetime | None = None,
    ) -> None:
        if check.problem:
            self.preview.setText(check.problem)
            return
        if start is None:
            question = self.tr("Schritt {0} ({1}) absagen?").format(position, name)
        else:
            question = self.tr("Schritt {0} ({1}) auf {2} verschieben?").format(
                position, name, f"{start:%d.%m.%Y %H:%M}"
            )
        if check.violations:
            lines = "\n".join(check.violations)
            self.preview.setText(
                self.tr("{0} Danach passen die Abstände nicht mehr:\n{1}").format(question, lines)
            )
        else:
            self.preview.setText(
                self.tr("{0} Die übrigen Abstände bleiben gültig.").format(question)
            )
        action = "cancel" if start is None else "move"
        self.pending = (action, chain_id, position, start, bool(check.violations))
        self.confirm_button.setText(
            self.tr("Absage &bestätigen") if start is None else self.tr("Verschieben &bestätigen")
        )
        self.confirm_button.show()
        self.confirm_button.setFocus()

    def confirm(self) -> None:
        if self.pending is None:
            return
        action, chain_id, position, start, accept = self.pending
        self._reset_pending()

        def work(api: object) -> chains.Chain:
            if action == "move" and start is not None:
                return chains.move_step(
                    api,  # type: ignore[arg-type]
                    chain_id,
                    position,
                    start,
                    accept_violations=accept,
                )
            return chains.cancel_step(api, chain_id, position, accept_violations=accept)  # type: ignore[arg-type]

        self.ops.run(work, self).changes("chain", "appointment", "operation").success(
            self._done
        ).failure(self._failed).run()

    def cancel_chain(self) -> None:
        chain = self.chain
        if chain is None:
            return
        chain_id = chain.id
        self.ops.run(lambda api: chains.cancel(api, chain_id), self).changes(
            "chain", "appointment", "operation"
        ).success(self._done).failure(self._failed).run()

    def _done(self, chain: chains.Chain) -> None:
        self.preview.setText(self.tr("Gespeichert."))
        self.reload()

    def _failed(self, error: Exception) -> None:
        text = error.message if isinstance(error, ApiError) else str(error)
        self.preview.setText(self.tr("Fehler: {0}").format(text))
