"""Per-application state and the dependencies that hand it to routers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from server.settings import Settings


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    secret_key: str


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.praxi
    return state


def get_settings(request: Request) -> Settings:
    return get_state(request).settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; routers commit writes explicitly (one transaction each)."""
    with get_state(request).session_factory() as session:
        yield session


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
