"""Load-test a RUNNING PraxiApp server over HTTP (run on demand, not part of the test suite).

N threads, each with its own keep-alive httpx connection, hammer one endpoint for T seconds;
then the next endpoint. Prints requests, req/s, p50/p99 latency and errors per endpoint.
Endpoints that answer 404/405/501 on a first probe are skipped with a note (not built yet).

    PRAXI_BENCH_PASSWORD=… uv run python bench/load.py --base-url http://127.0.0.1:8765 \\
        --username mfa.koch [--connections 8] [--seconds 10] [--only calendar-week]

See bench/README.md for seeding the large demo data set first.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import httpx

PASSWORD_ENV = "PRAXI_BENCH_PASSWORD"  # noqa: S105 - a variable name, no secret
NOT_BUILT = {404, 405, 501}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    target_p50_ms: float | None = None
    json: dict[str, str] | None = None
    auth: bool = True
    optional: bool = False  # skip with a note when not implemented yet


@dataclass
class Result:
    endpoint: Endpoint
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    first_error: str = ""
    skipped: str = ""

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def endpoints(username: str, password: str, day: date, doctor_id: int) -> list[Endpoint]:
    iso = day.isoformat()
    month_start = day.replace(day=1).isoformat()
    return [
        Endpoint("health", "GET", "/api/health/", auth=False),
        Endpoint(
            "login",
            "POST",
            "/api/auth/login/",
            json={"username": username, "password": password},
            auth=False,
        ),
        Endpoint("appointments", "GET", "/api/appointments/", target_p50_ms=400),
        Endpoint("appointments-date", "GET", f"/api/appointments/?date={iso}", target_p50_ms=10),
        Endpoint(
            "suggest",
            "GET",
            f"/api/appointments/suggest/?doctor_id={doctor_id}&duration_minutes=30"
            f"&start_date={iso}",
            target_p50_ms=5,
            optional=True,
        ),
        Endpoint(
            "calendar-week",
            "GET",
            f"/api/calendar/week/?date={iso}",
            target_p50_ms=100,
            optional=True,
        ),
        Endpoint("op-timeline", "GET", f"/api/op-timeline/?date={iso}", target_p50_ms=10),
        Endpoint(
            "op-stats-overview",
            "GET",
            f"/api/op-stats/overview/?from={month_start}&to={iso}",
            target_p50_ms=20,
        ),
        Endpoint("patient-flow-live", "GET", "/api/patient-flow/live/", target_p50_ms=20),
    ]


def login(client: httpx.Client, username: str, password: str) -> str:
    response = client.post("/api/auth/login/", json={"username": username, "password": password})
    if response.status_code != 200:
        sys.exit(f"login as {username} failed: HTTP {response.status_code}")
    token: str = response.json()["access"]
    return token


def busy_weekday(today: date) -> date:
    """Today if it is a weekday, else the next Monday (the demo data fill every weekday)."""
    return today if today.weekday() < 5 else today + timedelta(days=7 - today.weekday())


def pick_doctor(client: httpx.Client, day: date) -> int:
    response = client.get("/api/doctors/")
    if response.status_code == 200 and response.json():
        rows = response.json()
        rows = rows.get("results", rows) if isinstance(rows, dict) else rows
        return int(rows[0]["id"])
    listing = client.get("/api/appointments/", params={"date": day.isoformat()})
    if listing.status_code == 200 and listing.json():
        return int(listing.json()[0]["doctor"])
    sys.exit("no doctor found: seed the demo data first (see bench/README.md)")


def run_endpoint(
    base_url: str, endpoint: Endpoint, token: str, connections: int, seconds: float
) -> Result:
    result = Result(endpoint)
    headers = {"Authorization": f"Bearer {token}"} if endpoint.auth else {}
    lock = threading.Lock()
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as probe:
        response = probe.request(endpoint.method, endpoint.path, json=endpoint.json)
        if endpoint.optional and response.status_code in NOT_BUILT:
            result.skipped = f"skipped: HTTP {response.status_code} (not implemented yet)"
            return result

    def worker(deadline: float) -> None:
        latencies: list[float] = []
        errors = 0
        first_error = ""
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        with httpx.Client(base_url=base_url, headers=headers, timeout=60, limits=limits) as c:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    response = c.request(endpoint.method, endpoint.path, json=endpoint.json)
                    response.read()
                    ok = 200 <= response.status_code < 300
                    failure = "" if ok else f"HTTP {response.status_code}: {response.text[:120]}"
                except httpx.HTTPError as exc:
                    failure = f"{type(exc).__name__}: {exc}"
                elapsed_ms = (time.perf_counter() - began) * 1000
                if failure:
                    errors += 1
                    first_error = first_error or failure
                else:
                    latencies.append(elapsed_ms)
        with lock:
            result.latencies_ms.extend(latencies)
            result.errors += errors
            result.first_error = result.first_error or first_error

    began = time.perf_counter()
    deadline = began + seconds
    threads = [threading.Thread(target=worker, args=(deadline,)) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result


def print_table(results: list[Result], write: Callable[[str], None] = print) -> None:
    header = (
        f"{'endpoint':<18} {'requests':>9} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'errors':>7}  target p50"
    )
    write(header)
    write("-" * len(header))
    for r in results:
        target = r.endpoint.target_p50_ms
        if r.skipped:
            write(f"{r.endpoint.name:<18} {r.skipped}")
            continue
        requests = len(r.latencies_ms) + r.errors
        p50 = r.percentile(0.5)
        verdict = ""
        if target is not None:
            verdict = f"≤ {target:g} ms {'ok' if p50 <= target else 'MISSED'}"
        write(
            f"{r.endpoint.name:<18} {requests:>9} {requests / r.seconds:>9.1f} {p50:>9.1f} "
            f"{r.percentile(0.99):>9.1f} {r.errors:>7}  {verdict}"
        )
    for r in results:
        if r.first_error:
            write(f"first error of {r.endpoint.name}: {r.first_error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="mfa.koch", help="an admin/assistant sees all")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--only", action="append", help="endpoint name (repeatable)")
    parser.add_argument("--date", type=date.fromisoformat, help="busy weekday (default: today)")
    parser.add_argument("--doctor-id", type=int, help="doctor for suggest (default: first)")
    args = parser.parse_args()
    password = os.environ.get(PASSWORD_ENV)
    if not password:
        sys.exit(f"set {PASSWORD_ENV} to the password of --username")

    day = args.date or busy_weekday(date.today())
    with httpx.Client(base_url=args.base_url, timeout=60) as client:
        token = login(client, args.username, password)
        client.headers["Authorization"] = f"Bearer {token}"
        doctor_id = args.doctor_id or pick_doctor(client, day)

    chosen = endpoints(args.username, password, day, doctor_id)
    names = [e.name for e in chosen]
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            sys.exit(f"unknown endpoint(s) {', '.join(unknown)}; choose from {', '.join(names)}")
        chosen = [e for e in chosen if e.name in args.only]
    print(
        f"{args.base_url}: {args.connections} connections × {args.seconds:g} s per endpoint, "
        f"user {args.username}, date {day.isoformat()}, doctor {doctor_id}"
    )
    results = []
    for endpoint in chosen:
        print(f"  {endpoint.name} …", flush=True)
        results.append(run_endpoint(args.base_url, endpoint, token, args.connections, args.seconds))
    print()
    print_table(results)


if __name__ == "__main__":
    main()
