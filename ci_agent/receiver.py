"""Receiver role: ``POST /api/ci/logs`` — authenticate, validate, forward (spec 06 §3)."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from ci_agent.auth import is_authorized
from ci_agent.config import Settings
from ci_agent.forwarder import MAX_UPSTREAM_BODY, ForwardResult, forward
from ci_agent.schema import JsonBodyError, PayloadError, parse_json_body, validate_payload
from ci_agent.web import (
    invalid_json,
    invalid_payload,
    json_bytes,
    json_response,
    log_info,
    not_configured,
    read_body,
    request_id,
    unauthorized,
)

log = logging.getLogger("ci_agent.receiver")

PATHS = ("/api/ci/logs", "/api/ci/logs/")
MAX_UPSTREAM_TEXT = 4096


def _upstream_json(body: bytes) -> Any:
    if len(body) > MAX_UPSTREAM_BODY:
        return None
    try:
        value = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _answer(result: ForwardResult) -> Response:
    if result.kind == "ok":
        return json_response(200, {"status": "received", "upstream": _upstream_json(result.body)})
    if result.kind == "status":
        text = result.body.decode("utf-8", errors="replace")
        return json_response(
            502,
            {
                "error": "Forwarding failed",
                "code": "upstream_error",
                "upstream_status": result.status,
                "upstream_body": text[:MAX_UPSTREAM_TEXT],
                "upstream_body_truncated": result.body_truncated or len(text) > MAX_UPSTREAM_TEXT,
                "attempts": result.attempts,
            },
        )
    code = "upstream_timeout" if result.kind == "timeout" else "upstream_unreachable"
    return json_response(
        502,
        {
            "error": "Forwarding failed",
            "code": code,
            "message": result.message,
            "attempts": result.attempts,
        },
    )


def build_router(settings: Settings | None, target_url: str | None) -> APIRouter:
    router = APIRouter()

    async def receive_logs(request: Request) -> Response:
        if settings is None or target_url is None:
            log.error("receiver is not configured (AGENT_TOKEN / DEVELOPER_AGENT_*)")
            raise not_configured()
        if not is_authorized(request, settings.agent_token_value):
            raise unauthorized()
        raw = await read_body(request, settings.max_body_bytes, settings.body_read_timeout_s)
        try:
            payload = validate_payload(parse_json_body(raw))
        except JsonBodyError as exc:
            raise invalid_json(str(exc)) from None
        except PayloadError as exc:
            raise invalid_payload(exc.details) from None
        info = log_info(request)
        info.update(
            run_id=payload.run_id_text, run_attempt=payload.run_attempt, job_name=payload.job_name
        )
        result = await forward(
            json_bytes(payload.forward_dict()), target_url, request_id(request), settings
        )
        info.update(upstream_status=result.status, attempts=result.attempts)
        return _answer(result)

    for path in PATHS:
        router.add_api_route(path, receive_logs, methods=["POST"], include_in_schema=False)
    return router
