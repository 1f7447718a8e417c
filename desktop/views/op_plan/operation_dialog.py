"""Create or edit an operation; conflicts are explained while editing, with the next free start.

Every change of patient, type, room, time, team or devices asks the server's dry run
(``operations.check`` → ``POST /api/operations/validate/``, 04 §5.10) after a short pause;
a refusal is told in German — which room, device or person, and when — and the operations
suggest endpoint (04 §5.5) offers the next possible starts, one click each to take over.
The patient is chosen with the appointment dialog's ``PatientPicker`` (server search, Enter
takes the first hit, "Neuer Patient" creates one inline). The three team pickers list doctors only
(04 §3.1) and never offer a person already chosen for another role (D-OP-04).
Every request runs inside ``desktop.ops`` work, so the dialog never waits on the network.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QTime, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.api import operations, patients
from desktop.api.client import ApiClient
from desktop.api.errors import ApiError, ConnectionLost
from desktop.api.op_timeline import Operation
from desktop.api.operations import (
    Choices,
    Conflict,
    ConflictKind,
    OperationDraft,
    OperationRecord,
    StartSuggestion,
    TeamRole,
)
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.ops import Ops
from desktop.theme import GREEN, INK_MUTED, RED
from desktop.views.calendar.scene import weekday_short
from desktop.views.form_parts import buddy_label, check_state, save_cancel_buttons
from desktop.views.patient_picker import PatientPicker
from shared.domain.events import LiveEntity

VALIDATE_DELAY_MS = 300
ID_ROLE = 256

translate = QCoreApplication.translate

#: Role names as the OP team says them (source texts, shown through ``OperationDialog.tr``).
ROLE_LABELS = {
    TeamRole.SURGEON: QT_TRANSLATE_NOOP("OperationDialog", "Operateur"),
    TeamRole.ASSISTANT: QT_TRANSLATE_NOOP("OperationDialog", "Assistenz"),
    TeamRole.ANESTHESIST: QT_TRANSLATE_NOOP("OperationDialog", "Anästhesie"),
}


class OperationDialog(QDialog):
    saved = Signal(object)  # the server's OperationRecord

    def __init__(
        self,
        ops: Ops,
        *,
        room_id: int | None,
        start: datetime,
        operation: Operation | None = None,
        choices: Choices | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``choices``: the master data to pick from, when the caller has them (else loaded)."""
        super().__init__(parent)
        self.ops = ops
        self.operation = operation
        self.choices: Choices | None = None
        self.patient_id: int | None = operation.patient_id if operation else None
        self._room_id = operation.room_id if operation else room_id
        #: The last verdict: None = not asked yet, else the conflict or "" for free.
        self.conflict: Conflict | None = None
        self.checked = False
        self.suggestions: list[StartSuggestion] = []
        self.setWindowTitle(self.tr("OP bearbeiten") if operation else self.tr("Neue OP"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        # -- patient (the picker the appointment dialog uses too)
        self.patient = PatientPicker(
            ops, chosen_name=operation.patient_name if operation else None, editable=not operation
        )
        form.addRow(buddy_label(self.tr("&Patient:"), self.patient.search), self.patient)

        # -- type with its phases, room, time with the computed end
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("OP-Art"))
        self.phases = QLabel()
        self.phases.setStyleSheet(f"color: {INK_MUTED};")
        kind_box = QVBoxLayout()
        kind_box.addWidget(self.kind)
        kind_box.addWidget(self.phases)
        form.addRow(buddy_label(self.tr("OP-&Art:"), self.kind), kind_box)
        self.room = QComboBox()
        self.room.setAccessibleName(self.tr("OP-Raum"))
        form.addRow(self.tr("&Raum:"), self.room)
        self.date = QDateEdit(QDate(start.year, start.month, start.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.date.setAccessibleName(self.tr("Datum"))
        self.time = QTimeEdit(QTime(start.hour, start.minute))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName(self.tr("Beginn"))
        self.end_label = QLabel()
        self.end_label.setAccessibleName(self.tr("Ende"))
        when = QHBoxLayout()
        when.addWidget(self.date)
        when.addWidget(self.time)
        when.addWidget(self.end_label, 1)
        form.addRow(buddy_label(self.tr("&Beginn:"), self.date), when)

        # -- team: three doctor pickers
        self.team: dict[TeamRole, QComboBox] = {}
        for role, mnemonic in (
            (TeamRole.SURGEON, self.tr("&Operateur:")),
            (TeamRole.ASSISTANT, self.tr("Assis&tenz:")),
            (TeamRole.ANESTHESIST, self.tr("Anäst&hesie:")),
        ):
            picker = QComboBox()
            picker.setAccessibleName(self.tr(ROLE_LABELS[role]))
            self.team[role] = picker
            form.addRow(buddy_label(mnemonic, picker), picker)

        self.devices = QListWidget()
        self.devices.setMaximumHeight(80)
        self.devices.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.devices.setAccessibleName(self.tr("Geräte"))
        form.addRow(self.tr("&Geräte:"), self.devices)
        self.notes = QLineEdit(operation.notes if operation else "")
        self.notes.setAccessibleName(self.tr("Notiz"))
        form.addRow(self.tr("&Notiz:"), self.notes)
        layout.addLayout(form)

        # -- verdict and the offered starts
        self.verdict = QLabel(self.tr("Lade Stammdaten …"))
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(self.tr("Prüfergebnis"))
        layout.addWidget(self.verdict)
        self.suggestion_title = QLabel(self.tr("Nächster möglicher Beginn – ein Klick übernimmt:"))
        self.suggestion_title.hide()
        layout.addWidget(self.suggestion_title)
        self.suggestion_row = QHBoxLayout()
        self.suggestion_buttons: list[QPushButton] = []
        self.suggestion_row.addStretch(1)
        layout.addLayout(self.suggestion_row)

        self.buttons, self.save_button = save_cancel_buttons(self, self.save)
        layout.addWidget(self.buttons)

        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self._validate)
        self._validation_seq = 0
        self.patient.chosen.connect(self._patient_chosen)
        self._update_save()
        if operation is None:
            self.patient.search.setFocus()
        if choices is not None:
            self._fill(choices)
        else:
            self.ops.run(operations.load_choices, self).success(self._fill).failure(
                self._show_error
            ).run()

    # -- master data ----------------------------------------------------------------------

    def _fill(self, choices: Choices) -> None:
        self.choices = choices
        op = self.operation
        self.kind.addItem(self.tr("– bitte wählen –"), None)
        for kind in choices.kinds:
            self.kind.addItem(self.tr("{0} ({1} min)").format(kind.name, kind.minutes), kind.id)
        if op is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(op.type_id)))
        for room in choices.rooms:
            self.room.addItem(room.name, room.id)
        self.room.setCurrentIndex(max(0, self.room.findData(self._room_id)))
        for role, picker in self.team.items():
            required = role is TeamRole.SURGEON
            picker.addItem(self.tr("– bitte wählen –") if required else self.tr("– keine –"), None)
            for doctor in choices.doctors:
                picker.addItem(doctor.name, doctor.id)
            if op is not None:
                picker.setCurrentIndex(max(0, picker.findData(op.member_id(role.value))))
        chosen = set(op.device_ids) if op else set()
        for device in choices.devices:
            entry = QListWidgetItem(device.name)
            entry.setData(ID_ROLE, device.id)
            entry.setCheckState(check_state(device.id in chosen))
            self.devices.addItem(entry)
        self._exclude_team_duplicates()
        self.verdict.clear()
        for signal in (
            self.kind.currentIndexChanged,
            self.room.currentIndexChanged,
            self.date.dateChanged,
            self.time.timeChanged,
            self.devices.itemChanged,
        ):
            signal.connect(self._changed)
        for picker in self.team.values():
            picker.currentIndexChanged.connect(self._team_changed)
        self._show_phases()
        self._update_save()
        self._schedule_validation()

    def _team_changed(self, *_: Any) -> None:
        self._exclude_team_duplicates()
        self._changed()

    def _exclude_team_duplicates(self) -> None:
        """Nobody can hold two roles (D-OP-04): who is chosen in one picker is greyed in the
        others, so the refusal never has to happen."""
        chosen = {role: picker.currentData() for role, picker in self.team.items()}
        for role, picker in self.team.items():
            model = picker.model()
            assert isinstance(model, QStandardItemModel)
            taken = {v for r, v in chosen.items() if r is not role and v is not None}
            for row in range(1, picker.count()):
                item = model.item(row)
                if item is not None:
                    item.setEnabled(picker.itemData(row) not in taken)

    def _changed(self, *_: Any) -> None:
        self._show_phases()
        self._update_save()
        self._schedule_validation()

    def _show_phases(self) -> None:
        kind = self.choices.kind(self.kind.currentData()) if self.choices else None
        if kind is None:
            self.phases.setText(self.tr("Dauer ergibt sich aus der OP-Art."))
            self.end_label.clear()
            return
        self.phases.setText(
            self.tr("Vorbereitung {0} min · OP {1} min · Nachbereitung {2} min = {3} min").format(
                kind.prep, kind.op, kind.post, kind.minutes
            )
        )
        end = self.start() + timedelta(minutes=kind.minutes)
        self.end_label.setText(self.tr("bis {0} Uhr").format(f"{end:%H:%M}"))

    # -- patient --------------------------------------------------------------------------

    def _patient_chosen(self, patient: patients.Patient) -> None:
        self.patient_id = patient.id
        self._changed()
        self.kind.setFocus()  # room and time come from the timeline: the type is next

    # -- draft, validation, suggestions ---------------------------------------------------

    def start(self) -> datetime:
        day = self.date.date().toPython()
        clock = self.time.time().toPython()
        return datetime.combine(day, clock)  # type: ignore[arg-type]

    def set_start(self, when: datetime) -> None:
        self.date.setDate(QDate(when.year, when.month, when.day))
        self.time.setTime(QTime(when.hour, when.minute))

    def draft(self) -> OperationDraft | None:
        """What is chosen, as the server takes it; None while something required is missing."""
        surgeon = self.team[TeamRole.SURGEON].currentData()
        kind, room = self.kind.currentData(), self.room.currentData()
        if self.patient_id is None or surgeon is None or kind is None or room is None:
            return None
        device_ids = tuple(
            int(self.devices.item(n).data(ID_ROLE))
            for n in range(self.devices.count())
            if self.devices.item(n).checkState() == check_state(True)
        )
        return OperationDraft(
            patient_id=self.patient_id,
            surgeon=int(surgeon),
            room=int(room),
            kind=int(kind),
            start=self.start(),
            assistant=self.team[TeamRole.ASSISTANT].currentData(),
            anesthesist=self.team[TeamRole.ANESTHESIST].currentData(),
            device_ids=device_ids,
            notes=self.notes.text(),
        )

    def _update_save(self) -> None:
        self.save_button.setEnabled(self.draft() is not None)

    def _schedule_validation(self) -> None:
        self.checked = False
        if self.draft() is not None:
            self._validate_timer.start()

    def _validate(self) -> None:
        draft = self.draft()
        if draft is None or self.choices is None:
            return
        kind = self.choices.kind(draft.kind)
        minutes = kind.minutes if kind else 0
        self._validation_seq += 1
        seq = self._validation_seq
        operation_id = self.operation.id if self.operation else None

        def work(api: ApiClient) -> tuple[Conflict | None, list[StartSuggestion]]:
            conflict = operations.check(api, draft, minutes, operation_id)
            if conflict is None or conflict.kind in (ConflictKind.DURATION, ConflictKind.OTHER):
                return conflict, []
            try:
                found = operations.suggest(api, draft, draft.start.date())
            except ApiError:
                found = []  # no offer is better than a second error message
            return conflict, found

        def shown(result: tuple[Conflict | None, list[StartSuggestion]]) -> None:
            if seq == self._validation_seq:
                self.show_verdict(draft, *result)

        def failed(error: Exception) -> None:
            if seq == self._validation_seq:
                self._show_error(error)

        self.verdict.setStyleSheet(f"color: {INK_MUTED};")
        self.verdict.setText(self.tr("Prüfe …"))
        self.ops.run(work, self).success(shown).failure(failed).run()

    def show_verdict(
        self, draft: OperationDraft, conflict: Conflict | None, found: list[StartSuggestion]
    ) -> None:
        """The server's verdict on ``draft``: free, or the conflict explained and the starts
        offered instead."""
        self.checked = True
        self.conflict = conflict
        self._show_suggestions(draft, found)
        if conflict is None:
            self.verdict.setStyleSheet(f"color: {GREEN};")
            self.verdict.setText(self.tr("✓ Raum, Geräte und Team sind zu dieser Zeit frei."))
            return
        self.verdict.setStyleSheet(f"color: {RED};")
        self.verdict.setText(self.explain(draft, conflict))

    def _show_error(self, error: Exception) -> None:
        self.verdict.setStyleSheet(f"color: {RED};")
        self.verdict.setText(str(error))

    def _show_suggestions(self, draft: OperationDraft, found: list[StartSuggestion]) -> None:
        for button in self.suggestion_buttons:
            self.suggestion_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.suggestion_buttons = []
        # The first start at or after the wanted one leads; earlier free starts follow.
        later = [s for s in found if s.start >= draft.start]
        ordered = later + [s for s in found if s.start < draft.start]
        self.suggestions = ordered
        self.suggestion_title.setVisible(bool(ordered))
        for index, suggestion in enumerate(ordered):
            text = self.tr("{0}, {1} Uhr").format(
                f"{weekday_short(suggestion.start.date())} {suggestion.start:%d.%m.}",
                f"{suggestion.start:%H:%M}",
            )
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.setAccessibleName(self.tr("Beginn übernehmen: {0}").format(text))
            button.setToolTip(self.tr("Als Beginn übernehmen"))
            button.clicked.connect(lambda _=False, when=suggestion.start: self.set_start(when))
            self.suggestion_row.insertWidget(index, button)
            self.suggestion_buttons.append(button)

    def explain(self, draft: OperationDraft, conflict: Conflict) -> str:
        """The conflict in the coordinator's words: what is busy, and when."""
        assert self.choices is not None
        return describe_conflict(self.choices, draft, conflict)

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        self.save_button.setEnabled(False)
        work: Callable[[ApiClient], OperationRecord]
        if self.operation is None:
            work = lambda api: operations.create(api, draft)  # noqa: E731
        else:
            operation_id = self.operation.id
            work = lambda api: operations.update(api, operation_id, draft)  # noqa: E731
        self.ops.run(work, self).changes(LiveEntity.OPERATION).success(self._saved).failure(
            self._save_failed
        ).run()

    def _saved(self, record: OperationRecord) -> None:
        self.saved.emit(record)
        self.accept()

    def _save_failed(self, error: Exception) -> None:
        # The dialog stays open and keeps what was chosen, also while the server is away.
        self._update_save()
        if isinstance(error, ConnectionLost):
            self._show_error(
                Exception(
                    self.tr(
                        "Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten – "
                        "bitte erneut speichern, sobald die Verbindung wieder besteht."
                    )
                )
            )
            return
        self._show_error(error)
        self._schedule_validation()  # taken meanwhile? explain it and offer the next start


