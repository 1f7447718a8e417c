"""PNG renders of the Patienten, Stammdaten, Benutzer and Audit-Log screens (demo data).

    uv run python bench/desktop_screens_ii.py [--out DIR]

No server is needed: each screen is built against an unreachable client and fed the JSON a
server would answer, through the same methods its background operations call. Writes
``desktop_patients.png``, ``desktop_master_data_types.png``, ``desktop_master_data_absence.png``,
``desktop_master_data_hours.png``, ``desktop_users.png`` and ``desktop_audit_log.png``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication, QDateEdit, QLineEdit, QWidget

from desktop.api.client import ApiClient
from desktop.app import create_application
from desktop.config import Preferences
from desktop.ops import Ops
from desktop.session import Session, User
from desktop.views.audit_log.page import AuditLogPage
from desktop.views.master_data.absences import AbsencePage
from desktop.views.master_data.page import MasterDataPage
from desktop.views.patients.page import PatientsPage
from desktop.views.users.page import UsersPage

NOWHERE = "http://127.0.0.1:9"
STAMP = "2027-01-18T09:00:00+01:00"
ADMIN = User(1, "praxis.admin", "Petra", "Hausmann", "admin")
ASSISTANT = User(4, "mfa.klein", "Lena", "Klein", "assistant")

PATIENTS = [
    (1001, "Mustermann", "Max", "1990-05-15", "A104729384", "0351 4471203"),
    (1002, "Musterfrau", "Erika", "1985-03-02", "K220938471", "0351 8810442"),
    (1003, "Becker", "Jonas", "1977-11-30", "B883920174", ""),
    (1004, "Wagner", "Sophie", "2001-07-09", "W019283746", "0176 22841190"),
    (1005, "Schulz", "Hannah", "1962-02-21", "S550193847", "0351 2219087"),
    (1006, "Hoffmann", "Lukas", "1994-09-13", "H774102938", ""),
    (1007, "Koch", "Marie", "1958-12-04", "K338401927", "0162 9920187"),
    (1008, "Richter", "Paul", "2010-04-27", "R662019384", "0351 7728190"),
    (1009, "Klein", "Emma", "1988-06-30", "K901827364", "0157 33019284"),
    (1010, "Wolf", "Felix", "1971-01-08", "W228190374", ""),
]
DOCTORS = [
    {"id": 11, "name": "Dr. Anna Müller", "calendar_color": "#4C8BD6"},
    {"id": 12, "name": "Dr. Bernd Schmidt", "calendar_color": "#7BC47F"},
    {"id": 13, "name": "Dr. Clara Weber", "calendar_color": "#E8A87C"},
]


def patient(row: tuple[int, str, str, str, str, str]) -> dict[str, Any]:
    pid, last, first, born, insurance, phone = row
    return {
        "id": pid,
        "last_name": last,
        "first_name": first,
        "birth_date": born,
        "gender": "male" if first in ("Max", "Jonas", "Lukas", "Paul", "Felix") else "female",
        "phone": phone or None,
        "email": f"{first.lower()}.{last.lower()}@example.org",
        "insurance_number": insurance,
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def appointment(day: str, start: str, end: str, doctor: str, kind: str, status: str) -> Any:
    return {
        "start_time": f"{day}T{start}:00+01:00",
        "end_time": f"{day}T{end}:00+01:00",
        "doctor_name": doctor,
        "type": {"name": kind},
        "status": status,
        "is_no_show": False,
    }


def save(app: QApplication, widget: QWidget, path: Path) -> Path:
    app.processEvents()
    widget.grab().save(str(path))
    return path


def render_patients(app: QApplication, ops: Ops, out: Path) -> Path:
    page = PatientsPage(ops, ASSISTANT)
    page.resize(1280, 720)
    page.show()
    page._seq = 1
    page._listed(1, {"results": [patient(p) for p in PATIENTS], "count": 137})
    page.current = None
    first = page.patients[0]
    page.current = first
    page._select(first["id"])
    page.form.load(first)
    page.title.setText("Mustermann, Max (* 15.05.1990)")
    page.appointments = [
        appointment("2027-02-08", "10:00", "10:30", "Dr. Anna Müller", "Kontrolle", "scheduled"),
        appointment("2027-01-18", "09:00", "09:30", "Dr. Anna Müller", "Kontrolle", "confirmed"),
        appointment(
            "2026-11-03", "14:15", "14:45", "Dr. Bernd Schmidt", "Erstgespräch", "completed"
        ),
        appointment("2026-08-21", "08:30", "09:00", "Dr. Anna Müller", "Impfung", "cancelled"),
    ]
    page.operations = [
        {
            "start_time": "2026-12-02T08:00:00+01:00",
            "end_time": "2026-12-02T09:25:00+01:00",
            "op_type": {"name": "Arthroskopie Knie"},
            "op_room": {"name": "OP 1"},
            "team": {"primary_surgeon": {"name": "Dr. Clara Weber"}},
            "status": "done",
        }
    ]
    page._show_history()
    page.tabs.setCurrentIndex(0)
    return save(app, page, out / "desktop_patients.png")


def render_patient_history(app: QApplication, ops: Ops, out: Path, page: PatientsPage) -> Path:
    page.tabs.setCurrentIndex(1)
    return save(app, page, out / "desktop_patients_history.png")


def master_page(ops: Ops, user: User) -> MasterDataPage:
    page = MasterDataPage(ops, user)
    page.resize(1280, 720)
    page.show()
    page._loaded_tabs.update(page.pages)  # fed below, nothing to load
    page._doctors(DOCTORS)
    return page


def feed(table: Any, rows: list[dict[str, Any]]) -> None:
    table._load_seq = 1
    table._loaded(1, rows)


def render_types(app: QApplication, ops: Ops, out: Path) -> Path:
    page = master_page(ops, ASSISTANT)
    types = page.show_tab("appointment_types")
    rows = [
        ("Kontrolle", "#F2C14E", 30),
        ("Erstgespräch", "#4C8BD6", 45),
        ("Impfung", "#7BC47F", 15),
        ("Sonografie", "#B58BD6", 20),
        ("Befundbesprechung", "#E8A87C", 15),
        ("Notfall", "#C62828", None),
    ]
    feed(
        types,
        [
            {
                "id": n + 1,
                "name": name,
                "color": color,
                "duration_minutes": minutes,
                "active": name != "Befundbesprechung",
            }
            for n, (name, color, minutes) in enumerate(rows)
        ],
    )
    types.open_record(1)
    return save(app, page, out / "desktop_master_data_types.png")


def render_hours(app: QApplication, ops: Ops, out: Path) -> Path:
    page = master_page(ops, ASSISTANT)
    hours = page.show_tab("practice_hours")
    rows = []
    for weekday in range(5):
        rows.append((weekday, "08:00:00", "12:00:00"))
        if weekday != 2:
            rows.append((weekday, "14:00:00", "18:00:00"))
    feed(
        hours,
        [
            {"id": n + 1, "weekday": w, "start_time": s, "end_time": e, "active": True}
            for n, (w, s, e) in enumerate(rows)
        ],
    )
    hours.open_record(2)
    hours.form.show_errors({"end_time": ["Endzeit muss nach der Startzeit liegen."]})
    return save(app, page, out / "desktop_master_data_hours.png")


def render_absence(app: QApplication, ops: Ops, out: Path) -> Path:
    page = master_page(ops, ASSISTANT)
    absences = page.show_tab("absences")
    assert isinstance(absences, AbsencePage)
    feed(
        absences,
        [
            {
                "id": 1,
                "doctor": 12,
                "start_date": "2027-01-04",
                "end_date": "2027-01-08",
                "reason": "Fortbildung",
                "active": True,
                "duration_workdays": 5,
                "return_date": "2027-01-11",
                "remaining_days": None,
            },
            {
                "id": 2,
                "doctor": 13,
                "start_date": "2027-02-15",
                "end_date": "2027-02-26",
                "reason": "Urlaub",
                "active": True,
                "duration_workdays": 10,
                "return_date": "2027-03-01",
                "remaining_days": 20,
            },
        ],
    )
    absences.new_record()
    doctor = absences.form.widgets["doctor"]
    doctor.setCurrentIndex(0)  # type: ignore[attr-defined]
    start, end = absences.form.widgets["start_date"], absences.form.widgets["end_date"]
    assert isinstance(start, QDateEdit)
    assert isinstance(end, QDateEdit)
    start.setDate(QDate(2027, 1, 18))
    end.setDate(QDate(2027, 1, 22))
    reason = absences.form.widgets["reason"]
    assert isinstance(reason, QLineEdit)
    reason.setText("Urlaub")  # the edits above make the form count as edited
    absences._preview_timer.stop()
    absences._preview_seq += 1  # an earlier preview request (no server here) is stale
    absences._show_preview(
        absences._query(),
        {
            "duration_workdays": 5,
            "return_date": "2027-01-25",
            "remaining_days": 25,
            "affected_appointments": [
                {
                    "patient_name": "Mustermann, Max (15.05.1990)",
                    "start_time": "2027-01-18T09:00:00+01:00",
                    "end_time": "2027-01-18T09:30:00+01:00",
                },
                {
                    "patient_name": "Musterfrau, Erika (02.03.1985)",
                    "start_time": "2027-01-18T10:00:00+01:00",
                    "end_time": "2027-01-18T10:30:00+01:00",
                },
                {
                    "patient_name": "Koch, Marie (04.12.1958)",
                    "start_time": "2027-01-20T11:15:00+01:00",
                    "end_time": "2027-01-20T11:45:00+01:00",
                },
            ],
        },
    )
    return save(app, page, out / "desktop_master_data_absence.png")


def render_users(app: QApplication, ops: Ops, out: Path) -> Path:
    page = UsersPage(ops, ADMIN)
    page.resize(1280, 720)
    page.show()
    people = [
        ("dr.mueller", "Anna", "Müller", "doctor", "#4C8BD6", True, "2027-01-18T07:52:10+01:00"),
        ("dr.schmidt", "Bernd", "Schmidt", "doctor", "#7BC47F", True, "2027-01-17T16:03:44+01:00"),
        ("dr.weber", "Clara", "Weber", "doctor", "#E8A87C", True, None),
        ("mfa.klein", "Lena", "Klein", "assistant", "#1E90FF", True, "2027-01-18T07:40:02+01:00"),
        (
            "mfa.yilmaz",
            "Aylin",
            "Yilmaz",
            "assistant",
            "#1E90FF",
            False,
            "2026-09-30T12:00:00+02:00",
        ),
        ("abrechnung", "Jens", "Vogel", "billing", "#1E90FF", True, "2027-01-15T10:20:00+01:00"),
        ("praxis.admin", "Petra", "Hausmann", "admin", "#1E90FF", True, STAMP),
    ]
    feed(
        page,
        [
            {
                "id": n + 1,
                "username": u,
                "first_name": f,
                "last_name": last,
                "email": f"{u}@praxis-example.de",
                "role": role,
                "calendar_color": color,
                "is_active": active,
                "vacation_days_per_year": 30,
                "date_joined": STAMP,
                "last_login": login,
            }
            for n, (u, f, last, role, color, active, login) in enumerate(people)
        ],
    )
    page.open_record(1)
    return save(app, page, out / "desktop_users.png")


def render_audit(app: QApplication, ops: Ops, out: Path) -> Path:
    page = AuditLogPage(ops, ADMIN)
    page.resize(1280, 720)
    page.show()
    page._users([{"id": 1, "username": "praxis.admin"}, {"id": 4, "username": "mfa.klein"}])
    entries = [
        ("09:41:12", "mfa.klein", "assistant", "appointment_create", 1004, {"appointment_id": 88}),
        ("09:40:55", "mfa.klein", "assistant", "patient_search", None, None),
        ("09:38:02", "dr.mueller", "doctor", "patient_view", 1001, None),
        ("09:37:40", "dr.mueller", "doctor", "appointment_list", None, None),
        (
            "09:30:18",
            "mfa.klein",
            "assistant",
            "appointment_update",
            1002,
            {"fields": ["start_time"]},
        ),
        ("09:12:01", "abrechnung", "billing", "calendar_day", None, None),
        ("08:58:47", "praxis.admin", "admin", "user_update", None, {"target_user_id": 5}),
        ("08:31:09", None, None, "user_create", None, {"source": "bootstrap"}),
        ("08:02:44", "mfa.klein", "assistant", "patient_updated", 1007, None),
        ("07:55:30", "dr.weber", "doctor", "operation_view", 1007, None),
    ]
    page._seq = 1
    page._loaded(
        1,
        {
            "count": 1284,
            "results": [
                {
                    "id": 2000 - n,
                    "user": None if user is None else n + 1,
                    "user_display": user or "System",
                    "role_name": role,
                    "action": action,
                    "patient_id": pid,
                    "timestamp": f"2027-01-18T{clock}.000000+01:00",
                    "meta": meta,
                }
                for n, (clock, user, role, action, pid, meta) in enumerate(entries)
            ],
        },
    )
    return save(app, page, out / "desktop_audit_log.png")


def render(app: QApplication, out: Path, tmp: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    prefs = Preferences(QSettings(str(tmp / "shots.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(NOWHERE), prefs)
    ops = session.ops
    ops.online = True
    paths = [render_patients(app, ops, out)]
    patients = next(w for w in app.topLevelWidgets() if isinstance(w, PatientsPage))
    paths.append(render_patient_history(app, ops, out, patients))
    paths.append(render_types(app, ops, out))
    paths.append(render_hours(app, ops, out))
    paths.append(render_absence(app, ops, out))
    paths.append(render_users(app, ops, out))
    paths.append(render_audit(app, ops, out))
    return paths


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
