"""What the three master-data entities add to the common CRUD flow (02 §0, §2–§4).

Appointment types, operation types and resources share these rules: an explicit null in a
create wins over the column's server default, every PUT/PATCH stamps ``updated_at`` (the
tables have no ``onupdate``), and deletes are refused with 409 while another table still
references the row (``delete_conflict``). The view audit entry is optional — resource
detail reads are not audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy import Select, null
from sqlalchemy.orm import Session

from server.core.access import Principal
from server.core.crud import CrudSpec, no_check, no_filters
from server.core.fields import Serializer
from server.core.state import AppState
from server.master_data.models import MasterRecord

Row = TypeVar("Row", bound=MasterRecord)


def master_spec(
    *,
    model: type[Row],
    entity: str,
    serializer: Serializer,
    order_by: Callable[[], Sequence[Any]],
    render: Callable[[Row, ZoneInfo], dict[str, Any]],
    delete_conflict: str,
    filters: Callable[[Select[Any], Request], Select[Any]] = no_filters,
    audit_view: bool = True,
    check: Callable[[Session, dict[str, Any], Any, Principal], None] = no_check,
) -> CrudSpec[Row]:
    def render_rows(
        _session: Session, rows: Sequence[Row], state: AppState
    ) -> list[dict[str, Any]]:
        return [render(row, state.settings.tz) for row in rows]

    def create_row(data: dict[str, Any]) -> Row:
        # null() makes an explicit null win over the column's server default.
        return model(**{name: null() if value is None else value for name, value in data.items()})

    return CrudSpec(
        model=model,
        entity=entity,
        serializer=serializer,
        order_by=order_by,
        render=render_rows,
        create_row=create_row,
        filters=filters,
        audit_view=audit_view,
        check=check,
        touch_updated_at=True,
        delete_conflict=delete_conflict,
    )
