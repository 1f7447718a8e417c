"""Fields, defaults, filters and orderings of the three master-data entities (02 §2–§4)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import Select, false
from sqlalchemy.orm import Session

from server.core.access import Principal
from server.core.errors import ValidationFailed
from server.core.fields import BooleanField, CharField, ChoiceField, IntegerField, Serializer
from server.core.query import bool_param
from server.master_data import render
from server.master_data.crud import master_spec
from server.master_data.models import (
    APPOINTMENT_TYPE_COLOR,
    OPERATION_TYPE_COLOR,
    RESOURCE_COLOR,
    RESOURCE_TYPES,
    AppointmentType,
    OperationType,
    Resource,
)

MAX_MINUTES = 1440


def _positive_duration(value: Any) -> str | None:
    return "duration_minutes muss > 0 sein." if value is not None and value <= 0 else None


APPOINTMENT_TYPE = Serializer(
    "AppointmentType",
    {
        "name": CharField(max_length=100),
        # Nullable and blank-able like the original model; the format is not checked (00 §10).
        "color": CharField(
            max_length=7, allow_null=True, allow_blank=True, default=APPOINTMENT_TYPE_COLOR
        ),
        "duration_minutes": IntegerField(
            allow_null=True,
            default=None,
            min_value=None,
            max_value=MAX_MINUTES,
            validators=[_positive_duration],
        ),
        "active": BooleanField(default=True),
    },
)

OPERATION_TYPE = Serializer(
    "OperationType",
    {
        "name": CharField(max_length=255),
        "prep_duration": IntegerField(min_value=0, max_value=MAX_MINUTES, default=0),
        "op_duration": IntegerField(min_value=0, max_value=MAX_MINUTES, default=0),
        "post_duration": IntegerField(min_value=0, max_value=MAX_MINUTES, default=0),
        "color": CharField(max_length=7, default=OPERATION_TYPE_COLOR),
        "active": BooleanField(default=True),
    },
)

OP_CAPABLE_ROOMS_ONLY = 'op_capable ist nur für Ressourcen mit type="room" möglich.'


class ResourceSerializer(Serializer):
    """Clears ``op_capable`` of a resource that is (re)typed as a device without naming the
    flag: turning a room into a device needs no second field, and a device is never
    op-capable (docs/op-rooms.md)."""

    def validate(self, data: Any, *, partial: bool = False) -> dict[str, Any]:
        cleaned = super().validate(data, partial=partial)
        if cleaned.get("type") == "device" and "op_capable" not in data:
            cleaned["op_capable"] = False
        return cleaned


RESOURCE = ResourceSerializer(
    "Resource",
    {
        "name": CharField(max_length=255),
        "type": ChoiceField(choices=RESOURCE_TYPES),
        "color": CharField(max_length=7, default=RESOURCE_COLOR),
        "active": BooleanField(default=True),
        # No serializer default: a new room is op-capable, a new device is not (the model
        # decides by type), and a PUT without the field keeps the stored value.
        "op_capable": BooleanField(
            required=False,
            description=(
                "Operating room: shown as a row of OP-Plan. Rooms only; "
                "default true for a new room, always false for a device."
            ),
        ),
    },
)


def _check_resource(
    _session: Session, data: dict[str, Any], _row: Resource | None, _principal: Principal
) -> None:
    # ``data`` holds the merged values on an update, so a PATCH of the flag alone is checked
    # against the stored type.
    if data.get("op_capable") and data.get("type") != "room":
        raise ValidationFailed({"op_capable": [OP_CAPABLE_ROOMS_ONLY]})


def _appointment_type_filters(
    statement: Select[AppointmentType], request: Request
) -> Select[AppointmentType]:
    active = bool_param(request.query_params.get("active"))
    if active is not None:
        statement = statement.where(AppointmentType.active.is_(active))
    return statement


def _resource_filters(statement: Select[Resource], request: Request) -> Select[Resource]:
    params = request.query_params
    if bool_param(params.get("include_inactive")) is not True:
        statement = statement.where(Resource.active.is_(True))
    if (kind := params.get("type")) is not None:
        # Exact match; an unknown value gives an empty list (02 §4.2).
        statement = statement.where(Resource.type == kind if kind in RESOURCE_TYPES else false())
    return statement


APPOINTMENT_TYPES = master_spec(
    model=AppointmentType,
    entity="appointment_type",
    serializer=APPOINTMENT_TYPE,
    order_by=lambda: (AppointmentType.name, AppointmentType.id),
    filters=_appointment_type_filters,
    render=render.appointment_type,
    delete_conflict="Appointment type is in use; deactivate it instead.",
)

OPERATION_TYPES = master_spec(
    model=OperationType,
    entity="operation_type",
    serializer=OPERATION_TYPE,
    order_by=lambda: (OperationType.name, OperationType.id),
    render=render.operation_type,
    delete_conflict="Operation type is in use; deactivate it instead.",
)

RESOURCES = master_spec(
    model=Resource,
    entity="resource",
    serializer=RESOURCE,
    order_by=lambda: (Resource.type, Resource.name, Resource.id),
    filters=_resource_filters,
    render=render.resource,
    delete_conflict="Resource is in use; deactivate it instead.",
    audit_view=False,  # 01 §5.2: resource detail reads write nothing
    check=_check_resource,
)
