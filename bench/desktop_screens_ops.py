"""PNG renders of the OP-Plan and the Patientenfluss board (no server needed, synthetic data).

    uv run python bench/desktop_screens_ops.py [--out DIR] [--op-plan-only]

Writes ``desktop_op_plan.png``, ``desktop_op_plan_week.png``,
``desktop_op_plan_week_scrolled.png`` (the week with two more rooms, scrolled to Friday and
down: the room column and the time axis stay pinned), ``desktop_op_dialog.png`` (a new
operation whose surgeon is busy, with the offered starts) and ``desktop_patient_flow.png`` to
``--out`` (default ``bench/out/``) and prints how long building each screen took.

Then the OP coordinator's screens of issue #16 at the two screens the practice has, 1366×768
at 100 % and 1920×1080 at 150 % (1280×720 device-independent pixels, ``QT_SCALE_FACTOR=1.5``),
into ``--out``/op_plan/ as ``<screen>_<1366x768|1920x1080>.png``: ``op_plan_day`` and
``op_plan_week`` (500 operations each, as bench/desktop_op_flow.py measures them; the page
at the size the main window leaves it beside its navigation and below its top bar),
``op_dialog`` and ``op_list`` (the busy day's 500 operations). Each scale is rendered by a
child process, since Qt reads the scale factor once (as bench/desktop_screenshots.py does).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.api.client import ApiClient
from desktop.api.op_list import ListedOperation
from desktop.api.operations import (
    Choices,
    Clash,
    Conflict,
    ConflictKind,
    Doctor,
    OperationKind,
    Resource,
    StartSuggestion,
    TeamRole,
)
from desktop.api.patients import Patient
from desktop.app import create_application
from desktop.config import Preferences
from desktop.session import Session, User
from desktop.views.op_plan.model import Operation, PlanData, Room
from desktop.views.op_plan.op_list import OpListWindow
from desktop.views.op_plan.operation_dialog import OperationDialog
from desktop.views.op_plan.page import OpPlanPage
from desktop.views.patient_flow.model import STATUSES, FlowCard
from desktop.views.patient_flow.page import PatientFlowPage
from shared.domain.statuses import OperationStatus as S

NOWHERE = "http://127.0.0.1:9"
DAY = date(2027, 1, 18)
NOW = datetime.combine(DAY, time(11, 20))
PATIENTS = [
    "Mustermann, Max", "Musterfrau, Erika", "Becker, Jonas", "Wagner, Sophie",
    "Schulz, Karl", "Hoffmann, Lea", "Koch, Paul", "Richter, Mia", "Klein, Ben",
    "Wolf, Emma", "Neumann, Tim", "Schwarz, Lina",
]  # fmt: skip
SURGEONS = ["Dr. Anna Müller", "Dr. Bernd Schmidt", "Dr. Clara Weber"]
TYPES = [("Arthroskopie", 15, 60, 15), ("Katarakt-OP", 10, 30, 10), ("Hernien-OP", 20, 75, 20)]
#: (file tag, QT_SCALE_FACTOR, screen in device-independent pixels), as the front-desk renders.
SCREENS = [("1366x768", "1", (1366, 768)), ("1920x1080", "1.5", (1280, 720))]
#: What the main window's navigation column and top bar take of the screen (measured on
#: bench/out/front_desk/main_op_plan_1366x768.png); a page gets the rest.
CHROME = (170, 36)


def save(app: QApplication, widget: QWidget, path: Path) -> Path:
    app.processEvents()
    widget.grab().save(str(path))
    return path


def op_day(day: date = DAY, first_id: int = 1) -> PlanData:
    rooms = [
        Room(1, "OP 1", "#6A5ACD", 0.78),
        Room(2, "OP 2", "#41B3A3", 0.55),
        Room(3, "OP 3 (ambulant)", "#E0A3C8", 0.31),
    ]
    statuses = [S.DONE, S.RUNNING, S.CONFIRMED, S.PLANNED, S.PLANNED, S.CANCELLED]
    operations: list[Operation] = []
    n = 0
    for room in rooms:
        start = datetime.combine(day, time(7, 30)) + timedelta(minutes=20 * room.id)
        for slot in range(4 if room.id < 3 else 3):
            name, prep, dur, post = TYPES[(n + room.id) % 3]
            status = statuses[(slot + room.id) % len(statuses)] if slot else S.DONE
            if start <= NOW < start + timedelta(minutes=prep + dur + post):
                status = S.RUNNING
            elif start > NOW and status in (S.DONE, S.RUNNING):
                status = S.CONFIRMED
            operations.append(
                Operation(
                    id=first_id + n,
                    room_id=room.id,
                    patient_name=PATIENTS[n % len(PATIENTS)],
                    type_name=name,
                    surgeon=SURGEONS[n % 3],
                    start=start,
                    end=start + timedelta(minutes=prep + dur + post),
                    prep=prep,
                    duration=dur,
                    post=post,
                    status=status,
                    devices=["C-Bogen"]
                    if n % 3 == 0
                    else (["Arthroskop", "Laser"] if n % 4 == 1 else []),
                    team={"primary_surgeon": {"name": SURGEONS[n % 3]}},
                )
            )
            start += timedelta(minutes=prep + dur + post + 25)
            n += 1
    return PlanData(day, rooms, operations)


def op_week() -> PlanData:
    """Monday–Friday of ``DAY``'s week, each day like ``op_day`` with a few gaps."""
    monday = DAY - timedelta(days=DAY.weekday())
    days = [monday + timedelta(days=n) for n in range(5)]
    operations: list[Operation] = []
    for n, day in enumerate(days):
        ops = op_day(day, first_id=1 + 100 * n).operations
        operations.extend(op for i, op in enumerate(ops) if (i + n) % 4 != 3)
    return PlanData(DAY, op_day().rooms, operations, days=days)


