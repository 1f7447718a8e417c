"""``create_app(mode)``: the ASGI application for one role or both (spec 06 §10)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from ci_agent import __version__, processor, receiver
from ci_agent.config import (
    ConfigError,
    Settings,
    check_settings,
    effective_upstream_url,
    load_settings,
    resolve_target_url,
)
from ci_agent.storage import Store
from ci_agent.web import ApiError, ServiceMiddleware, error_for_status, json_response

log = logging.getLogger("ci_agent")
RETENTION_INTERVAL_S = 24 * 3600


async def _api_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return error_for_status(exc.status_code, exc.headers).response()


async def _validation_error(_: Request, __: Exception) -> Response:
    return error_for_status(400).response()


def _housekeeping(store: Store, retention_days: int) -> None:
    removed = store.cleanup_temp_files()
    expired = store.apply_retention(retention_days)
    if removed or expired:
        log.info("housekeeping removed %d temp files and %d expired runs", removed, expired)


def create_app(mode: str, settings: Settings | None) -> ASGIApp:
    """Build the app. ``settings=None`` gives the defensive not-configured app of §8.3."""
    processes = mode in {"processor", "combined"}
    receives = mode in {"receiver", "combined"}

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task: asyncio.Task[Any] | None = None
        if processes and settings is not None:
            store = Store(settings.logs_dir)
            await asyncio.to_thread(_housekeeping, store, settings.retention_days)
            if settings.retention_days > 0:

                async def periodic() -> None:
                    while True:
                        await asyncio.sleep(RETENTION_INTERVAL_S)
                        await asyncio.to_thread(_housekeeping, store, settings.retention_days)

                task = asyncio.create_task(periodic())
        try:
            yield
        finally:
            if task is not None:
                task.cancel()

    docs = settings is not None and settings.docs
    app = FastAPI(
        title="praxi-ci-agent",
        version=__version__,
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
        redirect_slashes=False,
        lifespan=lifespan,
    )
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

    target_url: str | None = None
    if receives and settings is not None:
        raw = effective_upstream_url(settings, mode)
        if raw is not None:
            with contextlib.suppress(ValueError):
                target_url = resolve_target_url(
                    raw, allow_insecure=settings.allow_insecure_upstream
                )

    if receives:
        app.include_router(receiver.build_router(settings, target_url))
    if processes:
        app.include_router(processor.build_router(settings))

    async def healthz() -> Response:
        if settings is None:
            raise ApiError(503, "Service Unavailable", "not_configured")
        return json_response(200, {"status": "ok", "mode": mode, "version": __version__})

    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    max_concurrency = settings.max_concurrency if settings is not None else 16
    return ServiceMiddleware(app, mode, max_concurrency)


def receiver_app_from_env() -> ASGIApp:
    """Factory for multi-worker receivers (each worker re-reads and re-checks the env)."""
    try:
        settings = load_settings()
    except ConfigError:
        return create_app("receiver", None)
    problems, _ = check_settings(settings, "receiver")
    return create_app("receiver", None if problems else settings)
