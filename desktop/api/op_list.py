"""The operations of a date range for the OP list (04 §4.3, docs/op-rooms.md), as typed rows.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
op_list.operations_between(api, first, last), self)``), never on the UI thread. Views get
:class:`ListedOperation` objects with :class:`OperationStatus` values, never URLs or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop.api.client import ApiClient
from shared.domain.statuses import OperationStatus

LIST_PATH = "/api/operations/"


def _local(value: str) -> datetime:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


@dataclass(frozen=True)
class ListedOperation:
    """One operation as the OP list shows, filters and prints it."""

    id: int
    start: datetime
    end: datetime
    room_id: int
    room_name: str
    type_id: int
    type_name: str
    patient_id: int
    patient_name: str
    surgeon_id: int
    surgeon_name: str
    status: OperationStatus
    devices: tuple[str, ...] = ()
    notes: str = ""

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def cancelled(self) -> bool:
        return self.status is OperationStatus.CANCELLED


def _listed(row: dict[str, Any]) -> ListedOperation:
    room = row.get("op_room") or {}
    kind = row.get("op_type") or {}
    surgeon = (row.get("team") or {}).get("primary_surgeon") or {}
    return ListedOperation(
        id=int(row["id"]),
        start=_local(str(row["start_time"])),
        end=_local(str(row["end_time"])),
        room_id=int(room.get("id") or 0),
        room_name=str(room.get("name") or ""),
        type_id=int(kind.get("id") or 0),
        type_name=str(kind.get("name") or ""),
        patient_id=int(row.get("patient_id") or 0),
        patient_name=str(row.get("patient_name") or ""),
        surgeon_id=int(surgeon.get("id") or 0),
        surgeon_name=str(surgeon.get("name") or ""),
        status=OperationStatus(str(row.get("status") or OperationStatus.PLANNED)),
        devices=tuple(str(d.get("name") or "") for d in row.get("op_devices") or []),
        notes=str(row.get("notes") or ""),
    )


def operations_between(api: ApiClient, first: date, last: date) -> list[ListedOperation]:
    """Every operation (any status) that starts on a day from ``first`` to ``last``, by start.

    The server's range filter selects by overlap; an operation belongs to the day it starts
    on, as in OP-Plan.
    """
    rows = api.get(LIST_PATH, start_date=first.isoformat(), end_date=last.isoformat())
    listed = [_listed(row) for row in rows]
    return sorted(
        (op for op in listed if first <= op.day <= last), key=lambda op: (op.start, op.id)
    )
