"""Rooms and devices over the API (02 §4, docs/op-rooms.md), as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
resources.rooms(api), self)``), never on the UI thread. Views get :class:`Room` objects,
never URLs or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.api.client import ApiClient

LIST_PATH = "/api/resources/"


@dataclass(frozen=True)
class Room:
    """A room's read representation (02 §4.1), the fields OP-Plan and the OP list need."""

    id: int
    name: str
    color: str
    active: bool
    #: An operating room: OP-Plan shows it as a row (docs/op-rooms.md).
    op_capable: bool


def _room(row: dict[str, Any]) -> Room:
    return Room(
        id=int(row["id"]),
        name=str(row.get("name") or ""),
        color=str(row.get("color") or ""),
        active=bool(row.get("active", True)),
        # A server before migration 0011 knows no operating rooms: every room was a row.
        op_capable=bool(row.get("op_capable", True)),
    )


def rooms(api: ApiClient, *, include_inactive: bool = False) -> list[Room]:
    """The rooms in the server's order (name, id); active ones unless asked otherwise."""
    params: dict[str, Any] = {"type": "room"}
    if include_inactive:
        params["include_inactive"] = "true"
    return [_room(row) for row in api.get_all(LIST_PATH, **params)]


def op_capable_room_ids(api: ApiClient) -> set[int]:
    """Ids of the active operating rooms."""
    return {room.id for room in rooms(api) if room.op_capable}
