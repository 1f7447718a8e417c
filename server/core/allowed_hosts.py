"""Only requests whose ``Host`` header names an allowed host reach the app (pure ASGI).

Against DNS rebinding: a web page on ``evil.example`` whose name is re-pointed to 127.0.0.1
could otherwise talk to the embedded server from the user's browser (first-run setup, login
guessing). The browser still sends ``Host: evil.example``, and that is refused here.

Matching follows Starlette's ``TrustedHostMiddleware``: the port is ignored, names compare
case-insensitively, ``*.praxis.local`` admits every subdomain of ``praxis.local`` (not the name
itself). Starlette's middleware answers in plain text, ours with the API's JSON error body:
``400 {"detail": "Invalid host header."}``. The allowed names come from
``Settings.effective_allowed_hosts``; ``None`` there means any host (no middleware needed).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from server.core.middleware import send_json

INVALID_HOST_BODY = json.dumps({"detail": "Invalid host header."}).encode()


class AllowedHosts:
    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        patterns = [pattern.lower() for pattern in allowed_hosts]
        self.exact = frozenset(p for p in patterns if not p.startswith("*."))
        self.suffixes = tuple(p[1:] for p in patterns if p.startswith("*."))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.allowed(_host_header(scope)):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send_json(send, 400, INVALID_HOST_BODY)

    def allowed(self, header: str | None) -> bool:
        host = host_name(header)
        if host is None:
            return False
        return host in self.exact or (bool(self.suffixes) and host.endswith(self.suffixes))


def _host_header(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"host":
            return str(value.decode("latin-1"))
    return None


def host_name(header: str | None) -> str | None:
    """The host of a ``Host`` header without port, lower-cased, IPv6 without brackets;
    ``None`` when missing or malformed."""
    if header is None:
        return None
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[1:end], value[end + 1 :]
        try:
            host = str(ipaddress.IPv6Address(host))
        except ValueError:
            return None
    else:
        host, sep, port = value.partition(":")
        rest = sep + port
    port = rest.removeprefix(":")
    if rest and (port == rest or not (port.isascii() and port.isdigit())):
        return None
    host = host.removesuffix(".")  # "localhost." is the same name
    if not host or any(c.isspace() or c in "/\\@?#*" for c in host):
        return None
    return host
