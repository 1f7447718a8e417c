"""JSON shapes of appointment types, operation types and resources (02 §2–§4).

The nested forms are what appointments, operations and the calendar embed.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from server.core.timefmt import format_datetime
from server.master_data.models import AppointmentType, OperationType, Resource


def appointment_type(row: AppointmentType, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "color": row.color,
        "duration_minutes": row.duration_minutes,
        "active": row.active,
        "created_at": format_datetime(row.created_at, tz),
        "updated_at": format_datetime(row.updated_at, tz),
    }


def appointment_type_nested(row: AppointmentType) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "color": row.color}


def operation_type(row: OperationType, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "prep_duration": row.prep_duration,
        "op_duration": row.op_duration,
        "post_duration": row.post_duration,
        "color": row.color,
        "active": row.active,
        "created_at": format_datetime(row.created_at, tz),
        "updated_at": format_datetime(row.updated_at, tz),
    }


def operation_type_nested(row: OperationType) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "color": row.color,
        "prep_duration": row.prep_duration,
        "op_duration": row.op_duration,
        "post_duration": row.post_duration,
    }


def resource(row: Resource, tz: ZoneInfo) -> dict[str, Any]:
    """Also the nested form inside appointments, operations and the calendar (02 §4.1)."""
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type,
        "color": row.color,
        "active": row.active,
        "op_capable": row.op_capable,
        "created_at": format_datetime(row.created_at, tz),
        "updated_at": format_datetime(row.updated_at, tz),
    }