def flow_cards(count: int) -> list[FlowCard]:
    cards = []
    for n in range(count):
        status = STATUSES[n % 6][0]
        cards.append(
            FlowCard(
                id=n + 1,
                status=status,
                patient=PATIENTS[n % len(PATIENTS)],
                start=datetime.combine(DAY, time(8)) + timedelta(minutes=15 * n),
                doctor=SURGEONS[n % 3],
                room="OP 1" if n % 4 == 0 else f"Behandlungsraum {1 + n % 2}",
                kind="Arthroskopie" if n % 4 == 0 else "Kontrolle",
                changed_at=NOW - timedelta(minutes=(n * 7) % 45),
                is_operation=n % 4 == 0,
            )
        )
    return cards


def conflict_dialog(session: Session) -> OperationDialog:
    """The operation dialog as a coordinator meets it: the surgeon is busy, starts offered."""
    choices = Choices(
        kinds=[OperationKind(n + 1, name, p, d, q) for n, (name, p, d, q) in enumerate(TYPES)],
        rooms=[Resource(1, "OP 1"), Resource(2, "OP 2"), Resource(3, "OP 3 (ambulant)")],
        devices=[Resource(10, "C-Bogen"), Resource(11, "Arthroskop"), Resource(12, "Laser")],
        doctors=[Doctor(n + 1, name.removeprefix("Dr. ")) for n, name in enumerate(SURGEONS)],
    )
    start = datetime.combine(DAY, time(11))
    dialog = OperationDialog(session.ops, room_id=2, start=start, choices=choices)
    dialog.patient.take(Patient(1004, "Sophie", "Wagner", date(2001, 7, 9)))
    dialog.kind.setCurrentIndex(1)
    dialog.team[TeamRole.SURGEON].setCurrentIndex(1)
    dialog.team[TeamRole.ANESTHESIST].setCurrentIndex(2)
    dialog.devices.item(0).setCheckState(Qt.CheckState.Checked)
    draft = dialog.draft()
    assert draft is not None
    busy = Clash(7, "Arthroskopie", "OP 1", "Anna Müller", start, start + timedelta(minutes=90))
    conflict = Conflict(
        ConflictKind.PERSON_OPERATION, role=TeamRole.SURGEON, person_id=1, clash=busy
    )
    offered = [
        StartSuggestion(start.replace(hour=13, minute=15), start.replace(hour=14, minute=45)),
        StartSuggestion(start + timedelta(days=1, hours=-3), start + timedelta(days=1)),
    ]
    dialog.show_verdict(draft, conflict, offered)
    dialog.resize(560, dialog.sizeHint().height())
    dialog.show()
    return dialog


