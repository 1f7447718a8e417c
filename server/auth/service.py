"""Login, refresh with rotation and reuse detection, logout (01 §3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from server.auth import passwords, throttle, tokens
from server.auth.models import RefreshTokenFamily
from server.core.errors import ValidationFailed, token_not_valid
from server.settings import Settings
from server.users.models import User
from server.users.service import find_by_username

INVALID_CREDENTIALS = "Invalid credentials."
# How long after a rotation the token it replaced still gets an answer instead of counting as
# reuse: two parallel refreshes with one token (e.g. two desktop workers whose access token
# expired at once) must not sign the user out. Measured on the server clock (``ctx.now``).
ROTATION_GRACE = timedelta(seconds=10)


def _refresh_error(reason: str) -> ValidationFailed:
    return ValidationFailed({"refresh": [f"Invalid or expired refresh token: {reason}"]})


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


@dataclass(frozen=True)
class AuthContext:
    settings: Settings
    secret: str
    now: datetime

    @property
    def access_lifetime(self) -> timedelta:
        return timedelta(minutes=self.settings.jwt_access_minutes)

    @property
    def refresh_lifetime(self) -> timedelta:
        return timedelta(days=self.settings.jwt_refresh_days)


def _pair(
    ctx: AuthContext,
    user: User,
    role: str | None,
    family: RefreshTokenFamily,
    *,
    refresh_issued: datetime,
    refresh_jti: str | None,
) -> tuple[TokenPair, str]:
    """The pair and the refresh token's ``jti`` (a new one unless ``refresh_jti`` is given)."""
    refresh = tokens.issue_refresh(
        ctx.secret,
        user_id=user.id,
        role=role,
        family_id=family.id,
        token_version=user.token_version,
        now=refresh_issued,
        lifetime=ctx.refresh_lifetime,
        jti=refresh_jti,
    )
    access = tokens.issue_access(
        ctx.secret, user_id=user.id, role=role, now=ctx.now, lifetime=ctx.access_lifetime
    )
    return TokenPair(access, refresh.token), refresh.jti


def _issue_pair(
    ctx: AuthContext, user: User, role: str | None, family: RefreshTokenFamily
) -> TokenPair:
    """A new access token and the family's next refresh token (rotation)."""
    pair, jti = _pair(ctx, user, role, family, refresh_issued=ctx.now, refresh_jti=None)
    family.previous_jti = family.current_jti or None
    family.current_jti = jti
    family.rotated_at = ctx.now
    return pair


def login(
    factory: sessionmaker[Session],
    ctx: AuthContext,
    *,
    username: str,
    password: str,
    client_address: str,
) -> tuple[User, TokenPair]:
    key = throttle.username_key(username)
    window = timedelta(minutes=ctx.settings.login_window_minutes)
    with factory() as session, session.begin():
        # Held until commit: parallel attempts for this username or address count one by one.
        throttle.lock_attempts(session, key, client_address)
        throttle.refuse_if_throttled(
            session, key, now=ctx.now, window=window, max_failures=ctx.settings.login_max_failures
        )
        throttle.refuse_if_address_throttled(
            session,
            client_address,
            now=ctx.now,
            window=window,
            max_failures=ctx.settings.login_max_failures_per_address,
        )
        user = find_by_username(session, username)
        valid = passwords.verify_password(password, user.password_hash if user else None)
        if user is not None and valid and user.is_active:
            throttle.forget_failures(session, key)
            if passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_password(password)
            user.last_login = ctx.now
            family = RefreshTokenFamily(id=uuid.uuid4().hex, user_id=user.id, current_jti="")
            session.add(family)
            pair = _issue_pair(ctx, user, user.role_name, family)
            return user, pair
        # The failure must be counted even though the response is an error.
        throttle.record_failure(session, key, client_address, ctx.now)
    raise ValidationFailed({"non_field_errors": [INVALID_CREDENTIALS]})


