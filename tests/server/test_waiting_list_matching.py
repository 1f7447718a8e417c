"""Matching freed slots against the waiting list, over real data and a real matcher thread.

Each test has a database of its own (``own_database``): the matcher of every running app
claims freed slots on its database, and apps of other test modules (other test clocks)
must not be the ones that claim these.
"""

from __future__ import annotations

import threading
import time as monotonic_time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import pytest
from sqlalchemy import func, make_url, select
from sqlalchemy.orm import Session, sessionmaker

from server.appointments.models import Appointment
from server.audit.models import AuditLog
from server.waiting_list import matcher
from server.waiting_list.models import FreedSlot, WaitingListEntry
from server.working_hours.models import DoctorAbsence
from tests.server.apps import shared_client
from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server
from tests.server.scheduling_fixtures import BERLIN, MONDAY, NOW, at, build_practice
from tests.server.test_events import EventReader

ENTRIES = "/api/waiting-list/entries/"
SLOTS = "/api/waiting-list/freed-slots/"
RACERS = 20


def wait_matched(db: sessionmaker[Session], count: int = 1, timeout: float = 15.0) -> list[int]:
    """Ids of the matched slots freed by appointments and absences once ``count`` exist
    (the matcher is a thread; the practice's new working hours are freed slots too)."""
    deadline = monotonic_time.monotonic() + timeout
    while True:
        with db() as session:
            ids = list(
                session.scalars(
                    select(FreedSlot.id)
                    .where(
                        FreedSlot.matched_at.is_not(None),
                        FreedSlot.source.in_(("appointment", "absence")),
                    )
                    .order_by(FreedSlot.id)
                )
            )
        if len(ids) >= count or monotonic_time.monotonic() > deadline:
            return ids
        monotonic_time.sleep(0.02)


def wait_none_unmatched(db: sessionmaker[Session], timeout: float = 15.0) -> None:
    """Until the matcher has taken every freed slot so far (the practice's new working hours
    are freed slots too: matched after the entries exist, they would offer them as well)."""
    deadline = monotonic_time.monotonic() + timeout
    while monotonic_time.monotonic() < deadline:
        with db() as session:
            if not session.scalar(
                select(func.count()).select_from(FreedSlot).where(FreedSlot.matched_at.is_(None))
            ):
                return
        monotonic_time.sleep(0.02)
    raise AssertionError("the matcher left freed slots unmatched")


