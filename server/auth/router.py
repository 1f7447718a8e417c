from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from server.auth import service
from server.auth.principal import user_of
from server.core import clock
from server.core.access import Audience, Authorized, PublicAccess, register_policy
from server.core.body import Body, openapi_body
from server.core.fields import CharField, Serializer
from server.core.state import StateDep
from server.users import render

router = APIRouter(prefix="/api/auth", tags=["auth"])

for _path in ("/api/auth/login/", "/api/auth/refresh/", "/api/auth/logout/"):
    register_policy(_path, read=Audience.PUBLIC, write=Audience.PUBLIC)
register_policy("/api/auth/me/", read=Audience.AUTHENTICATED, write=Audience.AUTHENTICATED)

LOGIN = Serializer(
    "Login",
    {"username": CharField(max_length=150), "password": CharField(trim_whitespace=False)},
)
REFRESH = Serializer("Refresh", {"refresh": CharField()})


def client_address(request: Request, *, trust_proxy_headers: bool, trusted_proxy_hops: int) -> str:
    """The caller's address, as the login throttle counts it per address.

    Behind ``trusted_proxy_hops`` trusted reverse proxies (``PRAXI_TRUST_PROXY_HEADERS``) it is
    the ``X-Forwarded-For`` entry that many positions from the right: each proxy appends the
    address it received the request from, so the entries to the left of what our own proxies
    wrote are whatever the client sent and prove nothing. Fewer entries than hops (or an empty
    one there) and an untrusted setup give the connection's peer address.
    """
    peer = request.client.host if request.client else ""
    if not trust_proxy_headers:
        return peer
    # Several header lines count as one comma-separated list, in order (RFC 9110 §5.3).
    entries = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    if len(entries) < trusted_proxy_hops:
        return peer
    return entries[-trusted_proxy_hops].strip() or peer


def _context(state: StateDep) -> service.AuthContext:
    return service.AuthContext(state.settings, state.secret_key, clock.now(state.settings))


@router.post("/login/", openapi_extra=openapi_body(LOGIN))
def login(request: Request, body: Body, state: StateDep, _: PublicAccess) -> dict[str, Any]:
    data = body.validate(LOGIN)
    client = client_address(
        request,
        trust_proxy_headers=state.settings.trust_proxy_headers,
        trusted_proxy_hops=state.settings.trusted_proxy_hops,
    )
    user, pair = service.login(
        state.session_factory,
        _context(state),
        username=data["username"],
        password=data["password"],
        client_address=client,
    )
    return {"user": render.login_user(user), "access": pair.access, "refresh": pair.refresh}


@router.post("/refresh/", openapi_extra=openapi_body(REFRESH))
def refresh(body: Body, state: StateDep, _: PublicAccess) -> dict[str, str]:
    data = body.validate(REFRESH)
    pair = service.refresh(state.session_factory, _context(state), data["refresh"])
    return {"access": pair.access, "refresh": pair.refresh}


@router.post("/logout/", status_code=204, openapi_extra=openapi_body(REFRESH))
def logout(body: Body, state: StateDep, _: PublicAccess) -> Response:
    data = body.validate(REFRESH)
    service.logout(state.session_factory, _context(state), data["refresh"])
    return Response(status_code=204)


@router.get("/me/")
async def me(principal: Authorized) -> dict[str, Any]:
    # ``async``: the user is in hand (loaded by ``authorize``, its role eagerly), so the
    # answer needs no database and no hand-over to the thread pool and back (issue 23).
    return render.me(user_of(principal))
