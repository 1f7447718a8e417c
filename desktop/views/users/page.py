"""Benutzer (admin): list, create, change role, reset password, deactivate (01 §6)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ops import Ops
from desktop.session import ROLE_LABELS, User, role_label
from desktop.theme import RED
from desktop.views.master_data.form import Field, german_date
from desktop.views.master_data.table_page import Column, Record, TablePage, TableSpec, roles

ADMIN = roles("admin")
translate = QCoreApplication.translate


def role_choices() -> tuple[tuple[str, str], ...]:
    return tuple((name, role_label(name)) for name in ROLE_LABELS)


def _name(record: Record) -> str:
    return f"{record.get('first_name') or ''} {record.get('last_name') or ''}".strip()


def _active(record: Record) -> str:
    if record.get("is_active"):
        return translate("UsersPage", "ja")
    return translate("UsersPage", "deaktiviert")


def _role(record: Record) -> str:
    return role_label(record.get("role"))


def users_spec() -> TableSpec:
    """The user list as shown (built when the page is, so its texts are translated)."""
    return TableSpec(
        title=translate("UsersPage", "Benutzer"),
        entity="user",
        path="/api/users/",
        columns=[
            Column(
                translate("UsersPage", "Benutzername"),
                lambda r: str(r["username"]),
                lambda r: r.get("calendar_color"),
            ),
            Column(translate("UsersPage", "Name"), _name),
            Column(translate("UsersPage", "Rolle"), _role),
            Column(translate("UsersPage", "E-Mail"), lambda r: str(r.get("email") or "")),
            Column(translate("UsersPage", "Aktiv"), _active),
            Column(
                translate("UsersPage", "Letzte Anmeldung"),
                lambda r: german_date(r.get("last_login")) or "–",
            ),
        ],
        fields=[
            Field("username", translate("UsersPage", "Benutzername")),
            Field(
                "password",
                translate("UsersPage", "Passwort"),
                "password",
                create_only=True,
                placeholder=translate("UsersPage", "mind. 8 Zeichen"),
            ),
            Field("first_name", translate("UsersPage", "Vorname")),
            Field("last_name", translate("UsersPage", "Nachname")),
            Field("email", translate("UsersPage", "E-Mail")),
            Field(
                "role",
                translate("UsersPage", "Rolle"),
                "choice",
                choices=role_choices(),
                none_label=role_label(None),
            ),
            Field(
                "calendar_color",
                translate("UsersPage", "Kalenderfarbe"),
                "color",
                default="#1E90FF",
            ),
            Field(
                "vacation_days_per_year",
                translate("UsersPage", "Urlaubstage/Jahr"),
                "int",
                default=30,
                maximum=366,
                suffix=translate("UsersPage", " Tage"),
            ),
            Field("is_active", translate("UsersPage", "Aktiv"), "bool", default=True),
        ],
        can_create=ADMIN,
        can_edit=ADMIN,
        can_delete=ADMIN,
        read_only_hint=translate("UsersPage", "Benutzer verwalten nur Administratoren."),
        new_label=translate("UsersPage", "Neuer Benutzer"),
        delete_label=translate("UsersPage", "Deaktivieren"),
        delete_question=translate(
            "UsersPage", "Benutzer deaktivieren? Er kann sich danach nicht mehr anmelden."
        ),
        deleted_message=translate("UsersPage", "Der Benutzer wurde deaktiviert."),
    )


class PasswordDialog(QDialog):
    """New password, typed twice; the checks that need no server happen here."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Passwort zurücksetzen – {0}").format(username))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Neues Passwort"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Passwort wiederholen"))
        form.addRow(self.tr("Neues Passwort:"), self.password)
        form.addRow(self.tr("Wiederholen:"), self.repeat)
        layout.addLayout(form)
        note = QLabel(self.tr("Alle Sitzungen des Benutzers werden danach beendet."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Passwort setzen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if len(self.password.text()) < 8:
            self.error.setText(self.tr("Das Passwort muss mindestens 8 Zeichen haben."))
        elif self.password.text() != self.repeat.text():
            self.error.setText(self.tr("Die Passwörter stimmen nicht überein."))
        else:
            self.accept()
            return
        self.error.show()


class UsersPage(TablePage):
    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(ops, user, users_spec(), parent)

    def build_ui(self) -> None:
        super().build_ui()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Suchen: Name, Benutzername, E-Mail"))
        self.search.setAccessibleName(self.tr("Benutzersuche"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.returnPressed.connect(self.reload)
        self.role_filter = QComboBox()
        self.role_filter.setAccessibleName(self.tr("Nach Rolle filtern"))
        self.role_filter.addItem(self.tr("Alle Rollen"), None)
        for name, label in role_choices():
            self.role_filter.addItem(label, name)
        self.role_filter.addItem(role_label(None), "none")
        self.role_filter.currentIndexChanged.connect(self.reload)
        self.show_inactive = QCheckBox(self.tr("Deaktivierte anzeigen"))
        self.show_inactive.setChecked(True)
        self.show_inactive.toggled.connect(self.reload)
        self.filter_bar.addWidget(self.search)
        self.filter_bar.addWidget(self.role_filter)
        self.filter_bar.addWidget(self.show_inactive)
        self.password_button = QPushButton(self.tr("Passwort zurücksetzen …"))
        self.password_button.clicked.connect(self.ask_password)
        self.reactivate_button = QPushButton(self.tr("Reaktivieren"))
        self.reactivate_button.clicked.connect(self.reactivate)
        self.extra_buttons.addWidget(self.password_button)
        self.extra_buttons.addWidget(self.reactivate_button)

    def list_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.search.text().strip():
            params["q"] = self.search.text().strip()
        if self.role_filter.currentData():
            params["role"] = self.role_filter.currentData()
        if not self.show_inactive.isChecked():
            params["is_active"] = "true"
        return params

    def record_title(self, record: Record | None) -> str:
        if record is None:
            return self.tr("Neuer Benutzer")
        return self.tr("Benutzer {0}").format(record["username"])

    def record_shown(self, record: Record | None) -> None:
        if not hasattr(self, "password_button"):
            return  # called from the base class before the extra buttons exist
        active = record is not None and bool(record.get("is_active"))
        self.password_button.setVisible(record is not None)
        self.reactivate_button.setVisible(record is not None and not active)
        self.delete_button.setVisible(active)

    def ask_password(self) -> None:
        if self.current is None:
            return
        dialog = PasswordDialog(str(self.current["username"]), self)
        dialog.accepted.connect(lambda: self.reset_password(dialog.password.text()))
        dialog.open()

    def reset_password(self, password: str) -> None:
        record = self.current
        if record is None:
            return
        path = f"/api/users/{record['id']}/"
        self.ops.run(lambda api: api.patch(path, {"password": password}), self).changes(
            "user"
        ).success(
            lambda _user: self.form.show_message(self.tr("Das Passwort wurde geändert."), ok=True)
        ).failure(self.form.show_failure).run()

    def reactivate(self) -> None:
        record = self.current
        if record is None:
            return
        path = f"/api/users/{record['id']}/"
        self.ops.run(lambda api: api.patch(path, {"is_active": True}), self).changes(
            "user"
        ).success(self._saved).failure(self.form.show_failure).run()
