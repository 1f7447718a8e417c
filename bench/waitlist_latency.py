"""Latency of the waiting list: from the cancelling request's response to the candidates'
event at a second client (issue 18 acceptance: p99 ≤ 1 s over 200 cancellations).

One entry waits for "any time, any doctor"; each round books a 30-minute appointment of
another patient, cancels it (PATCH status cancelled) and waits for the
``waiting_list_slot``/``created`` notice on an open ``/api/events/`` stream of a second
client. Latency = notice arrival − cancel response arrival (a notice that arrives before
the response counts as 0).

    uv run python bench/waitlist_latency.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

import httpx
from waitlist_setup import (
    NOW,
    EventReader,
    at,
    percentile,
    running_practice,
    weekday_after,
)

SLOTS_PER_DAY = 20  # 08:00 … 17:30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with (
        running_practice() as practice,
        httpx.Client(base_url=practice.base, headers=practice.headers, timeout=30) as client,
    ):
        entry = client.post(
            "/api/waiting-list/entries/", json={"patient_id": 1, "type": practice.type_id}
        )
        assert entry.status_code == 201, entry.text
        reader = EventReader(practice.base, practice.token)
        reader.start()
        latencies: list[float] = []
        for index in range(args.rounds):
            day = weekday_after(NOW.date(), 1 + index // SLOTS_PER_DAY)
            minute = 8 * 60 + 30 * (index % SLOTS_PER_DAY)
            body = {
                "patient_id": 1000 + index,
                "doctor": practice.doctor_id,
                "type": practice.type_id,
                "start_time": at(day, minute // 60, minute % 60),
                "end_time": at(day, (minute + 30) // 60, (minute + 30) % 60),
            }
            created = client.post("/api/appointments/", json=body)
            assert created.status_code == 201, created.text
            reader.drain()
            cancel = client.patch(
                f"/api/appointments/{created.json()['id']}/", json={"status": "cancelled"}
            )
            answered = time.monotonic()
            assert cancel.status_code == 200, cancel.text
            arrived, _ = reader.next_slot_event()
            latencies.append(max(0.0, arrived - answered) * 1000)
        reader.stop()
    print(f"cancellations: {len(latencies)}")
    print(
        f"response → candidates event: p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms, "
        f"mean {statistics.fmean(latencies):.1f} ms"
    )


if __name__ == "__main__":
    main()
