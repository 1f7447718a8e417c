"""The Stammdaten screen: one tab per master-data list (02 §2–§8), roles per rbac §3."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from desktop.ops import Ops
from desktop.session import User
from desktop.views.master_data.absences import AbsencePage
from desktop.views.master_data.form import WEEKDAYS, Field, german_date
from desktop.views.master_data.table_page import (
    Column,
    Record,
    TablePage,
    TableSpec,
    roles,
)

RESOURCE_TYPES = (("room", "Raum"), ("device", "Gerät"))
NEVER = roles()
ADMIN_ONLY = roles("admin")
STAFF = roles("admin", "assistant")


def _yes(value: Any) -> str:
    return "ja" if value else "nein"


def _clock(value: Any) -> str:
    return str(value or "")[:5]


def _minutes(value: Any) -> str:
    return "–" if value in (None, "") else f"{value} Min."


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
    active = Field("active", "Aktiv", "bool", default=True)
    doctor_field = Field("doctor", "Arzt", "doctor")
    return {
        "appointment_types": TableSpec(
            title="Terminarten",
            entity="appointment_type",
            path="/api/appointment-types/",
            columns=[
                Column("Name", lambda r: str(r["name"]), lambda r: r.get("color")),
                Column("Dauer", lambda r: _minutes(r.get("duration_minutes"))),
                Column("Aktiv", lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("name", "Name"),
                Field("duration_minutes", "Dauer", "optional_int", minimum=1, suffix=" Min."),
                Field("color", "Farbe", "color", default="#2E8B57", placeholder="#RRGGBB"),
                active,
            ],
            can_create=ADMIN_ONLY,
            can_edit=ADMIN_ONLY,
            can_delete=ADMIN_ONLY,
            read_only_hint="Nur Administratoren können Terminarten ändern.",
            delete_question="Terminart löschen? Wird sie noch verwendet, bitte deaktivieren.",
        ),
        "operation_types": TableSpec(
            title="OP-Arten",
            entity="operation_type",
            path="/api/operation-types/",
            columns=[
                Column("Name", lambda r: str(r["name"]), lambda r: r.get("color")),
                Column("Vorbereitung", lambda r: _minutes(r.get("prep_duration"))),
                Column("OP", lambda r: _minutes(r.get("op_duration"))),
                Column("Nachbereitung", lambda r: _minutes(r.get("post_duration"))),
                Column(
                    "Gesamt",
                    lambda r: _minutes(
                        int(r.get("prep_duration") or 0)
                        + int(r.get("op_duration") or 0)
                        + int(r.get("post_duration") or 0)
                    ),
                ),
                Column("Aktiv", lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("name", "Name"),
                Field("prep_duration", "Vorbereitung", "int", default=0, suffix=" Min."),
                Field("op_duration", "OP-Dauer", "int", default=0, suffix=" Min."),
                Field("post_duration", "Nachbereitung", "int", default=0, suffix=" Min."),
                Field("color", "Farbe", "color", default="#8A2BE2", placeholder="#RRGGBB"),
                active,
            ],
            can_create=ADMIN_ONLY,
            can_edit=ADMIN_ONLY,
            can_delete=ADMIN_ONLY,
            read_only_hint="Nur Administratoren können OP-Arten ändern.",
            delete_question="OP-Art löschen? Wird sie noch verwendet, bitte deaktivieren.",
        ),
        "resources": TableSpec(
            title="Räume und Geräte",
            entity="resource",
            path="/api/resources/",
            list_params={"include_inactive": "true"},
            columns=[
                Column("Name", lambda r: str(r["name"]), lambda r: r.get("color")),
                Column("Art", lambda r: str(dict(RESOURCE_TYPES).get(r["type"], r["type"]))),
                Column("Aktiv", lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("name", "Name"),
                Field("type", "Art", "choice", choices=RESOURCE_TYPES, default="room"),
                Field("color", "Farbe", "color", default="#6A5ACD", placeholder="#RRGGBB"),
                active,
            ],
            can_create=STAFF,
            can_edit=STAFF,
            can_delete=STAFF,
            read_only_hint="Räume und Geräte ändern Administratoren und MFA.",
            delete_question="Ressource löschen? Ist sie verplant, bitte deaktivieren.",
        ),
        "practice_hours": TableSpec(
            title="Praxiszeiten",
            entity="practice_hours",
            path="/api/practice-hours/",
            columns=[
                Column("Wochentag", lambda r: WEEKDAYS[int(r["weekday"])]),
                Column("Von", lambda r: _clock(r["start_time"])),
                Column("Bis", lambda r: _clock(r["end_time"])),
                Column("Aktiv", lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("weekday", "Wochentag", "weekday", default=0),
                Field("start_time", "Von", "time", default="08:00:00"),
                Field("end_time", "Bis", "time", default="12:00:00"),
                active,
            ],
            can_create=STAFF,
            can_edit=STAFF,
            can_delete=STAFF,
            read_only_hint="Praxiszeiten ändern Administratoren und MFA.",
        ),
        "doctor_hours": TableSpec(
            title="Sprechzeiten",
            entity="doctor_hours",
            path="/api/doctor-hours/",
            also_reload_on=("user",),
            columns=[
                Column("Arzt", lambda r: doctors(r["doctor"])),
                Column("Wochentag", lambda r: WEEKDAYS[int(r["weekday"])]),
                Column("Von", lambda r: _clock(r["start_time"])),
                Column("Bis", lambda r: _clock(r["end_time"])),
                Column("Aktiv", lambda r: _yes(r.get("active"))),
            ],
            fields=[
                doctor_field,
                Field("weekday", "Wochentag", "weekday", default=0),
                Field("start_time", "Von", "time", default="08:00:00"),
                Field("end_time", "Bis", "time", default="12:00:00"),
                active,
            ],
            can_create=STAFF,
            can_edit=STAFF,
            can_delete=STAFF,
            read_only_hint="Sprechzeiten ändern Administratoren und MFA.",
        ),
        "absences": TableSpec(
            title="Abwesenheiten",
            entity="doctor_absence",
            path="/api/doctor-absences/",
            also_reload_on=("user",),
            columns=[
                Column("Arzt", lambda r: doctors(r["doctor"])),
                Column("Von", lambda r: german_date(r["start_date"])),
                Column("Bis", lambda r: german_date(r["end_date"])),
                Column("Grund", lambda r: str(r.get("reason") or "")),
                Column("Arbeitstage", lambda r: str(r.get("duration_workdays") or 0)),
                Column("Zurück am", lambda r: german_date(r.get("return_date"))),
                Column(
                    "Resturlaub",
                    lambda r: (
                        "–" if r.get("remaining_days") is None else f"{r['remaining_days']} Tage"
                    ),
                ),
                Column("Aktiv", lambda r: _yes(r.get("active"))),
            ],
            fields=[
                doctor_field,
                Field("start_date", "Von", "date"),
                Field("end_date", "Bis", "date"),
                Field("reason", "Grund", placeholder="z. B. Urlaub, Fortbildung, Krankheit"),
                active,
            ],
            can_create=STAFF,
            can_edit=own_or_staff,
            can_delete=own_or_staff,
            read_only_hint="Abwesenheiten tragen Administratoren und MFA ein; "
            "Ärzte bearbeiten ihre eigenen.",
            new_label="Neue Abwesenheit",
        ),
        "breaks": TableSpec(
            title="Pausen",
            entity="doctor_break",
            path="/api/doctor-breaks/",
            also_reload_on=("user",),
            columns=[
                Column("Datum", lambda r: german_date(r["date"])),
                Column("Von", lambda r: _clock(r["start_time"])),
                Column("Bis", lambda r: _clock(r["end_time"])),
                Column("Arzt", lambda r: doctors(r.get("doctor"), "Praxisweit")),
                Column("Grund", lambda r: str(r.get("reason") or "")),
                Column("Aktiv", lambda r: _yes(r.get("active"))),
            ],
            fields=[
                Field("doctor", "Arzt", "doctor", none_label="Praxisweit (alle Ärzte)"),
                Field("date", "Datum", "date"),
                Field("start_time", "Von", "time", default="12:30:00"),
                Field("end_time", "Bis", "time", default="13:15:00"),
                Field("reason", "Grund", placeholder="z. B. Mittagspause, Teambesprechung"),
                active,
            ],
            can_create=STAFF,
            can_edit=own_or_staff,
            can_delete=own_or_staff,
            read_only_hint="Pausen tragen Administratoren und MFA ein; "
            "Ärzte bearbeiten ihre eigenen.",
        ),
    }


TAB_TITLES = {
    "appointment_types": "Terminarten",
    "operation_types": "OP-Arten",
    "resources": "Räume/Geräte",
    "practice_hours": "Praxiszeiten",
    "doctor_hours": "Sprechzeiten",
    "absences": "Abwesenheiten",
    "breaks": "Pausen",
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
        for key, spec in specs(self.doctors).items():
            page: TablePage = (
                AbsencePage(ops, user, spec) if key == "absences" else TablePage(ops, user, spec)
            )
            self.pages[key] = page
            self.tabs.addTab(page, self.tr(TAB_TITLES[key]))
        self._loaded_tabs: set[str] = set()
        self._tab_index = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._tab_changed)
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

    def _something_changed(self, entity: str) -> None:
        if entity == "user":
            self._load_doctors()
