"""Which rooms OP-Plan shows as rows (docs/op-rooms.md): the operating rooms, plus every room
that holds an operation in the shown range — unless "Alle Räume" asks for every room."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from desktop.api import resources
from desktop.api.client import ApiClient

ALL_ROOMS_KEY = "op_plan/all_rooms"


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


class _InRoom(Protocol):
    @property
    def room_id(self) -> int: ...


RoomT = TypeVar("RoomT", bound=_HasId)


def shown_rooms(
    rooms: Sequence[RoomT],
    operating_room_ids: set[int],
    operations: Iterable[_InRoom],
    *,
    all_rooms: bool,
) -> list[RoomT]:
    """``rooms`` in their order, without the non-operating rooms that have no operation.

    A room with an operation always stays: an operation must never vanish from the plan
    because its room is not marked as an operating room.
    """
    if all_rooms:
        return list(rooms)
    keep = operating_room_ids | {op.room_id for op in operations}
    return [room for room in rooms if room.id in keep]


def operating_room_ids(api: ApiClient) -> set[int]:
    """Runs on a worker thread, next to the plan's own requests."""
    return resources.op_capable_room_ids(api)
