"""Loads a calendar range (runs in a worker thread through ``desktop.ops``).

The one place that knows where calendar data comes from: ``GET /api/calendar/day|week/``
(appointments with their resource bookings, breaks, absences, active resources) and
``GET /api/calendar/month/`` (the month view lists the first appointments of each day);
doctors from ``GET /api/appointments/doctors/`` (any role may read it). Master data
(doctors, hours, types) is cached until a change notice for it arrives.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from desktop.api.client import ApiClient
from desktop.views.calendar.model import (
    Absence,
    Appointment,
    AppointmentType,
    Break,
    CalendarData,
    Doctor,
    Hours,
    Resource,
    attach_flow_statuses,
)

MASTER_ENTITIES = {"user", "practice_hours", "doctor_hours", "appointment_type", "resource"}


class CalendarLoader:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._master: dict[str, Any] | None = None

    def invalidate(self, entity: str | None = None) -> None:
        if entity is None or entity in MASTER_ENTITIES:
            with self._lock:
                self._master = None

    # -- master data ----------------------------------------------------------------------

    def master(self, api: ApiClient) -> dict[str, Any]:
        with self._lock:
            if self._master is not None:
                return self._master
        master = {
            "doctors": [
                Doctor(int(r["id"]), str(r["name"]), r.get("calendar_color"))
                for r in api.get("/api/appointments/doctors/")
            ],
            "practice_hours": [
                Hours.from_json(r)
                for r in api.get_all("/api/practice-hours/")
                if r.get("active", True)
            ],
            "doctor_hours": [
                Hours.from_json(r)
                for r in api.get_all("/api/doctor-hours/")
                if r.get("active", True)
            ],
            "types": [
                AppointmentType(
                    int(r["id"]), str(r["name"]), r.get("color"), r.get("duration_minutes")
                )
                for r in api.get_all("/api/appointment-types/", active="true")
            ],
        }
        with self._lock:
            self._master = master
        return master

    # -- range data -----------------------------------------------------------------------

    def load(
        self, api: ApiClient, first: date, last: date, doctor_id: int | None = None
    ) -> CalendarData:
        """One day (``first == last``) or the Monday–Sunday week containing ``first``."""
        master = self.master(api)
        kind = "day" if first == last else "week"
        body = api.get(
            f"/api/calendar/{kind}/",
            date=first.isoformat(),
            doctor_id=doctor_id,
            include_available_doctors="false",
        )
        appointments = [Appointment.from_json(a) for a in body["appointments"]]
        attach_flow_statuses(appointments, body.get("patient_flows"))
        doctors = list(master["doctors"])
        known = {d.id for d in doctors}
        for item in appointments:  # e.g. a doctor deactivated since: learn from the rows
            if item.doctor not in known:
                doctors.append(Doctor(item.doctor, item.doctor_name, item.doctor_color))
                known.add(item.doctor)
        bookings: dict[int, list[int]] = {}
        for row in body.get("resource_bookings") or []:
            bookings.setdefault(int(row["appointment_id"]), []).append(int(row["resource_id"]))
        return CalendarData(
            first=first,
            last=last,
            doctors=doctors,
            appointments=appointments,
            practice_hours=master["practice_hours"],
            doctor_hours=master["doctor_hours"],
            breaks=[Break.from_json(b) for b in body["breaks"] if b.get("active", True)],
            absences=[Absence.from_json(a) for a in body["absences"] if a.get("active", True)],
            types=master["types"],
            resources=[
                Resource(int(r["id"]), str(r["name"]), str(r["type"]), r.get("color"))
                for r in body.get("resources") or []
            ],
            bookings=bookings,
        )

    @staticmethod
    def month(api: ApiClient, month_first: date) -> dict[date, list[Appointment]]:
        """The month's appointments per local start day, in time order (cancelled ones too:
        the month view leaves them out of its lines but a day may hold nothing else)."""
        body = api.get(
            "/api/calendar/month/",
            date=month_first.isoformat(),
            include_available_doctors="false",
        )
        days: dict[date, list[Appointment]] = {}
        for row in body["appointments"]:
            appointment = Appointment.from_json(row)
            days.setdefault(appointment.start.date(), []).append(appointment)
        for entries in days.values():
            entries.sort(key=lambda a: (a.start, a.id))
        return days
