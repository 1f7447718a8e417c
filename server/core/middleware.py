"""Body size limit (00 §12): 413 on ``Content-Length`` or while reading a chunked body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.core.errors import APIError

MAX_BODY_BYTES = 1_048_576
_TOO_LARGE = b'{"detail":"Request body too large."}'


class _BodyTooLarge(APIError):
    """Raised while the app reads the body; the app's error handler renders the 413."""

    def __init__(self) -> None:
        super().__init__(413, {"detail": "Request body too large."})


async def send_json(send: Send, status: int, body: bytes) -> None:
    """A whole JSON response straight from ASGI middleware (outside the app's handlers)."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _send_413(send: Send) -> None:
    await send_json(send, 413, _TOO_LARGE)


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await _send_413(send)
                    return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await _send_413(send)
