"""Stammdaten → Erinnerungen (admin): the reminder rules and the message templates.

Left, the rules: when (offsets before the appointment) and how (e-mail, SMS) an appointment
type — or, by default, every type without a rule of its own — is reminded. Right, the
practice's sending window, its details and the German templates with their fixed
placeholders (``shared.domain.reminders``). Templates are checked before they are sent; the
server checks them again. Every call runs through ``desktop.ops``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.api import reminders
from desktop.api.reminders import AppointmentType, PracticeSettings, Rule
from desktop.ops import Ops
from desktop.session import User
from desktop.theme import GREEN, INK_MUTED, RED
from desktop.views.reminders.common import ask, error_text, format_offsets, parse_offsets
from shared.domain.events import LiveEntity
from shared.domain.reminders import PLACEHOLDER_LABELS, ReminderChannel, template_problems

RULE_COLUMNS = 4


class RemindersPage(QWidget):
    """Rules and templates; loads the first time it is shown (``reload_once``)."""

    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.rules: list[Rule] = []
        self.types: list[AppointmentType] = []
        self.settings: PracticeSettings | None = None
        self.current: Rule | None = None
        self.loading = False
        self.loaded_once = False
        self._build()
        self.ops.changed.connect(self._something_changed)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self._rules_box(), 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._templates_box())
        outer.addWidget(scroll, 1)

    def _rules_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Regeln"))
        layout = QVBoxLayout(box)
        intro = QLabel(
            self.tr(
                "Wann und auf welchem Weg Patienten an Termine erinnert werden. Die Regel ohne "
                "Terminart gilt für alle Terminarten ohne eigene Regel. Verschickt wird nur mit "
                "Einwilligung des Patienten (Patienten → Einwilligungen)."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {INK_MUTED};")
        layout.addWidget(intro)
        self.rule_table = QTableWidget(0, RULE_COLUMNS)
        self.rule_table.setAccessibleName(self.tr("Erinnerungsregeln"))
        self.rule_table.setHorizontalHeaderLabels(
            [self.tr("Terminart"), self.tr("Zeitpunkte"), self.tr("Wege"), self.tr("Aktiv")]
        )
        self.rule_table.verticalHeader().hide()
        self.rule_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rule_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rule_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.rule_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, RULE_COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.rule_table.itemSelectionChanged.connect(self._rule_chosen)
        layout.addWidget(self.rule_table, 1)

        row = QHBoxLayout()
        self.new_rule_button = QPushButton(self.tr("Neue Regel"))
        self.new_rule_button.clicked.connect(self.new_rule)
        self.delete_rule_button = QPushButton(self.tr("Regel löschen …"))
        self.delete_rule_button.clicked.connect(self.ask_delete_rule)
        row.addWidget(self.new_rule_button)
        row.addWidget(self.delete_rule_button)
        row.addStretch(1)
        layout.addLayout(row)

        form = QFormLayout()
        self.type_box = QComboBox()
        self.type_box.setAccessibleName(self.tr("Terminart der Regel"))
        form.addRow(self.tr("Terminart"), self.type_box)
        self.offsets_edit = QLineEdit()
        self.offsets_edit.setPlaceholderText(self.tr("z. B. 48 h, 2 h"))
        self.offsets_edit.setAccessibleName(self.tr("Zeitpunkte vor dem Termin"))
        self.offsets_edit.setToolTip(
            self.tr(
                "Bis zu fünf Zeitpunkte vor dem Termin, durch Kommas getrennt: "
                "„48 h“, „2 h“, „30 min“. Leer: für diese Terminart keine Erinnerung."
            )
        )
        form.addRow(self.tr("Zeitpunkte vor dem Termin"), self.offsets_edit)
        channels = QHBoxLayout()
        self.channel_boxes: dict[ReminderChannel, QCheckBox] = {}
        for channel in ReminderChannel:
            check = QCheckBox(self.tr("E-Mail") if channel is ReminderChannel.EMAIL else "SMS")
            self.channel_boxes[channel] = check
            channels.addWidget(check)
        channels.addStretch(1)
        form.addRow(self.tr("Wege"), channels)
        self.type_name_box = QCheckBox(self.tr("Terminart in der Nachricht nennen ({terminart})"))
        form.addRow("", self.type_name_box)
        self.active_box = QCheckBox(self.tr("Aktiv"))
        form.addRow("", self.active_box)
        layout.addLayout(form)
        self.rule_message = QLabel()
        self.rule_message.setWordWrap(True)
        layout.addWidget(self.rule_message)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        self.save_rule_button = QPushButton(self.tr("Regel speichern"))
        self.save_rule_button.clicked.connect(self.save_rule)
        save_row.addWidget(self.save_rule_button)
        layout.addLayout(save_row)
        self._show_rule(None)
        return box

    def _templates_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Vorlagen und Sendezeiten"))
        layout = QVBoxLayout(box)
        form = QFormLayout()
        window = QHBoxLayout()
        self.send_from_edit = QTimeEdit()
        self.send_from_edit.setDisplayFormat("HH:mm")
        self.send_from_edit.setAccessibleName(self.tr("Senden ab"))
        self.send_until_edit = QTimeEdit()
        self.send_until_edit.setDisplayFormat("HH:mm")
        self.send_until_edit.setAccessibleName(self.tr("Senden bis"))
        window.addWidget(self.send_from_edit)
        window.addWidget(QLabel(self.tr("bis")))
        window.addWidget(self.send_until_edit)
        window.addWidget(QLabel(self.tr("Uhr")))
        window.addStretch(1)
        form.addRow(self.tr("Senden von"), window)
        self.practice_name_edit = QLineEdit()
        self.practice_phone_edit = QLineEdit()
        self.practice_address_edit = QLineEdit()
        self.cancel_instruction_edit = QLineEdit()
        form.addRow(self.tr("Name der Praxis"), self.practice_name_edit)
        form.addRow(self.tr("Telefon"), self.practice_phone_edit)
        form.addRow(self.tr("Anschrift"), self.practice_address_edit)
        form.addRow(self.tr("Hinweis zum Absagen"), self.cancel_instruction_edit)
        self.doctor_name_box = QCheckBox(self.tr("Namen der Ärztin / des Arztes nennen ({arzt})"))
        form.addRow("", self.doctor_name_box)
        self.email_subject_edit = QLineEdit()
        form.addRow(self.tr("E-Mail-Betreff"), self.email_subject_edit)
        self.email_body_edit = QPlainTextEdit()
        self.email_body_edit.setFixedHeight(110)
        form.addRow(self.tr("E-Mail-Text"), self.email_body_edit)
        self.sms_body_edit = QPlainTextEdit()
        self.sms_body_edit.setFixedHeight(64)
        form.addRow(self.tr("SMS-Text"), self.sms_body_edit)
        self.sms_length = QLabel()
        self.sms_length.setStyleSheet(f"color: {INK_MUTED};")
        self.sms_body_edit.textChanged.connect(self._count_sms)
        form.addRow("", self.sms_length)
        for edit, name in (
            (self.practice_name_edit, self.tr("Name der Praxis")),
            (self.practice_phone_edit, self.tr("Telefon")),
            (self.practice_address_edit, self.tr("Anschrift")),
            (self.cancel_instruction_edit, self.tr("Hinweis zum Absagen")),
            (self.email_subject_edit, self.tr("E-Mail-Betreff")),
            (self.email_body_edit, self.tr("E-Mail-Text")),
            (self.sms_body_edit, self.tr("SMS-Text")),
        ):
            edit.setAccessibleName(name)
        layout.addLayout(form)
        # The fixed placeholders, by their German meaning; the chosen one goes in at the
        # cursor of the template field last written in.
        self.placeholder_box = QComboBox()
        self.placeholder_box.setAccessibleName(self.tr("Platzhalter einfügen"))
        self.placeholder_box.setToolTip(
            self.tr(
                "Fügt den Platzhalter an der Schreibmarke des zuletzt gewählten Vorlagenfelds ein."
            )
        )
        self.placeholder_box.addItem(self.tr("Platzhalter einfügen …"), None)
        for name, label in PLACEHOLDER_LABELS.items():
            self.placeholder_box.addItem(label, name)
        self.placeholder_box.activated.connect(self._insert_placeholder)
        self._template_target: QLineEdit | QPlainTextEdit = self.sms_body_edit
        for edit in (self.email_subject_edit, self.email_body_edit, self.sms_body_edit):
            edit.installEventFilter(self)
        layout.addWidget(self.placeholder_box)
        self.channels_label = QLabel()
        self.channels_label.setWordWrap(True)
        layout.addWidget(self.channels_label)
        self.settings_message = QLabel()
        self.settings_message.setWordWrap(True)
        layout.addWidget(self.settings_message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_settings_button = QPushButton(self.tr("Vorlagen speichern"))
        self.save_settings_button.clicked.connect(self.save_settings)
        row.addWidget(self.save_settings_button)
        layout.addLayout(row)
        layout.addStretch(1)
        return box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit | QPlainTextEdit):
            self._template_target = watched
        return super().eventFilter(watched, event)

    def _insert_placeholder(self, index: int) -> None:
        name = self.placeholder_box.itemData(index)
        self.placeholder_box.setCurrentIndex(0)
        if name is None:
            return
        target = self._template_target
        if isinstance(target, QPlainTextEdit):
            target.insertPlainText(f"{{{name}}}")
        else:
            target.insert(f"{{{name}}}")
        target.setFocus()

    # -- loading --------------------------------------------------------------------------

    def reload_once(self) -> None:
        if not self.loaded_once and not self.loading:
            self.reload()

    def reload(self) -> None:
        self.loading = True

        def work(api: Any) -> tuple[list[Rule], list[AppointmentType], PracticeSettings]:
            return (
                reminders.rules(api),
                reminders.appointment_types(api),
                (reminders.practice_settings(api)),
            )

        def done(result: tuple[list[Rule], list[AppointmentType], PracticeSettings]) -> None:
            self.loading, self.loaded_once = False, True
            rules, types, settings = result
            self.types = types
            self._show_rules(rules)
            self._show_settings(settings)

        def failed(error: Exception) -> None:
            self.loading = False
            self._say(self.rule_message, error_text(error), ok=False)

        self.ops.run(work, self).success(done).failure(failed).run()

    def _something_changed(self, entity: str) -> None:
        if self.loaded_once and entity == LiveEntity.APPOINTMENT_TYPE:
            self.reload()

    # -- rules ----------------------------------------------------------------------------

    def _rule_label(self, rule: Rule) -> str:
        return rule.type_name or self.tr("Praxisstandard")

    def _show_rules(self, rules: list[Rule], select_id: int | None = None) -> None:
        self.rules = rules
        self.rule_table.blockSignals(True)
        self.rule_table.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            channels = ", ".join(c.label for c in rule.channels) or "–"
            cells = [
                self._rule_label(rule),
                format_offsets(rule.offsets_minutes) or self.tr("keine"),
                channels,
                self.tr("ja") if rule.active else self.tr("nein"),
            ]
            for column, text in enumerate(cells):
                self.rule_table.setItem(row, column, QTableWidgetItem(text))
        self.rule_table.clearSelection()
        self.rule_table.blockSignals(False)
        chosen = next((r for r in rules if r.id == select_id), None)
        if chosen is not None:
            self.rule_table.selectRow(rules.index(chosen))
        else:
            self._show_rule(None)

    def _fill_types(self, selected: int | None) -> None:
        self.type_box.clear()
        self.type_box.addItem(self.tr("Praxisstandard (alle Terminarten ohne eigene Regel)"), None)
        for kind in self.types:
            self.type_box.addItem(kind.name, kind.id)
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(selected)))

    def _rule_chosen(self) -> None:
        rows = {index.row() for index in self.rule_table.selectedIndexes()}
        self._show_rule(self.rules[rows.pop()] if len(rows) == 1 else None)

    def _show_rule(self, rule: Rule | None) -> None:
        self.current = rule
        self._fill_types(rule.type_id if rule else None)
        self.offsets_edit.setText(format_offsets(rule.offsets_minutes) if rule else "48 h, 2 h")
        for channel, check in self.channel_boxes.items():
            check.setChecked(channel in rule.channels if rule else channel is ReminderChannel.SMS)
        self.type_name_box.setChecked(rule.include_type_name if rule else False)
        self.active_box.setChecked(rule.active if rule else True)
        self.delete_rule_button.setEnabled(rule is not None)
        self.save_rule_button.setText(
            self.tr("Regel speichern") if rule else self.tr("Regel anlegen")
        )

    def new_rule(self) -> None:
        self.rule_table.clearSelection()
        self._show_rule(None)
        self._say(self.rule_message, "", ok=True)
        self.offsets_edit.setFocus()

    def rule_draft(self) -> Rule | None:
        """The form as a rule, or None (with the reason shown) when it cannot be sent."""
        try:
            offsets = parse_offsets(self.offsets_edit.text())
        except ValueError as exc:
            self._say(self.rule_message, str(exc), ok=False)
            return None
        type_id = self.type_box.currentData()
        return Rule(
            id=self.current.id if self.current else None,
            type_id=int(type_id) if type_id is not None else None,
            type_name=None,
            offsets_minutes=tuple(offsets),
            channels=tuple(c for c, check in self.channel_boxes.items() if check.isChecked()),
            include_type_name=self.type_name_box.isChecked(),
            active=self.active_box.isChecked(),
        )

    def save_rule(self) -> None:
        draft = self.rule_draft()
        if draft is None:
            return
        self.save_rule_button.setEnabled(False)

        def work(api: Any) -> tuple[Rule, list[Rule]]:
            saved = reminders.save_rule(api, draft)
            return saved, reminders.rules(api)

        def done(result: tuple[Rule, list[Rule]]) -> None:
            saved, rules = result
            self.save_rule_button.setEnabled(True)
            self._show_rules(rules, select_id=saved.id)
            self._say(self.rule_message, self.tr("Regel gespeichert."), ok=True)

        def failed(error: Exception) -> None:
            self.save_rule_button.setEnabled(True)
            labels = {
                "appointment_type": self.tr("Terminart"),
                "offsets_minutes": self.tr("Zeitpunkte"),
                "channels": self.tr("Wege"),
            }
            self._say(self.rule_message, error_text(error, labels), ok=False)

        self.ops.run(work, self).changes(LiveEntity.REMINDER_RULE).success(done).failure(
            failed
        ).run()

    def ask_delete_rule(self) -> None:
        rule = self.current
        if rule is None or rule.id is None:
            return
        rule_id = rule.id
        ask(
            self,
            self.tr("Regel löschen"),
            self.tr("Regel „{0}“ löschen? Geplante Erinnerungen werden neu berechnet.").format(
                self._rule_label(rule)
            ),
            self.tr("Löschen"),
            lambda: self._delete_rule(rule_id),
        )

    def _delete_rule(self, rule_id: int) -> None:
        def work(api: Any) -> list[Rule]:
            reminders.delete_rule(api, rule_id)
            return reminders.rules(api)

        def done(rules: list[Rule]) -> None:
            self._show_rules(rules)
            self._say(self.rule_message, self.tr("Regel gelöscht."), ok=True)

        self.ops.run(work, self).changes(LiveEntity.REMINDER_RULE).success(done).failure(
            lambda error: self._say(self.rule_message, error_text(error), ok=False)
        ).run()

    # -- templates and sending window -------------------------------------------------------

    def _show_settings(self, settings: PracticeSettings) -> None:
        self.settings = settings
        self.send_from_edit.setTime(QTime(settings.send_from.hour, settings.send_from.minute))
        self.send_until_edit.setTime(QTime(settings.send_until.hour, settings.send_until.minute))
        self.practice_name_edit.setText(settings.practice_name)
        self.practice_phone_edit.setText(settings.practice_phone)
        self.practice_address_edit.setText(settings.practice_address)
        self.cancel_instruction_edit.setText(settings.cancel_instruction)
        self.doctor_name_box.setChecked(settings.include_doctor_name)
        self.email_subject_edit.setText(settings.email_subject)
        self.email_body_edit.setPlainText(settings.email_body)
        self.sms_body_edit.setPlainText(settings.sms_body)
        missing = [
            name
            for name, configured in (
                (self.tr("E-Mail"), settings.email_configured),
                ("SMS", settings.sms_configured),
            )
            if not configured
        ]
        if missing:
            self.channels_label.setText(
                self.tr(
                    "Am Server nicht eingerichtet: {0}. Erinnerungen auf diesem Weg schlagen fehl, "
                    "bis die Verbindung in den Servereinstellungen eingetragen ist."
                ).format(", ".join(missing))
            )
            self.channels_label.setStyleSheet(f"color: {RED};")
        else:
            self.channels_label.setText(self.tr("E-Mail und SMS sind am Server eingerichtet."))
            self.channels_label.setStyleSheet(f"color: {GREEN};")

    def _count_sms(self) -> None:
        length = len(self.sms_body_edit.toPlainText())
        self.sms_length.setText(self.tr("Vorlage: {0} von höchstens 640 Zeichen").format(length))

    def settings_draft(self) -> PracticeSettings | None:
        """The form as settings, or None (with the problems shown) when a template is wrong."""
        if self.settings is None:
            return None
        templates = {
            self.tr("E-Mail-Betreff"): self.email_subject_edit.text(),
            self.tr("E-Mail-Text"): self.email_body_edit.toPlainText(),
            self.tr("SMS-Text"): self.sms_body_edit.toPlainText(),
        }
        problems = [
            f"{label}: {problem}"
            for label, text in templates.items()
            for problem in template_problems(text)
        ]
        if self.send_until_edit.time() <= self.send_from_edit.time():
            problems.append(self.tr("Das Ende des Sendefensters muss nach dem Beginn liegen."))
        if problems:
            self._say(self.settings_message, " ".join(problems), ok=False)
            return None
        return PracticeSettings(
            send_from=self.send_from_edit.time().toPython(),  # type: ignore[arg-type]
            send_until=self.send_until_edit.time().toPython(),  # type: ignore[arg-type]
            practice_name=self.practice_name_edit.text().strip(),
            practice_phone=self.practice_phone_edit.text().strip(),
            practice_address=self.practice_address_edit.text().strip(),
            cancel_instruction=self.cancel_instruction_edit.text().strip(),
            include_doctor_name=self.doctor_name_box.isChecked(),
            email_subject=self.email_subject_edit.text().strip(),
            email_body=self.email_body_edit.toPlainText(),
            sms_body=self.sms_body_edit.toPlainText().strip(),
        )

    def save_settings(self) -> None:
        draft = self.settings_draft()
        if draft is None:
            return
        self.save_settings_button.setEnabled(False)

        def done(settings: PracticeSettings) -> None:
            self.save_settings_button.setEnabled(True)
            self._show_settings(settings)
            self._say(self.settings_message, self.tr("Vorlagen gespeichert."), ok=True)

        def failed(error: Exception) -> None:
            self.save_settings_button.setEnabled(True)
            labels = {
                "send_from": self.tr("Senden ab"),
                "send_until": self.tr("Senden bis"),
                "practice_name": self.tr("Name der Praxis"),
                "practice_phone": self.tr("Telefon"),
                "practice_address": self.tr("Anschrift"),
                "cancel_instruction": self.tr("Hinweis zum Absagen"),
                "email_subject": self.tr("E-Mail-Betreff"),
                "email_body": self.tr("E-Mail-Text"),
                "sms_body": self.tr("SMS-Text"),
            }
            self._say(self.settings_message, error_text(error, labels), ok=False)

        self.ops.run(lambda api: reminders.save_practice_settings(api, draft), self).changes(
            LiveEntity.REMINDER_SETTINGS
        ).success(done).failure(failed).run()

    @staticmethod
    def _say(label: QLabel, text: str, *, ok: bool) -> None:
        label.setText(text)
        label.setStyleSheet(f"color: {GREEN if ok else RED};")
