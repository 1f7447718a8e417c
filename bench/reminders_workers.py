"""Several reminder workers at once never send the same reminder twice (issue 19; run on
demand, not a test).

Two ``praxi-server worker`` processes on one throw-away embedded cluster send 200 due SMS
reminders through a local HTTP gateway (``--gateway-ms`` per message); ``--runs`` times (the
reminders are made due again between runs). Each run reports how many messages the gateway
received, how many distinct ones, and how the work was shared between the two processes
(by the gateway's view of their connections).

    uv run python bench/reminders_workers.py [--runs 10] [--workers 2] [--gateway-ms 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reminders_common import bench_database
from tests.server.test_reminders_support import sms_gateway

COUNT = 200


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gateway-ms", type=float, default=5.0)
    args = parser.parse_args()
    failures = 0
    with bench_database(COUNT) as bench, sms_gateway(delay=args.gateway_ms / 1000) as gateway:
        for run in range(1, args.runs + 1):
            if run > 1:
                bench.replan_all()
                gateway.clear()
            started = time.perf_counter()
            workers = [
                subprocess.Popen(
                    [sys.executable, "-m", "server.cli", "worker"],
                    env=bench.worker_environment(gateway.url),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for _ in range(args.workers)
            ]
            deadline = time.monotonic() + 180
            while bench.status_counts() != {"sent": COUNT} and time.monotonic() < deadline:
                time.sleep(0.1)
            seconds = time.perf_counter() - started
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
            with gateway.lock:
                accepted = [r for r in gateway.requests if r["status"] < 300]
            texts = Counter(json.loads(r["body"])["text"] for r in accepted)
            duplicates = sum(n - 1 for n in texts.values())
            share = sorted(Counter(r["client"][1] for r in accepted).values(), reverse=True)
            ok = bench.status_counts() == {"sent": COUNT} and len(texts) == COUNT and not duplicates
            failures += not ok
            print(
                f"run {run:2}: {len(accepted)} messages, {len(texts)} distinct, "
                f"{duplicates} duplicate(s), per connection {share}, {seconds:.1f} s "
                f"— {'OK' if ok else 'FAILED'}"
            )
    print(f"{args.runs - failures}/{args.runs} runs without a duplicate or a lost reminder")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
