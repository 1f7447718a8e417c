"""HTTP layer of ``server.practice``: thin; rules live in ``service`` and ``display``.

Contracts: docs/practice-settings.md (settings, preferences) and docs/call-up-display.md
(display tokens, calls, the calls stream).

The calls endpoints register a *public* access policy and authenticate the caller
themselves: they are the only endpoints that accept a display token (``pxd_…``), besides
staff access tokens for ``GET /api/calls/``. Every other endpoint hands a display token to
the JWT principal loader, which refuses it with 401.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from server.core import clock
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    NOBODY,
    Audience,
    Authorized,
    PublicAccess,
    allows,
    authenticate,
    register_policy,
    roles,
)
from server.core.body import Body, openapi_body
from server.core.errors import APIError, not_authenticated, permission_denied
from server.core.ids import parse_path_id
from server.core.state import AppState, SessionDep, StateDep
from server.events.broker import CLOSED, EventsUnavailable, Subscription
from server.events.router import get_broker
from server.practice import display, service
from shared.domain.events import LiveAction, LiveEntity

router = APIRouter(prefix="/api", tags=["practice"])

STAFF = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
ADMIN_ONLY = roles(ADMIN)
SETTINGS_PATH = "/api/practice/settings/"
PREFERENCES_PATH = "/api/me/preferences/"
TOKENS_PATH = "/api/practice/display-tokens/"
TOKEN_PATH = "/api/practice/display-tokens/{token_id}/"  # noqa: S105 - a path
CALLS_PATH = "/api/calls/"
CALLS_STREAM_PATH = "/api/calls/stream/"
register_policy(SETTINGS_PATH, read=STAFF, write=ADMIN_ONLY)
register_policy(PREFERENCES_PATH, read=Audience.ANY_ROLE, write=Audience.ANY_ROLE)
register_policy(TOKENS_PATH, read=ADMIN_ONLY, write=ADMIN_ONLY)
register_policy(TOKEN_PATH, read=ADMIN_ONLY, write=ADMIN_ONLY)
# Authenticated below (display token or staff token); nothing may be written there.
register_policy(CALLS_PATH, read=Audience.PUBLIC, write=NOBODY)
register_policy(CALLS_STREAM_PATH, read=Audience.PUBLIC, write=NOBODY)

PING_INTERVAL_SECONDS = 15.0
"""Keep-alive comment interval of the calls stream; each ping re-checks the token."""
STREAM_LIFETIME_SECONDS = 3600.0
"""A calls stream ends after this long; the display reconnects (and reloads) at once."""
_RELOAD_ON = {
    (LiveEntity.CALL.value, LiveAction.CREATED.value),
    (LiveEntity.PRACTICE_SETTINGS.value, LiveAction.UPDATED.value),
    # A deleted flow takes its calls with it.
    (LiveEntity.PATIENT_FLOW.value, LiveAction.DELETED.value),
}


def _json(body: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")


# --- practice settings ----------------------------------------------------------------------


@router.get("/practice/settings/")
def get_settings(_: Authorized, session: SessionDep) -> Response:
    return _json(service.read_settings(session))


@router.patch(
    "/practice/settings/", openapi_extra=openapi_body(service.SETTINGS_SERIALIZER, partial=True)
)
def update_settings(body: Body, principal: Authorized, state: StateDep) -> Response:
    return _json(
        service.update_settings(
            state.session_factory, principal, body.json(), clock.now(state.settings)
        )
    )


# --- personal preferences -------------------------------------------------------------------


@router.get("/me/preferences/")
def get_preferences(principal: Authorized, session: SessionDep) -> Response:
    return _json(service.read_preferences(session, principal.id))


@router.patch(
    "/me/preferences/", openapi_extra=openapi_body(service.PREFERENCES_SERIALIZER, partial=True)
)
def update_preferences(body: Body, principal: Authorized, state: StateDep) -> Response:
    return _json(
        service.update_preferences(
            state.session_factory, principal, body.json(), clock.now(state.settings)
        )
    )


# --- display tokens -------------------------------------------------------------------------


@router.get("/practice/display-tokens/")
def list_display_tokens(_: Authorized, session: SessionDep, state: StateDep) -> Response:
    return _json(display.list_tokens(session, state.settings.tz))


@router.post(
    "/practice/display-tokens/",
    status_code=201,
    openapi_extra=openapi_body(display.CREATE_SERIALIZER),
)
def create_display_token(body: Body, principal: Authorized, state: StateDep) -> Response:
    created = display.create_token(
        state.session_factory,
        principal,
        body.json(),
        clock.now(state.settings),
        state.settings.tz,
    )
    return _json(created, 201)


@router.delete("/practice/display-tokens/{token_id}/", status_code=204)
def revoke_display_token(token_id: str, principal: Authorized, state: StateDep) -> Response:
    display.revoke_token(
        state.session_factory, principal, parse_path_id(token_id), clock.now(state.settings)
    )
    return Response(status_code=204)


# --- calls ----------------------------------------------------------------------------------


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise not_authenticated()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        raise not_authenticated()
    return token.strip()


def _calls_reader(request: Request, session: SessionDep, state: AppState) -> None:
    """A display token, or the access token of a staff member (any other role: 403)."""
    token = _bearer(request)
    if display.is_display_token(token):
        display.verify(session, token)
        return
    principal = authenticate(request, session, state)
    if not allows(STAFF, principal.role_name):
        raise permission_denied()


@router.get("/calls/")
def list_calls(request: Request, _: PublicAccess, session: SessionDep, state: StateDep) -> Response:
    _calls_reader(request, session, state)
    return _json(display.calls_payload(session, clock.now(state.settings), state.settings.tz))


class CallStreamResponse(StreamingResponse):
    """The calls stream; its subscription is released however the response ends."""

    media_type = "text/event-stream"

    def __init__(self, frames: AsyncIterator[bytes], subscription: Subscription) -> None:
        super().__init__(frames, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self.subscription = subscription

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.subscription.close()


def _notice_key(frame: bytes) -> tuple[str, str] | None:
    """(entity, action) of a change frame (``event: change\\ndata: {…}``)."""
    for line in frame.split(b"\n"):
        if line.startswith(b"data: "):
            try:
                body = orjson.loads(line[6:])
                return str(body["entity"]), str(body["action"])
            except (orjson.JSONDecodeError, KeyError, TypeError):
                return None
    return None


def _display_token_id(request: Request, state: AppState) -> int:
    """Only displays stream calls (staff have ``/api/events/``)."""
    token = _bearer(request)
    if not display.is_display_token(token):
        with state.session_factory() as session:
            principal = authenticate(request, session, state)
        if not allows(STAFF, principal.role_name):
            raise permission_denied()
        raise permission_denied("The calls stream is for call-up displays only.")
    with state.session_factory() as session:
        return display.verify(session, token).token_id


async def _call_frames(
    state: AppState, subscription: Subscription, token_id: int
) -> AsyncIterator[bytes]:
    def payload_frame() -> bytes:
        with state.session_factory() as session:
            body = display.calls_payload(session, clock.now(state.settings), state.settings.tz)
        return b"event: calls\ndata: " + orjson.dumps(body) + b"\n\n"

    # The current state first: a display that (re)connects shows it without a second request.
    yield await run_in_threadpool(payload_frame)
    interval = PING_INTERVAL_SECONDS
    ends = time.monotonic() + STREAM_LIFETIME_SECONDS
    next_ping = time.monotonic() + interval
    while True:
        now = time.monotonic()
        if now >= ends:
            return
        item = await subscription.get(min(next_ping, ends) - now)
        if item is CLOSED:
            return
        if isinstance(item, bytes):
            if _notice_key(item) in _RELOAD_ON:
                yield await run_in_threadpool(payload_frame)
        elif time.monotonic() >= next_ping:
            if not await run_in_threadpool(display.still_valid, state.session_factory, token_id):
                return  # revoked: the display's next connection gets 401
            yield b": ping\n\n"
            next_ping = time.monotonic() + interval


@router.get(
    "/calls/stream/",
    status_code=200,
    response_class=CallStreamResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "The last calls"}},
)
async def stream_calls(request: Request, _: PublicAccess, state: StateDep) -> CallStreamResponse:
    token_id = await run_in_threadpool(_display_token_id, request, state)
    try:
        subscription = await get_broker(request).subscribe()
    except EventsUnavailable as exc:
        raise APIError(503, {"detail": "Live events are unavailable."}) from exc
    return CallStreamResponse(_call_frames(state, subscription, token_id), subscription)
