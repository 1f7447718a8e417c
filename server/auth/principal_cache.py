"""Signed-in callers per worker: the user behind an access token without a query per request.

Every signed-in request used to read its user (and role) from the database; under load that
query, with the BEGIN/ROLLBACK around it, was a large part of a small read's cost (issue 23).
This cache keeps, per process and database, the verified claims and the user's columns of the
access tokens it has seen, and stays correct through the database (central mode, README):

* A write that changes a user publishes a ``user`` live event (``server.users``,
  ``server.auth``). The worker that made it drops the user's entries right after its commit,
  before it answers (``server.core.events.on_commit``); every other worker drops them when the
  ``pg_notify`` reaches its LISTEN connection (``server.events.broker``), normally a few
  milliseconds later.
* Nothing is cached while that connection is down, and everything is dropped when it goes
  away or comes back: notices sent in between are lost.
* A load that raced with a change is not stored (the generation counter).
* An entry is used for at most ``MAX_AGE_SECONDS``, the bound for changes made behind the
  application's back (plain SQL on the database publishes no notice).

Only active users are cached; a missing or inactive user is looked up on every request, as
before. Entries are keyed by the token itself, so a new login starts from the database.
The decisions and windows are written down in ``docs/performance.md``.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.attributes import instance_state

from server.core.events import on_commit
from server.events.broker import WatchersPerEngine
from server.users.models import Role, User

MAX_AGE_SECONDS = 60.0
MAX_ENTRIES = 4096
_USER_COLUMNS = tuple(column.key for column in User.__table__.columns)
_ROLE_COLUMNS = tuple(column.key for column in Role.__table__.columns)
_USER_MAPPER: Mapper[User] = inspect(User)
_ROLE_MAPPER: Mapper[Role] = inspect(Role)
_USER_KEY = tuple(str(column.key) for column in _USER_MAPPER.primary_key)
_ROLE_KEY = tuple(str(column.key) for column in _ROLE_MAPPER.primary_key)
_Row = TypeVar("_Row", User, Role)


@dataclass(frozen=True)
class CachedUser:
    """A signed-in user as it was read: claims of the token and the rows' column values."""

    claims: dict[str, Any]
    user: dict[str, Any]
    role: dict[str, Any] | None
    stored_at: float

    @classmethod
    def of(cls, claims: dict[str, Any], user: User) -> CachedUser:
        role = user.role
        return cls(
            claims=dict(claims),
            user={name: getattr(user, name) for name in _USER_COLUMNS},
            role=None if role is None else {name: getattr(role, name) for name in _ROLE_COLUMNS},
            stored_at=time.monotonic(),
        )

    def user_row(self) -> User:
        """A fresh detached ``User`` (with its role) per request: nothing mutable is shared
        between requests, and it behaves like the row the session used to load.

        Built as the ORM builds a loaded row: the values go straight into the instance's
        dict and the identity key is set, with no attribute events. ``User(**values)`` plus
        ``make_transient_to_detached`` cost ≈ 80 µs on every signed-in request, this ≈ 8 µs.
        """
        user = _detached(_USER_MAPPER, _USER_KEY, self.user)
        role = None if self.role is None else _detached(_ROLE_MAPPER, _ROLE_KEY, self.role)
        instance_state(user).dict["role"] = role
        return user


def _detached(mapper: Mapper[_Row], key: tuple[str, ...], values: dict[str, Any]) -> _Row:
    instance: _Row = mapper.class_manager.new_instance()
    state = instance_state(instance)
    state.dict.update(values)
    state.key = mapper.identity_key_from_primary_key(tuple(values[name] for name in key))
    return instance


class PrincipalCache:
    """The cache of one database in one process; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, CachedUser] = OrderedDict()
        self._tokens_of: dict[int, set[str]] = {}
        self._generation = 0
        self._listening = False

    # -- the broker's ChangeWatcher ------------------------------------------------------

    def changed(self, entity: str, entity_id: int) -> None:
        if entity == "user":
            self.forget_user(entity_id)

    def listening(self, connected: bool) -> None:
        with self._lock:
            self._listening = connected
            self._generation += 1
            self._entries.clear()
            self._tokens_of.clear()

    # -- requests ------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._listening

    def generation(self) -> int:
        """Taken before reading a user: ``put`` stores only if nothing changed since."""
        return self._generation

    def get(self, token: str) -> CachedUser | None:
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                return None
            if time.monotonic() - entry.stored_at > MAX_AGE_SECONDS:
                self._drop(token)
                return None
            self._entries.move_to_end(token)
            return entry

    def put(self, token: str, entry: CachedUser, generation: int) -> None:
        with self._lock:
            if not self._listening or generation != self._generation:
                return
            self._entries[token] = entry
            self._tokens_of.setdefault(int(entry.user["id"]), set()).add(token)
            while len(self._entries) > MAX_ENTRIES:
                self._drop(next(iter(self._entries)))

    def forget_user(self, user_id: int) -> None:
        with self._lock:
            self._generation += 1
            for token in self._tokens_of.pop(user_id, ()):
                self._entries.pop(token, None)

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, token: str) -> None:
        entry = self._entries.pop(token, None)
        if entry is not None:
            tokens = self._tokens_of.get(int(entry.user["id"]))
            if tokens is not None:
                tokens.discard(token)
                if not tokens:
                    del self._tokens_of[int(entry.user["id"])]


_CACHES = WatchersPerEngine(PrincipalCache)


def cache_for(engine: Engine) -> PrincipalCache:
    """The engine's cache; it only ever holds entries once the app's broker listens."""
    return _CACHES.for_engine(engine)


def engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _forget_after_commit(session: Session, user_id: int) -> None:
    """The writing worker's own cache, at once (the others learn it from the notice)."""
    cache = _CACHES.get(engine_of(session))
    if cache is not None:
        cache.forget_user(user_id)


on_commit("user", _forget_after_commit)