def _decode_refresh(ctx: AuthContext, token: str, *, verify_exp: bool) -> dict[str, Any]:
    try:
        claims = tokens.decode(ctx.secret, token, now=ctx.now, verify_exp=verify_exp)
    except jwt.PyJWTError as exc:
        raise _refresh_error("Token is invalid or expired") from exc
    if claims.get("token_type") != "refresh" or not isinstance(claims.get("family_id"), str):
        raise _refresh_error("Token has wrong type")
    return claims


def _within_grace(ctx: AuthContext, family: RefreshTokenFamily, jti: object) -> bool:
    """``jti`` is the token the family's current one replaced, less than ``ROTATION_GRACE`` ago.

    Only the immediately previous token qualifies: one two rotations old never does.
    """
    return (
        family.previous_jti is not None
        and jti == family.previous_jti
        and family.rotated_at is not None
        # abs(): a parallel request may have read the clock just before the winner did.
        and abs(ctx.now - family.rotated_at) < ROTATION_GRACE
    )


def _current_pair_again(
    ctx: AuthContext, user: User, role: str | None, family: RefreshTokenFamily
) -> TokenPair:
    """The answer the winner of a parallel refresh got: the family's *current* refresh token
    (same ``jti``, issued at ``rotated_at``) and a fresh access token.

    Why the same refresh token rather than another one: the family stays one chain with one
    current token, so reuse detection keeps working exactly as before — once either caller
    rotates again, every other copy is the previous token and, after the grace window, ends the
    family. A second current token would need a set of valid ids per family. Nothing secret is
    stored for this: the token is signed again from its id, its issue time and the claims of the
    presented token (the same token the winner presented), which gives the identical JWT.
    """
    assert family.rotated_at is not None
    pair, _ = _pair(
        ctx, user, role, family, refresh_issued=family.rotated_at, refresh_jti=family.current_jti
    )
    return pair


def _refreshing_user(session: Session, claims: dict[str, Any]) -> User:
    user = session.scalar(select(User).where(User.id == tokens.user_id_claim(claims)))
    if user is None:
        raise _refresh_error("User not found")
    if not user.is_active:
        raise _refresh_error("User is inactive")
    if claims.get("token_version") != user.token_version:
        raise _refresh_error("Token has been revoked")
    return user


def refresh(factory: sessionmaker[Session], ctx: AuthContext, token: str) -> TokenPair:
    """Rotate: the current token of the family gets a new pair and becomes the previous one.

    The family row is locked, so parallel refreshes with one token run one after the other;
    the later ones find their token as the previous one and, within ``ROTATION_GRACE`` of the
    rotation, get the winner's answer (``_current_pair_again``). Any other used token — the
    previous one after the window, or an older one at any time — revokes the family (01 §3.2).
    """
    claims = _decode_refresh(ctx, token, verify_exp=True)
    reuse_detected = False
    with factory() as session, session.begin():
        family = session.scalar(
            select(RefreshTokenFamily)
            .where(RefreshTokenFamily.id == claims["family_id"])
            .with_for_update()
        )
        if family is None:
            raise _refresh_error("Token is invalid or expired")
        if family.revoked_at is not None:
            raise token_not_valid()
        if family.current_jti == claims["jti"]:
            user = _refreshing_user(session, claims)
            return _issue_pair(ctx, user, claims.get("role"), family)
        if _within_grace(ctx, family, claims["jti"]):
            user = _refreshing_user(session, claims)
            return _current_pair_again(ctx, user, claims.get("role"), family)
        # A used token came back: someone holds a copy. End the whole session chain.
        family.revoked_at = ctx.now
        reuse_detected = True
    assert reuse_detected
    raise token_not_valid()


def logout(factory: sessionmaker[Session], ctx: AuthContext, token: str) -> None:
    claims = _decode_refresh(ctx, token, verify_exp=False)
    with factory() as session, session.begin():
        session.execute(
            update(RefreshTokenFamily)
            .where(
                RefreshTokenFamily.id == claims["family_id"],
                RefreshTokenFamily.revoked_at.is_(None),
            )
            .values(revoked_at=ctx.now)
        )
