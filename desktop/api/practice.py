"""Practice settings, personal preferences, the own password and the day's overview, as typed
objects (issue 20; contract: docs/practice-settings.md).

The functions block: call them inside ``desktop.ops`` work, never on the UI thread. Views get
dataclasses and German messages, never URLs or JSON.

The start page "Heute" is composed from endpoints that already exist — the calendar day
(appointments, operations, absences; a doctor's own only), the unfinished patient flows and
the free-slot suggestion per doctor — so its figures are exactly what the other screens show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.api import patient_flow, waiting_list
from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.api.patient_flow import Flow
from desktop.i18n import QT_TRANSLATE_NOOP
from shared.domain.practice import (
    DEFAULT_AMBER_MINUTES,
    DEFAULT_RED_MINUTES,
    THRESHOLD_STATUSES,
)
from shared.domain.statuses import AppointmentStatus, OperationStatus, PatientFlowStatus

SETTINGS_PATH = "/api/practice/settings/"
PREFERENCES_PATH = "/api/me/preferences/"
PASSWORD_PATH = "/api/users/me/password/"  # noqa: S105 - a path
TOKENS_PATH = "/api/practice/display-tokens/"
CALENDAR_DAY_PATH = "/api/calendar/day/"
DOCTORS_PATH = "/api/appointments/doctors/"
SUGGEST_PATH = "/api/appointments/suggest/"
#: The length of a free slot the overview counts ("wie viele halbe Stunden sind noch frei").
FREE_SLOT_MINUTES = 30
#: The flow statuses of someone who has arrived and is still waiting to be treated.
WAITING_STATUSES = (PatientFlowStatus.REGISTERED, PatientFlowStatus.WAITING)

translate = QCoreApplication.translate


def _local(value: str) -> datetime:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _first_text(value: Any) -> str:
    if isinstance(value, dict):
        for inner in value.values():
            text = _first_text(inner)
            if text:
                return text
        return ""
    if isinstance(value, list):
        return next((_first_text(item) for item in value if _first_text(item)), "")
    return str(value) if value else ""


# --- practice settings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    amber: int = DEFAULT_AMBER_MINUTES
    red: int = DEFAULT_RED_MINUTES


@dataclass(frozen=True)
class DisplayOptions:
    title: str = "Aufruf"
    chime: bool = True
    history: int = 5


@dataclass(frozen=True)
class PracticeSettings:
    name: str = ""
    address: str = ""
    phone: str = ""
    thresholds: dict[PatientFlowStatus, Threshold] = field(
        default_factory=lambda: {status: Threshold() for status in THRESHOLD_STATUSES}
    )
    calendar_days: tuple[int, ...] = (1, 2, 3, 4, 5)
    display: DisplayOptions = DisplayOptions()

    def threshold(self, status: PatientFlowStatus) -> Threshold:
        return self.thresholds.get(status, Threshold())

    def body(self) -> dict[str, Any]:
        """Everything, as ``PATCH`` sends it."""
        return {
            "name": self.name,
            "address": self.address,
            "phone": self.phone,
            "flow_thresholds": {
                status.value: {"amber": limit.amber, "red": limit.red}
                for status, limit in self.thresholds.items()
            },
            "calendar_days": list(self.calendar_days),
            "display": {
                "title": self.display.title,
                "chime": self.display.chime,
                "history": self.display.history,
            },
        }


def _settings(body: dict[str, Any]) -> PracticeSettings:
    thresholds = {
        PatientFlowStatus(status): Threshold(int(limit["amber"]), int(limit["red"]))
        for status, limit in dict(body.get("flow_thresholds") or {}).items()
        if status in {s.value for s in THRESHOLD_STATUSES}
    }
    shown = dict(body.get("display") or {})
    return PracticeSettings(
        name=str(body.get("name") or ""),
        address=str(body.get("address") or ""),
        phone=str(body.get("phone") or ""),
        thresholds={status: thresholds.get(status, Threshold()) for status in THRESHOLD_STATUSES},
        calendar_days=tuple(int(day) for day in body.get("calendar_days") or (1, 2, 3, 4, 5)),
        display=DisplayOptions(
            title=str(shown.get("title", "Aufruf")),
            chime=bool(shown.get("chime", True)),
            history=int(shown.get("history", 5)),
        ),
    )


_SETTINGS_FIELDS = {
    "name": QT_TRANSLATE_NOOP("Practice", "Praxisname"),
    "address": QT_TRANSLATE_NOOP("Practice", "Anschrift"),
    "phone": QT_TRANSLATE_NOOP("Practice", "Telefon"),
    "flow_thresholds": QT_TRANSLATE_NOOP("Practice", "Schwellen im Patientenfluss"),
    "calendar_days": QT_TRANSLATE_NOOP("Practice", "Angezeigte Tage"),
    "display": QT_TRANSLATE_NOOP("Practice", "Aufrufanzeige"),
    "first_name": QT_TRANSLATE_NOOP("Practice", "Vorname"),
    "last_name": QT_TRANSLATE_NOOP("Practice", "Nachname"),
    "calendar_color": QT_TRANSLATE_NOOP("Practice", "Kalenderfarbe"),
}
_SERVER_TEXTS = {
    "amber must be less than red.": QT_TRANSLATE_NOOP(
        "Practice", "Gelb muss früher kommen als Rot."
    ),
    "At least one weekday must be shown.": QT_TRANSLATE_NOOP(
        "Practice", "Mindestens ein Wochentag muss angezeigt werden."
    ),
    "The current password is incorrect.": QT_TRANSLATE_NOOP(
        "Practice", "Das aktuelle Passwort ist falsch."
    ),
    "Ensure this field has at least 8 characters.": QT_TRANSLATE_NOOP(
        "Practice", "Das neue Passwort muss mindestens 8 Zeichen lang sein."
    ),
    "Ensure this field has no more than 128 characters.": QT_TRANSLATE_NOOP(
        "Practice", "Das neue Passwort darf höchstens 128 Zeichen lang sein."
    ),
    "Enter a valid hex color (#RRGGBB).": QT_TRANSLATE_NOOP(
        "Practice", "Bitte eine Farbe im Format #RRGGBB angeben."
    ),
    "The new password must differ from the current one.": QT_TRANSLATE_NOOP(
        "Practice", "Das neue Passwort muss sich vom aktuellen unterscheiden."
    ),
}


class SettingsRefused(ApiError):
    """The server refused a change (400); ``str()`` says which field and why, in German."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(error.status, error.body, error.method, error.path)
        self.fields = list(error.body) if isinstance(error.body, dict) else []

    def __str__(self) -> str:
        body = self.body if isinstance(self.body, dict) else {}
        parts = []
        for name, problems in body.items():
            text = _first_text(problems)
            known = _SERVER_TEXTS.get(text)
            shown = translate("Practice", known) if known else text
            label = _SETTINGS_FIELDS.get(name)
            parts.append(f"{translate('Practice', label)}: {shown}" if label else shown)
        return " · ".join(parts) or super().__str__()


