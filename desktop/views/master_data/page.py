"""The Stammdaten screen: one tab per master-data list (02 §2–§8), roles per rbac §3."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.ops import Ops
from desktop.session import User
from desktop.views.chains.templates_page import ChainTemplatesPage
from desktop.views.master_data.absences import AbsencePage
from desktop.views.master_data.form import Field, german_date, weekday_name
from desktop.views.master_data.table_page import (
    Column,
    Record,
    TablePage,
    TableSpec,
    roles,
)
from desktop.views.reminders.page import RemindersPage

translate = QCoreApplication.translate
NEVER = roles()
ADMIN_ONLY = roles("admin")
STAFF = roles("admin", "assistant")


def resource_types() -> tuple[tuple[str, str], ...]:
    return (("room", translate("MasterData", "Raum")), ("device", translate("MasterData", "Gerät")))


def _yes(value: Any) -> str:
    return translate("MasterData", "ja") if value else translate("MasterData", "nein")


def _clock(value: Any) -> str:
    return str(value or "")[:5]


def _minutes(value: Any) -> str:
    return "–" if value in (None, "") else translate("MasterData", "{0} Min.").format(value)


def own_or_staff(user: User, record: Record | None) -> bool:
    """Absences and breaks: admin/assistant any; a doctor only their own rows."""
    if user.role in ("admin", "assistant"):
        return True
    return user.role == "doctor" and record is not None and record.get("doctor") == user.id


class DoctorNames:
    """Doctor id → name for table columns (filled from ``/api/appointments/doctors/``)."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}

    def __call__(self, doctor_id: Any, none: str = "–") -> str:
        if doctor_id is None:
            return none
        return self.names.get(int(doctor_id), f"#{doctor_id}")


