"""Who a bearer token belongs to: the principal loader the app factory gives ``core``.

``server.core.access`` parses the ``Authorization`` header and checks the path's roles;
judging the token and finding its user is this domain's (``core`` imports no domain).
"""

from __future__ import annotations

from datetime import datetime

import jwt
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from server.auth import principal_cache, tokens
from server.core.access import Principal
from server.core.errors import WWW_AUTHENTICATE, APIError, token_not_valid
from server.users.models import User


class _PrincipalLoader:
    """``server.core.ports.PrincipalLoader``: the active user of a valid access token."""

    def cached(self, engine: Engine, token: str, *, now: datetime) -> Principal | None:
        """The principal of a token this worker has verified before, or None (then ask
        ``__call__``). No database access: the caller may run it on the event loop."""
        cache = principal_cache.cache_for(engine)
        entry = cache.get(token) if cache.active else None
        if entry is None:
            return None
        try:
            tokens.check_times(entry.claims, now=now)
        except jwt.PyJWTError:
            return None  # the full path answers the 401
        return Principal(entry.user_row())

    def __call__(self, session: Session, token: str, *, secret: str, now: datetime) -> Principal:
        """The active user of a valid access token; 401 (00 §3) for anything else.

        A token seen before is answered from the worker's principal cache
        (``principal_cache``: what keeps it correct, and for how long it may lag).
        """
        engine = principal_cache.engine_of(session)
        cached = self.cached(engine, token, now=now)
        if cached is not None:
            return cached
        cache = principal_cache.cache_for(engine)
        try:
            claims = tokens.decode(secret, token, now=now)
        except jwt.PyJWTError as exc:
            raise token_not_valid() from exc
        user_id = tokens.user_id_claim(claims)
        if claims.get("token_type") != "access" or user_id is None:
            raise token_not_valid()
        generation = cache.generation()
        user = session.scalar(select(User).where(User.id == user_id))
        if user is None:
            raise APIError(
                401, {"detail": "User not found", "code": "user_not_found"}, WWW_AUTHENTICATE
            )
        if not user.is_active:
            raise APIError(
                401, {"detail": "User is inactive", "code": "user_inactive"}, WWW_AUTHENTICATE
            )
        cache.put(token, principal_cache.CachedUser.of(claims, user), generation)
        return Principal(user)


load_principal = _PrincipalLoader()


def user_of(principal: Principal) -> User:
    """The ``User`` row behind a principal this loader made."""
    user = principal.user
    assert isinstance(user, User)
    return user
