"""Per-application state and the dependencies that hand it to routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from server.core.ports import Auditor, PrincipalLoader
from server.settings import Settings


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    secret_key: str
    # The domain parts core relies on, registered by the app factory (core imports no domain).
    load_principal: PrincipalLoader
    audit: Auditor


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.praxi
    return state


# The trivial dependencies are ``async def`` on purpose: FastAPI runs every plain ``def``
# dependency in its thread pool, and each of those hand-overs showed up in every request.


async def get_state(request: Request) -> AppState:
    return app_state(request)


async def get_settings(request: Request) -> Settings:
    return app_state(request).settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; routers commit writes explicitly (one transaction each).

    Made on the event loop (that needs no database); closed there too when it never touched
    the database (a cached principal on a public or write path), else in the thread pool:
    closing a session that holds a connection talks to the database (ROLLBACK), which must
    not happen on the event loop."""
    session = app_state(request).session_factory()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
