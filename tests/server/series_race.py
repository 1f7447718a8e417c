"""Many clients booking overlapping series at once against a live server (issue 17).

Shared by the suite's one representative run (``test_series_concurrency.py``) and the
ten-run bench (``bench/series_concurrency.py``). Client ``i`` books a weekly series of six
for patient ``5000 + i % 25`` — doctor A or B, with or without the ultrasound room, starting
0–2 weeks after the first Monday between 10:00 and 11:30 — so the series overlap in
doctors, patients and the room; all or nothing each.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine

CLIENTS = 50


@dataclass(frozen=True)
class RaceSetup:
    doctor_ids: tuple[int, int]
    room_id: int
    monday: date
    at: Any  # (hour, minute, day) -> API datetime text


def bodies(setup: RaceSetup, clients: int = CLIENTS) -> list[dict[str, Any]]:
    found = []
    for i in range(clients):
        day = setup.monday + timedelta(weeks=i % 3)
        minute = 15 * (i % 7)  # 10:00 … 11:30, half-hour blocks: many partial overlaps
        found.append(
            {
                "patient_id": 5000 + i % 25,
                "doctor": setup.doctor_ids[i % 2],
                "start_time": setup.at(10 + minute // 60, minute % 60, day),
                "end_time": setup.at(10 + (minute + 30) // 60, (minute + 30) % 60, day),
                "resource_ids": [setup.room_id] if i % 4 == 0 else [],
                "recurrence": {"freq": "weekly", "count": 6},
            }
        )
    return found


def fire(
    base: str, headers: dict[str, str], payloads: list[dict[str, Any]]
) -> list[httpx.Response]:
    barrier = threading.Barrier(len(payloads))

    def post(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            barrier.wait()
            return client.post("/api/appointment-series/", json=body)

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(post, payloads))


OVERLAPS_SQL = text(
    """
SELECT count(*) FROM occupancies x JOIN occupancies y
  ON x.kind = y.kind AND x.subject_id = y.subject_id AND x.id < y.id AND x.period && y.period
"""
)
# A series is whole when it has one appointment per occurrence it did not skip.
PARTIAL_SQL = text(
    """
SELECT count(*) FROM appointment_series s
 WHERE (SELECT count(*) FROM appointment_series_members m WHERE m.series_id = s.id)
       <> s.occurrence_count - cardinality(s.skipped)
"""
)
ORPHANS_SQL = text(
    """
SELECT count(*) FROM appointments a
 WHERE NOT EXISTS (SELECT 1 FROM appointment_series_members m WHERE m.appointment_id = a.id)
"""
)


@dataclass(frozen=True)
class RaceResult:
    statuses: Counter[int]
    booked_series: int
    overlapping_occupancies: int
    partial_series: int
    appointments_outside_a_series: int


def outcome(engine: Engine, responses: list[httpx.Response]) -> RaceResult:
    with engine.connect() as conn:
        overlaps = conn.execute(OVERLAPS_SQL).scalar_one()
        partial = conn.execute(PARTIAL_SQL).scalar_one()
        orphans = conn.execute(ORPHANS_SQL).scalar_one()
        booked = conn.execute(text("SELECT count(*) FROM appointment_series")).scalar_one()
    return RaceResult(Counter(r.status_code for r in responses), booked, overlaps, partial, orphans)
