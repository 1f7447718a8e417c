from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server.core.access import Audience, PublicAccess, register_policy
from server.core.responses import JSONResponse
from server.core.state import StateDep

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])
for _path in ("/api/health/", "/health/", "/"):
    register_policy(_path, read=Audience.PUBLIC, write=Audience.PUBLIC)


@router.get("/", response_class=PlainTextResponse, include_in_schema=False)
def root(_: PublicAccess) -> PlainTextResponse:
    return PlainTextResponse("PraxiApp backend is running.")


@router.get("/api/health/")
@router.get("/health/", include_in_schema=False)
def health(state: StateDep, _: PublicAccess) -> JSONResponse:
    try:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        # The reason stays in the server log; clients get a fixed text (01 §3.4).
        log.warning("health check: database unreachable", exc_info=True)
        return JSONResponse({"status": "error", "detail": "database unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})
