"""Free slots (``GET /api/appointments/suggest/``, 03 §9) and booking one, as typed objects.

The functions block: call them inside ``desktop.ops`` work, never on the UI thread. Views get
:class:`Slot` objects, never URLs or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.api.client import ApiClient
from desktop.i18n import QT_TRANSLATE_NOOP

SUGGEST_PATH = "/api/appointments/suggest/"
APPOINTMENTS_PATH = "/api/appointments/"
#: The server clamps ``limit`` to 50 and ``days`` to 31 (03 §9.2).
SERVER_LIMIT = 50
MAX_DAYS = 31
#: Where the front desk's "vormittags" ends and "nachmittags" begins.
NOON = time(12)

translate = QCoreApplication.translate

#: Source texts, shown through ``translate("Suggest", …)``.
WEEKDAYS = [
    QT_TRANSLATE_NOOP("Suggest", "Mo"),
    QT_TRANSLATE_NOOP("Suggest", "Di"),
    QT_TRANSLATE_NOOP("Suggest", "Mi"),
    QT_TRANSLATE_NOOP("Suggest", "Do"),
    QT_TRANSLATE_NOOP("Suggest", "Fr"),
    QT_TRANSLATE_NOOP("Suggest", "Sa"),
    QT_TRANSLATE_NOOP("Suggest", "So"),
]


def _local(value: str) -> datetime:
    """The server writes practice-local times with an offset (00 §6): keep the wall clock."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def _api_datetime(value: datetime) -> str:
    """Without an offset the server reads a time as practice-local (00 §6)."""
    return value.replace(microsecond=0).isoformat()


class PartOfDay(Enum):
    ALL = "all"
    MORNING = "morning"
    AFTERNOON = "afternoon"

    def admits(self, start: datetime) -> bool:
        if self is PartOfDay.MORNING:
            return start.time() < NOON
        if self is PartOfDay.AFTERNOON:
            return start.time() >= NOON
        return True


@dataclass(frozen=True)
class Slot:
    """A free slot of one doctor (practice-local wall clock)."""

    doctor_id: int
    doctor_name: str
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def when(self) -> str:
        """``"Mo 07.12. 08:30–08:40"``."""
        weekday = translate("Suggest", WEEKDAYS[self.start.weekday()])
        return f"{weekday} {self.start:%d.%m.} {self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class SlotQuery:
    """What the front desk asks for; ``doctor_ids`` lists every doctor for "any doctor"."""

    minutes: int
    first_day: date
    days: int
    type_id: int | None = None
    doctor_id: int | None = None
    part: PartOfDay = PartOfDay.ALL
    wanted: int = 10


def _slots(body: dict[str, Any]) -> list[Slot]:
    primary = body.get("primary_doctor") or {}
    rows: list[dict[str, Any]] = list(body.get("primary_suggestions") or [])
    for fallback in body.get("fallback_suggestions") or []:
        rows.extend(fallback.get("suggestions") or [])
    slots = []
    for row in rows:
        doctor = row.get("doctor") or primary
        if doctor.get("id") is None:
            continue
        slots.append(
            Slot(
                int(doctor["id"]),
                str(doctor.get("name") or ""),
                _local(row["start_time"]),
                _local(row["end_time"]),
            )
        )
    return slots


def _ask(api: ApiClient, query: SlotQuery, day: date, doctor_id: int | None) -> list[Slot]:
    params: dict[str, Any] = {
        "duration_minutes": query.minutes,
        "start_date": day.isoformat(),
        "days": 1,
        "limit": SERVER_LIMIT,
        "type_id": query.type_id,
    }
    if doctor_id is None:
        params["any_doctor"] = "true"
    else:
        params["doctor_id"] = doctor_id
    return _slots(api.get(SUGGEST_PATH, **params))


def find_slots(api: ApiClient, query: SlotQuery, doctor_ids: list[int]) -> list[Slot]:
    """Up to ``query.wanted`` free slots in the part of the day asked for, in time order.

    The server knows no part of the day, and one answer holds at most 50 slots in time
    order — a busy practice's morning alone can fill them. So the days are asked one by one,
    and a day whose answer was cut off before the afternoon is asked again per doctor
    (``doctor_ids``: every doctor the "any doctor" choice stands for).
    """
    found: list[Slot] = []
    for offset in range(max(1, min(query.days, MAX_DAYS))):
        day = query.first_day + timedelta(days=offset)
        slots = _ask(api, query, day, query.doctor_id)
        cut_off = len(slots) >= SERVER_LIMIT and query.part is PartOfDay.AFTERNOON
        if cut_off and query.doctor_id is None and not any(s.start.time() >= NOON for s in slots):
            slots = [slot for doctor in doctor_ids for slot in _ask(api, query, day, doctor)]
        found.extend(
            sorted(
                (s for s in slots if query.part.admits(s.start)),
                key=lambda s: (s.start, s.doctor_id),
            )
        )
        if len(found) >= query.wanted:
            break
    return found[: query.wanted]


def book(api: ApiClient, slot: Slot, *, patient_id: int, type_id: int | None) -> int:
    """Books ``slot`` for the patient; returns the new appointment's id (the server refuses
    a slot taken meanwhile with its conflict message, raised as ``ApiError``)."""
    body = {
        "patient_id": patient_id,
        "doctor": slot.doctor_id,
        "type": type_id,
        "start_time": _api_datetime(slot.start),
        "end_time": _api_datetime(slot.end),
    }
    return int(api.post(APPOINTMENTS_PATH, body)["id"])


@dataclass(frozen=True)
class Alternatives:
    """Free slots nearest to a refused start: the same doctor's first, then the others'."""

    same_doctor: list[Slot]
    other_doctors: list[Slot]

    def __bool__(self) -> bool:
        return bool(self.same_doctor or self.other_doctors)


def nearest_free(
    api: ApiClient,
    *,
    doctor_id: int,
    start: datetime,
    minutes: int,
    type_id: int | None,
    wanted: int = 3,
) -> Alternatives:
    """What to offer when the server refuses ``start`` (an overlap, a break, an absence).

    The same day first; only if it holds nothing for this doctor or nothing for the others,
    the week from that day. Nearest means closest to ``start`` in time, either side.
    """

    def ask(days: int, **who: Any) -> list[Slot]:
        params: dict[str, Any] = {
            "duration_minutes": minutes,
            "start_date": start.date().isoformat(),
            "days": days,
            "limit": SERVER_LIMIT,
            "type_id": type_id,
        }
        return _slots(api.get(SUGGEST_PATH, **params, **who))

    def nearest(slots: list[Slot]) -> list[Slot]:
        return sorted(slots, key=lambda s: (abs(s.start - start), s.start, s.doctor_id))[:wanted]

    own: list[Slot] = []
    others: list[Slot] = []
    for days in (1, 7):
        if not own:
            own = [s for s in ask(days, doctor_id=doctor_id) if s.doctor_id == doctor_id]
        if not others:
            others = [s for s in ask(days, any_doctor="true") if s.doctor_id != doctor_id]
        if own and others:
            break
    return Alternatives(nearest(own), nearest(others))
