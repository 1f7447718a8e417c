"""Request bodies: JSON only (415 otherwise), DRF's parse error text, OpenAPI description.

Routers read the raw body through the ``RawBody`` dependency and parse it only after the
permission checks and the object lookup, so that the 401 → 403 → 404 → 400 order of 00 §3
holds even for malformed JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from server.core.errors import APIError, bad_request
from server.core.fields import Serializer


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name}")


@dataclass(frozen=True)
class RawBody:
    content: bytes
    content_type: str

    def json(self) -> Any:
        if not self.content.strip():
            return {}
        media_type = self.content_type.split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise APIError(
                415, {"detail": f'Unsupported media type "{self.content_type}" in request.'}
            )
        try:
            return json.loads(self.content, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_request(f"JSON parse error - {exc}") from exc
        except RecursionError as exc:
            # Thousands of nested ``[`` exhaust the decoder's stack; no body of ours nests
            # more than a few levels.
            raise bad_request("JSON parse error - nesting too deep") from exc

    def validate(self, serializer: Serializer, *, partial: bool = False) -> dict[str, Any]:
        return serializer.validate(self.json(), partial=partial)


async def read_raw_body(request: Request) -> RawBody:
    return RawBody(await request.body(), request.headers.get("content-type", ""))


Body = Annotated[RawBody, Depends(read_raw_body)]


def openapi_body(serializer: Serializer, *, partial: bool = False) -> dict[str, Any]:
    """``openapi_extra`` that documents the JSON body a route validates by hand."""
    return {
        "requestBody": {
            "required": not partial,
            "content": {"application/json": {"schema": serializer.json_schema(partial=partial)}},
        }
    }
