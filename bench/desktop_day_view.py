"""Bench: build + paint a day view with 12 doctors × 40 appointments (target ≤ 50 ms) and a
week grid with 8 doctors × 5 days (40 columns, 480 appointments; target ≤ 100 ms).

    uv run python bench/desktop_day_view.py [--rounds N] [--png PREFIX]

Reports the median wall time and UI-thread CPU time of two cases: "reload" (the same day
shown again, as after a change notice: blocks and labels are reused) and "first view" (an
empty scene without cached labels). ``--png PREFIX`` also writes ``PREFIX_day.png`` (a
readable demo day with every block status, 15-minute grid) and ``PREFIX_day_10min.png``
(the same day on a 10-minute grid) for review. On a loaded machine the wall time includes
waiting for a CPU; the CPU time is what the UI thread itself spends. No server is needed: the
data is synthetic and goes straight into the scene (the loader's job is covered by the
tests). PNG renders of whole screens: ``bench/desktop_screenshots.py``.
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
from desktop.views.calendar.scene import Column
from shared.domain.statuses import AppointmentStatus, PatientFlowStatus

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
    "Özdemir, Ümit",
    "Zimmermann, Emma",
]
TYPES = [
    AppointmentType(1, "Kontrolle", "#F2C14E", 15),
    AppointmentType(2, "Erstgespräch", "#8FB8DE", 30),
    AppointmentType(3, "Impfung", "#A8D5BA", 10),
    AppointmentType(4, "Ultraschall", "#E0A3C8", 20),
]


#: A flow status for some appointments (every block status appears in a day).
FLOWS = [
    None,
    PatientFlowStatus.WAITING,
    None,
    PatientFlowStatus.IN_TREATMENT,
    None,
    PatientFlowStatus.DONE,
    None,
]


def synthetic_day(
    doctors: int = 12, per_doctor: int = 40, day: date = DAY, days: int = 1
) -> CalendarData:
    """``per_doctor`` back-to-back appointments of 10–15 min from 07:30 on per doctor and day
    (``days`` from ``day`` on), a break; mixed statuses."""
    docs = [Doctor(n + 1, NAMES[n % len(NAMES)], COLORS[n % len(COLORS)]) for n in range(doctors)]
    appointments: list[Appointment] = []
    next_id = 1
    for doc, offset in ((doc, offset) for offset in range(days) for doc in docs):
        start = datetime.combine(day + timedelta(days=offset), time(7, 30))
        for n in range(per_doctor):
            kind = TYPES[(n + doc.id) % len(TYPES)]
            minutes = 10 if n % 3 else 15
            end = start + timedelta(minutes=minutes)
            status = (
                AppointmentStatus.CANCELLED
                if n % 17 == 5
                else AppointmentStatus.CONFIRMED
                if n % 4 == 1
                else AppointmentStatus.SCHEDULED
            )
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
                    flow_status=FLOWS[n % len(FLOWS)] if n < 12 else None,
                )
            )
            next_id += 1
            start = end + timedelta(minutes=5 if n % 6 == 5 else 0)
    practice = [Hours(w, time(7, 30), time(18)) for w in range(5)]
    hours = [Hours(w, time(8), time(17), d.id) for w in range(5) for d in docs]
    return CalendarData(
        first=day,
        last=day + timedelta(days=days - 1),
        doctors=docs,
        appointments=appointments,
        practice_hours=practice,
        doctor_hours=hours,
        breaks=[
            Break(day + timedelta(days=n), time(12, 30), time(13, 15), None, "Mittagspause")
            for n in range(days)
        ],
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


def week_columns(data: CalendarData) -> list[Column]:
    """One column per doctor per day (the multi-doctor week)."""
    return [
        Column(day, d.id, f"{day:%d.%m.}", d.name, d.color)
        for day in data.days()
        for d in data.doctors
    ]


def measure_week(
    page: CalendarPage, data: CalendarData, rounds: int, *, cold: bool = False
) -> tuple[list[float], list[float]]:
    """Build + paint the week grid straight through the scene (the page's week columns are
    its own business; what costs is the scene)."""
    page.resize(1600, 1000)
    page.show()
    grid = page.grid
    columns = week_columns(data)
    timings, cpu = [], []
    for _ in range(rounds):
        if cold:
            forget_scene(page)
        started, started_cpu = clock.perf_counter(), clock.thread_time()
        grid.calendar_scene.set_content(data, columns, 15, grid.column_width(len(columns)))
        grid.viewport().grab()
        timings.append((clock.perf_counter() - started) * 1000)
        cpu.append((clock.thread_time() - started_cpu) * 1000)
    return timings, cpu


def write_pngs(page: CalendarPage, prefix: str) -> None:
    data = demo_day()
    page.resize(1100, 720)
    for slot, suffix in ((15, "day"), (10, "day_10min")):
        page.slot_minutes = slot
        page.data = data
        page._show()
        page.grid.scroll_to_hour(8)
        QApplication.processEvents()
        path = f"{prefix}_{suffix}.png"
        page.grab().save(path)
        print("wrote", path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--png", help="also write PNG renders: PREFIX_day.png, …")
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
    week = synthetic_day(8, 12, monday := DAY - timedelta(days=DAY.weekday()), days=5)
    assert len(week.appointments) == 480
    assert week.first == monday
    page.data = None
    measure_week(page, week, 3)
    for label, cold in (("reload", False), ("first view", True)):
        timings, cpu = measure_week(page, week, args.rounds, cold=cold)
        print(
            f"week grid 8 doctors x 5 days (480 appointments), build + paint, {label} "
            f"({args.rounds} rounds): median {statistics.median(timings):.1f} ms "
            f"(UI-thread CPU {statistics.median(cpu):.1f} ms), max {max(timings):.1f} ms "
            "(target <= 100 ms)"
        )
    if args.png:
        write_pngs(page, args.png)


if __name__ == "__main__":
    main()
