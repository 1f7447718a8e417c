"""Latency of the call-up display: from the "Aufrufen" response to the board on a display's
``/api/calls/stream/`` (issue 20 acceptance: a call appears on the display within 1 s).

One checked-in patient is called again and again, each time into another room; a display
reader (``desktop.api.calls.DisplayConnection``, the very client ``praxi --display`` uses)
waits for the board whose latest call names that room. Latency = board arrival − call
response arrival (a board that arrives first counts as 0).

    uv run python bench/today_display_latency.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import queue
import statistics
import threading
import time

import httpx
from waitlist_setup import NOW, at, percentile, running_practice

from desktop.api.calls import CallBoard, DisplayConnection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with (
        running_practice() as practice,
        httpx.Client(base_url=practice.base, headers=practice.headers, timeout=30) as client,
    ):
        day = NOW.date()
        booked = client.post(
            "/api/appointments/",
            json={
                "patient_id": 1,
                "doctor": practice.doctor_id,
                "type": practice.type_id,
                "start_time": at(day, 9),
                "end_time": at(day, 9, 30),
            },
        )
        assert booked.status_code == 201, booked.text
        flow = client.post("/api/patient-flow/", json={"appointment_id": booked.json()["id"]})
        assert flow.status_code == 201, flow.text
        token = client.post("/api/practice/display-tokens/", json={"name": "Bench"}).json()
        connection = DisplayConnection(practice.base, token["token"])
        boards: queue.Queue[tuple[float, CallBoard]] = queue.Queue()

        def read() -> None:
            try:
                for board in connection.stream():
                    if board is not None:
                        boards.put((time.monotonic(), board))
            except httpx.HTTPError:
                pass  # the server stops at the end of the bench

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        boards.get(timeout=10)  # the board on connect
        latencies: list[float] = []
        path = f"/api/patient-flow/{flow.json()['id']}/call/"
        for index in range(args.rounds):
            room = f"Raum {index}"
            called = client.post(path, json={"room": room})
            answered = time.monotonic()
            assert called.status_code == 200, called.text
            while True:
                arrived, board = boards.get(timeout=10)
                if board.latest is not None and board.latest.room == room:
                    break
            latencies.append(max(0.0, arrived - answered) * 1000)
        connection.close()
    print(f"calls: {len(latencies)} (number {flow.json()['call_number']})")
    print(
        f"call response → display board: p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms, "
        f"mean {statistics.fmean(latencies):.1f} ms"
    )


if __name__ == "__main__":
    main()
