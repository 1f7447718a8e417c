"""HTTP layer of the OP views (spec 04 §5.6–§5.9); roles: ``rbac-operations-flow.md``
§2.3–§2.6 and §5.

Every GET is one data statement plus the read audit (``record_read``, best effort); the
status PATCH is one write transaction (``dashboard.change_status``). A doctor sees only
operations where they hold a team role (04 §6) — for ``op-stats/surgeons`` only those where
they are the primary surgeon.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from server.audit.service import record_read
from server.core import clock
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    NOBODY,
    Authorized,
    register_policy,
    roles,
)
from server.core.body import Body
from server.core.errors import not_found
from server.core.fields import BIGINT_MAX
from server.core.state import SessionDep, StateDep
from server.op_views import dashboard, resource_calendar, scoping, stats, timeline
from server.op_views.common import day_start, json_response, next_day_start, required_date
from server.operations import read

router = APIRouter(prefix="/api", tags=["op views"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
WRITE_ROLES = roles(ADMIN, ASSISTANT)
STAFF_READ_ROLES = roles(ADMIN, ASSISTANT, BILLING)

# The dashboard lists answer 405 to admins and assistants for other methods (their write
# roles in the original), the status path 405 to every read role for GET (rbac §5).
register_policy("/api/op-dashboard/", read=READ_ROLES, write=WRITE_ROLES)
register_policy("/api/op-dashboard/live/", read=READ_ROLES, write=WRITE_ROLES)
register_policy("/api/op-dashboard/{operation_id:id}/status/", read=READ_ROLES, write=WRITE_ROLES)
# Read-only paths without write roles: every unsafe method is 403, even for admins (00 §4).
for _path in ("/api/op-timeline/", "/api/op-timeline/rooms/", "/api/op-timeline/live/"):
    register_policy(_path, read=READ_ROLES, write=NOBODY)
for _scope in stats.SCOPES:
    _readers = READ_ROLES if _scope in ("overview", "surgeons") else STAFF_READ_ROLES
    register_policy(f"/api/op-stats/{_scope}/", read=_readers, write=NOBODY)
register_policy("/api/resource-calendar/", read=READ_ROLES, write=NOBODY)
register_policy("/api/resource-calendar/resources/", read=READ_ROLES, write=NOBODY)

DASHBOARD_DATE_MISSING = "date query parameter is required (YYYY-MM-DD)."
DASHBOARD_DATE_MALFORMED = "date must be in format YYYY-MM-DD."
TIMELINE_DATE_MISSING = "Provide ?date=YYYY-MM-DD."
TIMELINE_DATE_MALFORMED = "Date must be in format YYYY-MM-DD."


def _own(principal: Authorized, conditions: list[str], params: dict[str, Any]) -> None:
    """Adds what the caller may see (04 §6: a doctor's team filter) to the view's filter."""
    visible, visible_params = scoping.visible_condition(principal)
    conditions.extend(visible)
    params.update(visible_params)


# --- OP dashboard (04 §5.6) ----------------------------------------------------------------


@router.get("/op-dashboard/")
def op_dashboard(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    day = required_date(request, missing=DASHBOARD_DATE_MISSING, malformed=DASHBOARD_DATE_MALFORMED)
    tz = state.settings.tz
    params: dict[str, Any] = {
        "now": clock.now(state.settings),
        "range_start": day_start(day, tz),
        "range_end": next_day_start(day, tz),
    }
    conditions = [read.overlapping_sql("range_start", "range_end")]
    _own(principal, conditions, params)
    items = dashboard.items_json(session, " AND ".join(conditions), params)
    record_read(
        state.session_factory, principal, "op_dashboard_view", meta={"date": day.isoformat()}
    )
    return json_response(f'{{"date": "{day.isoformat()}", "operations": {items}}}')


@router.get("/op-dashboard/live/")
def op_dashboard_live(principal: Authorized, session: SessionDep, state: StateDep) -> Response:
    params: dict[str, Any] = {"now": clock.now(state.settings)}
    conditions = ["o.status = 'running'", "o.start_time <= :now"]
    _own(principal, conditions, params)
    items = dashboard.items_json(session, " AND ".join(conditions), params)
    record_read(state.session_factory, principal, "op_dashboard_view", meta={"live": True})
    return json_response(f'{{"operations": {items}}}')


@router.patch("/op-dashboard/{operation_id:id}/status/")
def op_dashboard_status(
    operation_id: int, body: Body, principal: Authorized, state: StateDep
) -> Response:
    if not 1 <= operation_id <= BIGINT_MAX:
        raise not_found()
    text = dashboard.change_status(
        state.session_factory, principal, operation_id, body, clock.now(state.settings)
    )
    return json_response(text)


# --- OP timeline (04 §5.7) -----------------------------------------------------------------


def _timeline_day(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep, *, rooms: bool
) -> Response:
    day = required_date(request, missing=TIMELINE_DATE_MISSING, malformed=TIMELINE_DATE_MALFORMED)
    tz = state.settings.tz
    params: dict[str, Any] = {
        "now": clock.now(state.settings),
        "day_start": day_start(day, tz),
        "day_end": next_day_start(day, tz),
    }
    conditions = [timeline.STARTS_ON_DAY_SQL]
    _own(principal, conditions, params)
    body = timeline.groups_json(session, " AND ".join(conditions), params, all_active_rooms=rooms)
    meta: dict[str, Any] = {"rooms": True} if rooms else {"live": False}
    meta["date"] = day.isoformat()
    record_read(state.session_factory, principal, "op_timeline_view", meta=meta)
    return json_response(body)


@router.get("/op-timeline/")
def op_timeline(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    return _timeline_day(request, principal, session, state, rooms=False)


@router.get("/op-timeline/rooms/")
def op_timeline_rooms(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    return _timeline_day(request, principal, session, state, rooms=True)


@router.get("/op-timeline/live/")
def op_timeline_live(principal: Authorized, session: SessionDep, state: StateDep) -> Response:
    now = clock.now(state.settings)
    tz = state.settings.tz
    params: dict[str, Any] = {"now": now, "day_end": next_day_start(now.astimezone(tz).date(), tz)}
    conditions = [timeline.LIVE_SQL]
    _own(principal, conditions, params)
    body = timeline.groups_json(session, " AND ".join(conditions), params, all_active_rooms=False)
    record_read(state.session_factory, principal, "op_timeline_view", meta={"live": True})
    return json_response(body)


# --- OP statistics (04 §5.8) ---------------------------------------------------------------


def _stats(
    scope: str, request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    span = stats.parse_range(request)
    member_sql, member_id = scoping.stats_condition(principal, scope)
    result = stats.compute(
        session, scope, span, state.settings.tz, member_sql=member_sql, member_id=member_id
    )
    record_read(state.session_factory, principal, "op_stats_view", meta=span.meta(scope))
    return result


@router.get("/op-stats/overview/")
def op_stats_overview(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return _stats("overview", request, principal, session, state)


@router.get("/op-stats/rooms/")
def op_stats_rooms(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return _stats("rooms", request, principal, session, state)


@router.get("/op-stats/devices/")
def op_stats_devices(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return _stats("devices", request, principal, session, state)


@router.get("/op-stats/surgeons/")
def op_stats_surgeons(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return _stats("surgeons", request, principal, session, state)


@router.get("/op-stats/types/")
def op_stats_types(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return _stats("types", request, principal, session, state)


# --- Resource calendar (04 §5.9) -----------------------------------------------------------


@router.get("/resource-calendar/resources/")
def resource_calendar_resources(
    principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    doctor_id = scoping.calendar_doctor(principal)
    body = resource_calendar.resources_json(session, doctor_id)
    record_read(
        state.session_factory, principal, "resource_calendar_view", meta={"resources": True}
    )
    return json_response(body)


@router.get("/resource-calendar/")
def resource_calendar_day(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> Response:
    day = required_date(request, missing=TIMELINE_DATE_MISSING, malformed=TIMELINE_DATE_MALFORMED)
    resource_ids = resource_calendar.parse_resource_ids(request)
    doctor_id = scoping.calendar_doctor(principal)
    body = resource_calendar.calendar_json(
        session, day, resource_ids, state.settings.tz, clock.now(state.settings), doctor_id
    )
    meta: dict[str, Any] = {"date": day.isoformat()}
    if body != "[]":
        meta["resource_ids"] = resource_ids
    record_read(state.session_factory, principal, "resource_calendar_view", meta=meta)
    return json_response(body)