def render(app: QApplication, out: Path, tmp: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    prefs = Preferences(QSettings(str(tmp / "ops.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(NOWHERE), prefs)
    user = User(1, "mfa.klein", "Lena", "Klein", "assistant")
    paths = []

    plan = OpPlanPage(session.ops, user, clock=lambda: NOW, settings=prefs.qsettings)
    plan.day = DAY
    plan.resize(1280, 560)
    plan.data = op_day()
    plan.show()
    started = clock.perf_counter()
    plan._build(plan.data)
    print(f"OP-Plan build: {(clock.perf_counter() - started) * 1000:.1f} ms")
    block = plan.scene.blocks[6]
    block.setSelected(True)
    plan._selected(block)
    plan.view.horizontalScrollBar().setValue(0)
    paths.append(save(app, plan, out / "desktop_op_plan.png"))

    plan.week = True
    plan._sync_range()
    plan.data = op_week()
    plan._sync_range_label(plan.data.days)
    plan.resize(1600, 560)
    plan._build(plan.data)
    plan.view.horizontalScrollBar().setValue(0)
    paths.append(save(app, plan, out / "desktop_op_plan_week.png"))
    # Two more rooms than fit, so the rows scroll too.
    plan.data.rooms += [Room(4, "OP 4", "#F2C14E", 0.12), Room(5, "Eingriffsraum", "#4C8BD6", 0.0)]
    plan.resize(1280, 420)
    plan._build(plan.data)
    app.processEvents()
    plan.view.horizontalScrollBar().setValue(plan.view.horizontalScrollBar().maximum())
    plan.view.verticalScrollBar().setValue(plan.view.verticalScrollBar().maximum())
    paths.append(save(app, plan, out / "desktop_op_plan_week_scrolled.png"))

    paths.append(save(app, conflict_dialog(session), out / "desktop_op_dialog.png"))

    board = PatientFlowPage(session.ops, user, clock=lambda: NOW, settings=prefs.qsettings)
    board.resize(1280, 720)
    board.show()
    board.flows = flow_cards(16)
    board._fill_filters()
    board._fill()
    paths.append(save(app, board, out / "desktop_patient_flow.png"))

    board.flows = flow_cards(200)
    started = clock.perf_counter()
    board._fill()
    print(f"Patientenfluss with 200 cards build: {(clock.perf_counter() - started) * 1000:.1f} ms")
    return paths


def listed(plan: PlanData) -> list[ListedOperation]:
    """The plan's operations as the OP list loads them."""
    rooms = {room.id: room.name for room in plan.rooms}
    return [
        ListedOperation(
            id=op.id,
            start=op.start,
            end=op.end,
            room_id=op.room_id,
            room_name=rooms[op.room_id],
            type_id=op.type_id,
            type_name=op.type_name,
            patient_id=op.patient_id,
            patient_name=op.patient_name,
            surgeon_id=op.surgeon_id,
            surgeon_name=op.surgeon,
            status=op.status,
            devices=tuple(op.devices),
        )
        for op in plan.operations
    ]


def render_op_screens(
    app: QApplication, out: Path, tmp: Path, tag: str, screen: tuple[int, int]
) -> list[Path]:
    """Child process (``QT_SCALE_FACTOR`` already set): the four screens at one scale."""
    # Imported here: that bench builds its plans from this module's names.
    from bench.desktop_op_flow import busy_plan

    out.mkdir(parents=True, exist_ok=True)
    prefs = Preferences(QSettings(str(tmp / f"ops-{tag}.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(NOWHERE), prefs)
    user = User(1, "mfa.klein", "Lena", "Klein", "assistant")
    page_size = (screen[0] - CHROME[0], screen[1] - CHROME[1])
    monday = DAY - timedelta(days=DAY.weekday())
    busy_day = busy_plan(10, [DAY], 50, 15)
    busy_week = busy_plan(10, [monday + timedelta(days=n) for n in range(5)], 10, 60)
    assert len(busy_day.operations) == len(busy_week.operations) == 500
    paths = []

    plan = OpPlanPage(session.ops, user, clock=lambda: NOW, settings=prefs.qsettings)
    plan.day = DAY
    plan.resize(*page_size)
    plan.show()
    plan.data = busy_day
    plan._build(plan.data)
    block = plan.scene.blocks[busy_day.operations[17].id]
    block.setSelected(True)
    plan._selected(block)
    paths.append(save(app, plan, out / f"op_plan_day_{tag}.png"))

    plan.week = True
    plan._sync_range()
    plan.data = busy_week
    plan._sync_range_label(busy_week.days)
    plan._build(plan.data)
    plan.view.horizontalScrollBar().setValue(0)
    paths.append(save(app, plan, out / f"op_plan_week_{tag}.png"))

    dialog = conflict_dialog(session)
    paths.append(save(app, dialog, out / f"op_dialog_{tag}.png"))
    print(f"{tag}: dialog {dialog.width()}×{dialog.height()} of {screen[0]}×{screen[1]}")

    listing = OpListWindow(session.ops, DAY, DAY)
    listing.show()
    # Nothing answers at NOWHERE (a signed-out session waits for a sign-in): hand the list
    # the busy day as if it had loaded it.
    listing._loaded(DAY, DAY, listed(busy_day))
    app.processEvents()
    listing.message.hide()
    paths.append(save(app, listing, out / f"op_list_{tag}.png"))
    print(f"{tag}: OP list {listing.width()}×{listing.height()} of {screen[0]}×{screen[1]}")
    return paths


def render_op_screens_at_both_scales(out: Path) -> None:
    for tag, scale, (width, height) in SCREENS:
        env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM="offscreen")
        command = [sys.executable, __file__, "--out", str(out), "--child", tag, str(width)]
        subprocess.run([*command, str(height)], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(Path(__file__).parent / "out"))
    parser.add_argument("--op-plan-only", action="store_true", help="only out/op_plan/")
    parser.add_argument("--child", nargs=3, metavar=("TAG", "WIDTH", "HEIGHT"))
    args = parser.parse_args()
    out = Path(args.out)
    tmp = Path(tempfile.mkdtemp(prefix="praxi-ops-shots-"))
    if args.child:
        tag, width, height = args.child
        app = create_application([])
        for path in render_op_screens(app, out / "op_plan", tmp, tag, (int(width), int(height))):
            print(f"wrote {path}")
        return
    if not args.op_plan_only:
        app = create_application([])
        for path in render(app, out, tmp):
            print(f"wrote {path}")
    render_op_screens_at_both_scales(out)


if __name__ == "__main__":
    main()