def describe_conflict(choices: Choices, draft: OperationDraft, conflict: Conflict) -> str:
    """A conflict in the coordinator's words: which room, device or person is busy, and when
    (``choices`` names the ids; the dialog and a drag on the timeline both use it)."""
    kind = choices.kind(draft.kind)
    end = draft.start + timedelta(minutes=kind.minutes if kind else 0)
    span = (f"{draft.start:%H:%M}", f"{end:%H:%M}")
    day = f"{weekday_short(draft.start.date())} {draft.start:%d.%m.}"
    clash = conflict.clash
    room = choices.name_of_room(draft.room)
    who = ""
    if conflict.person_id is not None and conflict.role is not None:
        who = translate("OperationDialog", "{0} ({1})").format(
            choices.name_of_doctor(conflict.person_id),
            translate("OperationDialog", ROLE_LABELS[conflict.role]),
        )
    k = conflict.kind
    if k is ConflictKind.PERSON_OPERATION and clash is not None:
        return translate("OperationDialog", "{0} operiert bereits {1}–{2} in {3} ({4}).").format(
            who, f"{clash.start:%H:%M}", f"{clash.end:%H:%M}", clash.room_name, clash.kind_name
        )
    if k is ConflictKind.PERSON_OPERATION:
        return translate(
            "OperationDialog", "{0} ist zwischen {1} und {2} bei einer anderen OP eingeteilt."
        ).format(who, *span)
    if k is ConflictKind.PERSON_APPOINTMENT:
        return translate("OperationDialog", "{0} hat zwischen {1} und {2} einen Termin.").format(
            who, *span
        )
    if k is ConflictKind.HOURS:
        return translate(
            "OperationDialog",
            "{0} arbeitet am {1} nicht durchgehend von {2} bis {3} (Praxis- oder Arbeitszeiten).",
        ).format(who, day, *span)
    if k is ConflictKind.ABSENCE:
        return translate("OperationDialog", "{0} ist am {1} abwesend.").format(who, day)
    if k is ConflictKind.BREAK:
        return translate("OperationDialog", "{0} hat zwischen {1} und {2} eine Pause.").format(
            who, *span
        )
    if k is ConflictKind.ROOM and clash is not None:
        return translate(
            "OperationDialog", "{0} ist {1}–{2} durch eine andere OP belegt ({3}, {4})."
        ).format(
            room,
            f"{clash.start:%H:%M}",
            f"{clash.end:%H:%M}",
            clash.kind_name,
            clash.surgeon_name,
        )
    if k in (ConflictKind.ROOM, ConflictKind.ROOM_APPOINTMENT):
        return translate("OperationDialog", "{0} ist zwischen {1} und {2} belegt.").format(
            room, *span
        )
    device = choices.name_of_device(conflict.device_id) if conflict.device_id else ""
    if k is ConflictKind.DEVICE and clash is not None:
        return translate(
            "OperationDialog", "Gerät {0} wird {1}–{2} bei einer anderen OP in {3} gebraucht."
        ).format(device, f"{clash.start:%H:%M}", f"{clash.end:%H:%M}", clash.room_name)
    if k in (ConflictKind.DEVICE, ConflictKind.DEVICE_APPOINTMENT):
        return translate("OperationDialog", "Gerät {0} ist zwischen {1} und {2} belegt.").format(
            device or translate("OperationDialog", "(ein gewähltes)"), *span
        )
    if k is ConflictKind.DURATION:
        return translate(
            "OperationDialog", "Diese OP-Art hat keine Dauer – bitte in den Stammdaten prüfen."
        )
    if k is ConflictKind.PATIENT:
        return translate(
            "OperationDialog",
            "Der Patient hat zwischen {0} und {1} bereits einen Termin oder eine OP.",
        ).format(*span)
    return conflict.message
