from __future__ import annotations

import asyncio
import logging
from typing import Any

import psycopg
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from server.core.access import Audience, PublicAccess, PublicOnly, register_policy
from server.core.responses import JSONResponse

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])
_SELECT_ONE = text("SELECT 1")
# A database that accepts the connection but never answers must still end in a 503.
QUERY_TIMEOUT_SECONDS = 10.0
_CONNECT_TIMEOUT_SECONDS = 5
for _path in ("/api/health/", "/health/", "/"):
    register_policy(_path, read=Audience.PUBLIC, write=Audience.PUBLIC)


@router.get("/", response_class=PlainTextResponse, include_in_schema=False)
def root(_: PublicAccess) -> PlainTextResponse:
    return PlainTextResponse("PraxiApp backend is running.")


@router.get("/api/health/")
@router.get("/health/", include_in_schema=False)
async def health(request: Request, _: PublicOnly) -> JSONResponse:
    """200 when a trivial query succeeds, 503 otherwise (01 §3.4).

    Concurrent checks share one ``SELECT 1`` (single flight): each answer still rests on a
    query that finished while that request waited, but a burst of checks costs the database
    one round trip (issue 23).
    """
    if await probe_of(request.app.state).check():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "error", "detail": "database unavailable"}, status_code=503)


def probe_of(app_state: Any) -> HealthProbe:
    probe: HealthProbe | None = getattr(app_state, "praxi_health_probe", None)
    if probe is None:
        probe = app_state.praxi_health_probe = HealthProbe(app_state.praxi.engine)
    return probe


async def close_probe(app_state: Any) -> None:
    probe: HealthProbe | None = getattr(app_state, "praxi_health_probe", None)
    if probe is not None:
        await probe.aclose()


class HealthProbe:
    """The health query of one worker, on a connection of its own owned by the event loop.

    The check used to take a pooled SQLAlchemy connection in the thread pool: two thread
    hand-overs and the pool's checkout and reset for one ``SELECT 1``. Here the query runs
    on an async psycopg connection in the event loop itself, in autocommit (no BEGIN and
    ROLLBACK). A connection that fails is dropped; the next check opens a new one.

    The ``ProactorEventLoop`` (Windows with one worker) cannot run psycopg's async
    connections: there the check keeps going through the pool in the thread pool.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: psycopg.AsyncConnection[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Future[bool] | None = None
        self._async_usable = True

    async def check(self) -> bool:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # A new event loop (tests start one per client): what belonged to the old one
            # cannot be awaited here.
            self._forget_connection()
            self._running = None
            self._loop = loop
            self._async_usable = not runs_on_proactor(loop)
        running = self._running
        if running is None or running.done():
            running = self._running = asyncio.ensure_future(self._select_one())
        return await asyncio.shield(running)

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None or connection.closed:
            return
        if self._loop is asyncio.get_running_loop() and not connection.broken:
            await connection.close()
        else:
            connection.pgconn.finish()

    async def _select_one(self) -> bool:
        if not self._async_usable:
            return await run_in_threadpool(select_one_pooled, self._engine)
        # A connection the database ended while it was idle (restart, terminated backend)
        # gets one fresh connection before the answer is 503, as the pool's pre-ping did.
        attempts = 2 if self._connection is not None else 1
        for attempt in range(attempts):
            try:
                connection = await self._connect()
                # asyncio.timeout: no extra task per query, unlike wait_for.
                async with asyncio.timeout(QUERY_TIMEOUT_SECONDS):
                    await connection.execute("SELECT 1")
                return True
            except (psycopg.Error, OSError, TimeoutError):
                self._failed(attempt == attempts - 1)
        return False

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        if self._connection is None or self._connection.closed:
            _, params = self._engine.dialect.create_connect_args(self._engine.url)
            params.pop("context", None)  # the engine's sync adapters
            # What the database URL sets itself stays as it is.
            params.setdefault("connect_timeout", _CONNECT_TIMEOUT_SECONDS)
            params.setdefault("application_name", "praxi-health")
            self._connection = await psycopg.AsyncConnection.connect(
                **params, autocommit=True, prepare_threshold=None
            )
        return self._connection

    def _failed(self, last: bool) -> None:
        self._forget_connection()
        if last:
            # The reason stays in the server log; clients get a fixed text (01 §3.4).
            log.warning("health check: database unreachable", exc_info=True)

    def _forget_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.closed:
            # Not awaited: it may be broken or belong to a loop that is gone.
            connection.pgconn.finish()


def runs_on_proactor(loop: asyncio.AbstractEventLoop) -> bool:
    """Windows' default loop, which psycopg's async connections cannot use."""
    proactor = getattr(asyncio, "ProactorEventLoop", None)  # only defined on Windows
    return proactor is not None and isinstance(loop, proactor)


def select_one_pooled(engine: Engine) -> bool:
    try:
        # Autocommit: the one statement, without BEGIN and ROLLBACK around it.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(_SELECT_ONE)
    except (SQLAlchemyError, OSError):
        log.warning("health check: database unreachable", exc_info=True)
        return False
    return True
