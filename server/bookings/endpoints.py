"""What a booking domain offers its routes: name, model, and four modules by protocol.

``server.bookings.routes`` mounts the list, write and detail routes of every kind of
booking from one ``Endpoints``; a domain describes itself with its own ``pipeline``,
``service``, ``scoping`` and ``read`` modules, which satisfy these protocols as modules.
Parameters that are positional-only here may have domain names there (``appointment_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server.bookings.bigjson import JsonChunks
from server.bookings.writes import Booking, BookingRequest
from server.core.access import Principal
from server.core.body import RawBody
from server.core.fields import Serializer


class BookingService(Protocol):
    """The writes of a booking domain's ``service`` module (00 §3 order: 404/403 before 400)."""

    def create(self, request: BookingRequest, /, *, raw: Any) -> str: ...

    def dry_run(self, request: BookingRequest, /, *, booking_id: int | None, raw: Any) -> None: ...

    def update(
        self, request: BookingRequest, /, *, booking_id: int, body: RawBody, partial: bool
    ) -> str: ...

    def remove(self, request: BookingRequest, /, *, booking_id: int) -> None: ...


class BookingPipeline(Protocol):
    def write_serializer(self, tz: ZoneInfo, /) -> Serializer: ...


class BookingScoping(Protocol):
    def visible_condition(self, principal: Principal, /) -> tuple[str | None, dict[str, Any]]: ...

    def ensure_readable(self, principal: Principal, row: Any, /) -> None: ...


class BookingRead(Protocol):
    ALIAS: str  # of the booking table in every condition
    LONGEST_HOURS: int  # no booking lasts this long: bounds the ``start_time`` scans
    ID_FILTERS: dict[str, str]  # the list's ``?<name>=<id>`` filters → column

    def day_bounds(self, day: date, tz: ZoneInfo, /) -> tuple[datetime, datetime]: ...

    def array_json(self, session: Session, where_sql: str, params: dict[str, Any], /) -> str: ...

    def list_json(
        self, session: Session, where_sql: str, params: dict[str, Any], /, *, one_day: bool
    ) -> str | JsonChunks:
        """The list of ``GET /<plural>/``: long ones in halves (``server.bookings.bigjson``)."""
        ...

    def object_json(self, session: Session, booking_id: int, /) -> str: ...


@dataclass(frozen=True)
class Endpoints:
    """One kind of booking as its routes see it: its name, model and domain modules."""

    entity: str  # route names, ``<entity>_id``, ``/<entity>s/`` and the audit actions
    model: type[Booking]
    pipeline: BookingPipeline
    service: BookingService
    scoping: BookingScoping
    read: BookingRead

    @property
    def plural(self) -> str:
        return f"{self.entity}s"

    @property
    def serializer(self) -> Serializer:
        """The write body, for the OpenAPI document (the zone affects parsing only)."""
        return self.pipeline.write_serializer(ZoneInfo("UTC"))
