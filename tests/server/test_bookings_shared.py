"""What ``server.bookings`` gives every kind of booking: the same routes, the same columns
plumbing, the same JSON finishing. The behaviour behind the routes is tested per domain
(``test_appointments``, ``test_operations``); this pins the shared shape."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.routing import APIRoute

from server.appointments import pipeline as appointment_pipeline
from server.appointments import router as appointment_router
from server.appointments.models import Appointment
from server.bookings.endpoints import Endpoints
from server.bookings.sql import finish
from server.operations import pipeline as operation_pipeline
from server.operations import router as operation_router
from server.operations.models import Operation

BERLIN = ZoneInfo("Europe/Berlin")
KINDS = [appointment_router.ENDPOINTS, operation_router.ENDPOINTS]


@pytest.mark.parametrize("endpoints", KINDS, ids=lambda e: e.entity)
def test_every_booking_kind_has_the_shared_routes(endpoints: Endpoints) -> None:
    router = {"appointment": appointment_router, "operation": operation_router}[endpoints.entity]
    routes = {
        (route.name, method)
        for route in router.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    entity, plural = endpoints.entity, endpoints.plural
    assert {
        (f"list_{plural}", "GET"),
        (f"create_{entity}", "POST"),
        (f"validate_{entity}", "POST"),
        (f"get_{entity}", "GET"),
        (f"replace_{entity}", "PUT"),
        (f"update_{entity}", "PATCH"),
        (f"delete_{entity}", "DELETE"),
    } <= routes


def test_columns_store_apply_and_compare_under_the_api_names() -> None:
    columns = appointment_pipeline.COLUMNS
    start = datetime(2027, 1, 18, 10, tzinfo=BERLIN)
    values = {"patient_id": 7, "doctor": 3, "start_time": start, "end_time": start}
    row = Appointment()
    columns.apply(row, values, status="scheduled", notes="")
    assert (row.doctor_id, row.type_id, row.status, row.notes) == (3, None, "scheduled", "")
    assert columns.stored(row) == {**values, "type": None, "status": "scheduled", "notes": ""}
    assert columns.changed(None, {}, "doctor")  # a create changes everything
    assert not columns.changed(row, {"doctor": 3}, "doctor")
    assert columns.changed(row, {"doctor": 4}, "doctor")
    assert not columns.changed(row, {}, "doctor")  # not sent


def test_operation_columns_leave_the_end_to_the_type() -> None:
    assert "end_time" not in operation_pipeline.COLUMNS.fields
    assert operation_pipeline.COLUMNS.column("op_room") == "op_room_id"
    assert operation_pipeline.stored_values(Operation(op_room_id=5))["op_room"] == 5


def test_finish_writes_a_zero_offset_as_z_and_leaves_others() -> None:
    assert finish('{"t": "2027-01-18T10:00:00+00:00"}') == '{"t": "2027-01-18T10:00:00Z"}'
    assert finish('{"t": "2027-01-18T10:00:00.5+00:00"}') == '{"t": "2027-01-18T10:00:00.5Z"}'
    assert finish('{"t": "2027-01-18T10:00:00+01:00"}') == '{"t": "2027-01-18T10:00:00+01:00"}'
