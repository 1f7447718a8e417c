"""The signed-in caller, as every router and service sees it.

``core`` knows no user model: a ``Principal`` wraps whatever the principal loader (the app
factory registers ``server.auth``'s) found for the token, as long as it has an id and a
role name. Domains that need more of the user ask the users domain for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Identity(Protocol):
    """What ``core`` needs of a user: who it is and which role it has (None: no role)."""

    @property
    def id(self) -> int: ...

    @property
    def role_name(self) -> str | None: ...


@dataclass(frozen=True)
class Principal:
    user: Identity

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def role_name(self) -> str | None:
        return self.user.role_name
