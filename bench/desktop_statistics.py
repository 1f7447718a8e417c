"""PNG renders of the Statistik screen (demo numbers, January 2027).

    uv run python bench/desktop_statistics.py [--out DIR]

No server is needed: the page is built against an unreachable client and each section is fed
the JSON a server would answer (or its 403), through the methods its background operations
call. Writes ``desktop_statistics.png`` (the screen as an assistant sees it, 1280×800),
``desktop_statistics_report.png`` (the PNG export: the whole report) and
``desktop_statistics_doctor.png`` (a doctor: own figures, refused sections).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.app import create_application
from desktop.config import Preferences
from desktop.ops import Ops
from desktop.session import Session, User
from desktop.views.statistics.page import StatisticsPage
from desktop.views.statistics.ranges import DateRange

NOWHERE = "http://127.0.0.1:9"
NOW = datetime(2027, 1, 18, 9, 40)
JANUARY = DateRange(date(2027, 1, 1), date(2027, 1, 31))
ASSISTANT = User(4, "mfa.klein", "Lena", "Klein", "assistant")
DOCTOR = User(11, "dr.mueller", "Anna", "Müller", "doctor")
RANGE = {"range_from": "2027-01-01", "range_to": "2027-01-31"}


def resource(rid: int, name: str, kind: str, color: str) -> dict[str, Any]:
    return {"id": rid, "name": name, "type": kind, "color": color, "active": True}


def person(pid: int, name: str, color: str) -> dict[str, Any]:
    return {"id": pid, "name": name, "color": color}


ANSWERS: dict[str, Any] = {
    "op_overview": {
        **RANGE,
        "op_count": 46,
        "total_op_minutes": 4185,
        "average_op_duration": 90.978,
    },
    "op_rooms": {
        **RANGE,
        "rooms": [
            {
                "room": resource(5, "OP 1", "room", "#6A5ACD"),
                "total_minutes": 14880,
                "used_minutes": 2460,
                "utilization": 0.1653,
            },
            {
                "room": resource(6, "OP 2", "room", "#2E8B57"),
                "total_minutes": 14880,
                "used_minutes": 1365,
                "utilization": 0.0917,
            },
            {
                "room": resource(7, "Eingriffsraum", "room", "#CD853F"),
                "total_minutes": 14880,
                "used_minutes": 360,
                "utilization": 0.0242,
            },
        ],
    },
    "op_devices": {
        **RANGE,
        "devices": [
            {"device": resource(8, "C-Bogen", "device", "#8B4513"), "usage_minutes": 1650},
            {
                "device": resource(9, "Arthroskopie-Turm", "device", "#1A73E8"),
                "usage_minutes": 1420,
            },
            {"device": resource(10, "Ultraschall", "device", "#00897B"), "usage_minutes": 540},
        ],
    },
    "op_surgeons": {
        **RANGE,
        "surgeons": [
            {
                "surgeon": person(11, "Dr. Anna Müller", "#4C8BD6"),
                "op_count": 21,
                "total_op_minutes": 1995,
                "average_op_duration": 95.0,
            },
            {
                "surgeon": person(12, "Dr. Bernd Schmidt", "#7BC47F"),
                "op_count": 17,
                "total_op_minutes": 1530,
                "average_op_duration": 90.0,
            },
            {
                "surgeon": person(13, "Dr. Clara Weber", "#E8A87C"),
                "op_count": 8,
                "total_op_minutes": 660,
                "average_op_duration": 82.5,
            },
        ],
    },
    "op_types": {
        **RANGE,
        "types": [
            {
                "type": person(1, "Arthroskopie Knie", "#1A73E8"),
                "count": 19,
                "avg_duration": 92.4,
                "min_duration": 75,
                "max_duration": 120,
            },
            {
                "type": person(2, "Karpaltunnel-OP", "#8A2BE2"),
                "count": 14,
                "avg_duration": 45.0,
                "min_duration": 45,
                "max_duration": 45,
            },
            {
                "type": person(3, "Metallentfernung", "#E67E22"),
                "count": 9,
                "avg_duration": 60.0,
                "min_duration": 60,
                "max_duration": 60,
            },
            {
                "type": person(4, "Hallux-valgus-Korrektur", "#C0392B"),
                "count": 4,
                "avg_duration": 135.0,
                "min_duration": 120,
                "max_duration": 150,
            },
        ],
    },
    "kpi_operations": {
        "utilization": {
            "utilization": 63.4,
            "booked_hours": 412.5,
            "available_hours": 650.0,
            "appointment_count": 612,
            "operation_count": 46,
        },
        "throughput": {"appointments": 341, "operations": 18, "total": 359, "avg_per_day": 11.6},
        "no_show": {"no_show_count": 14, "completed": 341, "total_past": 367, "no_show_rate": 3.8},
        "cancellation": {"cancellation_rate": 5.2, "cancelled_count": 34, "total": 651},
        "patient_flow_times": {
            "avg_wait_minutes": 12.4,
            "avg_treatment_minutes": 18.9,
            "wait_count": 298,
            "treatment_count": 291,
        },
        "bottleneck": {"index": 9.6, "label": "Niedrig"},
    },
    "kpi_scheduling": {
        "slot_utilization": {
            "available_slots": 3720,
            "booked_slots": 612,
            "utilization_rate": 16.5,
        },
        "completion_rate": {"rate": 92.9, "completed": 341, "total": 367},
        "lead_time": {"avg_lead_time_days": 8.3},
        "efficiency": {"score": 58.2, "label": "Durchschnitt"},
    },
    "kpi_patients": {
        "total_patients": 2014,
        "active_patients": 487,
        "active_rate": 24.2,
        "new_this_month": 38,
    },
    "kpi_doctors": {
        "doctors": [
            {
                "doctor_id": 11,
                "name": "Anna Müller",
                "color": "#4C8BD6",
                "utilization": 71.8,
                "appointments": 244,
                "completed": 139,
                "avg_per_day": 11.1,
                "no_show_rate": 3.1,
                "cancellation_rate": 4.5,
                "new_patient_rate": 7.9,
            },
            {
                "doctor_id": 12,
                "name": "Bernd Schmidt",
                "color": "#7BC47F",
                "utilization": 64.2,
                "appointments": 219,
                "completed": 121,
                "avg_per_day": 10.0,
                "no_show_rate": 4.4,
                "cancellation_rate": 5.9,
                "new_patient_rate": 6.2,
            },
            {
                "doctor_id": 13,
                "name": "Clara Weber",
                "color": "#E8A87C",
                "utilization": 48.9,
                "appointments": 149,
                "completed": 81,
                "avg_per_day": 8.3,
                "no_show_rate": 4.0,
                "cancellation_rate": 5.4,
                "new_patient_rate": 9.1,
            },
        ]
    },
    "kpi_doctor": {
        "utilization": {"utilization": 71.8, "booked_hours": 151.0, "available_hours": 210.5},
        "volume": {"total": 244, "completed": 139},
        "no_show": {"no_show_count": 5, "no_show_rate": 3.1, "total_past": 161},
        "cancellation": {"cancelled": 11, "total": 244, "cancellation_rate": 4.5},
        "duration": {"avg_planned": 22.6},
        "new_patients": {"total_patients": 178, "new_patients": 14, "new_patient_rate": 7.9},
    },
}
#: What the server answers a doctor (rbac-operations-flow.md §2.8, §5).
DOCTOR_REFUSED = {"op_rooms", "op_devices", "op_types", "kpi_operations", "kpi_scheduling"}
DOCTOR_REFUSED |= {"kpi_patients"}
#: A doctor's op-stats cover only the own operations (04 §6).
DOCTOR_ANSWERS = {
    "op_overview": {
        **RANGE,
        "op_count": 24,
        "total_op_minutes": 2235,
        "average_op_duration": 93.125,
    },
    "op_surgeons": {**RANGE, "surgeons": ANSWERS["op_surgeons"]["surgeons"][:1]},
}


def build(ops: Ops, user: User) -> StatisticsPage:
    page = StatisticsPage(ops, user, clock=lambda: NOW)
    page.range = JANUARY
    page._show_range()
    page.quick.blockSignals(True)
    page.quick.setCurrentIndex(page.quick.findData("custom"))
    page.quick.blockSignals(False)
    page.resize(1110, 800)  # the main window's page area at 1280×800 (navigation 170 px)
    page.show()
    page._pending = {section.key for section in page.sections}
    for section in page.sections:
        if user.role == "doctor" and section.key in DOCTOR_REFUSED:
            refusal = ApiError(
                403, {"detail": "You do not have permission to perform this action."}
            )
            page._section_failed(page._generation, section, refusal)
        else:
            answers = DOCTOR_ANSWERS if user.role == "doctor" else {}
            body = answers.get(section.key, ANSWERS[section.key])
            page._section_loaded(page._generation, section, body)
    return page


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def render(app: QApplication, out: Path, tmp: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    prefs = Preferences(QSettings(str(tmp / "shots.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(NOWHERE), prefs)
    ops = session.ops
    ops.online = True
    page = build(ops, ASSISTANT)
    settle(app)
    screen = out / "desktop_statistics.png"
    page.grab().save(str(screen))
    report = page.export_png(out / "desktop_statistics_report.png")
    doctor_page = build(ops, DOCTOR)
    settle(app)
    doctor = out / "desktop_statistics_doctor.png"
    doctor_page.grab().save(str(doctor))
    return [screen, report, doctor]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    app = create_application([])
    with tempfile.TemporaryDirectory() as tmp:
        for path in render(app, args.out, Path(tmp)):
            print(path)


if __name__ == "__main__":
    main()
