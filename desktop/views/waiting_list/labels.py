"""German texts of the waiting list's names (``shared.domain.waiting_list``), for the catalogue.

The shared enums carry German labels too, but the desktop shows every text through its own
catalogue (``desktop.i18n``): the tables here list them for lupdate under the context
"WaitingList", and :func:`label` shows them translated.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QCoreApplication

from desktop.api.waiting_list import Entry, TimeWindow
from desktop.i18n import QT_TRANSLATE_NOOP
from shared.domain.waiting_list import (
    EntryStatus,
    FreedReason,
    Priority,
    RemovalReason,
)

CONTEXT = "WaitingList"

STATUS = {
    EntryStatus.WAITING: QT_TRANSLATE_NOOP("WaitingList", "Wartend"),
    EntryStatus.OFFERED: QT_TRANSLATE_NOOP("WaitingList", "Angeboten"),
    EntryStatus.BOOKED: QT_TRANSLATE_NOOP("WaitingList", "Gebucht"),
    EntryStatus.REMOVED: QT_TRANSLATE_NOOP("WaitingList", "Entfernt"),
}
PRIORITY = {
    Priority.NORMAL: QT_TRANSLATE_NOOP("WaitingList", "Normal"),
    Priority.URGENT: QT_TRANSLATE_NOOP("WaitingList", "Dringend"),
}
REMOVAL = {
    RemovalReason.EXPIRED: QT_TRANSLATE_NOOP("WaitingList", "Abgelaufen"),
    RemovalReason.PATIENT_DECLINED: QT_TRANSLATE_NOOP("WaitingList", "Patient verzichtet"),
    RemovalReason.BOOKED_ELSEWHERE: QT_TRANSLATE_NOOP("WaitingList", "Anderweitig gebucht"),
    RemovalReason.OTHER: QT_TRANSLATE_NOOP("WaitingList", "Sonstiges"),
}
FREED = {
    FreedReason.CANCELLED: QT_TRANSLATE_NOOP("WaitingList", "Termin abgesagt"),
    FreedReason.DELETED: QT_TRANSLATE_NOOP("WaitingList", "Termin gelöscht"),
    FreedReason.MOVED: QT_TRANSLATE_NOOP("WaitingList", "Termin verschoben"),
    FreedReason.NO_SHOW: QT_TRANSLATE_NOOP("WaitingList", "Nicht erschienen"),
    FreedReason.ABSENCE_SHORTENED: QT_TRANSLATE_NOOP("WaitingList", "Abwesenheit verkürzt"),
    FreedReason.ABSENCE_REMOVED: QT_TRANSLATE_NOOP("WaitingList", "Abwesenheit entfernt"),
    FreedReason.HOURS_EXTENDED: QT_TRANSLATE_NOOP("WaitingList", "Arbeitszeit erweitert"),
    FreedReason.BREAK_REMOVED: QT_TRANSLATE_NOOP("WaitingList", "Pause entfernt"),
}
WEEKDAYS = [
    QT_TRANSLATE_NOOP("WaitingList", "Mo"),
    QT_TRANSLATE_NOOP("WaitingList", "Di"),
    QT_TRANSLATE_NOOP("WaitingList", "Mi"),
    QT_TRANSLATE_NOOP("WaitingList", "Do"),
    QT_TRANSLATE_NOOP("WaitingList", "Fr"),
    QT_TRANSLATE_NOOP("WaitingList", "Sa"),
    QT_TRANSLATE_NOOP("WaitingList", "So"),
]


def label(text: str) -> str:
    """A source text of the tables above, as shown."""
    return QCoreApplication.translate(CONTEXT, text)


def weekday(day: int) -> str:
    return label(WEEKDAYS[day])


def _clock(value: time) -> str:
    return f"{value:%H:%M}"


def windows_text(windows: tuple[TimeWindow, ...]) -> str:
    """``"Mo–Fr 08:00–12:00; Di 15:00–18:00"``: runs of weekdays with the same hours joined."""
    if not windows:
        return QCoreApplication.translate("WaitingList", "jederzeit")
    by_hours: dict[tuple[time, time], list[int]] = {}
    for window in sorted(windows, key=lambda w: (w.start, w.end, w.weekday)):
        by_hours.setdefault((window.start, window.end), []).append(window.weekday)
    parts = []
    for (start, end), days in by_hours.items():
        parts.append(f"{_days_text(sorted(set(days)))} {_clock(start)}–{_clock(end)}")
    return "; ".join(parts)


def _days_text(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        weekday(run[0]) if len(run) == 1 else f"{weekday(run[0])}–{weekday(run[-1])}"
        for run in runs
    )


def period_text(entry: Entry) -> str:
    """``"18.01.–31.01.2027"``, ``"ab 18.01.2027"``, ``"bis 31.01.2027"`` or ``"offen"``."""
    first, last = entry.earliest_date, entry.latest_date
    if first and last:
        return f"{first:%d.%m.}–{last:%d.%m.%Y}"
    if first:
        return QCoreApplication.translate("WaitingList", "ab {0}").format(f"{first:%d.%m.%Y}")
    if last:
        return QCoreApplication.translate("WaitingList", "bis {0}").format(f"{last:%d.%m.%Y}")
    return QCoreApplication.translate("WaitingList", "offen")


def when_text(start: datetime, end: datetime) -> str:
    """``"Mo 18.01. 10:00–10:30"``."""
    return f"{weekday(start.weekday())} {start:%d.%m.} {_clock(start.time())}–{_clock(end.time())}"


def status_text(entry: Entry) -> str:
    """``"Entfernt (Patient verzichtet)"``, ``"Wartend"``."""
    text = label(STATUS[entry.status])
    if entry.status is EntryStatus.REMOVED and entry.removal_reason is not None:
        return f"{text} ({label(REMOVAL[entry.removal_reason])})"
    return text


def day_text(day: date) -> str:
    return f"{weekday(day.weekday())} {day:%d.%m.%Y}"