def specs(doctors: DoctorNames) -> dict[str, TableSpec]:
    active = Field("active", translate("MasterData", "Aktiv"), "bool", default=True)
    doctor_field = Field("doctor", translate("MasterData", "Arzt"), "doctor")
    return {
        "appointment_types": TableSpec(
            title=translate("MasterData", "Terminarten"),
            entity="appointment_type",
            path="/api/appointment-types/",
            columns=[
                Column(
                    translate("MasterData", "Name"),
                    lambda r: str(r["name"]),
                    lambda r: r.get("color"),
                ),
                Column(
                    translate("MasterData", "Dauer"), lambda r: _minutes(r.get("duration_minutes"))
                ),
                Column(translate("MasterData", "Aktiv"), lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("name", translate("MasterData", "Name")),
                Field(
                    "duration_minutes",
                    translate("MasterData", "Dauer"),
                    "optional_int",
                    minimum=1,
                    suffix=translate("MasterData", " Min."),
                ),
                Field(
                    "color",
                    translate("MasterData", "Farbe"),
                    "color",
                    default="#2E8B57",
                    placeholder="#RRGGBB",
                ),
                active,
            ],
            can_create=ADMIN_ONLY,
            can_edit=ADMIN_ONLY,
            can_delete=ADMIN_ONLY,
            read_only_hint=translate(
                "MasterData", "Nur Administratoren können Terminarten ändern."
            ),
            delete_question=translate(
                "MasterData", "Terminart löschen? Wird sie noch verwendet, bitte deaktivieren."
            ),
        ),
        "operation_types": TableSpec(
            title=translate("MasterData", "OP-Arten"),
            entity="operation_type",
            path="/api/operation-types/",
            columns=[
                Column(
                    translate("MasterData", "Name"),
                    lambda r: str(r["name"]),
                    lambda r: r.get("color"),
                ),
                Column(
                    translate("MasterData", "Vorbereitung"),
                    lambda r: _minutes(r.get("prep_duration")),
                ),
                Column(translate("MasterData", "OP"), lambda r: _minutes(r.get("op_duration"))),
                Column(
                    translate("MasterData", "Nachbereitung"),
                    lambda r: _minutes(r.get("post_duration")),
                ),
                Column(
                    "Gesamt",
                    lambda r: _minutes(
                        int(r.get("prep_duration") or 0)
                        + int(r.get("op_duration") or 0)
                        + int(r.get("post_duration") or 0)
                    ),
                ),
                Column(translate("MasterData", "Aktiv"), lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("name", translate("MasterData", "Name")),
                Field(
                    "prep_duration",
                    translate("MasterData", "Vorbereitung"),
                    "int",
                    default=0,
                    suffix=translate("MasterData", " Min."),
                ),
                Field(
                    "op_duration",
                    translate("MasterData", "OP-Dauer"),
                    "int",
                    default=0,
                    suffix=translate("MasterData", " Min."),
                ),
                Field(
                    "post_duration",
                    translate("MasterData", "Nachbereitung"),
                    "int",
                    default=0,
                    suffix=translate("MasterData", " Min."),
                ),
                Field(
                    "color",
                    translate("MasterData", "Farbe"),
                    "color",
                    default="#8A2BE2",
                    placeholder="#RRGGBB",
                ),
                active,
            ],
            can_create=ADMIN_ONLY,
            can_edit=ADMIN_ONLY,
            can_delete=ADMIN_ONLY,
            read_only_hint=translate("MasterData", "Nur Administratoren können OP-Arten ändern."),
            delete_question=translate(
                "MasterData", "OP-Art löschen? Wird sie noch verwendet, bitte deaktivieren."
            ),
        ),
        "resources": TableSpec(
            title=translate("MasterData", "Räume und Geräte"),
            entity="resource",
            path="/api/resources/",
            list_params={"include_inactive": "true"},
            columns=[
                Column(
                    translate("MasterData", "Name"),
                    lambda r: str(r["name"]),
                    lambda r: r.get("color"),
                ),
                Column(
                    translate("MasterData", "Art"),
                    lambda r: str(dict(resource_types()).get(r["type"], r["type"])),
                ),
                Column(
                    translate("MasterData", "OP-Saal"),
                    lambda r: _yes(r.get("op_capable")) if r.get("type") == "room" else "–",
                ),
                Column(translate("MasterData", "Aktiv"), lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("name", translate("MasterData", "Name")),
                Field(
                    "type",
                    translate("MasterData", "Art"),
                    "choice",
                    choices=resource_types(),
                    default="room",
                ),
                Field(
                    "color",
                    translate("MasterData", "Farbe"),
                    "color",
                    default="#6A5ACD",
                    placeholder="#RRGGBB",
                ),
                active,
                # Rooms only; ticked for a new room like the server's default
                # (docs/op-rooms.md). Hidden for a device, so the server clears it.
                Field(
                    "op_capable",
                    translate("MasterData", "OP-Saal"),
                    "bool",
                    default=True,
                    shown_when=("type", "room"),
                ),
            ],
            can_create=STAFF,
            can_edit=STAFF,
            can_delete=STAFF,
            read_only_hint=translate(
                "MasterData", "Räume und Geräte ändern Administratoren und MFA."
            ),
            delete_question=translate(
                "MasterData", "Ressource löschen? Ist sie verplant, bitte deaktivieren."
            ),
        ),
        "practice_hours": TableSpec(
            title=translate("MasterData", "Praxiszeiten"),
            entity="practice_hours",
            path="/api/practice-hours/",
            columns=[
                Column(
                    translate("MasterData", "Wochentag"), lambda r: weekday_name(int(r["weekday"]))
                ),
                Column(translate("MasterData", "Von"), lambda r: _clock(r["start_time"])),
                Column(translate("MasterData", "Bis"), lambda r: _clock(r["end_time"])),
                Column(translate("MasterData", "Aktiv"), lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("weekday", translate("MasterData", "Wochentag"), "weekday", default=0),
                Field("start_time", translate("MasterData", "Von"), "time", default="08:00:00"),
                Field("end_time", translate("MasterData", "Bis"), "time", default="12:00:00"),
                active,
            ],
            can_create=STAFF,
            can_edit=STAFF,
            can_delete=STAFF,
            read_only_hint=translate("MasterData", "Praxiszeiten ändern Administratoren und MFA."),
        ),
        "doctor_hours": TableSpec(
            title=translate("MasterData", "Sprechzeiten"),
            entity="doctor_hours",
            path="/api/doctor-hours/",
            also_reload_on=("user",),
            columns=[
                Column(translate("MasterData", "Arzt"), lambda r: doctors(r["doctor"])),
                Column(
                    translate("MasterData", "Wochentag"), lambda r: weekday_name(int(r["weekday"]))
                ),
                Column(translate("MasterData", "Von"), lambda r: _clock(r["start_time"])),
                Column(translate("MasterData", "Bis"), lambda r: _clock(r["end_time"])),
                Column(translate("MasterData", "Aktiv"), lambda r: _yes(r.get("active"))),
            ],
            fields=[
                doctor_field,
                Field("weekday", translate("MasterData", "Wochentag"), "weekday", default=0),
                Field("start_time", translate("MasterData", "Von"), "time", default="08:00:00"),
                Field("end_time", translate("MasterData", "Bis"), "time", default="12:00:00"),
                active,
            ],
            can_create=STAFF,
            can_edit=STAFF,
            can_delete=STAFF,
            read_only_hint=translate("MasterData", "Sprechzeiten ändern Administratoren und MFA."),
        ),
        "absences": TableSpec(
            title=translate("MasterData", "Abwesenheiten"),
            entity="doctor_absence",
            path="/api/doctor-absences/",
            also_reload_on=("user",),
            columns=[
                Column(translate("MasterData", "Arzt"), lambda r: doctors(r["doctor"])),
                Column(translate("MasterData", "Von"), lambda r: german_date(r["start_date"])),
                Column(translate("MasterData", "Bis"), lambda r: german_date(r["end_date"])),
                Column(translate("MasterData", "Grund"), lambda r: str(r.get("reason") or "")),
                Column(
                    translate("MasterData", "Arbeitstage"),
                    lambda r: str(r.get("duration_workdays") or 0),
                ),
                Column(
                    translate("MasterData", "Zurück am"),
                    lambda r: german_date(r.get("return_date")),
                ),
                Column(
                    "Resturlaub",
                    lambda r: (
                        "–"
                        if r.get("remaining_days") is None
                        else translate("MasterData", "{0} Tage").format(r["remaining_days"])
                    ),
                ),
                Column(translate("MasterData", "Aktiv"), lambda r: _yes(r.get("active"))),
            ],
            fields=[
                doctor_field,
                Field("start_date", translate("MasterData", "Von"), "date"),
                Field("end_date", translate("MasterData", "Bis"), "date"),
                Field(
                    "reason",
                    translate("MasterData", "Grund"),
                    placeholder=translate("MasterData", "z. B. Urlaub, Fortbildung, Krankheit"),
                ),
                active,
            ],
            can_create=STAFF,
            can_edit=own_or_staff,
            can_delete=own_or_staff,
            read_only_hint=translate(
                "MasterData",
                "Abwesenheiten tragen Administratoren und MFA ein; Ärzte bearbeiten ihre eigenen.",
            ),
            new_label=translate("MasterData", "Neue Abwesenheit"),
        ),
        "breaks": TableSpec(
            title=translate("MasterData", "Pausen"),
            entity="doctor_break",
            path="/api/doctor-breaks/",
            also_reload_on=("user",),
            columns=[
                Column(translate("MasterData", "Datum"), lambda r: german_date(r["date"])),
                Column(translate("MasterData", "Von"), lambda r: _clock(r["start_time"])),
                Column(translate("MasterData", "Bis"), lambda r: _clock(r["end_time"])),
                Column(
                    translate("MasterData", "Arzt"),
                    lambda r: doctors(r.get("doctor"), translate("MasterData", "Praxisweit")),
                ),
                Column(translate("MasterData", "Grund"), lambda r: str(r.get("reason") or "")),
                Column(translate("MasterData", "Aktiv"), lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field(
                    "doctor",
                    translate("MasterData", "Arzt"),
                    "doctor",
                    none_label=translate("MasterData", "Praxisweit (alle Ärzte)"),
                ),
                Field("date", translate("MasterData", "Datum"), "date"),
                Field("start_time", translate("MasterData", "Von"), "time", default="12:30:00"),
                Field("end_time", translate("MasterData", "Bis"), "time", default="13:15:00"),
                Field(
                    "reason",
                    translate("MasterData", "Grund"),
                    placeholder=translate("MasterData", "z. B. Mittagspause, Teambesprechung"),
                ),
                active,
            ],
            can_create=STAFF,
            can_edit=own_or_staff,
            can_delete=own_or_staff,
            read_only_hint=translate(
                "MasterData",
                "Pausen tragen Administratoren und MFA ein; Ärzte bearbeiten ihre eigenen.",
            ),
        ),
    }


def tab_titles() -> dict[str, str]:
    return {
        "appointment_types": translate("MasterData", "Terminarten"),
        "operation_types": translate("MasterData", "OP-Arten"),
        "resources": translate("MasterData", "Räume/Geräte"),
        "practice_hours": translate("MasterData", "Praxiszeiten"),
        "doctor_hours": translate("MasterData", "Sprechzeiten"),
        "absences": translate("MasterData", "Abwesenheiten"),
        "breaks": translate("MasterData", "Pausen"),
    }


class MasterDataPage(QWidget):
    """Tabs of :class:`TablePage`; each tab loads the first time it is shown."""

    loaded = Signal()

    def __init__(self, ops: Ops, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.user = user
        self.doctors = DoctorNames()
        self.doctor_choices: list[tuple[int, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self.pages: dict[str, TablePage] = {}
        titles = tab_titles()
        for key, spec in specs(self.doctors).items():
            page: TablePage = (
                AbsencePage(ops, user, spec) if key == "absences" else TablePage(ops, user, spec)
            )
            self.pages[key] = page
            self.tabs.addTab(page, titles[key])
        self._loaded_tabs: set[str] = set()
        self._tab_index = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._tab_changed)
        self.reminders: RemindersPage | None = None
        if user.role == "admin":  # Erinnerungen (issue 19): rules and templates (admins)
            self.reminders = RemindersPage(ops, user)
            self.tabs.addTab(self.reminders, translate("MasterData", "Erinnerungen"))
            self.tabs.currentChanged.connect(self._reminders_shown)
        # Terminketten (issue 17): chain templates; admins edit, everyone reads.
        self.chain_templates = ChainTemplatesPage(ops, user)
        self.tabs.addTab(self.chain_templates, translate("MasterData", "Terminketten"))
        self.tabs.currentChanged.connect(self._chain_templates_shown)
        ops.changed.connect(self._something_changed)
        self._doctors_loaded = False

    def reload(self) -> None:
        """Load the doctor list, then the visible tab."""
        self._load_doctors()

    def _load_doctors(self) -> None:
        self.ops.run(lambda api: api.get("/api/appointments/doctors/"), self).success(
            self._doctors
        ).failure(lambda _exc: self._tab_shown(self.tabs.currentIndex())).run()

    def _doctors(self, rows: list[dict[str, Any]]) -> None:
        self.doctors.names = {int(r["id"]): str(r["name"]) for r in rows}
        mine = [(int(r["id"]), str(r["name"])) for r in rows]
        if self.user.role == "doctor":
            mine = [(i, n) for i, n in mine if i == self.user.id] or mine
        self.doctor_choices = mine
        for page in self.pages.values():
            if any(f.kind == "doctor" for f in page.spec.fields):
                page.form.set_choices("doctor", mine)
                if page.rows:
                    page.fill_table()
        self._doctors_loaded = True
        self._tab_shown(self.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        """Another tab was chosen: it opens only once the tab left has nothing unsaved."""
        left = self.tabs.widget(self._tab_index)
        if isinstance(left, TablePage) and index != self._tab_index:
            self._show_tab_quietly(self._tab_index)  # the answer may come later
            if not left.can_leave(lambda: self.tabs.setCurrentIndex(index)):
                return
            self._show_tab_quietly(index)
        self._tab_index = index
        self._tab_shown(index)

    def _show_tab_quietly(self, index: int) -> None:
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)

    def can_leave(self, then: Callable[[], object]) -> bool:
        """Whether the screen may be left now (:class:`desktop.views.unsaved.Leavable`)."""
        page = self.tabs.currentWidget()
        return not isinstance(page, TablePage) or page.can_leave(then)

    def _tab_shown(self, index: int) -> None:
        keys = list(self.pages)
        if not 0 <= index < len(keys):
            return
        key = keys[index]
        if key not in self._loaded_tabs:
            self._loaded_tabs.add(key)
            self.pages[key].reload()

    def show_tab(self, key: str) -> TablePage:
        self.tabs.setCurrentWidget(self.pages[key])
        return self.pages[key]

    def _chain_templates_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.chain_templates:
            self.chain_templates.reload()

    def _reminders_shown(self, index: int) -> None:
        if self.reminders is not None and self.tabs.widget(index) is self.reminders:
            self.reminders.reload_once()

    def _something_changed(self, entity: str) -> None:
        if entity == "user":
            self._load_doctors()
