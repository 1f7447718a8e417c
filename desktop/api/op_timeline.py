"""The OP plan of a day or a week over the API (04 §5.2, §5.7, §5.8), as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
op_timeline.load_plan(api, day, with_stats=True), self)``), never on the UI thread. Views get
:class:`PlanData` with :class:`Room` rows and :class:`Operation` blocks, never URLs or JSON.

Two ranges share one result shape (``PlanData``):

* **Tag**: one day; rooms from ``/api/op-timeline/rooms/?date=``, blocks from
  ``/api/operations/?date=``, utilisation from ``/api/op-stats/rooms/?date=`` (04 §5.7).
* **Woche**: the week (Monday–Sunday) of the chosen date in three requests instead of
  three per day: rooms once (the active rooms do not depend on the day), every operation of
  the week from ``/api/operations/?start_date=Mon&end_date=Sun`` and the utilisation of the
  shown days from ``/api/op-stats/rooms/?from=&to=`` (04 §5.2, §5.8). The week shows
  Monday–Friday; Saturday and Sunday are added only when an operation (of any status) starts
  on one of them, so a practice without weekend operations does not see two empty columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from desktop.api.client import ApiClient
from desktop.api.errors import ApiError
from shared.domain.statuses import OperationStatus

ROOMS_PATH = "/api/op-timeline/rooms/"
OPERATIONS_PATH = "/api/operations/"
STATS_PATH = "/api/op-stats/rooms/"


def _local(value: str) -> datetime:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


@dataclass
class Room:
    """A row of the plan. ``utilization`` is filled in by the loader where the user may see
    the statistics (None: not asked)."""

    id: int
    name: str
    color: str
    utilization: float | None = None


@dataclass
class Operation:
    """A block of the plan: the operation with its phases (minutes) and its team."""

    id: int
    room_id: int
    patient_name: str
    type_name: str
    surgeon: str
    start: datetime
    end: datetime
    prep: int
    duration: int
    post: int
    status: OperationStatus
    devices: list[str] = field(default_factory=list)
    notes: str = ""
    #: The server's team object (role → ``{"id", "name"}``); read it with :meth:`member_id`.
    team: dict[str, Any] = field(default_factory=dict)
    patient_id: int = 0
    type_id: int = 0
    device_ids: list[int] = field(default_factory=list)

    @property
    def surgeon_id(self) -> int:
        return self.member_id("primary_surgeon") or 0

    def member_id(self, role: str) -> int | None:
        """The id of the team member in ``role`` (``primary_surgeon``, ``assistant``,
        ``anesthesist``), None when the role is empty."""
        member = self.team.get(role) or {}
        return int(member["id"]) if member.get("id") else None

    def member_name(self, role: str) -> str:
        """The name of the team member in ``role``, "" when the role is empty."""
        member = self.team.get(role) or {}
        return str(member.get("name") or "")

    def members(self) -> list[tuple[int, str]]:
        """(id, name) of everyone on the team, surgeon first."""
        people = [member for member in self.team.values() if isinstance(member, dict)]
        return [(int(m["id"]), str(m.get("name") or "")) for m in people if m.get("id")]

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def prep_end(self) -> datetime:
        return self.start + timedelta(minutes=self.prep)

    @property
    def op_end(self) -> datetime:
        return self.start + timedelta(minutes=self.prep + self.duration)


def _operation(body: dict[str, Any]) -> Operation:
    kind = body.get("op_type") or {}
    team = body.get("team") or {}
    surgeon = (team.get("primary_surgeon") or {}).get("name", "")
    return Operation(
        id=int(body["id"]),
        room_id=int((body.get("op_room") or {}).get("id", 0)),
        patient_name=str(body.get("patient_name") or ""),
        type_name=str(kind.get("name", "")),
        surgeon=str(surgeon),
        start=_local(body["start_time"]),
        end=_local(body["end_time"]),
        prep=int(kind.get("prep_duration", 0)),
        duration=int(kind.get("op_duration", 0)),
        post=int(kind.get("post_duration", 0)),
        status=OperationStatus(str(body.get("status") or OperationStatus.PLANNED)),
        devices=[str(d.get("name", "")) for d in body.get("op_devices") or []],
        notes=str(body.get("notes") or ""),
        team=team,
        patient_id=int(body.get("patient_id") or 0),
        type_id=int(kind.get("id", 0)),
        device_ids=[int(d["id"]) for d in body.get("op_devices") or [] if d.get("id")],
    )


@dataclass
class PlanData:
    #: The date the user chose (in the week range any day of the shown week).
    day: date
    rooms: list[Room]
    operations: list[Operation]
    #: The days shown side by side; empty means just ``day``.
    days: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.days:
            self.days = [self.day]

    @property
    def week(self) -> bool:
        return len(self.days) > 1


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def shown_week(day: date, operations: list[Operation]) -> list[date]:
    """Monday–Friday of ``day``'s week, Monday–Sunday if an operation starts on the weekend."""
    monday = monday_of(day)
    weekend = any(op.start.date() >= monday + timedelta(days=5) for op in operations)
    return [monday + timedelta(days=n) for n in range(7 if weekend else 5)]


def _all(api: ApiClient, path: str, **params: Any) -> list[Any]:
    # 04 §4.3 answers a plain array; a server that pages the list (the original's envelope)
    # is read page by page instead of showing only its first page.
    body = api.get(path, **params)
    if isinstance(body, dict) and "results" in body:
        return api.get_all(path, **params)
    return list(body)


def _rooms(api: ApiClient, day: date) -> list[Room]:
    groups = api.get(ROOMS_PATH, date=day.isoformat())
    return [
        Room(int(g["room"]["id"]), str(g["room"]["name"]), str(g["room"].get("color") or ""))
        for g in groups
    ]


def _utilisation(api: ApiClient, rooms: list[Room], first: date, last: date) -> None:
    try:
        if first == last:
            stats = api.get(STATS_PATH, date=first.isoformat())
        else:
            stats = api.get(STATS_PATH, **{"from": first.isoformat(), "to": last.isoformat()})
    except ApiError:
        # A role without the statistics still sees the plan, with no utilisation figure.
        stats = {}
    used = {int(r["room"]["id"]): float(r["utilization"]) for r in stats.get("rooms", [])}
    for room in rooms:
        room.utilization = used.get(room.id, 0.0)


def load_plan(api: ApiClient, day: date, with_stats: bool, week: bool = False) -> PlanData:
    """Rows, blocks and (where allowed) utilisation of ``day`` or of its week."""
    if not week:
        rooms = _rooms(api, day)
        operations = [_operation(o) for o in _all(api, OPERATIONS_PATH, date=day.isoformat())]
        if with_stats:
            _utilisation(api, rooms, day, day)
        return PlanData(day, rooms, operations)
    monday = monday_of(day)
    sunday = monday + timedelta(days=6)
    rooms = _rooms(api, monday)
    rows = _all(api, OPERATIONS_PATH, start_date=monday.isoformat(), end_date=sunday.isoformat())
    # The range filter selects by overlap; an operation belongs to the day it starts on.
    operations = [op for op in map(_operation, rows) if monday <= op.start.date() <= sunday]
    days = shown_week(day, operations)
    if with_stats:
        _utilisation(api, rooms, days[0], days[-1])
    return PlanData(day, rooms, operations, days)
