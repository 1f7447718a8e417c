"""``GET /api/events/``: the live change stream (00 §11), server-sent events.

One ``event: change`` per committed write anywhere (every server process sees every write
through PostgreSQL ``LISTEN/NOTIFY``), a ``: ping`` comment every ``PING_INTERVAL_SECONDS``,
and the end of the stream when the access token that opened it expires. There is no replay:
``Last-Event-ID`` is ignored and notices missed while disconnected are gone, so a client
reloads its views after every reconnect. Every notice goes to every subscriber: A, S, D and B
may all see every entity, and a notice carries nothing but an entity name and an id.

Not audited. The request's database session is released by ``authorize`` before the stream
starts; a stream holds no database connection.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import datetime

import jwt
from fastapi import APIRouter, Request
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from server.auth import tokens
from server.core import clock
from server.core.access import ADMIN, ASSISTANT, BILLING, DOCTOR, Authorized, register_policy, roles
from server.core.errors import APIError, token_not_valid
from server.core.state import StateDep
from server.events.broker import CLOSED, EventBroker, EventsUnavailable, Subscription

PING_INTERVAL_SECONDS = 15.0
"""Keep-alive comment interval (00 §11); read per stream, so tests may shorten it."""

PATH = "/api/events/"
EVENT_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
register_policy(PATH, read=EVENT_ROLES, write=EVENT_ROLES)

router = APIRouter(tags=["events"])

PING = b": ping\n\n"


def get_broker(request: Request) -> EventBroker:
    broker: EventBroker = request.app.state.praxi_events
    return broker


class EventStreamResponse(StreamingResponse):
    """The stream; its subscription is released however the response ends."""

    media_type = "text/event-stream"

    def __init__(self, subscription: Subscription, expires_in: float) -> None:
        super().__init__(
            _frames(subscription, expires_in),
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
        self.subscription = subscription

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.subscription.close()


async def _frames(subscription: Subscription, expires_in: float) -> AsyncIterator[bytes]:
    interval = PING_INTERVAL_SECONDS
    expires = time.monotonic() + expires_in
    next_ping = time.monotonic() + interval
    while True:
        now = time.monotonic()
        if now >= expires:
            return
        item = await subscription.get(min(next_ping, expires) - now)
        if item is CLOSED:
            return
        if isinstance(item, bytes):
            yield item
        elif time.monotonic() >= next_ping and time.monotonic() < expires:
            yield PING
            next_ping = time.monotonic() + interval


def _token_expires_in(request: Request, secret: str, now: datetime) -> float:
    """Seconds until the (already verified) access token of this request expires, on the
    server's clock (the stream itself then counts them down on the monotonic clock)."""
    _, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        claims = tokens.decode(secret, token.strip(), now=now)
    except jwt.PyJWTError as exc:  # it expired between authorize and here
        raise token_not_valid() from exc
    return tokens.seconds_left(claims, now=now)


@router.get(
    PATH,
    status_code=200,
    response_class=EventStreamResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Change notices"}},
)
async def events(request: Request, _: Authorized, state: StateDep) -> EventStreamResponse:
    expires_in = _token_expires_in(request, state.secret_key, clock.now(state.settings))
    try:
        subscription = await get_broker(request).subscribe()
    except EventsUnavailable as exc:
        raise APIError(503, {"detail": "Live events are unavailable."}) from exc
    return EventStreamResponse(subscription, expires_in)
