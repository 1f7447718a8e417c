"""Crash test of the reminder worker (issue 19; run on demand, not a test).

200 due SMS reminders in a throw-away embedded cluster, a local HTTP SMS gateway that takes
``--gateway-ms`` to answer. A worker process sends them; the bench kills it with SIGKILL
(``TerminateProcess`` on Windows) at random moments while it sends, ``--kills`` times, and
starts a new one each time; the last one runs until nothing is due. Then:

- every reminder must be ``sent`` and every message must have reached the gateway;
- duplicates (messages the gateway accepted twice) can only come from a kill between the
  gateway's acceptance and the worker's COMMIT: the bench prints their count and the
  measured acceptance→COMMIT window (median, p99, max, from the workers' own clocks).

    uv run python bench/reminders_crash.py [--kills 10] [--gateway-ms 20] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reminders_common import Bench, bench_database
from tests.server.test_reminders_support import Gateway, sms_gateway

COUNT = 200


def child() -> int:
    """A worker process: send until nothing is due, one line per reminder on stdout."""
    import server.models_registry  # noqa: F401
    from server.database_setup import engine_for
    from server.reminders.worker import Worker
    from server.settings import Settings

    settings = Settings()
    engine = engine_for(settings, pool_size=1)
    worker = Worker(engine, lambda: settings)
    while (outcome := worker.process_one()) is not None:
        line = {"id": outcome.reminder_id, "status": outcome.status}
        if outcome.commit_window is not None:
            line["window"] = outcome.commit_window
            line["in_flight"] = outcome.in_flight_window
        print(json.dumps(line), flush=True)
    return 0


def start_worker(bench: Bench, gateway: Gateway) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, "--child"],
        env=bench.worker_environment(gateway.url),
        stdout=subprocess.PIPE,
        text=True,
    )


def accepted(gateway: Gateway) -> int:
    with gateway.lock:
        return sum(1 for r in gateway.requests if r["status"] < 300)


def _lines(output: str) -> list[dict[str, float]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def one_run(bench: Bench, gateway: Gateway, kills: int, rng: random.Random) -> dict[str, Any]:
    lines: list[dict[str, float]] = []
    for _ in range(kills):
        worker = start_worker(bench, gateway)
        # Once it sends, let it work for a random while, then kill it wherever it is.
        started = accepted(gateway)
        deadline = time.monotonic() + 60
        while accepted(gateway) == started and worker.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.4))
        worker.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        output, _ = worker.communicate()
        lines += _lines(output)
    final = start_worker(bench, gateway)
    began = time.perf_counter()
    output, _ = final.communicate(timeout=600)
    final_seconds = time.perf_counter() - began
    final_lines = _lines(output)
    lines += final_lines
    with gateway.lock:
        texts = [json.loads(r["body"])["text"] for r in gateway.requests if r["status"] < 300]
    per_text = Counter(texts)
    return {
        "statuses": bench.status_counts(),
        "distinct": len(per_text),
        "duplicates": sum(n - 1 for n in per_text.values()),
        "windows": [line["window"] for line in lines if "window" in line],
        "in_flight": [line["in_flight"] for line in lines if "in_flight" in line],
        "cycle": final_seconds / max(1, len(final_lines)),
    }


def _stats(label: str, seconds: list[float]) -> str:
    ms = sorted(value * 1000 for value in seconds)
    if not ms:
        return f"{label}: no data"
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"{label}: median {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--gateway-ms", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()
    rng = random.Random(args.seed)
    failures = duplicates = 0
    windows: list[float] = []
    in_flight: list[float] = []
    cycles: list[float] = []
    with bench_database(COUNT) as bench, sms_gateway(delay=args.gateway_ms / 1000) as gateway:
        for run in range(1, args.runs + 1):
            if run > 1:
                bench.replan_all()
                gateway.clear()
            result = one_run(bench, gateway, args.kills, rng)
            windows += result["windows"]
            in_flight += result["in_flight"]
            cycles.append(result["cycle"])
            duplicates += result["duplicates"]
            # A kill can duplicate only the one message that was in flight when it came.
            complete = (
                result["statuses"] == {"sent": COUNT}
                and result["distinct"] == COUNT
                and result["duplicates"] <= args.kills
            )
            failures += not complete
            print(
                f"run {run}: {args.kills} kills, statuses {result['statuses']}, "
                f"{result['distinct']}/{COUNT} distinct messages at the gateway, "
                f"{result['duplicates']} duplicate(s) — {'OK' if complete else 'FAILED'}"
            )
    kills = args.kills * args.runs
    print(f"{duplicates} duplicate(s) after {kills} kills in {args.runs} run(s)")
    print(_stats("gateway answer → COMMIT (lower bound of the window)", windows))
    print(_stats("request sent → COMMIT (upper bound: the gateway accepts in between)", in_flight))
    print(f"time per reminder in the last worker: {statistics.median(cycles) * 1000:.1f} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
