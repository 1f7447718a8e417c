"""The OpenAPI document at ``/api/schema/``: FastAPI's, completed with what it cannot see.

Routers parse bodies and queries by hand (``body.py``, ``fields.py``) and errors are rendered
by ``errors.py``, so FastAPI neither knows the error answers of 00 §7 nor ever sends the 422
it documents by default. ``install_openapi`` post-processes the generated document once:

- every operation documents the standard error answers (400, 401, 403, 404, 409, 413, 415,
  429) with the DRF error body; an operation's own entry for a code wins. FastAPI's
  ``422 Validation Error`` is dropped (a stray ``RequestValidationError`` is answered 400).
  405 is not listed: documented methods never answer it, undocumented ones are the
  fallback routes (not in the schema).
- path parameters captured by the ``id`` convertor (``{x:id}``, digits only; server.core.ids) are
  documented with ``minimum: 0``; anything else never reaches the route (404).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

ERROR_SCHEMA_NAME = "Error"
_TEXT_OR_TEXTS: dict[str, Any] = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        'DRF error body: {"detail": "..."} (optionally with "code"), or field errors '
        '{"field": ["message", ...]} (nested for nested fields; a check may name its '
        'field "detail", e.g. {"detail": ["Doctor unavailable."], "reason": [...]}).'
    ),
    "properties": {"detail": _TEXT_OR_TEXTS, "code": _TEXT_OR_TEXTS},
    "additionalProperties": True,
}

STANDARD_ERRORS: dict[str, str] = {
    "400": "Invalid input (field errors or a detail text)",
    "401": "Not authenticated, or the token is invalid, expired or of an inactive user",
    "403": "The user's role may not use this operation",
    "404": "Not found (also an object the user may not see)",
    "409": "Conflict with the current state",
    "413": "Request body larger than 1 MiB",
    "415": "Request body is not JSON",
    "429": "Too many attempts; see Retry-After",
}

_HEADERS: dict[str, dict[str, Any]] = {
    "401": {
        "WWW-Authenticate": {
            "description": 'Bearer realm="api"',
            "schema": {"type": "string"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "seconds until a new attempt may succeed",
            "schema": {"type": "integer"},
        }
    },
}

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_INT_CONVERTOR = re.compile(r"{(\w+):id}")


def _error_response(code: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": STANDARD_ERRORS[code],
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}
        },
    }
    if code in _HEADERS:
        response["headers"] = _HEADERS[code]
    return response


def add_standard_errors(document: dict[str, Any]) -> None:
    """Document the standard error answers on every operation; drop FastAPI's unused 422."""
    document.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA_NAME] = (
        ERROR_SCHEMA
    )
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for code in STANDARD_ERRORS:
                responses.setdefault(code, _error_response(code))
    schemas = document["components"]["schemas"]
    if not _references(document, "#/components/schemas/HTTPValidationError"):
        schemas.pop("HTTPValidationError", None)
        if not _references(document, "#/components/schemas/ValidationError"):
            schemas.pop("ValidationError", None)


def _references(node: Any, ref: str) -> bool:
    if isinstance(node, dict):
        return node.get("$ref") == ref or any(_references(value, ref) for value in node.values())
    if isinstance(node, list):
        return any(_references(value, ref) for value in node)
    return False


def document_int_convertors(document: dict[str, Any], routers: list[APIRouter]) -> None:
    """``{x:id}`` matches digits only: document those path parameters as integers ≥ 0."""
    for route in (route for router in routers for route in router.routes):
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        names = set(_INT_CONVERTOR.findall(route.path))
        path_item = document.get("paths", {}).get(route.path_format)
        if not names or path_item is None:
            continue
        for method in route.methods or ():
            operation = path_item.get(method.lower())
            if operation is None:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") in names:
                    schema = parameter.setdefault("schema", {})
                    schema["type"] = "integer"
                    schema["minimum"] = 0


def install_openapi(app: FastAPI, routers: list[APIRouter]) -> None:
    """Make ``app.openapi()`` (served at ``/api/schema/``) return the completed document."""
    generate = app.openapi
    completed: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        document = generate()  # FastAPI caches it until the routes change
        if not completed or completed[0] is not document:
            add_standard_errors(document)
            document_int_convertors(document, routers)
            completed[:] = [document]
        return document

    app.openapi = openapi  # type: ignore[method-assign]