@pytest.mark.own_database
def test_cancelling_offers_fitting_entries_in_order_and_booking_removes_them(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    practice = build_practice(db, users)
    settings = make_settings(database_url, tmp_path / "data", test_now=NOW)
    admin = users.headers(users.create("admin"))
    with shared_client(settings) as api:
        booked = api.post("/api/appointments/", json=practice.body(patient_id=3000), headers=admin)
        assert booked.status_code == 201
        wait_none_unmatched(db)

        def add(patient_id: int, minutes_later: int, **fields: Any) -> int:
            settings.test_now = NOW + timedelta(minutes=minutes_later)  # waiting since
            body = {"patient_id": patient_id, "type": practice.type_id, **fields}
            response = api.post(ENTRIES, json=body, headers=admin)
            assert response.status_code == 201, response.text
            return int(response.json()["id"])

        old = add(3001, 0)
        newer = add(3002, 1, doctor_ids=[practice.doctor.id])
        urgent = add(
            3003, 2, priority="urgent", windows=[{"weekday": 0, "from": "09:30", "to": "11:00"}]
        )
        add(3004, 3, doctor_ids=[practice.other_doctor.id])  # another doctor
        add(3005, 4, windows=[{"weekday": 0, "from": "13:00", "to": "17:00"}])  # afternoons
        add(3006, 5, earliest_date=(MONDAY + timedelta(days=1)).isoformat())  # from Tuesday
        add(3000, 6)  # the patient who cancels: the freed time fits them too
        settings.test_now = NOW

        appointment = booked.json()["id"]
        cancel = api.patch(
            f"/api/appointments/{appointment}/", json={"status": "cancelled"}, headers=admin
        )
        assert cancel.status_code == 200
        [slot_id] = wait_matched(db)
        slot = api.get(f"{SLOTS}{slot_id}/", headers=admin).json()
        assert (slot["source"], slot["reason"], slot["reason_label"]) == (
            "appointment",
            "cancelled",
            "Termin abgesagt",
        )
        assert (slot["start_time"], slot["end_time"], slot["freed_minutes"]) == (
            at(10),
            at(10, 30),
            30,
        )
        ranked = [c["entry"]["id"] for c in slot["candidates"]]
        assert ranked[:3] == [urgent, old, newer]
        assert len(ranked) == 4  # + the patient who cancelled (waiting since the latest)
        assert all(c["start_time"] == at(10) for c in slot["candidates"])
        assert slot["candidates"][0]["entry"]["patient"] is None  # no patient row: still listed
        assert [s["id"] for s in api.get(SLOTS, headers=admin).json()] == [slot_id]
        assert api.get("/api/waiting-list/counts/", headers=admin).json()["open_slots"] == 1

        won = api.post(
            f"{ENTRIES}{urgent}/book/",
            json={"doctor": practice.doctor.id, "start_time": at(10), "freed_slot": slot_id},
            headers=admin,
        )
        assert won.status_code == 201, won.text
        # The time is taken and the entry booked: nobody is offered it any more.
        assert api.get(f"{SLOTS}{slot_id}/", headers=admin).json()["candidates"] == []
        assert api.get(SLOTS, headers=admin).json() == []
        open_ids = [row["id"] for row in api.get(ENTRIES, headers=admin).json()["results"]]
        assert urgent not in open_ids
        assert len(open_ids) == 6
        week = {"from": MONDAY.isoformat(), "to": (MONDAY + timedelta(days=6)).isoformat()}
        kpi = api.get("/api/kpi/waiting-list/", params=week, headers=admin).json()
        assert kpi["weeks"] == [
            {
                "week_start": MONDAY.isoformat(),
                "iso_week": "2027-W03",
                "freed_minutes": 30,
                "rebooked_minutes": 30,
                "rebook_rate": 1.0,
            }
        ]
        billing = users.headers(users.create("billing"))
        totals = api.get("/api/kpi/waiting-list/", params=week, headers=billing).json()["totals"]
        assert totals == {
            "freed_minutes": 30,
            "rebooked_minutes": 30,
            "rebook_rate": 1.0,
        }
        assert (
            api.get("/api/kpi/waiting-list/", headers=users.headers(practice.doctor)).status_code
            == 403
        )

        # Other freeing writes are recorded by the triggers in their own transaction.
        with db() as session, session.begin():
            session.add(
                DoctorAbsence(
                    doctor_id=practice.doctor.id, start_date=MONDAY, end_date=MONDAY, active=True
                )
            )
        removed = api.delete(f"/api/appointments/{won.json()['appointment']['id']}/", headers=admin)
        assert removed.status_code == 204
        with db() as session, session.begin():
            absence = session.scalars(select(DoctorAbsence)).one()
            absence.active = False
        wait_matched(db, 3)
        with db() as session:
            reasons = list(session.scalars(select(FreedSlot.reason).order_by(FreedSlot.id)))
            assert reasons == ["hours_extended"] * 15 + [
                "cancelled",
                "deleted",
                "absence_shortened",
            ]
            logged = list(session.scalars(select(AuditLog.action)))
            assert "waiting_list_slot_view" in logged
            assert "waiting_list_entry_book" in logged


@pytest.mark.own_database
def test_twenty_workstations_race_for_one_freed_slot(
    database_url: str, tmp_path: Path, db: sessionmaker[Session], users: Users
) -> None:
    """The live event reaches a second client; exactly one of 20 bookings wins, 19 × 409."""
    practice = build_practice(db, users)
    admin = users.headers(users.create("admin"))
    settings = make_settings(database_url, tmp_path / "data", test_now=NOW)
    token = admin["Authorization"].split()[1]
    with live_server(settings) as base, httpx.Client(base_url=base, headers=admin) as client:
        hour = practice.body(patient_id=3999, end_time=at(11))
        appointment = client.post("/api/appointments/", json=hour).json()["id"]
        wait_none_unmatched(db)  # the practice's own working hours are freed slots too
        with db() as session, session.begin():
            rows = [
                WaitingListEntry(
                    patient_id=4000 + index,
                    type_id=practice.type_id,
                    created_at=NOW,
                    updated_at=NOW,
                )
                for index in range(RACERS)
            ]
            session.add_all(rows)
            session.flush()
            entries = [row.id for row in rows]
        with EventReader(base, token) as reader:
            cancelled = client.patch(
                f"/api/appointments/{appointment}/", json={"status": "cancelled"}
            )
            assert cancelled.status_code == 200
            while True:
                change = reader.next_change(timeout=10)
                if change["entity"] == "waiting_list_slot":
                    break
        assert change["action"] == "created"
        slot_id = change["id"]

        barrier = threading.Barrier(RACERS)

        def book(entry_id: int) -> httpx.Response:
            with httpx.Client(base_url=base, headers=admin, timeout=60) as racer:
                barrier.wait()
                return racer.post(
                    f"{ENTRIES}{entry_id}/book/",
                    json={
                        "doctor": practice.doctor.id,
                        "start_time": at(10),
                        "freed_slot": slot_id,
                    },
                )

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            responses = list(pool.map(book, entries))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: RACERS - 1}, statuses
    [winner] = [r.json()["entry"]["id"] for r in responses if r.status_code == 201]
    for response in responses:
        if response.status_code == 409:
            body = response.json()
            assert body["code"] == "slot_taken"
            offered = [c["entry"]["id"] for c in body["candidates"]]
            # The next candidates: everybody else, for the half hour that is still free.
            assert winner not in offered
            assert len(offered) == RACERS - 1
            assert {c["start_time"] for c in body["candidates"]} == {at(10, 30)}
    with db() as session:
        booked = session.scalar(
            select(func.count())
            .select_from(WaitingListEntry)
            .where(WaitingListEntry.status == "booked")
        )
        assert booked == 1
        live = session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.status != "cancelled")
        )
        assert live == 1


