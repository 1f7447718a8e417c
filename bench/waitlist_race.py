"""The waiting-list race, repeated (issue 18 acceptance: 10 runs of 20 clients).

Each run frees one hour (an appointment cancelled), waits for the candidates' event on a
second client's ``/api/events/`` stream, then 20 clients book the same freed slot at the
same instant from 20 different entries (a barrier releases them together). Expected every
run: exactly one 201 and 19 × 409 ``slot_taken`` whose next candidates exclude the winner.

    uv run python bench/waitlist_race.py [--runs 10] [--clients 20]
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from waitlist_setup import NOW, EventReader, at, running_practice, weekday_after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    failures = 0
    with (
        running_practice() as practice,
        httpx.Client(base_url=practice.base, headers=practice.headers, timeout=60) as client,
    ):
        reader = EventReader(practice.base, practice.token)
        reader.start()
        for run in range(args.runs):
            day = weekday_after(NOW.date(), 1 + run)
            body = {
                "patient_id": 90_000 + run,
                "doctor": practice.doctor_id,
                "start_time": at(day, 10),
                "end_time": at(day, 11),
            }
            appointment = client.post("/api/appointments/", json=body).json()["id"]
            entries = []
            for index in range(args.clients):
                entry = {
                    "patient_id": 10_000 + run * 100 + index,
                    "type": practice.type_id,
                    "earliest_date": day.isoformat(),
                    "latest_date": day.isoformat(),
                }
                entries.append(client.post("/api/waiting-list/entries/", json=entry).json()["id"])
            reader.drain()
            client.patch(f"/api/appointments/{appointment}/", json={"status": "cancelled"})
            _, notice = reader.next_slot_event()
            slot_id = notice["id"]
            barrier = threading.Barrier(args.clients)

            def book(
                entry_id: int,
                start: str = at(day, 10),
                slot: int = slot_id,
                gate: threading.Barrier = barrier,
            ) -> httpx.Response:
                with httpx.Client(
                    base_url=practice.base, headers=practice.headers, timeout=60
                ) as racer:
                    gate.wait()
                    return racer.post(
                        f"/api/waiting-list/entries/{entry_id}/book/",
                        json={
                            "doctor": practice.doctor_id,
                            "start_time": start,
                            "freed_slot": slot,
                        },
                    )

            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                responses = list(pool.map(book, entries))
            statuses = Counter(r.status_code for r in responses)
            winners = [r.json()["entry"]["id"] for r in responses if r.status_code == 201]
            leaked = [
                r
                for r in responses
                if r.status_code == 409
                and (
                    r.json().get("code") != "slot_taken"
                    or set(winners) & {c["entry"]["id"] for c in r.json()["candidates"]}
                )
            ]
            ok = statuses == {201: 1, 409: args.clients - 1} and not leaked
            failures += not ok
            print(f"run {run + 1}: {dict(statuses)} {'ok' if ok else 'FAILED'}")
        reader.stop()
    print(f"{args.runs - failures}/{args.runs} runs: exactly one 201 and {args.clients - 1} × 409")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