def _refused(error: ApiError) -> ApiError:
    return SettingsRefused(error) if error.status == 400 else error


def get_settings(api: ApiClient) -> PracticeSettings:
    return _settings(api.get(SETTINGS_PATH))


def save_settings(api: ApiClient, settings: PracticeSettings) -> PracticeSettings:
    try:
        return _settings(api.patch(SETTINGS_PATH, settings.body()))
    except ApiError as exc:
        raise _refused(exc) from exc


# --- personal preferences -------------------------------------------------------------------


@dataclass(frozen=True)
class UserPreferences:
    start_screen: str = "today"
    calendar_view: str = "day"
    calendar_raster: int = 15
    colour_mode: str = "doctor"
    shown_doctor_ids: tuple[int, ...] = ()

    def body(self) -> dict[str, Any]:
        return {
            "start_screen": self.start_screen,
            "calendar_view": self.calendar_view,
            "calendar_raster": self.calendar_raster,
            "colour_mode": self.colour_mode,
            "shown_doctor_ids": list(self.shown_doctor_ids),
        }


def _preferences(body: dict[str, Any]) -> UserPreferences:
    return UserPreferences(
        start_screen=str(body.get("start_screen") or "today"),
        calendar_view=str(body.get("calendar_view") or "day"),
        calendar_raster=int(body.get("calendar_raster") or 15),
        colour_mode=str(body.get("colour_mode") or "doctor"),
        shown_doctor_ids=tuple(int(i) for i in body.get("shown_doctor_ids") or ()),
    )


def get_preferences(api: ApiClient) -> UserPreferences:
    return _preferences(api.get(PREFERENCES_PATH))


def save_preferences(api: ApiClient, preferences: UserPreferences) -> UserPreferences:
    try:
        return _preferences(api.patch(PREFERENCES_PATH, preferences.body()))
    except ApiError as exc:
        raise _refused(exc) from exc


# --- own password ---------------------------------------------------------------------------


def change_password(api: ApiClient, username: str, current: str, new: str) -> None:
    """Change the own password; every session of the user ends on the server (other PCs
    included), so this client signs in again with the new password right away."""
    try:
        api.post(PASSWORD_PATH, {"current_password": current, "new_password": new})
    except ApiError as exc:
        raise _refused(exc) from exc
    api.login(username, new)


PROFILE_PATH = "/api/users/me/profile/"


def update_profile(
    api: ApiClient, first_name: str, last_name: str, calendar_color: str | None = None
) -> dict[str, Any]:
    """The own name (and a doctor's calendar colour); the server's ``me`` representation."""
    body: dict[str, Any] = {"first_name": first_name, "last_name": last_name}
    if calendar_color is not None:
        body["calendar_color"] = calendar_color
    try:
        return dict(api.patch(PROFILE_PATH, body))
    except ApiError as exc:
        raise _refused(exc) from exc


# --- display tokens (admin) -----------------------------------------------------------------


