"""First-run setup over HTTP (01 §7.3), used by the desktop's first-run wizard."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import exists, select, text

from server.core.access import Audience, PublicAccess, register_policy
from server.core.body import Body, openapi_body
from server.core.errors import conflict, permission_denied
from server.core.state import SessionDep, StateDep
from server.users import render, service
from server.users.models import User

router = APIRouter(prefix="/api/setup", tags=["setup"])
register_policy("/api/setup/status/", read=Audience.PUBLIC, write=Audience.PUBLIC)
register_policy("/api/setup/admin/", read=Audience.PUBLIC, write=Audience.PUBLIC)

SETUP_DISABLED = "Setup over HTTP is disabled; use praxi-server create-user."


@router.get("/status/")
def setup_status(session: SessionDep, _: PublicAccess) -> dict[str, bool]:
    has_users = session.scalar(select(exists().select_from(User)))
    return {"needs_setup": not has_users}


@router.post("/admin/", status_code=201, openapi_extra=openapi_body(service.SETUP_ADMIN))
def setup_admin(
    body: Body, session: SessionDep, state: StateDep, _: PublicAccess
) -> dict[str, Any]:
    if not state.settings.http_setup_enabled:
        raise permission_denied(SETUP_DISABLED)
    # Serialise concurrent setup calls: exactly one sees an empty table.
    session.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
    if session.scalar(select(exists().select_from(User))):
        raise conflict("Setup already completed.")
    data = body.validate(service.SETUP_ADMIN)
    user = service.create_user(session, data, actor=None, source="setup", role_override="admin")
    session.commit()
    return render.managed_user(user, state.settings.tz)
