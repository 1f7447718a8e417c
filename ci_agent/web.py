"""HTTP plumbing shared by both roles: error bodies, body reading, the service middleware."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

JSON_TYPE = "application/json; charset=utf-8"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
SCOPE_LOG_KEY = "ci_agent.log"
SCOPE_RID_KEY = "ci_agent.request_id"

access_log = logging.getLogger("ci_agent.access")
log = logging.getLogger("ci_agent")


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(status: int, data: Any, headers: Mapping[str, str] | None = None) -> Response:
    return Response(json_bytes(data), status_code=status, headers=headers, media_type=JSON_TYPE)


class ApiError(Exception):
    """An error answer in the common shape of spec 06 §2.4."""

    def __init__(
        self,
        status: int,
        error: str,
        code: str,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.error = error
        self.code = code
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body: dict[str, Any] = {"error": self.error, "code": self.code}
        body.update(self.extra)
        return json_response(self.status, body, self.headers)


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized", "unauthorized", headers={"WWW-Authenticate": "Bearer"})


def not_configured() -> ApiError:
    return ApiError(503, "Service Unavailable", "not_configured")


def busy() -> ApiError:
    return ApiError(503, "Service Unavailable", "busy", headers={"Retry-After": "1"})


def invalid_json(message: str) -> ApiError:
    return ApiError(400, "Invalid JSON body", "invalid_json", {"details": [message]})


def invalid_payload(details: list[str]) -> ApiError:
    return ApiError(400, "Invalid payload", "invalid_payload", {"details": details})


_STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("Bad Request", "bad_request"),
    401: ("Unauthorized", "unauthorized"),
    404: ("Not Found", "not_found"),
    405: ("Method Not Allowed", "method_not_allowed"),
    408: ("Request Timeout", "request_timeout"),
    413: ("Payload Too Large", "payload_too_large"),
    415: ("Unsupported Media Type", "unsupported_media_type"),
    500: ("Internal Server Error", "internal_error"),
    503: ("Service Unavailable", "not_configured"),
}


def error_for_status(status: int, headers: Mapping[str, str] | None = None) -> ApiError:
    error, code = _STATUS_ERRORS.get(status, ("Error", f"http_{status}"))
    return ApiError(status, error, code, headers=headers)


def _check_media_type(request: Request) -> None:
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding not in {"", "identity"}:
        raise ApiError(415, "Unsupported Media Type", "unsupported_media_type")
    content_type = request.headers.get("content-type", "").strip()
    if not content_type:
        return  # lenient like the original: no Content-Type is parsed as JSON
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json" or (media.endswith("+json") and "/" in media):
        return
    raise ApiError(415, "Unsupported Media Type", "unsupported_media_type")


async def read_body(request: Request, limit: int, timeout_s: float) -> bytes:
    """Read the body with the size, type and time rules of spec 06 §2.5."""
    too_large = ApiError(413, "Payload Too Large", "payload_too_large", {"limit_bytes": limit})
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_large
        except ValueError:
            raise ApiError(400, "Invalid JSON body", "invalid_json", {"details": []}) from None
    _check_media_type(request)

    async def _collect() -> bytes:
        chunks: list[bytes] = []
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        async with asyncio.timeout(timeout_s):
            body = await _collect()
    except TimeoutError:
        raise ApiError(408, "Request Timeout", "request_timeout") from None
    log_info(request)["body_bytes"] = len(body)
    return body


def log_info(request: Request) -> dict[str, Any]:
    """Per-request fields for the one structured access-log line."""
    info = request.scope.get(SCOPE_LOG_KEY)
    if info is None:
        info = {}
        request.scope[SCOPE_LOG_KEY] = info
    assert isinstance(info, dict)
    return info


def request_id(request: Request) -> str:
    value = request.scope.get(SCOPE_RID_KEY)
    if isinstance(value, str):
        return value
    return uuid.uuid4().hex


def _incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = bytes(value).decode("latin-1")
            if _REQUEST_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


class ServiceMiddleware:
    """Outermost layer: request id, no-store, concurrency limit, JSON 500s, access log line.

    uvicorn's ``limit_concurrency`` is not used because it answers in plain text.
    """

    def __init__(self, app: ASGIApp, mode: str, max_concurrency: int) -> None:
        self.app = app
        self.mode = mode
        self.max_concurrency = max_concurrency
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started_at = time.perf_counter()
        rid = _incoming_request_id(scope)
        scope[SCOPE_RID_KEY] = rid
        info: dict[str, Any] = {}
        scope[SCOPE_LOG_KEY] = info
        state = {"status": 0, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {b"cache-control", b"x-request-id", b"server"}
                ]
                headers.append((b"cache-control", b"no-store"))
                headers.append((b"x-request-id", rid.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        if self.active >= self.max_concurrency:
            await busy().response()(scope, receive, send_wrapper)
        else:
            self.active += 1
            try:
                await self.app(scope, receive, send_wrapper)
            except Exception as exc:
                # Only the exception type: messages could carry payload or secrets.
                log.error("unhandled error in request: %s", type(exc).__name__)
                if not state["started"]:
                    err = error_for_status(500)
                    await err.response()(scope, receive, send_wrapper)
            finally:
                self.active -= 1
        self._log_line(scope, rid, info, state["status"], started_at)

    def _log_line(
        self, scope: Scope, rid: str, info: dict[str, Any], status: Any, started_at: float
    ) -> None:
        line: dict[str, Any] = {
            "mode": self.mode,
            "request_id": rid,
            "route": str(scope.get("path", ""))[:200],
            "status": status,
            "run_id": info.get("run_id"),
            "run_attempt": info.get("run_attempt"),
            "job_name": info.get("job_name"),
            "body_bytes": info.get("body_bytes"),
            "duration_ms": round((time.perf_counter() - started_at) * 1000, 1),
        }
        if "upstream_status" in info or "attempts" in info:
            line["upstream_status"] = info.get("upstream_status")
            line["attempts"] = info.get("attempts")
        access_log.info("request", extra={"fields": line})
