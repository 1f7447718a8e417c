"""Stammdaten → Terminketten: the chain templates editor (admins edit, everyone reads).

Left the templates; right the chosen one: name, the steps in order as a table, and below
the step chosen in the table — appointment or OP, type, duration, the doctors that may take
it, the rooms (one of them) and devices (all of them), and the gap to the step before.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from desktop.api import chains
from desktop.api.errors import ApiError
from desktop.ops import Ops
from desktop.session import User

ID_ROLE = int(Qt.ItemDataRole.UserRole)


class CheckList(QListWidget):
    """Checkable choices (doctors, rooms, devices)."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setMaximumHeight(92)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def fill(self, choices: list[chains.Choice]) -> None:
        self.blockSignals(True)
        self.clear()
        for choice in choices:
            item = QListWidgetItem(choice.name)
            item.setData(ID_ROLE, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)

    def checked(self) -> list[int]:
        return [
            int(self.item(i).data(ID_ROLE))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, ids: list[int]) -> None:
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            state = Qt.CheckState.Checked if item.data(ID_ROLE) in ids else Qt.CheckState.Unchecked
            item.setCheckState(state)
        self.blockSignals(False)


class ChainTemplatesPage(QWidget):
    """The Terminketten tab of Stammdaten."""

    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.can_edit = user.role == "admin"
        self.choices = chains.EditorChoices([], [], [], [], [])
        self.templates: list[chains.ChainTemplate] = []
        self.current: chains.ChainTemplate | None = None
        self._filling = False
        self.build_ui()

    # -- UI -------------------------------------------------------------------------------

    def build_ui(self) -> None:
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Vorlagen"))
        self.list.currentRowChanged.connect(self._template_chosen)
        left_layout.addWidget(self.list, 1)
        self.new_button = QPushButton(self.tr("&Neue Vorlage"))
        self.new_button.clicked.connect(self.new_template)
        self.delete_button = QPushButton(self.tr("&Löschen …"))
        self.delete_button.clicked.connect(self.delete_template)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left_layout.addLayout(row)
        splitter.addWidget(left)

        right = QWidget()
        layout = QVBoxLayout(right)
        head = QFormLayout()
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.active = QCheckBox(self.tr("aktiv"))
        self.active.setChecked(True)
        head.addRow(self.tr("&Name:"), self.name)
        head.addRow("", self.active)
        layout.addLayout(head)
        self.steps = QTableWidget(0, 5)
        self.steps.setAccessibleName(self.tr("Schritte"))
        self.steps.setHorizontalHeaderLabels(
            [
                self.tr("Schritt"),
                self.tr("Art"),
                self.tr("Dauer"),
                self.tr("Ärzte"),
                self.tr("Abstand"),
            ]
        )
        self.steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.steps.setMaximumHeight(170)
        self.steps.currentCellChanged.connect(lambda row, *_: self._step_chosen(row))
        layout.addWidget(self.steps)
        step_buttons = QHBoxLayout()
        self.add_step_button = QPushButton(self.tr("Schritt &hinzufügen"))
        self.add_step_button.clicked.connect(self.add_step)
        self.remove_step_button = QPushButton(self.tr("Schritt &entfernen"))
        self.remove_step_button.clicked.connect(self.remove_step)
        step_buttons.addWidget(self.add_step_button)
        step_buttons.addWidget(self.remove_step_button)
        step_buttons.addStretch(1)
        layout.addLayout(step_buttons)

        form = QFormLayout()
        self.step_name = QLineEdit()
        self.step_name.setMaxLength(100)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Termin"), chains.KIND_APPOINTMENT)
        self.kind.addItem(self.tr("OP"), chains.KIND_OPERATION)
        self.type_box = QComboBox()
        self.duration = QSpinBox()
        self.duration.setRange(5, 1440)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(self.tr(" min"))
        self.doctors = CheckList(self.tr("Ärzte"))
        self.rooms = CheckList(self.tr("Räume"))
        self.devices = CheckList(self.tr("Geräte"))
        self.gap_rule = QComboBox()
        self.gap_rule.addItem(self.tr("Abstand"), chains.GAP_RANGE)
        self.gap_rule.addItem(self.tr("am selben Tag"), chains.GAP_SAME_DAY)
        self.gap_rule.addItem(self.tr("nächster Arbeitstag"), chains.GAP_NEXT_WORKING_DAY)
        self.gap_min = QSpinBox()
        self.gap_max = QSpinBox()
        for box in (self.gap_min, self.gap_max):
            box.setRange(0, 43_200)
        self.gap_unit = QComboBox()
        for unit, label in (
            ("minutes", self.tr("Minuten")),
            ("hours", self.tr("Stunden")),
            ("days", self.tr("Tage")),
        ):
            self.gap_unit.addItem(label, unit)
        gap_row = QHBoxLayout()
        gap_row.addWidget(self.gap_rule)
        gap_row.addWidget(QLabel(self.tr("von")))
        gap_row.addWidget(self.gap_min)
        gap_row.addWidget(QLabel(self.tr("bis")))
        gap_row.addWidget(self.gap_max)
        gap_row.addWidget(self.gap_unit)
        form.addRow(self.tr("Schritt&name:"), self.step_name)
        form.addRow(self.tr("A&rt:"), self.kind)
        form.addRow(self.tr("&Terminart/OP-Art:"), self.type_box)
        form.addRow(self.tr("&Dauer:"), self.duration)
        form.addRow(self.tr("Ä&rzte (einer davon):"), self.doctors)
        form.addRow(self.tr("Räu&me (einer davon):"), self.rooms)
        form.addRow(self.tr("&Geräte (alle):"), self.devices)
        form.addRow(self.tr("Abstand zum &vorigen Schritt:"), gap_row)
        self.step_form = QWidget()
        self.step_form.setLayout(form)
        layout.addWidget(self.step_form, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {theme.INK_MUTED};")
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.save_button = QPushButton(self.tr("&Speichern"))
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.save_button)
        layout.addLayout(bottom)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        for line in (self.step_name, self.name):
            line.textEdited.connect(lambda _text: self._store_step())
        for combo in (self.kind, self.type_box, self.gap_rule, self.gap_unit):
            combo.currentIndexChanged.connect(lambda _i: self._store_step())
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        for spin in (self.duration, self.gap_min, self.gap_max):
            spin.valueChanged.connect(lambda _v: self._store_step())
        for check_list in (self.doctors, self.rooms, self.devices):
            check_list.changed.connect(self._store_step)
        if not self.can_edit:
            for button in (
                self.new_button,
                self.delete_button,
                self.add_step_button,
                self.remove_step_button,
                self.save_button,
            ):
                button.hide()
            self.step_form.setEnabled(False)
            self.name.setReadOnly(True)
            self.active.setEnabled(False)
            self.message.setText(self.tr("Terminketten-Vorlagen pflegen Administratoren."))
        self._show_template(None)

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        def work(api: object) -> tuple[chains.EditorChoices, list[chains.ChainTemplate]]:
            return chains.editor_choices(api), chains.templates(api)  # type: ignore[arg-type]

        self.ops.run(work, self).success(self._loaded).failure(self._failed).run()

    def _loaded(self, result: tuple[chains.EditorChoices, list[chains.ChainTemplate]]) -> None:
        self.choices, self.templates = result
        self.doctors.fill(self.choices.doctors)
        self.rooms.fill(self.choices.rooms)
        self.devices.fill(self.choices.devices)
        wanted = self.current.id if self.current else None
        self.list.blockSignals(True)
        self.list.clear()
        for template in self.templates:
            item = QListWidgetItem(
                template.name if template.active else f"{template.name} (inaktiv)"
            )
            item.setData(ID_ROLE, template.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        index = next((i for i, t in enumerate(self.templates) if t.id == wanted), 0)
        if self.templates:
            self.list.setCurrentRow(index)
            self._template_chosen(index)
        else:
            self._show_template(None)

    def _failed(self, error: Exception) -> None:
        text = error.message if isinstance(error, ApiError) else str(error)
        self.message.setText(self.tr("Fehler: {0}").format(text))

    # -- showing --------------------------------------------------------------------------

    def _template_chosen(self, row: int) -> None:
        if 0 <= row < len(self.templates):
            self._show_template(self.templates[row])

    def _show_template(self, template: chains.ChainTemplate | None) -> None:
        self.current = template
        self._filling = True
        self.name.setText(template.name if template else "")
        self.active.setChecked(template.active if template else True)
        self._filling = False
        self._fill_steps()
        editable = template is not None and self.can_edit
        for widget in (self.name, self.add_step_button, self.save_button, self.delete_button):
            widget.setEnabled(editable)
        if template and template.steps:
            self.steps.selectRow(0)
            self._step_chosen(0)
        else:
            self._step_chosen(-1)

    def _type_name(self, step: chains.TemplateStep) -> str:
        wanted = step.op_type if step.kind == chains.KIND_OPERATION else step.appointment_type
        source = (
            self.choices.op_types
            if step.kind == chains.KIND_OPERATION
            else self.choices.appointment_types
        )
        return next((c.name for c in source if c.id == wanted), "")

    def gap_text(self, index: int, step: chains.TemplateStep) -> str:
        if index == 0:
            return "–"
        if step.gap_rule == chains.GAP_SAME_DAY:
            return self.tr("am selben Tag")
        if step.gap_rule == chains.GAP_NEXT_WORKING_DAY:
            return self.tr("nächster Arbeitstag")
        unit = {"minutes": self.tr("Min."), "hours": self.tr("Std."), "days": self.tr("Tage")}
        return f"{step.gap_min}–{step.gap_max} {unit.get(step.gap_unit, step.gap_unit)}"

    def _fill_steps(self) -> None:
        steps = self.current.steps if self.current else []
        names = {c.id: c.name for c in self.choices.doctors}
        self.steps.blockSignals(True)
        self.steps.setRowCount(len(steps))
        for row, step in enumerate(steps):
            kind = self.tr("OP") if step.kind == chains.KIND_OPERATION else self.tr("Termin")
            cells = [
                step.name or self._type_name(step),
                f"{kind}: {self._type_name(step)}" if self._type_name(step) else kind,
                f"{step.duration_minutes or ''} min" if step.kind != chains.KIND_OPERATION else "",
                ", ".join(names.get(d, f"#{d}") for d in step.doctor_ids),
                self.gap_text(row, step),
            ]
            for column, text in enumerate(cells):
                self.steps.setItem(row, column, QTableWidgetItem(text))
        self.steps.blockSignals(False)

    def _step_chosen(self, row: int) -> None:
        steps = self.current.steps if self.current else []
        step = steps[row] if 0 <= row < len(steps) else None
        self.step_form.setEnabled(step is not None and self.can_edit)
        self.remove_step_button.setEnabled(step is not None and self.can_edit)
        if step is None:
            return
        self._filling = True
        self.step_name.setText(step.name)
        self.kind.setCurrentIndex(self.kind.findData(step.kind))
        self._fill_types(step.kind)
        wanted = step.op_type if step.kind == chains.KIND_OPERATION else step.appointment_type
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(wanted)))
        self.duration.setValue(step.duration_minutes or 30)
        self.duration.setEnabled(step.kind != chains.KIND_OPERATION)
        self.doctors.set_checked(step.doctor_ids)
        self.rooms.set_checked(step.room_ids)
        self.devices.set_checked(step.resource_ids)
        self.gap_rule.setCurrentIndex(self.gap_rule.findData(step.gap_rule))
        self.gap_min.setValue(step.gap_min)
        self.gap_max.setValue(step.gap_max)
        self.gap_unit.setCurrentIndex(self.gap_unit.findData(step.gap_unit))
        self._filling = False

    def _fill_types(self, kind: str) -> None:
        self.type_box.blockSignals(True)
        self.type_box.clear()
        if kind == chains.KIND_OPERATION:
            for choice in self.choices.op_types:
                self.type_box.addItem(choice.name, choice.id)
        else:
            self.type_box.addItem(self.tr("– keine –"), None)
            for choice in self.choices.appointment_types:
                self.type_box.addItem(choice.name, choice.id)
        self.type_box.blockSignals(False)

    # -- editing --------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        if self._filling:
            return
        self._filling = True
        self._fill_types(str(self.kind.currentData()))
        self.duration.setEnabled(self.kind.currentData() != chains.KIND_OPERATION)
        self._filling = False
        self._store_step()

    def _store_step(self) -> None:
        """The form's values into the chosen step (and the name into the template)."""
        if self._filling or self.current is None:
            return
        self.current.name = self.name.text()
        self.current.active = self.active.isChecked()
        row = self.steps.currentRow()
        if not 0 <= row < len(self.current.steps):
            return
        step = self.current.steps[row]
        step.name = self.step_name.text()
        step.kind = str(self.kind.currentData())
        chosen = self.type_box.currentData()
        if step.kind == chains.KIND_OPERATION:
            step.op_type, step.appointment_type = chosen, None
        else:
            step.appointment_type, step.op_type = chosen, None
        step.duration_minutes = self.duration.value()
        step.doctor_ids = self.doctors.checked()
        step.room_ids = self.rooms.checked()
        step.resource_ids = self.devices.checked()
        step.gap_rule = str(self.gap_rule.currentData())
        step.gap_min = self.gap_min.value()
        step.gap_max = max(self.gap_max.value(), self.gap_min.value())
        step.gap_unit = str(self.gap_unit.currentData())
        self._fill_steps()
        self.steps.selectRow(row)

    def new_template(self) -> None:
        template = chains.ChainTemplate(id=None, name=self.tr("Neue Terminkette"))
        self.templates.append(template)
        item = QListWidgetItem(template.name)
        self.list.addItem(item)
        self.list.setCurrentRow(self.list.count() - 1)
        self._show_template(template)
        self.add_step()
        self.name.setFocus()
        self.name.selectAll()

    def add_step(self) -> None:
        if self.current is None:
            return
        first_doctor = [self.choices.doctors[0].id] if self.choices.doctors else []
        self.current.steps.append(
            chains.TemplateStep(
                name=self.tr("Schritt {0}").format(len(self.current.steps) + 1),
                doctor_ids=first_doctor,
            )
        )
        self._fill_steps()
        row = len(self.current.steps) - 1
        self.steps.selectRow(row)
        self._step_chosen(row)

    def remove_step(self) -> None:
        row = self.steps.currentRow()
        if self.current is None or not 0 <= row < len(self.current.steps):
            return
        del self.current.steps[row]
        self._fill_steps()
        self._step_chosen(min(row, len(self.current.steps) - 1))

    def save(self) -> None:
        template = self.current
        if template is None:
            return
        self._store_step()
        template.name = self.name.text()
        template.active = self.active.isChecked()
        self.message.setText(self.tr("Wird gespeichert …"))
        self.ops.run(lambda api: chains.save_template(api, template), self).changes(
            "chain_template"
        ).success(self._saved).failure(self._save_failed).run()

    def _saved(self, template: chains.ChainTemplate) -> None:
        self.current = template
        self.message.setText(self.tr("Gespeichert."))
        self.reload()

    def _save_failed(self, error: Exception) -> None:
        if isinstance(error, ApiError) and isinstance(error.body, dict):
            self.message.setText(self.tr("Nicht gespeichert: {0}").format(describe(error.body)))
            return
        self._failed(error)

    def delete_template(self) -> None:
        template = self.current
        if template is None:
            return
        if template.id is None:
            self.templates.remove(template)
            self._loaded((self.choices, self.templates))
            return
        answer = QMessageBox.question(
            self,
            self.tr("Vorlage löschen"),
            self.tr("Die Vorlage „{0}“ löschen? Gebuchte Ketten bleiben erhalten.").format(
                template.name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        template_id = template.id
        self.ops.run(lambda api: chains.delete_template(api, template_id), self).changes(
            "chain_template"
        ).success(lambda _none: self._deleted()).failure(self._failed).run()

    def _deleted(self) -> None:
        self.current = None
        self.reload()


def describe(body: dict[str, object]) -> str:
    """A 400 body as one line: "Schritt 2 – Ärzte: Mindestens ein Arzt." and the like."""
    parts: list[str] = []
    for key, value in body.items():
        if key == "steps" and isinstance(value, list):
            for index, errors in enumerate(value):
                if isinstance(errors, dict):
                    for field_name, messages in errors.items():
                        parts.append(f"Schritt {index + 1} – {field_name}: {_text(messages)}")
                elif isinstance(errors, str):
                    parts.append(errors)
        else:
            parts.append(f"{key}: {_text(value)}")
    return "; ".join(parts)


def _text(value: object) -> str:
    return " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
