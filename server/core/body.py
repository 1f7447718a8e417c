"""Request bodies: JSON only (415 otherwise), DRF's parse error text, OpenAPI description.

Routers read the raw body through the ``RawBody`` dependency and parse it only after the
permission checks and the object lookup, so that the 401 → 403 → 404 → 400 order of 00 §3
holds even for malformed JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from server.core.errors import APIError, bad_request
from server.core.fields import Serializer


def _reject_constant(name: str) -> Any:
    raise ValueError(f"Out of range float values are not JSON compliant: {name}")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(parsed: Any) -> None:
    """JSON may escape half of a UTF-16 pair (``"\\ud800"``); such text cannot be stored
    or even encoded as UTF-8, so the body is refused like any other malformed JSON."""
    pending = [parsed]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                raise ValueError("unpaired surrogate in a string")
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


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
            parsed = json.loads(self.content, parse_constant=_reject_constant)
            _refuse_lone_surrogates(parsed)
            return parsed
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
