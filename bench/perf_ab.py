"""Two RUNNING servers on the same data, measured alternately endpoint by endpoint (issue 23).

On a shared, busy machine the load changes from minute to minute; runs of a whole table
minutes apart compare the load, not the code. Here every endpoint is measured A, B, B, A, …
within seconds, and the report gives each side's median and the ratio B/A with the load
average of that endpoint's rounds.

    PRAXI_BENCH_PASSWORD=… uv run python bench/perf_ab.py \\
        --a http://127.0.0.1:8765 --b http://127.0.0.1:8766 [--rounds 2] [--seconds 5] \\
        [--a-pid PID --b-pid PID] [--only health]

Throughput: ``wrk`` at ``--connections`` (8); latency: the 1-connection p50 of
``bench/load.py``'s client. Output also goes to ``bench/out/perf_ab_<time>.txt``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import date, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the shared harness next to this file
import perf_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help="base URL of the 'before' server")
    parser.add_argument("--b", required=True, help="base URL of the 'after' server")
    parser.add_argument("--a-pid", type=int)
    parser.add_argument("--b-pid", type=int)
    parser.add_argument("--username", default="mfa.koch")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", action="append")
    parser.add_argument("--date", type=date.fromisoformat)
    parser.add_argument("--postmaster-pid", type=int, help="the cluster's, for its CPU time")
    args = parser.parse_args()
    password = os.environ.get(load.PASSWORD_ENV)
    if not password:
        sys.exit(f"set {load.PASSWORD_ENV}")
    day = args.date or load.busy_weekday(date.today())
    tokens = {}
    for side, url in (("a", args.a), ("b", args.b)):
        with httpx.Client(base_url=url, timeout=60) as client:
            tokens[side] = load.login(client, args.username, password)
            client.headers["Authorization"] = f"Bearer {tokens[side]}"
            doctor_id = load.pick_doctor(client, day)
    chosen = [
        e for e in load.endpoints(args.username, password, day, doctor_id) if e.name != "login"
    ]
    if args.only:
        chosen = [e for e in chosen if e.name in args.only]
    lines = [
        f"A={args.a} B={args.b} {datetime.now().isoformat(timespec='seconds')} date {day}; "
        f"{args.rounds} rounds A,B,B,A of {args.seconds:g} s; req/s at {args.connections} "
        "connections (wrk), p50 ms at 1 connection",
        f"{'endpoint':<18} {'A req/s':>8} {'B req/s':>8} {'B/A':>6} {'A p50':>8} {'B p50':>8} "
        f"{'A/B':>6} {'A cpu':>7} {'B cpu':>7}  load avg   (cpu: ms of server workers + "
        "PostgreSQL per request at 8 connections)",
    ]
    print("\n".join(lines), flush=True)
    for endpoint in chosen:
        rates: dict[str, list[float]] = {"a": [], "b": []}
        cpu: dict[str, list[float]] = {"a": [], "b": []}
        p50s: dict[str, list[float]] = {"a": [], "b": []}
        loads = []
        for round_index in range(args.rounds):
            order = ("a", "b") if round_index % 2 == 0 else ("b", "a")
            for side in order:
                url = args.a if side == "a" else args.b
                loads.append(os.getloadavg()[0])
                token = tokens[side] if endpoint.auth else None
                pid = args.a_pid if side == "a" else args.b_pid

                def used_so_far(pid: int | None = pid) -> float:
                    parents = [p for p in (pid, args.postmaster_pid) if p]
                    return sum(perf_run.tree_cpu_seconds(p) for p in parents)

                used = used_so_far()
                rate, requests = perf_run.wrk_requests(
                    url + endpoint.path, token, args.connections, args.seconds
                )
                used = used_so_far() - used
                rates[side].append(rate)
                cpu[side].append(1000 * used / requests if requests else float("nan"))
                single = load.run_endpoint(url, endpoint, tokens[side], 1, args.seconds)
                p50s[side].append(single.percentile(0.5))
        a_rate, b_rate = statistics.median(rates["a"]), statistics.median(rates["b"])
        a_p50, b_p50 = statistics.median(p50s["a"]), statistics.median(p50s["b"])
        line = (
            f"{endpoint.name:<18} {a_rate:>8.1f} {b_rate:>8.1f} {b_rate / a_rate:>6.2f} "
            f"{a_p50:>8.2f} {b_p50:>8.2f} {a_p50 / b_p50:>6.2f} "
            f"{statistics.median(cpu['a']):>7.2f} {statistics.median(cpu['b']):>7.2f}  "
            f"{min(loads):.1f}–{max(loads):.1f}"
        )
        lines.append(line)
        print(line, flush=True)
    for label, pid in (("A", args.a_pid), ("B", args.b_pid)):
        for worker, rss, peak in perf_run.worker_memory(pid):
            lines.append(f"{label} worker {worker}: RSS {rss} MB, peak {peak} MB")
            print(lines[-1], flush=True)
    perf_run.OUT_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%H%M%S")
    (perf_run.OUT_DIR / f"perf_ab_{stamp}.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
