"""The ``operations`` key of the calendar views (spec 03 §10.2, 04 §9 scenario 4).

Operations overlapping the calendar range, all statuses, ordered ``start_time, id``, in the
§4.3 shape plus ``cancelled`` after ``status``. A doctor sees the operations where they
hold a team role (their ``doctor_id`` is ignored); otherwise ``doctor_id`` filters by team
membership; ``patient_id`` filters; ``type_id`` does not apply. One query.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from server.calendar.service import CalendarScope, register_operations_loader
from server.operations import read


def calendar_operations(session: Session, scope: CalendarScope) -> str:
    params: dict[str, Any] = {"range_start": scope.range_start, "range_end": scope.range_stop}
    conditions = [read.overlapping_sql("range_start", "range_end")]
    member = scope.own_doctor_id if scope.own_doctor_id is not None else scope.doctor_id
    if member is not None:
        params["member"] = member
        conditions.append(read.team_member_sql("member"))
    if scope.patient_id is not None:
        params["patient_id"] = scope.patient_id
        conditions.append("o.patient_id = :patient_id")
    return read.array_json(session, " AND ".join(conditions), params, with_cancelled=True)


def install() -> None:
    register_operations_loader(calendar_operations)
