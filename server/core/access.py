"""Authentication and the role check of every endpoint (00 §3, §4).

Each path declares once which roles may read it (GET) and which may write it (other
methods); the ``authorize`` dependency looks the policy up from the matched route, so a
router cannot forget it. Unsupported methods on a known path go through the same check
before answering 405 (``install_method_fallbacks``).
"""

from __future__ import annotations

import enum
import inspect
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from server.core import clock
from server.core.errors import (
    method_not_allowed,
    not_authenticated,
    permission_denied,
    token_not_valid,
)
from server.core.principal import Principal as Principal  # imported from here everywhere
from server.core.state import AppState, SessionDep, StateDep

ADMIN = "admin"
ASSISTANT = "assistant"
DOCTOR = "doctor"
BILLING = "billing"
CORE_ROLES = frozenset({ADMIN, ASSISTANT, DOCTOR, BILLING})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CONTRACT_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class Audience(enum.Enum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"  # also users without a role (only /api/auth/me/)
    ANY_ROLE = "any_role"


RoleSet = Audience | frozenset[str]


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PathPolicy:
    """Who may call a path: ``read`` for GET, ``write`` for the other methods.

    ``methods`` overrides single implemented methods where the spec grants more or less than
    the path's write set (e.g. a doctor may PATCH an own absence but gets 403, not 405, for
    an unsupported POST on the same path); unsupported methods always use read/write.
    """

    read: RoleSet
    write: RoleSet
    methods: dict[str, RoleSet] = field(default_factory=dict)

    def for_method(self, method: str) -> RoleSet:
        if method in self.methods:
            return self.methods[method]
        return self.read if method in SAFE_METHODS else self.write


_POLICIES: dict[str, PathPolicy] = {}


def register_policy(
    path: str, *, read: RoleSet, write: RoleSet, methods: dict[str, RoleSet] | None = None
) -> None:
    _POLICIES[path] = PathPolicy(read=read, write=write, methods=methods or {})


def bearer_token(request: Request) -> str:
    """The token of a ``Bearer`` header; 401 without one (00 §3)."""
    header = request.headers.get("authorization")
    if not header:
        raise not_authenticated()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        raise not_authenticated()
    token = token.strip()
    if not token:
        raise token_not_valid()
    return token


def authenticate(request: Request, session: Session, state: AppState) -> Principal:
    """The caller of a ``Bearer`` request; the token itself is judged by the registered
    principal loader (``AppState.load_principal``)."""
    token = bearer_token(request)
    return state.load_principal(
        session, token, secret=state.secret_key, now=clock.now(state.settings)
    )


def allows(role_set: RoleSet, role_name: str | None) -> bool:
    if role_set is Audience.PUBLIC or role_set is Audience.AUTHENTICATED:
        return True
    if role_name is None:
        return False
    if role_set is Audience.ANY_ROLE:
        return True
    assert isinstance(role_set, frozenset)
    return role_name in role_set


def _reads_on(request: Request, route: object) -> bool:
    """A synchronous read endpoint goes on with the session that authenticated the user:
    a fresh checkout (ping, BEGIN, ROLLBACK) cost every read three round trips."""
    endpoint = getattr(route, "endpoint", None)
    return request.method in SAFE_METHODS and not inspect.iscoroutinefunction(endpoint)


async def authorize(request: Request, session: SessionDep, state: StateDep) -> Principal | None:
    """401 for a missing/bad token, 403 when the role may not use this path and method.

    ``async`` on purpose: public paths and tokens the principal loader knows already
    (``PrincipalLoader.cached``) are judged on the event loop, without a hand-over to the
    thread pool and without the database; only the rest loads the user in a thread.
    """
    route = request.scope.get("route")
    policy = _POLICIES.get(getattr(route, "path", ""))
    if policy is None:  # every routed path registers one; refuse rather than allow
        raise permission_denied()
    role_set = policy.for_method(request.method)
    if role_set is Audience.PUBLIC:
        return None
    token = bearer_token(request)
    now = clock.now(state.settings)
    principal = state.load_principal.cached(state.engine, token, now=now)
    if principal is None:
        principal = await run_in_threadpool(_load, session, token, state, now, route, request)
    if not allows(role_set, principal.role_name):
        raise permission_denied()
    return principal


def _load(
    session: Session, token: str, state: AppState, now: datetime, route: object, request: Request
) -> Principal:
    principal = state.load_principal(session, token, secret=state.secret_key, now=now)
    if not _reads_on(request, route):
        # Give the connection back at once: write endpoints run their work in sessions of
        # their own, and holding this one would need two connections per request under
        # load; async endpoints (the event stream) hold no connection at all. The user row
        # stays usable detached (its role is loaded eagerly).
        session.close()
    return principal


async def _require_principal(
    principal: Annotated[Principal | None, Depends(authorize)],
) -> Principal:
    assert principal is not None, "route declared public but requires a user"
    return principal


async def authorize_public(request: Request) -> None:
    """The role check of a path every caller may use, for endpoints that need nothing else.

    The same policy lookup as ``authorize``, without the session and state dependencies
    (each costs a per-request step even when unused): the health check is called by
    monitors many times a second (issue 23). A route using it whose policy is not public for
    the method is refused, never let through.
    """
    route = request.scope.get("route")
    policy = _POLICIES.get(getattr(route, "path", ""))
    if policy is None or policy.for_method(request.method) is not Audience.PUBLIC:
        raise permission_denied()


Authorized = Annotated[Principal, Depends(_require_principal)]
PublicAccess = Annotated[Principal | None, Depends(authorize)]
# For endpoints that use neither the caller nor a session (the health check).
PublicOnly = Annotated[None, Depends(authorize_public)]


def policy_for(path: str) -> PathPolicy:
    """The access policy registered for a route path (``KeyError`` if none)."""
    return _POLICIES[path]


def is_method_fallback(route: APIRoute) -> bool:
    """Whether ``route`` only answers an unsupported method (401/403/405), never data."""
    return route.endpoint is _method_fallback


def _fallback_policy_check(request: Request, session: SessionDep, state: StateDep) -> None:
    """Unsupported methods are judged by the path's read/write sets, never by overrides."""
    policy = _POLICIES[request.scope["route"].path]
    role_set = policy.read if request.method in SAFE_METHODS else policy.write
    if role_set is Audience.PUBLIC:
        return
    principal = authenticate(request, session, state)
    if not allows(role_set, principal.role_name):
        raise permission_denied()


def _method_fallback(request: Request, _: Annotated[None, Depends(_fallback_policy_check)]) -> None:
    raise method_not_allowed(request.method)


def install_method_fallbacks(app: FastAPI, routers: list[APIRouter]) -> None:
    """Answer unsupported methods of registered paths with 401/403/405 in the 00 §4 order."""
    implemented: dict[str, set[str]] = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                implemented.setdefault(route.path, set()).update(route.methods or ())
    for path, methods in implemented.items():
        if path not in _POLICIES:
            raise RuntimeError(f"no access policy registered for {path}")
        missing = [m for m in CONTRACT_METHODS if m not in methods]
        if missing:
            # Straight onto the app: a router of their own, included, built every route twice
            # (FastAPI analyses a route's dependencies each time), a third of building an app.
            app.router.add_api_route(
                path, _method_fallback, methods=missing, include_in_schema=False
            )
