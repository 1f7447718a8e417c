from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.core.access import Audience, PublicAccess, register_policy
from server.core.responses import JSONResponse
from server.core.state import AppState

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])
_SELECT_ONE = text("SELECT 1")
for _path in ("/api/health/", "/health/", "/"):
    register_policy(_path, read=Audience.PUBLIC, write=Audience.PUBLIC)


@router.get("/", response_class=PlainTextResponse, include_in_schema=False)
def root(_: PublicAccess) -> PlainTextResponse:
    return PlainTextResponse("PraxiApp backend is running.")


@router.get("/api/health/")
@router.get("/health/", include_in_schema=False)
async def health(request: Request, _: PublicAccess) -> JSONResponse:
    """200 when a trivial query succeeds, 503 otherwise (01 §3.4).

    Concurrent checks share one ``SELECT 1`` (single flight): each answer still rests on a
    query that finished while that request waited, but a burst of checks costs the database
    one round trip, and the endpoint no thread hand-over of its own (issue 23).
    """
    if await _probe(request.app.state):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "error", "detail": "database unavailable"}, status_code=503)


async def _probe(app_state: Any) -> bool:
    running: asyncio.Future[bool] | None = getattr(app_state, "praxi_health_probe", None)
    if running is None or running.done():
        running = asyncio.ensure_future(run_in_threadpool(_select_one, app_state.praxi))
        app_state.praxi_health_probe = running
    return await asyncio.shield(running)


def _select_one(state: AppState) -> bool:
    try:
        # Autocommit: the one statement, without BEGIN and ROLLBACK around it.
        with state.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(_SELECT_ONE)
    except (SQLAlchemyError, OSError):
        # The reason stays in the server log; clients get a fixed text (01 §3.4).
        log.warning("health check: database unreachable", exc_info=True)
        return False
    return True
