"""Profile where one request's time goes, in-process, with pyinstrument (issue 23).

Runs the app against the embedded cluster of ``PRAXI_DATA_DIR`` (seeded with
``seed-demo --size large``; a running ``serve`` on the same folder is fine) and sends N
requests to one path through the ASGI stack. The thread-pool hand-over is made inline while
profiling, so the endpoint's own work shows up in the same call tree as the framework's.

    PRAXI_DATA_DIR=… PRAXI_BENCH_PASSWORD=… uv run python bench/perf_profile.py \\
        /api/appointments/?date=2026-12-07 [--requests 300] [--html out.html]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import httpx
from pyinstrument import Profiler

from server.cli import _with_embedded_database
from server.settings import Settings, get_settings


async def _inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
    return func(*args)


async def _drive(path: str, requests: int, username: str, password: str, html: str | None) -> None:
    from server.app import create_app

    app = create_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            login = await client.post(
                "/api/auth/login/", json={"username": username, "password": password}
            )
            headers = {"Authorization": f"Bearer {login.json()['access']}"}
            for _ in range(20):  # warm up: caches, pool, the listener
                await client.get(path, headers=headers)
                await asyncio.sleep(0.01)
            original = anyio.to_thread.run_sync
            anyio.to_thread.run_sync = _inline  # type: ignore[assignment]
            profiler = Profiler(interval=0.0002, async_mode="enabled")
            try:
                profiler.start()
                for _ in range(requests):
                    response = await client.get(path, headers=headers)
                    assert response.status_code == 200, response.text[:200]
                profiler.stop()
            finally:
                anyio.to_thread.run_sync = original
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if html:
        with open(html, "w", encoding="utf-8") as handle:
            handle.write(profiler.output_html())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--username", default="mfa.koch")
    parser.add_argument("--html")
    args = parser.parse_args()
    password = os.environ.get("PRAXI_BENCH_PASSWORD")
    if not password:
        sys.exit("set PRAXI_BENCH_PASSWORD")

    def run(settings: Settings) -> int:
        os.environ["PRAXI_DATABASE_URL"] = settings.database_url.get_secret_value()  # type: ignore[union-attr]
        get_settings.cache_clear()
        asyncio.run(_drive(args.path, args.requests, args.username, password, args.html))
        return 0

    _with_embedded_database(get_settings(), run)


if __name__ == "__main__":
    main()