@pytest.mark.own_database
def test_competing_matchers_match_each_freed_slot_exactly_once(
    database_url: str, db: sessionmaker[Session], users: Users
) -> None:
    """Four matchers (as in four server processes) sweep the same rows at once: every slot
    is matched once and its candidates announced once."""
    practice = build_practice(db, users)  # its working hours are freed slots already
    start = datetime.combine(MONDAY, time(9), tzinfo=BERLIN)
    with db() as session, session.begin():
        entry = WaitingListEntry(
            patient_id=3001, type_id=practice.type_id, created_at=NOW, updated_at=NOW
        )
        session.add(entry)
        session.add_all(
            FreedSlot(
                source="appointment",
                reason="cancelled",
                source_id=index,
                doctor_id=practice.doctor.id,
                start_time=start + timedelta(minutes=30 * index),
                end_time=start + timedelta(minutes=30 * index + 30),
            )
            for index in range(40)
        )
    with db() as session:
        total = session.scalar(select(func.count()).select_from(FreedSlot))
    libpq = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(libpq.render_as_string(hide_password=False), autocommit=True) as listen:
        listen.execute("LISTEN praxi_events")
        barrier = threading.Barrier(4)

        def sweep() -> int:
            barrier.wait()
            claimed = 0
            while (batch := matcher.process_pending(db, NOW, BERLIN)) > 0:
                claimed += batch
            return claimed

        with ThreadPoolExecutor(max_workers=4) as pool:
            claimed = sum(pool.map(lambda _: sweep(), range(4)))
        announced = [
            orjson.loads(notice.payload)["id"]
            for notice in listen.notifies(timeout=1.0)
            if orjson.loads(notice.payload)["entity"] == "waiting_list_slot"
        ]
    assert claimed == total
    with db() as session:
        unmatched = session.scalar(
            select(func.count()).select_from(FreedSlot).where(FreedSlot.matched_at.is_(None))
        )
        offered = set(session.scalars(select(FreedSlot.id).where(FreedSlot.candidate_count > 0)))
    assert unmatched == 0
    assert sorted(announced) == sorted(offered)  # once each
    # The 16 freed half hours inside the doctor's hours (9–17) and the 15 new hours rows.
    assert len(offered) == 16 + 15
