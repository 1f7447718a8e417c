"""Bearer-token check in constant time (spec 06 §8.1)."""

from __future__ import annotations

import hashlib
import hmac
import re

from starlette.requests import Request

_BEARER = re.compile(r"Bearer +(.*)", re.IGNORECASE | re.DOTALL)


def presented_token(request: Request) -> str | None:
    """The token of the first ``Authorization`` header, or ``None``."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    match = _BEARER.fullmatch(header.strip())
    if match is None:
        return None
    token = match.group(1).strip()
    return token or None


def tokens_match(presented: str, expected: str) -> bool:
    # Hashing first makes the comparison independent of both content and length.
    left = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
    right = hashlib.sha256(expected.encode("utf-8", "surrogatepass")).digest()
    return hmac.compare_digest(left, right) and bool(expected)


def is_authorized(request: Request, expected: str) -> bool:
    token = presented_token(request)
    return token is not None and tokens_match(token, expected)
