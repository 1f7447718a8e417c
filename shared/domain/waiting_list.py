"""Names of the waiting list (Warteliste, issue 18, docs/waiting-list.md), shared by the
server that stores them and the desktop that shows them.

API values are English like every other status of the API; each member's ``label`` is the
German text the desktop shows.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "MANUAL_REMOVAL_REASONS",
    "EntryStatus",
    "FreedReason",
    "FreedSource",
    "Priority",
    "RemovalReason",
]


class EntryStatus(StrEnum):
    """Where a waiting-list entry is."""

    WAITING = "waiting"
    OFFERED = "offered"  # the MFA called the patient; still a candidate
    BOOKED = "booked"  # only through the book endpoint
    REMOVED = "removed"  # by hand (with a reason) or expired

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        """Whether the entry is still a candidate and can be booked."""
        return self in (EntryStatus.WAITING, EntryStatus.OFFERED)


class Priority(StrEnum):
    """Urgent entries are offered first."""

    NORMAL = "normal"
    URGENT = "urgent"

    @property
    def label(self) -> str:
        return "Dringend" if self is Priority.URGENT else "Normal"

    @property
    def rank(self) -> int:
        """Sort key: lower comes first."""
        return 0 if self is Priority.URGENT else 1


class RemovalReason(StrEnum):
    """Why an entry was removed; ``expired`` is set by the server only."""

    EXPIRED = "expired"
    PATIENT_DECLINED = "patient_declined"
    BOOKED_ELSEWHERE = "booked_elsewhere"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _REMOVAL_LABELS[self]


MANUAL_REMOVAL_REASONS = frozenset(
    {RemovalReason.PATIENT_DECLINED, RemovalReason.BOOKED_ELSEWHERE, RemovalReason.OTHER}
)


class FreedSource(StrEnum):
    """Which kind of write freed capacity."""

    APPOINTMENT = "appointment"
    ABSENCE = "absence"
    DOCTOR_HOURS = "doctor_hours"
    PRACTICE_HOURS = "practice_hours"
    BREAK = "break"

    @property
    def label(self) -> str:
        return _SOURCE_LABELS[self]


class FreedReason(StrEnum):
    """How capacity was freed."""

    CANCELLED = "cancelled"
    DELETED = "deleted"
    MOVED = "moved"
    NO_SHOW = "no_show"
    ABSENCE_SHORTENED = "absence_shortened"
    ABSENCE_REMOVED = "absence_removed"
    HOURS_EXTENDED = "hours_extended"
    BREAK_REMOVED = "break_removed"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_STATUS_LABELS = {
    EntryStatus.WAITING: "Wartend",
    EntryStatus.OFFERED: "Angeboten",
    EntryStatus.BOOKED: "Gebucht",
    EntryStatus.REMOVED: "Entfernt",
}
_REMOVAL_LABELS = {
    RemovalReason.EXPIRED: "Abgelaufen",
    RemovalReason.PATIENT_DECLINED: "Patient verzichtet",
    RemovalReason.BOOKED_ELSEWHERE: "Anderweitig gebucht",
    RemovalReason.OTHER: "Sonstiges",
}
_SOURCE_LABELS = {
    FreedSource.APPOINTMENT: "Termin",
    FreedSource.ABSENCE: "Abwesenheit",
    FreedSource.DOCTOR_HOURS: "Arbeitszeit",
    FreedSource.PRACTICE_HOURS: "Praxiszeit",
    FreedSource.BREAK: "Pause",
}
_REASON_LABELS = {
    FreedReason.CANCELLED: "Termin abgesagt",
    FreedReason.DELETED: "Termin gelöscht",
    FreedReason.MOVED: "Termin verschoben",
    FreedReason.NO_SHOW: "Nicht erschienen",
    FreedReason.ABSENCE_SHORTENED: "Abwesenheit verkürzt",
    FreedReason.ABSENCE_REMOVED: "Abwesenheit entfernt",
    FreedReason.HOURS_EXTENDED: "Arbeitszeit erweitert",
    FreedReason.BREAK_REMOVED: "Pause entfernt",
}
