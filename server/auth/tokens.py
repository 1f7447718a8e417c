"""JWT access and refresh tokens (HS256, claims of 01 §3.5).

Tokens are issued *and* verified against the server's clock (``server.core.clock``), never
PyJWT's own wall clock: with the test clock (``PRAXI_TEST_NOW``) a year ahead or behind, a token
issued "now" must still be valid "now". ``LEEWAY`` tolerates small differences between the
clocks of several central hosts that share one secret.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

ALGORITHM = "HS256"
LEEWAY = timedelta(seconds=30)


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
    jti: str | None = None,
) -> IssuedRefresh:
    """A new refresh token; with ``jti`` the one issued before under that id (the rotation
    grace of ``server.auth.service`` answers a parallel refresh with it)."""
    claims = _base_claims("refresh", user_id, role, now, lifetime)
    if jti is not None:
        claims["jti"] = jti
    claims["family_id"] = family_id
    claims["token_version"] = token_version
    return IssuedRefresh(jwt.encode(claims, secret, algorithm=ALGORITHM), claims["jti"])


def decode(secret: str, token: str, *, now: datetime, verify_exp: bool = True) -> dict[str, Any]:
    """Verified claims; raises ``jwt.PyJWTError`` for anything invalid.

    The signature and the required claims are checked by PyJWT; ``exp`` and ``iat`` are
    checked here against ``now`` (the server's clock), with ``LEEWAY`` either way.
    """
    claims: dict[str, Any] = jwt.decode(
        token,
        secret,
        algorithms=[ALGORITHM],
        options={
            "verify_exp": False,
            "verify_iat": False,
            "require": ["exp", "token_type", "user_id", "jti"],
        },
    )
    check_times(claims, now=now, verify_exp=verify_exp)
    return claims


def check_times(claims: dict[str, Any], *, now: datetime, verify_exp: bool = True) -> None:
    """``exp`` and ``iat`` against ``now``; also for the verified claims of a cached token."""
    at = now.timestamp()
    leeway = LEEWAY.total_seconds()
    exp = _numeric_claim(claims, "exp")
    if verify_exp and exp <= at - leeway:
        raise jwt.ExpiredSignatureError("Signature has expired")
    if "iat" in claims and _numeric_claim(claims, "iat") > at + leeway:
        raise jwt.ImmatureSignatureError("The token is not yet valid (iat)")


def seconds_left(claims: dict[str, Any], *, now: datetime) -> float:
    """Seconds until ``exp`` on the server's clock (the leeway is not added)."""
    return _numeric_claim(claims, "exp") - now.timestamp()


def _numeric_claim(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise jwt.DecodeError(f"{name} must be a number")
    return float(value)


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
