"""Bench: OP-Plan with 500 operations and the Patientenfluss board with 200 cards (≤ 100 ms each).

    uv run python bench/desktop_op_flow.py [--rounds N] [--profile]

Each case is "build + paint": the page's own build from loaded data, then a forced paint of
what the screen (1600 × 1000) shows via ``grab()`` (for the OP-Plan the timeline view with its
pinned room column and time axis).

* OP-Plan, one very busy day: 10 rooms × 50 operations of 15 min (07:00–19:30), default zoom.
* OP-Plan, week range: 10 rooms × 5 days × 10 operations of 60 min (Mon–Fri), default zoom.
  Both as "first view" (every block new) and "reload" (the same plan again, as after a change
  notice: unchanged blocks are kept).
* Patientenfluss: 200 cards spread over the six status columns, as "first view" (an empty
  board before) and "reload" (the same cards again: nothing to rebuild).

Reports the median and maximum wall time and the median UI-thread CPU time
(``time.thread_time()``) over ``--rounds`` rounds, like ``bench/desktop_day_view.py``: on a
loaded machine the wall time includes waiting for a CPU, the CPU time is what the UI thread
itself spends. No server is needed: the data is synthetic, in the structure the pages' loaders
produce. ``--profile`` prints the top of a cProfile run of each case.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from bench.desktop_screens_ops import NOWHERE, PATIENTS, SURGEONS, TYPES, flow_cards
from desktop.api.client import ApiClient
from desktop.app import create_application
from desktop.config import Preferences
from desktop.session import Session, User
from desktop.views.op_plan.model import Operation, PlanData, Room
from desktop.views.op_plan.page import OpPlanPage
from desktop.views.patient_flow.page import PatientFlowPage
from shared.domain.statuses import OperationStatus

MONDAY = date(2027, 1, 18)
NOW = datetime.combine(MONDAY, time(11, 20))
ROOM_COLORS = ["#6A5ACD", "#41B3A3", "#E0A3C8", "#F2C14E", "#4C8BD6"]
STATUSES = [
    OperationStatus.DONE,
    OperationStatus.RUNNING,
    OperationStatus.CONFIRMED,
    OperationStatus.PLANNED,
    OperationStatus.PLANNED,
    OperationStatus.CANCELLED,
]
DEVICES = [["C-Bogen"], ["Arthroskop", "Laser"], [], []]
TARGET_MS = 100.0


def busy_plan(rooms: int, days: list[date], per_room_and_day: int, minutes: int) -> PlanData:
    """``per_room_and_day`` back-to-back operations of ``minutes`` per room and day from 07:00."""
    room_list = [
        Room(n + 1, f"OP {n + 1}", ROOM_COLORS[n % len(ROOM_COLORS)], 0.3 + 0.07 * n)
        for n in range(rooms)
    ]
    operations: list[Operation] = []
    for day in days:
        for room in room_list:
            start = datetime.combine(day, time(7))
            for slot in range(per_room_and_day):
                n = len(operations)
                name, prep, dur, post = TYPES[(n + room.id) % len(TYPES)]
                scale = minutes / (prep + dur + post)
                prep, post = round(prep * scale), round(post * scale)
                dur = minutes - prep - post
                operations.append(
                    Operation(
                        id=n + 1,
                        room_id=room.id,
                        patient_name=PATIENTS[n % len(PATIENTS)],
                        type_name=name,
                        surgeon=SURGEONS[n % len(SURGEONS)],
                        start=start,
                        end=start + timedelta(minutes=minutes),
                        prep=prep,
                        duration=dur,
                        post=post,
                        status=STATUSES[(slot + room.id) % len(STATUSES)],
                        devices=DEVICES[n % len(DEVICES)],
                        team={"primary_surgeon": {"id": 1 + n % 3, "name": SURGEONS[n % 3]}},
                        patient_id=1000 + n,
                        type_id=1 + (n + room.id) % len(TYPES),
                    )
                )
                start += timedelta(minutes=minutes)
    return PlanData(days[0], room_list, operations, days=days)


def plan_page(session: Session, prefs: Preferences, week: bool) -> OpPlanPage:
    user = User(1, "mfa.klein", "Lena", "Klein", "assistant")
    page = OpPlanPage(session.ops, user, clock=lambda: NOW, settings=prefs.qsettings)
    page.week = week
    page.day = MONDAY
    page.resize(1600, 1000)
    page.show()
    return page


Case = tuple[Callable[[], None], Callable[[], None]]
"""(setup before each round, not measured; the measured build + paint)"""


def measure(case: Case, rounds: int) -> tuple[list[float], list[float]]:
    setup, build = case
    wall, cpu = [], []
    for _ in range(rounds):
        setup()
        started, started_cpu = clock.perf_counter(), clock.thread_time()
        build()
        wall.append((clock.perf_counter() - started) * 1000)
        cpu.append((clock.thread_time() - started_cpu) * 1000)
    return wall, cpu


def report(label: str, wall: list[float], cpu: list[float]) -> None:
    def verdict(ms: float) -> str:
        return "ok" if ms <= TARGET_MS else "MISSED"

    median, median_cpu = statistics.median(wall), statistics.median(cpu)
    print(
        f"{label}, build + paint ({len(wall)} rounds): median {median:.1f} ms "
        f"(UI-thread CPU {median_cpu:.1f} ms), max {max(wall):.1f} ms "
        f"(CPU {max(cpu):.1f} ms); target <= {TARGET_MS:.0f} ms: wall {verdict(median)}, "
        f"CPU {verdict(median_cpu)}"
    )


def profile(label: str, case: Case) -> None:
    setup, build = case
    profiler = cProfile.Profile()
    for _ in range(5):
        setup()
        profiler.enable()
        build()
        profiler.disable()
    print(f"--- profile: {label} (5 rounds) ---")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    app: QApplication = create_application([])
    tmp = Path(tempfile.mkdtemp(prefix="praxi-bench-"))
    prefs = Preferences(QSettings(str(tmp / "bench.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(NOWHERE), prefs)

    day_plan = busy_plan(10, [MONDAY], 50, 15)
    week_days = [MONDAY + timedelta(days=n) for n in range(5)]
    week_plan = busy_plan(10, week_days, 10, 60)
    assert len(day_plan.operations) == len(week_plan.operations) == 500
    cards = flow_cards(200)
    user = User(1, "mfa.klein", "Lena", "Klein", "assistant")

    def plan_case(data: PlanData, week: bool, cold: bool) -> tuple[QWidget, Case]:
        page = plan_page(session, prefs, week)

        def setup() -> None:
            if cold:
                page.scene._layout_key = None  # nothing to reuse: every block is new

        def build() -> None:
            page.data = data
            page._build(data)
            # The whole view: the blocks' viewport and the pinned room column and time axis.
            page.view.grab()

        return page, (setup, build)

    def board_case(cold: bool) -> tuple[QWidget, Case]:
        board = PatientFlowPage(session.ops, user, clock=lambda: NOW, settings=prefs.qsettings)
        board.resize(1600, 1000)
        board.show()

        def setup() -> None:
            if cold:  # an empty board: every card is new
                board.flows = []
                board._fill()
                app.processEvents()
                app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

        def build() -> None:
            board.flows = cards
            board._fill()
            # New cards are shown (and painted) from the event loop; the grab paints the
            # visible ones again, so this errs on the slow side.
            app.processEvents()
            board.grab()

        return board, (setup, build)

    day_label = "OP-Plan day, 10 rooms x 50 operations"
    week_label = "OP-Plan week Mon-Fri, 10 rooms x 5 days x 10 operations"
    board_label = "Patientenfluss, 200 cards"
    cases: list[tuple[str, Callable[[], tuple[QWidget, Case]]]] = [
        (f"{day_label}, first view", lambda: plan_case(day_plan, False, True)),
        (f"{day_label}, reload", lambda: plan_case(day_plan, False, False)),
        (f"{week_label}, first view", lambda: plan_case(week_plan, True, True)),
        (f"{week_label}, reload", lambda: plan_case(week_plan, True, False)),
        (f"{board_label}, first view", lambda: board_case(True)),
        (f"{board_label}, reload", lambda: board_case(False)),
    ]
    for label, make in cases:
        # One screen at a time, so no other shown page repaints inside a measured round.
        widget, case = make()
        measure(case, 3)  # warm-up: fonts, glyph caches, style sheet parsing
        wall, cpu = measure(case, args.rounds)
        report(label, wall, cpu)
        if args.profile:
            profile(label, case)
        widget.close()
        widget.deleteLater()
        app.processEvents()


if __name__ == "__main__":
    main()
