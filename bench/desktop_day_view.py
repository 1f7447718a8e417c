"""Bench: build + paint a day view with 12 doctors × 40 appointments (target ≤ 50 ms).

    uv run python bench/desktop_day_view.py [--rounds N]

Reports the median wall time and UI-thread CPU time of two cases: "reload" (the same day
shown again, as after a change notice: blocks and labels are reused) and "first view" (an
empty scene without cached labels). On a loaded machine the wall time includes waiting for a
CPU; the CPU time is what the UI thread itself spends. No server is needed: the data is
synthetic and goes straight into the scene (the loader's job is covered by the tests).
PNG renders for review: ``bench/desktop_screenshots.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.app import create_application
from desktop.config import Preferences
from desktop.views.calendar.model import (
    Absence,
    Appointment,
    AppointmentType,
    Break,
    CalendarData,
    Doctor,
    Hours,
)
from desktop.views.calendar.page import CalendarPage

DAY = date(2027, 1, 18)
COLORS = [
    "#4C8BD6",
    "#7BC47F",
    "#E8A87C",
    "#C38D9E",
    "#41B3A3",
    "#F2C14E",
    "#8E7DBE",
    "#5DA9E9",
    "#F78154",
    "#6C8EAD",
    "#B5D99C",
    "#D4A5A5",
]
NAMES = [
    "Anna Müller",
    "Bernd Schmidt",
    "Clara Weber",
    "David Fischer",
    "Eva Becker",
    "Felix Wagner",
    "Greta Hoffmann",
    "Hanna Schulz",
    "Ingo Koch",
    "Jana Richter",
    "Karl Klein",
    "Lea Wolf",
]
PATIENTS = [
    "Mustermann, Max",
    "Musterfrau, Erika",
    "Becker, Jonas",
    "Wagner, Sophie",
    "Schäfer, Paul",
    "Neumann, Mia",
    "Schwarz, Leon",
    "Zimmermann, Emma",
]
TYPES = [
    AppointmentType(1, "Kontrolle", "#F2C14E", 15),
    AppointmentType(2, "Erstgespräch", "#8FB8DE", 30),
    AppointmentType(3, "Impfung", "#A8D5BA", 10),
    AppointmentType(4, "Ultraschall", "#E0A3C8", 20),
]


def synthetic_day(doctors: int = 12, per_doctor: int = 40, day: date = DAY) -> CalendarData:
    """``per_doctor`` back-to-back appointments of 10–15 min from 07:30 on, breaks, one absence."""
    docs = [Doctor(n + 1, NAMES[n % len(NAMES)], COLORS[n % len(COLORS)]) for n in range(doctors)]
    appointments: list[Appointment] = []
    next_id = 1
    for doc in docs:
        start = datetime.combine(day, time(7, 30))
        for n in range(per_doctor):
            kind = TYPES[(n + doc.id) % len(TYPES)]
            minutes = 10 if n % 3 else 15
            end = start + timedelta(minutes=minutes)
            status = "cancelled" if n % 17 == 5 else "scheduled"
            appointments.append(
                Appointment(
                    id=next_id,
                    patient_id=1000 + next_id,
                    patient_name=f"{PATIENTS[(n + doc.id) % len(PATIENTS)]}",
                    doctor=doc.id,
                    doctor_name=doc.name,
                    start=start,
                    end=end,
                    status=status,
                    is_no_show=n % 19 == 3,
                    type_id=kind.id,
                    type_name=kind.name,
                    type_color=kind.color,
                    doctor_color=doc.color,
                    resource_ids=[],
                    room_name="Raum 1" if n % 4 == 0 else None,
                    notes="",
                )
            )
            next_id += 1
            start = end + timedelta(minutes=5 if n % 6 == 5 else 0)
    practice = [Hours(w, time(7, 30), time(18)) for w in range(5)]
    hours = [Hours(w, time(8), time(17), d.id) for w in range(5) for d in docs]
    return CalendarData(
        first=day,
        last=day,
        doctors=docs,
        appointments=appointments,
        practice_hours=practice,
        doctor_hours=hours,
        breaks=[Break(day, time(12, 30), time(13, 15), None, "Mittagspause")],
        absences=[],
        types=TYPES,
    )


def demo_day(day: date = DAY) -> CalendarData:
    """A realistic, readable day for the screenshot: 4 doctors, one absent."""
    data = synthetic_day(4, 22, day)
    data.absences = [Absence(4, day - timedelta(days=2), day + timedelta(days=4), "Urlaub")]
    data.appointments = [a for a in data.appointments if a.doctor != 4]
    for n, item in enumerate(data.appointments):
        if n % 5 == 2:
            item.end = item.start + timedelta(minutes=30)
    data.appointments = [a for n, a in enumerate(data.appointments) if n % 4 != 1]
    return data


def make_page(app: QApplication, tmp: Path) -> CalendarPage:
    prefs = Preferences(QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat))
    page = CalendarPage.__new__(CalendarPage)
    from desktop.api.client import ApiClient
    from desktop.ops import Ops

    CalendarPage.__init__(
        page,
        Ops(ApiClient("http://127.0.0.1:9")),
        prefs,
        clock=lambda: datetime.combine(DAY, time(10, 20)),
    )
    return page


def forget_scene(page: CalendarPage) -> None:
    """Back to an empty scene with no cached labels: the first view of a day."""
    scene = page.grid.calendar_scene
    for item in scene.blocks.values():
        scene.removeItem(item)
    scene.blocks = {}
    scene.items_by_id = {}
    scene._labels.clear()
    assert not scene.items()


def measure(
    page: CalendarPage, data: CalendarData, rounds: int, *, cold: bool = False
) -> tuple[list[float], list[float]]:
    """Build + paint ``rounds`` times; ``cold`` starts each round from an empty scene."""
    page.resize(1600, 1000)
    page.show()
    timings, cpu = [], []
    for _ in range(rounds):
        if cold:
            forget_scene(page)
        started, started_cpu = clock.perf_counter(), clock.thread_time()
        page.data = data
        page._show()
        page.grid.viewport().grab()  # paints every visible item and the background
        timings.append((clock.perf_counter() - started) * 1000)
        cpu.append((clock.thread_time() - started_cpu) * 1000)
    return timings, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    import tempfile

    app = create_application([])
    tmp = Path(tempfile.mkdtemp(prefix="praxi-bench-"))
    page = make_page(app, tmp)
    data = synthetic_day()
    assert len(data.appointments) == 480
    measure(page, data, 3)  # warm-up (fonts, glyph caches)
    for label, cold in (("reload", False), ("first view", True)):
        timings, cpu = measure(page, data, args.rounds, cold=cold)
        print(
            f"day view 12 doctors x 40 appointments, build + paint, {label} "
            f"({args.rounds} rounds): median {statistics.median(timings):.1f} ms "
            f"(UI-thread CPU {statistics.median(cpu):.1f} ms), max {max(timings):.1f} ms "
            "(target <= 50 ms)"
        )


if __name__ == "__main__":
    main()
