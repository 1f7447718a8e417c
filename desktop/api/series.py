"""Appointment series over the API (docs/series-and-chains.md), as typed objects.

The functions block: call them inside ``desktop.ops`` work, never on the UI thread. Views
get :class:`SeriesPreview` / :class:`SeriesRecord` objects and German texts, never URLs or
JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.api.appointments import AppointmentDraft
from desktop.api.client import ApiClient
from desktop.i18n import QT_TRANSLATE_NOOP
from shared.domain.statuses import AppointmentStatus

SERIES_PATH = "/api/appointment-series/"
PREVIEW_PATH = "/api/appointment-series/preview/"
MAX_OCCURRENCES = 104

translate = QCoreApplication.translate

#: German texts of the server's reason codes (``reason.code``), shown through
#: ``translate("SeriesApi", …)``.
REASONS = {
    "no_practice_hours": QT_TRANSLATE_NOOP("SeriesApi", "Praxis geschlossen"),
    "outside_practice_hours": QT_TRANSLATE_NOOP("SeriesApi", "außerhalb der Praxiszeiten"),
    "no_doctor_hours": QT_TRANSLATE_NOOP("SeriesApi", "Arzt arbeitet an diesem Tag nicht"),
    "outside_doctor_hours": QT_TRANSLATE_NOOP("SeriesApi", "außerhalb der Arbeitszeit"),
    "absence": QT_TRANSLATE_NOOP("SeriesApi", "Arzt abwesend"),
    "break": QT_TRANSLATE_NOOP("SeriesApi", "Pause"),
    "doctor_busy": QT_TRANSLATE_NOOP("SeriesApi", "Arzt belegt"),
    "resource_conflict": QT_TRANSLATE_NOOP("SeriesApi", "Raum/Gerät belegt"),
    "patient_conflict": QT_TRANSLATE_NOOP("SeriesApi", "Patient hat schon einen Termin"),
    "operation_conflict": QT_TRANSLATE_NOOP("SeriesApi", "OP zur selben Zeit"),
    "series_overlap": QT_TRANSLATE_NOOP("SeriesApi", "überschneidet sich mit der Serie"),
}


def _local(value: str) -> datetime:
    """The server writes practice-local times with an offset (00 §6): keep the wall clock."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _api_datetime(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


class Frequency(Enum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Scope(Enum):
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


@dataclass(frozen=True)
class Recurrence:
    freq: Frequency = Frequency.WEEKLY
    interval: int = 1
    count: int | None = 6
    until: date | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"freq": self.freq.value, "interval": self.interval}
        if self.until is not None:
            body["until"] = self.until.isoformat()
        else:
            body["count"] = self.count
        return body


@dataclass(frozen=True)
class Occurrence:
    index: int
    start: datetime
    end: datetime
    free: bool
    reason: str  # German, empty when free
    alternative: tuple[datetime, datetime] | None


@dataclass(frozen=True)
class SeriesPreview:
    rule: str
    occurrences: list[Occurrence]

    @property
    def blocked(self) -> list[Occurrence]:
        return [item for item in self.occurrences if not item.free]


@dataclass(frozen=True)
class SeriesAppointment:
    """One appointment of a series as the series view lists it."""

    id: int
    index: int
    start: datetime
    end: datetime
    status: AppointmentStatus
    doctor_name: str


@dataclass(frozen=True)
class SeriesRecord:
    id: int
    count: int
    skipped: list[int]
    rule: str = ""
    appointments: list[SeriesAppointment] = field(default_factory=list)

    @property
    def appointment_ids(self) -> list[int]:
        return [item.id for item in self.appointments]


def _reason(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    code = str(value.get("code") or "")
    return translate("SeriesApi", REASONS[code]) if code in REASONS else str(value.get("message"))


def _occurrence(row: dict[str, Any]) -> Occurrence:
    alternative = row.get("alternative")
    return Occurrence(
        index=int(row["index"]),
        start=_local(row["start_time"]),
        end=_local(row["end_time"]),
        free=bool(row["free"]),
        reason=_reason(row.get("reason")),
        alternative=(_local(alternative["start_time"]), _local(alternative["end_time"]))
        if isinstance(alternative, dict)
        else None,
    )


def _record(body: dict[str, Any]) -> SeriesRecord:
    return SeriesRecord(
        id=int(body["id"]),
        count=int(body["count"]),
        skipped=[int(i) for i in body.get("skipped") or []],
        rule=str(body.get("rule") or ""),
        appointments=[
            SeriesAppointment(
                id=int(a["id"]),
                index=int((a.get("series") or {}).get("index") or 0),
                start=_local(a["start_time"]),
                end=_local(a["end_time"]),
                status=AppointmentStatus(str(a.get("status") or AppointmentStatus.SCHEDULED)),
                doctor_name=str(a.get("doctor_name") or ""),
            )
            for a in body.get("appointments") or []
        ],
    )


def blocked_of(error_body: Any) -> list[Occurrence]:
    """The blocked occurrences of a refused booking (409 ``blocked``)."""
    if not isinstance(error_body, dict):
        return []
    return [_occurrence(row) for row in error_body.get("blocked") or []]


def preview(api: ApiClient, draft: AppointmentDraft, recurrence: Recurrence) -> SeriesPreview:
    body = {**draft.body(), "recurrence": recurrence.body()}
    result = api.post(PREVIEW_PATH, body)
    return SeriesPreview(
        rule=str(result["rule"]), occurrences=[_occurrence(r) for r in result["occurrences"]]
    )


def book(
    api: ApiClient,
    draft: AppointmentDraft,
    recurrence: Recurrence,
    *,
    replacements: dict[int, datetime] | None = None,
    only_free: bool = False,
) -> SeriesRecord:
    """All or nothing (``only_free``: the blocked ones without a replacement are skipped)."""
    body = {
        **draft.body(),
        "recurrence": recurrence.body(),
        "mode": "free" if only_free else "all",
        "replacements": [
            {"index": index, "start_time": _api_datetime(start)}
            for index, start in sorted((replacements or {}).items())
        ],
    }
    return _record(api.post(SERIES_PATH, body))


def get(api: ApiClient, series_id: int) -> SeriesRecord:
    return _record(api.get(f"{SERIES_PATH}{series_id}/"))


def cancel(api: ApiClient, series_id: int, scope: Scope, appointment_id: int) -> SeriesRecord:
    body = {"scope": scope.value, "appointment": appointment_id}
    return _record(api.post(f"{SERIES_PATH}{series_id}/cancel/", body))


def shift(
    api: ApiClient, series_id: int, scope: Scope, appointment_id: int, minutes: int
) -> SeriesRecord:
    body = {"scope": scope.value, "appointment": appointment_id, "shift_minutes": minutes}
    return _record(api.patch(f"{SERIES_PATH}{series_id}/", body))
