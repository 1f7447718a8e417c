from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Select, or_, select

from server.core.access import ADMIN, Audience, Authorized, register_policy, roles
from server.core.body import Body, openapi_body
from server.core.errors import not_found
from server.core.ids import parse_path_id
from server.core.pagination import paginate
from server.core.query import bool_param, contains_pattern, where_text
from server.core.state import SessionDep, StateDep
from server.users import account, render, service
from server.users.models import Role, User

router = APIRouter(prefix="/api", tags=["users"])

ADMIN_ONLY = roles(ADMIN)
for _path in ("/api/users/", "/api/users/{user_id}/", "/api/roles/"):
    register_policy(_path, read=ADMIN_ONLY, write=ADMIN_ONLY)
# Every signed-in user with a role changes their own password (issue 20).
register_policy("/api/users/me/password/", read=Audience.ANY_ROLE, write=Audience.ANY_ROLE)
register_policy("/api/users/me/profile/", read=Audience.ANY_ROLE, write=Audience.ANY_ROLE)


def _list_statement(request: Request) -> Select[User]:
    statement = select(User).order_by(User.username, User.id)
    params = request.query_params
    if q := params.get("q", "").strip():
        pattern = contains_pattern(q)
        statement = where_text(
            statement,
            pattern,
            lambda text: or_(
                User.username.ilike(text),
                User.first_name.ilike(text),
                User.last_name.ilike(text),
                User.email.ilike(text),
            ),
        )
    if (role := params.get("role")) is not None and role != "":
        if role == "none":
            statement = statement.where(User.role_id.is_(None))
        else:
            statement = where_text(statement.join(Role), role, lambda name: Role.name == name)
    active = bool_param(params.get("is_active"))
    if active is not None:
        statement = statement.where(User.is_active.is_(active))
    return statement


@router.get("/users/")
def list_users(
    request: Request, _: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    tz = state.settings.tz
    return paginate(
        request,
        session,
        _list_statement(request),
        lambda users: [render.managed_user(u, tz) for u in users],
        trust_proxy=state.settings.trust_proxy_headers,
    )


@router.post("/users/", status_code=201, openapi_extra=openapi_body(service.USER_CREATE))
def create_user(
    body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    data = service.validate_user_body(session, service.USER_CREATE, body.json())
    user = service.create_user(session, data, actor=principal, source="api")
    session.commit()
    return render.managed_user(user, state.settings.tz)


def _get_user(session: SessionDep, user_id: str) -> User:
    user = session.get(User, parse_path_id(user_id))
    if user is None:
        raise not_found()
    return user


@router.get("/users/{user_id}/")
def get_user(user_id: str, _: Authorized, session: SessionDep, state: StateDep) -> dict[str, Any]:
    return render.managed_user(_get_user(session, user_id), state.settings.tz)


@router.patch("/users/{user_id}/", openapi_extra=openapi_body(service.USER_UPDATE, partial=True))
def update_user(
    user_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    user = _get_user(session, user_id)
    data = service.validate_user_body(
        session, service.USER_UPDATE, body.json(), partial=True, exclude_id=user.id
    )
    service.update_user(session, user, data, actor=principal)
    session.commit()
    return render.managed_user(user, state.settings.tz)


@router.delete("/users/{user_id}/", status_code=204)
def delete_user(user_id: str, principal: Authorized, session: SessionDep) -> Response:
    user = _get_user(session, user_id)
    service.deactivate_user(session, user, actor=principal)
    session.commit()
    return Response(status_code=204)


@router.get("/roles/")
def list_roles(_: Authorized, session: SessionDep) -> list[dict[str, Any]]:
    rows = session.scalars(select(Role).order_by(Role.name)).all()
    return [{"id": r.id, "name": r.name, "label": r.label} for r in rows]


@router.post(
    "/users/me/password/", status_code=204, openapi_extra=openapi_body(account.PASSWORD_CHANGE)
)
def change_own_password(body: Body, principal: Authorized, state: StateDep) -> Response:
    """The caller's own password (docs/practice-settings.md); ends every session of theirs."""
    account.change_own_password(state.session_factory, principal, body.json())
    return Response(status_code=204)


@router.patch("/users/me/profile/", openapi_extra=openapi_body(account.PROFILE, partial=True))
def update_own_profile(body: Body, principal: Authorized, state: StateDep) -> dict[str, Any]:
    """The caller's own name (and a doctor's calendar colour), docs/practice-settings.md."""
    return account.update_own_profile(state.session_factory, principal, body.json())
