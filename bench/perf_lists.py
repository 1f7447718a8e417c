"""The long appointment list against two RUNNING servers, alternately (issue 23).

For each side, in the order A, B, B, A, …: the 1-connection p50 of ``GET /api/appointments/``
(all rows) and of the one-day list, ``wrk`` at ``--connections`` on both (req/s, and CPU
milliseconds of the server's workers per request), and the workers' RSS after each round
and their peak since they started. Start FRESH servers for the memory columns.

    PRAXI_BENCH_PASSWORD=… uv run python bench/perf_lists.py \\
        --a http://127.0.0.1:8772 --a-pid PID --b http://127.0.0.1:8771 --b-pid PID \\
        [--rounds 2] [--seconds 6] [--requests 40] [--date 2026-12-07]

Output also goes to ``bench/out/perf_lists_<time>.txt`` (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the shared harness next to this file
import perf_run


def p50_ms(client: httpx.Client, path: str, requests: int) -> float:
    for _ in range(3):
        client.get(path).raise_for_status()
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path).raise_for_status()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for side in ("a", "b"):
        parser.add_argument(f"--{side}", required=True, help=f"base URL of server {side}")
        parser.add_argument(f"--{side}-pid", type=int, help=f"the `serve` process of {side}")
    parser.add_argument("--username", default="mfa.koch")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40, help="for each p50")
    parser.add_argument("--date", type=date.fromisoformat)
    args = parser.parse_args()
    password = os.environ.get(load.PASSWORD_ENV)
    if not password:
        sys.exit(f"set {load.PASSWORD_ENV}")
    day = args.date or load.busy_weekday(date.today())
    paths = {"all": "/api/appointments/", "date": f"/api/appointments/?date={day.isoformat()}"}
    servers = {"a": (args.a, args.a_pid), "b": (args.b, args.b_pid)}
    clients = {}
    for side, (url, _) in servers.items():
        client = httpx.Client(base_url=url, timeout=120)
        client.headers["Authorization"] = f"Bearer {load.login(client, args.username, password)}"
        clients[side] = client
    lines = [
        f"A={args.a} B={args.b} {datetime.now().isoformat(timespec='seconds')}; "
        f"{args.rounds} rounds; p50 of {args.requests} requests at 1 connection; wrk "
        f"{args.connections} connections {args.seconds:g} s; cpu = ms of the server's "
        "workers per request at 8 connections; RSS MB after the round / peak, per worker"
    ]
    print(lines[0], flush=True)
    for round_index in range(args.rounds):
        for side in ("a", "b") if round_index % 2 == 0 else ("b", "a"):
            url, pid = servers[side]
            client = clients[side]
            token = client.headers["Authorization"].removeprefix("Bearer ")
            parts = [f"{side.upper()} round {round_index + 1}: load {perf_run.load_average()}"]
            for name, path in paths.items():
                parts.append(f"{name} p50 {p50_ms(client, path, args.requests):.1f} ms")
            for name, path in paths.items():
                used = perf_run.tree_cpu_seconds(pid) if pid else 0.0
                rate, requests = perf_run.wrk_requests(
                    url + path, token, args.connections, args.seconds
                )
                used = (perf_run.tree_cpu_seconds(pid) if pid else 0.0) - used
                cpu = 1000 * used / requests if requests and pid else float("nan")
                parts.append(f"{name} {rate:.1f} req/s cpu {cpu:.1f} ms")
            memory = [f"{rss}/{peak}" for _, rss, peak in perf_run.worker_memory(pid)]
            parts.append("RSS " + " ".join(memory))
            lines.append("; ".join(parts))
            print(lines[-1], flush=True)
    perf_run.OUT_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%H%M%S")
    (perf_run.OUT_DIR / f"perf_lists_{stamp}.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
