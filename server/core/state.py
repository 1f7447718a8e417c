"""Per-application state and the dependencies that hand it to routers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
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


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; routers commit writes explicitly (one transaction each).

    A plain generator: closing the session talks to the database, which must not happen
    on the event loop."""
    with app_state(request).session_factory() as session:
        yield session


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
