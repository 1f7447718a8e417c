"""Loads a calendar range (runs in a worker thread through ``desktop.ops``).

The one place that knows where calendar data comes from: ``GET /api/calendar/day|week/``
when the server has it, otherwise the generic lists (appointments by date range, breaks,
absences). Master data (doctors, hours, types, resources) is cached until a change notice
for it arrives.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from desktop.views.calendar.model import (
    Absence,
    Appointment,
    AppointmentType,
    Break,
    CalendarData,
    Doctor,
    Hours,
    Resource,
)

MASTER_ENTITIES = {"user", "practice_hours", "doctor_hours", "appointment_type", "resource"}


class CalendarLoader:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._master: dict[str, Any] | None = None
        #: None = not probed yet; False once the server answered 404 for /api/calendar/….
        self.calendar_api: bool | None = None

    def invalidate(self, entity: str | None = None) -> None:
        if entity is None or entity in MASTER_ENTITIES:
            with self._lock:
                self._master = None

    # -- master data ----------------------------------------------------------------------

    @staticmethod
    def _doctors(api: ApiClient) -> list[Doctor]:
        try:
            rows = api.get("/api/appointments/doctors/")
            return [Doctor(int(r["id"]), str(r["name"]), r.get("calendar_color")) for r in rows]
        except ApiError as exc:
            if exc.status != 404:
                raise
        # Older servers without the doctor list: the admin-only user list, else nothing.
        try:
            users = api.get_all("/api/users/", role="doctor", is_active="true")
        except ApiError as exc:
            if exc.status not in (403, 404):
                raise
            return []
        users.sort(key=lambda u: (u.get("last_name", ""), u.get("first_name", ""), u["id"]))
        return [
            Doctor(
                int(u["id"]),
                f"{u.get('first_name', '')} {u.get('last_name', '')}".strip() or str(u["username"]),
                u.get("calendar_color"),
            )
            for u in users
        ]

    def master(self, api: ApiClient) -> dict[str, Any]:
        with self._lock:
            if self._master is not None:
                return self._master
        master = {
            "doctors": self._doctors(api),
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
            "resources": [
                Resource(int(r["id"]), str(r["name"]), str(r["type"]), r.get("color"))
                for r in api.get_all("/api/resources/")
            ],
        }
        with self._lock:
            self._master = master
        return master

    # -- range data -----------------------------------------------------------------------

    def _from_calendar_api(
        self, api: ApiClient, first: date, last: date, doctor_id: int | None
    ) -> dict[str, Any] | None:
        if self.calendar_api is False:
            return None
        kind = "day" if first == last else "week"
        try:
            body = api.get(
                f"/api/calendar/{kind}/",
                date=first.isoformat(),
                doctor_id=doctor_id,
                include_available_doctors="false",
            )
        except ApiError as exc:
            if exc.status == 404:
                self.calendar_api = False
                return None
            raise
        self.calendar_api = True
        return {
            "appointments": body["appointments"],
            "breaks": body["breaks"],
            "absences": body["absences"],
        }

    @staticmethod
    def _from_lists(
        api: ApiClient, first: date, last: date, doctor_id: int | None
    ) -> dict[str, Any]:
        span = {"start_date": first.isoformat(), "end_date": last.isoformat()}
        appointments = api.get("/api/appointments/", doctor_id=doctor_id, **span)
        breaks = api.get_all("/api/doctor-breaks/", **span)
        absences = [
            a
            for a in api.get_all("/api/doctor-absences/")
            if a.get("active", True)
            and a["start_date"] <= span["end_date"]
            and a["end_date"] >= span["start_date"]
        ]
        return {"appointments": appointments, "breaks": breaks, "absences": absences}

    def load(
        self, api: ApiClient, first: date, last: date, doctor_id: int | None = None
    ) -> CalendarData:
        master = self.master(api)
        raw = self._from_calendar_api(api, first, last, doctor_id)
        if raw is None:
            raw = self._from_lists(api, first, last, doctor_id)
        appointments = [Appointment.from_json(a) for a in raw["appointments"]]
        doctors = list(master["doctors"])
        known = {d.id for d in doctors}
        for item in appointments:  # a doctor list the caller may not read: learn from rows
            if item.doctor not in known:
                doctors.append(Doctor(item.doctor, item.doctor_name, item.doctor_color))
                known.add(item.doctor)
        return CalendarData(
            first=first,
            last=last,
            doctors=doctors,
            appointments=appointments,
            practice_hours=master["practice_hours"],
            doctor_hours=master["doctor_hours"],
            breaks=[Break.from_json(b) for b in raw["breaks"] if b.get("active", True)],
            absences=[Absence.from_json(a) for a in raw["absences"] if a.get("active", True)],
            types=master["types"],
            resources=master["resources"],
        )

    def month_counts(self, api: ApiClient, month_first: date) -> dict[date, int]:
        """Appointments per local start day of the month (all statuses, like ``day_counts``)."""
        last = (month_first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if self.calendar_api is not False:
            try:
                body = api.get(
                    "/api/calendar/month/",
                    date=month_first.isoformat(),
                    counts_only="true",
                    include_available_doctors="false",
                )
                if "day_counts" in body:
                    return {
                        date.fromisoformat(c["date"]): int(c["appointments"])
                        for c in body["day_counts"]
                    }
            except ApiError as exc:
                if exc.status != 404:
                    raise
        rows = api.get(
            "/api/appointments/", start_date=month_first.isoformat(), end_date=last.isoformat()
        )
        counts: dict[date, int] = {}
        for row in rows:
            day = date.fromisoformat(row["start_time"][:10])
            counts[day] = counts.get(day, 0) + 1
        return counts
