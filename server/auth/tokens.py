"""JWT access and refresh tokens (HS256, claims of 01 §3.5)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

ALGORITHM = "HS256"


@dataclass(frozen=True)
class IssuedRefresh:
    token: str
    jti: str


def _base_claims(
    token_type: str, user_id: int, role: str | None, now: datetime, lifetime: timedelta
) -> dict[str, Any]:
    return {
        "token_type": token_type,
        "exp": int((now + lifetime).timestamp()),
        "iat": int(now.timestamp()),
        "jti": uuid.uuid4().hex,
        "user_id": str(user_id),
        "role": role,
    }


def issue_access(
    secret: str, *, user_id: int, role: str | None, now: datetime, lifetime: timedelta
) -> str:
    return jwt.encode(
        _base_claims("access", user_id, role, now, lifetime), secret, algorithm=ALGORITHM
    )


def issue_refresh(
    secret: str,
    *,
    user_id: int,
    role: str | None,
    family_id: str,
    token_version: int,
    now: datetime,
    lifetime: timedelta,
) -> IssuedRefresh:
    claims = _base_claims("refresh", user_id, role, now, lifetime)
    claims["family_id"] = family_id
    claims["token_version"] = token_version
    return IssuedRefresh(jwt.encode(claims, secret, algorithm=ALGORITHM), claims["jti"])


def decode(secret: str, token: str, *, verify_exp: bool = True) -> dict[str, Any]:
    """Verified claims; raises ``jwt.PyJWTError`` for anything invalid."""
    claims: dict[str, Any] = jwt.decode(
        token,
        secret,
        algorithms=[ALGORITHM],
        options={"verify_exp": verify_exp, "require": ["exp", "token_type", "user_id", "jti"]},
    )
    return claims


def user_id_claim(claims: dict[str, Any]) -> int | None:
    """``user_id`` is a decimal string (01 §3.5); numbers are accepted too."""
    raw = claims.get("user_id")
    if isinstance(raw, bool):
        return None
    try:
        value = int(raw) if isinstance(raw, int | str) else None
    except ValueError:
        return None
    if value is None or not 1 <= value <= 2**63 - 1:
        return None
    return value
