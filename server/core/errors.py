"""API errors with DRF-compatible bodies (00 §7) and the handlers that render them."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.core.logging_privacy import PatientDataFilter
from server.core.responses import JSONResponse

log = logging.getLogger(__name__)
# The 500 handler below logs tracebacks: withhold database error messages (they can quote
# patient data) whatever handlers the ASGI server configured.
log.addFilter(PatientDataFilter())

PERMISSION_DENIED = "You do not have permission to perform this action."
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="api"'}


class APIError(Exception):
    """Raised anywhere below a router; rendered as ``status`` + JSON ``body``."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


class ValidationFailed(APIError):
    """400 with a DRF field-error body: ``{"field": ["message"]}``."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(400, errors)


def bad_request(detail: str) -> APIError:
    return APIError(400, {"detail": detail})


def not_found() -> APIError:
    return APIError(404, {"detail": "Not found."})


def permission_denied(detail: str = PERMISSION_DENIED) -> APIError:
    return APIError(403, {"detail": detail})


def conflict(detail: str) -> APIError:
    return APIError(409, {"detail": detail})


def method_not_allowed(method: str) -> APIError:
    return APIError(405, {"detail": f'Method "{method}" not allowed.'})


def not_authenticated() -> APIError:
    return APIError(
        401, {"detail": "Authentication credentials were not provided."}, WWW_AUTHENTICATE
    )


def token_not_valid() -> APIError:
    return APIError(
        401,
        {"detail": "Given token not valid for any token type", "code": "token_not_valid"},
        WWW_AUTHENTICATE,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(_: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            body: dict[str, Any] = {"detail": "Not found."}
        else:
            body = {"detail": exc.detail}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Routers parse bodies and queries themselves; this only catches what slips through,
        # so that the client still sees a DRF-style 400 and never FastAPI's 422.
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query")]
            errors.setdefault(".".join(loc) or "non_field_errors", []).append(
                str(err.get("msg", "Invalid value."))
            )
        return JSONResponse(errors, status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "Internal server error."}, status_code=500)
