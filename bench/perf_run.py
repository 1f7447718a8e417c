"""The issue-23 table against a RUNNING server: req/s at N connections (wrk), 1-connection
p50s (``bench/load.py``'s client), 200 sequential ``POST /api/appointments/`` and the
workers' RSS after the run / peak, each row with the machine's load average.

Run on demand, never in the test suite. Start a FRESH server first (the peak RSS is the
workers' high-water mark since they started), seeded with ``seed-demo --size large``:

    PRAXI_BENCH_PASSWORD=… uv run python bench/perf_run.py --base-url http://127.0.0.1:8765 \\
        --server-pid PID --label after [--seconds 8] [--only health]

``wrk`` (a Debian/Homebrew package) does the throughput runs: a Python client on the same
small machine costs more CPU per request than the server's small endpoints. Without it
the throughput column falls back to ``bench/load.py``'s threads. Results go to
``bench/out/perf_<label>_<time>.txt`` (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the shared harness next to this file

OUT_DIR = Path(__file__).resolve().parent / "out"
POSTS = 200


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except (AttributeError, OSError):  # Windows has no load average
        return "n/a"


def worker_memory(server_pid: int | None) -> list[tuple[int, int, int]]:
    """(pid, RSS MB, peak RSS MB) of the server's uvicorn workers (Linux /proc only)."""
    if server_pid is None or not Path("/proc").is_dir():
        return []
    found: list[tuple[int, int, int]] = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() != str(server_pid):
            continue
        cmdline = (status.parent / "cmdline").read_bytes()
        if b"spawn_main" not in cmdline:
            continue
        rss = int(fields.get("VmRSS", "0 kB").split()[0]) // 1024
        peak = int(fields.get("VmHWM", "0 kB").split()[0]) // 1024
        found.append((int(status.parent.name), rss, peak))
    return sorted(found)


def cpu_seconds(pids: list[int], *, with_reaped_children: bool = False) -> float:
    """User + system CPU seconds the processes have used so far (Linux /proc only); with
    ``with_reaped_children`` also that of their children that have ended (PostgreSQL
    backends come and go with the pool's overflow connections)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])
        if with_reaped_children:
            total += int(fields[13]) + int(fields[14])
    return total / ticks


def tree_cpu_seconds(parent: int) -> float:
    """CPU seconds of ``parent``'s children, the running and the ended ones."""
    return cpu_seconds(children(parent)) + cpu_seconds([parent], with_reaped_children=True)


