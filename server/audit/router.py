from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import Select, select

from server.audit.models import AuditLog
from server.core import timefmt
from server.core.access import ADMIN, Authorized, register_policy, roles
from server.core.errors import ValidationFailed
from server.core.fields import INVALID_INT, parse_int
from server.core.pagination import paginate
from server.core.query import where_text
from server.core.state import SessionDep, StateDep
from server.users.models import User

router = APIRouter(prefix="/api", tags=["audit"])
register_policy("/api/audit-log/", read=roles(ADMIN), write=roles(ADMIN))


def _int_filter(raw: str, errors: dict[str, list[str]], name: str) -> int | None:
    try:
        value = parse_int(raw)
    except ValueError:
        errors[name] = [INVALID_INT]
        return None
    if value > 2**63 - 1:
        errors[name] = ["Ensure this value is less than or equal to 9223372036854775807."]
        return None
    if value < -(2**63):
        errors[name] = ["Ensure this value is greater than or equal to -9223372036854775808."]
        return None
    return value


def _statement(request: Request, state: StateDep) -> Select[AuditLog]:
    params = request.query_params
    tz = state.settings.tz
    errors: dict[str, list[str]] = {}
    statement = select(AuditLog).order_by(AuditLog.timestamp.desc(), AuditLog.id.desc())
    for name, column in (("patient_id", AuditLog.patient_id), ("user", AuditLog.user_id)):
        raw = params.get(name)
        if raw:
            value = _int_filter(raw, errors, name)
            if value is not None:
                statement = statement.where(column == value)
    if action := params.get("action"):
        statement = where_text(statement, action, lambda text: AuditLog.action == text)
    if role_name := params.get("role_name"):
        statement = where_text(statement, role_name, lambda text: AuditLog.role_name == text)
    for name in ("start_date", "end_date"):
        raw = params.get(name)
        if not raw:
            continue
        try:
            day = timefmt.parse_date(raw)
        except ValueError as exc:
            errors[name] = [str(exc)]
            continue
        start, end = timefmt.local_day_bounds(day, tz)
        if name == "start_date":
            statement = statement.where(AuditLog.timestamp >= start)
        else:
            statement = statement.where(AuditLog.timestamp < end)
    if errors:
        raise ValidationFailed(errors)
    return statement


def _render(rows: Any, usernames: dict[int, str], state: StateDep) -> list[dict[str, Any]]:
    tz = state.settings.tz
    return [
        {
            "id": row.id,
            "user": row.user_id,
            "user_display": usernames.get(row.user_id, "System") if row.user_id else "System",
            "role_name": row.role_name,
            "action": row.action,
            "patient_id": row.patient_id,
            "timestamp": timefmt.format_datetime(row.timestamp, tz),
            "meta": row.meta,
        }
        for row in rows
    ]


@router.get("/audit-log/")
def list_audit_log(
    request: Request, _: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    def render(rows: Any) -> list[dict[str, Any]]:
        # One extra query for the page's usernames, however many rows it has.
        user_ids = {row.user_id for row in rows if row.user_id}
        usernames: dict[int, str] = {}
        if user_ids:
            found = session.execute(select(User.id, User.username).where(User.id.in_(user_ids)))
            usernames = {row.id: row.username for row in found}
        return _render(rows, usernames, state)

    return paginate(
        request,
        session,
        _statement(request, state),
        render,
        trust_proxy=state.settings.trust_proxy_headers,
    )
