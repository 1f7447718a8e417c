"""CPU per request of the app alone, in-process, without an HTTP server (issue 23).

On a shared machine req/s at 8 connections follows the other processes' load; the CPU one
process spends per request moves far less. This drives the ASGI app of the work tree it is
started from with prepared requests, one after the other, against the embedded cluster of
``PRAXI_DATA_DIR`` (``seed-demo --size large``; a running ``serve`` on the same folder is
fine), and prints per path the smallest CPU time per request of ``--reps`` rounds (all
threads of the process: the thread pool's work counts, PostgreSQL's does not).

A/B against another checkout (a ``git worktree`` of the old commit), alternating:

    PRAXI_DATA_DIR=… PRAXI_BENCH_PASSWORD=… uv run python bench/perf_fixed.py \\
        /api/auth/me/ /api/doctors/ [--requests 800] [--reps 5] [--profile]
    cd /tmp/base && PYTHONPATH=. /path/to/.venv/bin/python /path/to/bench/perf_fixed.py …
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import time
from typing import Any

import httpx

from server.cli import _with_embedded_database
from server.settings import Settings, get_settings


async def _drive(args: argparse.Namespace, password: str) -> None:
    from server.app import create_app

    app = create_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            login = await client.post(
                "/api/auth/login/", json={"username": args.username, "password": password}
            )
            token = login.json()["access"]
        await asyncio.sleep(0.5)  # the event listener connects: the principal cache is on
        for path in args.paths:
            await _measure(app, path, token, args)


async def _measure(app: Any, path: str, token: str, args: argparse.Namespace) -> None:
    route_path, _, query = path.partition("?")
    template = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route_path,
        "raw_path": route_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 50000),
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"accept", b"*/*"),
        ],
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def run(count: int) -> None:
        for _ in range(count):
            await app({**template, "state": {}}, receive, send)

    await run(100)  # warm up: caches, pool, prepared statements
    if statuses[-1] != 200:
        sys.exit(f"{path}: HTTP {statuses[-1]}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        await run(args.requests)
        profiler.disable()
        print(f"== {path}")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    best_cpu, best_wall = float("inf"), float("inf")
    for _ in range(args.reps):
        cpu, wall = time.process_time(), time.perf_counter()
        await run(args.requests)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / args.requests * 1e6)
        best_wall = min(best_wall, (time.perf_counter() - wall) / args.requests * 1e6)
    load = os.getloadavg()[0]
    print(f"{path[:60]:<60} cpu {best_cpu:7.1f} µs  wall {best_wall:7.1f} µs  load {load:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--username", default="mfa.koch")
    parser.add_argument("--profile", action="store_true", help="cProfile instead of timing")
    args = parser.parse_args()
    password = os.environ.get("PRAXI_BENCH_PASSWORD")
    if not password:
        sys.exit("set PRAXI_BENCH_PASSWORD")

    def run(settings: Settings) -> int:
        assert settings.database_url is not None
        os.environ["PRAXI_DATABASE_URL"] = settings.database_url.get_secret_value()
        get_settings.cache_clear()
        asyncio.run(_drive(args, password))
        return 0

    _with_embedded_database(get_settings(), run)


if __name__ == "__main__":
    main()