def children(parent: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:") and line.split()[1] == str(parent):
                found.append(int(status.parent.name))
    return found


def wrk_requests(
    url: str, token: str | None, connections: int, seconds: float
) -> tuple[float, int]:
    """(req/s, requests) of one wrk run."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(
        [*command, "--timeout", "60s", url], capture_output=True, text=True, check=False
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    count = re.search(r"(\d+) requests in", output)
    return (float(rate.group(1)) if rate else float("nan")), (int(count.group(1)) if count else 0)


def wrk_rate(url: str, token: str | None, connections: int, seconds: float) -> tuple[float, str]:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s"]
    command += ["--timeout", "60s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=False).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    note = f"{errors.group(1)} non-2xx" if errors else ""
    return (float(match.group(1)) if match else float("nan")), note


def sequential_posts(
    base_url: str, token: str, day: date, weeks_ahead: int | None = None
) -> tuple[float, int, int]:
    """``POSTS`` sequential creates on free slots far after the seeded range."""
    headers = {"Authorization": f"Bearer {token}"}
    created = refused = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        doctors = client.get("/api/doctors/").json()
        doctors = doctors.get("results", doctors) if isinstance(doctors, dict) else doctors
        patients = client.get("/api/patients/").json()["results"]
        # A fresh month for every run, far after the seeded half year: no refusals.
        if weeks_ahead is None:
            weeks_ahead = 20 + 4 * (int(time.time()) // 60 % 40)
        monday = day - timedelta(days=day.weekday()) + timedelta(weeks=weeks_ahead)
        slots = [
            (doctor["id"], monday + timedelta(days=d), hour, minute)
            for d in range(0, 28)
            if (monday + timedelta(days=d)).weekday() < 5
            for hour in range(9, 16)
            for minute in (0, 30)
            for doctor in doctors
        ]
        began = time.perf_counter()
        for index, (doctor_id, slot_day, hour, minute) in enumerate(slots):
            if created >= POSTS:
                break
            start = datetime(slot_day.year, slot_day.month, slot_day.day, hour, minute)
            body = {
                "patient_id": patients[index % len(patients)]["id"],
                "doctor": doctor_id,
                "start_time": start.isoformat(),
                "end_time": (start + timedelta(minutes=20)).isoformat(),
            }
            response = client.post("/api/appointments/", json=body)
            if response.status_code == 201:
                created += 1
            else:
                refused += 1
        elapsed = time.perf_counter() - began
    return created / elapsed, created, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--username", default="mfa.koch")
    parser.add_argument("--server-pid", type=int, help="the `praxi-server serve` process")
    parser.add_argument("--label", default="run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--only", action="append")
    parser.add_argument("--no-posts", action="store_true")
    parser.add_argument("--date", type=date.fromisoformat)
    args = parser.parse_args()
    password = os.environ.get(load.PASSWORD_ENV)
    if not password:
        sys.exit(f"set {load.PASSWORD_ENV}")
    day = args.date or load.busy_weekday(date.today())
    with httpx.Client(base_url=args.base_url, timeout=60) as client:
        token = load.login(client, args.username, password)
        client.headers["Authorization"] = f"Bearer {token}"
        doctor_id = load.pick_doctor(client, day)
    chosen = [
        e for e in load.endpoints(args.username, password, day, doctor_id) if e.name != "login"
    ]
    if args.only:
        chosen = [e for e in chosen if e.name in args.only]
    has_wrk = shutil.which("wrk") is not None
    lines = [
        f"{args.label}: {args.base_url} {datetime.now().isoformat(timespec='seconds')} "
        f"date {day} doctor {doctor_id}; {args.connections} conns via "
        f"{'wrk' if has_wrk else 'load.py threads'}, {args.seconds:g} s each",
        f"{'endpoint':<18} {'req/s':>9} {'p50@1 ms':>9} {'p99@1 ms':>9}  load avg (1/5/15)",
    ]
    print(lines[0], flush=True)
    for endpoint in chosen:
        loadavg = load_average()
        url = args.base_url + endpoint.path
        auth = token if endpoint.auth else None
        if has_wrk:
            rate, note = wrk_rate(url, auth, args.connections, args.seconds)
        else:
            many = load.run_endpoint(args.base_url, endpoint, token, args.connections, args.seconds)
            rate, note = (len(many.latencies_ms) / many.seconds), f"{many.errors} errors"
        single = load.run_endpoint(args.base_url, endpoint, token, 1, args.seconds)
        line = (
            f"{endpoint.name:<18} {rate:>9.1f} {single.percentile(0.5):>9.2f} "
            f"{single.percentile(0.99):>9.2f}  {loadavg} {note}"
            f"{' 1-conn errors ' + str(single.errors) if single.errors else ''}"
        )
        lines.append(line)
        print(line, flush=True)
    if not args.no_posts:
        loadavg = load_average()
        rate, created, refused = sequential_posts(args.base_url, token, day)
        line = f"{'POST appointments':<18} {rate:>9.1f}/s created {created} refused {refused}"
        lines.append(f"{line}  {loadavg}")
        print(lines[-1], flush=True)
    for pid, rss, peak in worker_memory(args.server_pid):
        lines.append(f"worker {pid}: RSS {rss} MB, peak {peak} MB")
        print(lines[-1], flush=True)
    OUT_DIR.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%H%M%S")
    (OUT_DIR / f"perf_{args.label}_{stamp}.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