@dataclass(frozen=True)
class DisplayToken:
    id: int
    name: str
    revoked: bool
    #: Only right after creation: the credential to enter on the display PC (shown once).
    token: str = ""


def _token(row: dict[str, Any]) -> DisplayToken:
    return DisplayToken(
        int(row["id"]), str(row["name"]), row.get("revoked_at") is not None, row.get("token", "")
    )


def display_tokens(api: ApiClient) -> list[DisplayToken]:
    return [_token(row) for row in api.get(TOKENS_PATH)]


def create_display_token(api: ApiClient, name: str) -> DisplayToken:
    try:
        return _token(api.post(TOKENS_PATH, {"name": name}))
    except ApiError as exc:
        raise _refused(exc) from exc


def revoke_display_token(api: ApiClient, token_id: int) -> None:
    api.delete(f"{TOKENS_PATH}{token_id}/")


# --- the day's overview ---------------------------------------------------------------------


@dataclass(frozen=True)
class NextPatient:
    start: datetime
    patient: str
    doctor: str
    doctor_id: int


@dataclass(frozen=True)
class DoctorSlots:
    doctor_id: int
    name: str
    free: int


@dataclass
class TodayData:
    """The figures of the start page, all from the server's data of ``day``."""

    day: date
    appointments: Counter[AppointmentStatus] = field(default_factory=Counter)
    operations: Counter[OperationStatus] = field(default_factory=Counter)
    next_patients: list[NextPatient] = field(default_factory=list)
    waiting: list[Flow] = field(default_factory=list)
    longest_wait: int | None = None
    free_slots: list[DoctorSlots] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    #: open waiting-list entries (issue 18); None when not asked for or not readable
    waiting_list: waiting_list.Counts | None = None

    @property
    def appointment_total(self) -> int:
        return sum(self.appointments.values())

    @property
    def operation_total(self) -> int:
        return sum(self.operations.values())


def _free_slots(api: ApiClient, day: date, doctor_id: int) -> int:
    body = api.get(
        SUGGEST_PATH,
        doctor_id=doctor_id,
        duration_minutes=FREE_SLOT_MINUTES,
        start_date=day.isoformat(),
        days=1,
        limit=50,
    )
    # Only the doctor's own slots: the fallback lists colleagues when the doctor has none.
    return len(body.get("primary_suggestions") or [])


def load_today(
    api: ApiClient,
    day: date,
    now: datetime,
    *,
    own_doctor_id: int | None = None,
    with_free_slots: bool = True,
    with_waiting_list: bool = False,
) -> TodayData:
    """The overview of ``day`` as the caller may see it (a doctor's calendar and flows are
    their own — the server scopes them). ``own_doctor_id`` limits the free slots to that
    doctor; ``now`` (practice-local) decides who is "next"."""
    data = TodayData(day)
    body = api.get(CALENDAR_DAY_PATH, date=day.isoformat(), include_available_doctors="false")
    upcoming: list[NextPatient] = []
    for row in body.get("appointments") or []:
        status = AppointmentStatus(str(row.get("status") or AppointmentStatus.SCHEDULED))
        data.appointments[status] += 1
        start = _local(str(row["start_time"]))
        if status in (AppointmentStatus.SCHEDULED, AppointmentStatus.CONFIRMED) and start >= now:
            upcoming.append(
                NextPatient(
                    start,
                    str(row.get("patient_name") or ""),
                    str(row.get("doctor_name") or ""),
                    int(row["doctor"]),
                )
            )
    data.next_patients = sorted(upcoming, key=lambda p: (p.start, p.patient))[:5]
    for row in body.get("operations") or []:
        data.operations[OperationStatus(str(row.get("status") or OperationStatus.PLANNED))] += 1
    doctors = {int(d["id"]): str(d["name"]) for d in api.get(DOCTORS_PATH)}
    absent_ids = {int(a["doctor"]) for a in body.get("absences") or [] if a.get("active", True)}
    data.absent = sorted(doctors.get(i, "") for i in absent_ids if i in doctors)
    data.waiting = [f for f in patient_flow.live(api) if f.status in WAITING_STATUSES]
    waits = [f.wait_minutes for f in data.waiting if f.wait_minutes is not None]
    data.longest_wait = max(waits) if waits else None
    if with_free_slots:
        chosen = [own_doctor_id] if own_doctor_id is not None else sorted(doctors)
        data.free_slots = [
            DoctorSlots(doctor_id, doctors.get(doctor_id, ""), _free_slots(api, day, doctor_id))
            for doctor_id in chosen
            if doctor_id not in absent_ids
        ]
    if with_waiting_list:
        try:
            data.waiting_list = waiting_list.counts(api)
        except ApiError:  # the overview still shows everything else
            data.waiting_list = None
    return data


@dataclass(frozen=True)
class Doctor:
    id: int
    name: str


def doctors(api: ApiClient) -> list[Doctor]:
    """The active doctors (for "which doctors are shown")."""
    return [Doctor(int(row["id"]), str(row["name"])) for row in api.get(DOCTORS_PATH)]
