"""One CRUD flow for appointment types, operation types and resources (02 §0, §2–§4).

Each entity supplies a ``MasterSpec``; the flow adds the common parts: pagination, the
audit entries ``<prefix>_list/_create/_view/_update/_delete`` (the view entry is optional —
resource detail reads are not audited), live events, 404 for unknown ids, PUT = full
validation with defaults for omitted fields, PATCH = only the sent fields, one transaction
per write, and deletes refused with 409 while another table still references the row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy import Select, func, null, select
from sqlalchemy.orm import Session

from server.audit.service import record, record_read
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import not_found
from server.core.events import publish
from server.core.fields import Serializer
from server.core.ids import parse_path_id
from server.core.pagination import paginate
from server.core.references import delete_unless_referenced
from server.core.state import AppState
from server.master_data.models import MasterRecord

Row = TypeVar("Row", bound=MasterRecord)


@dataclass(frozen=True)
class MasterSpec(Generic[Row]):
    model: type[Row]
    entity: str  # live-event entity (00 §11)
    audit_prefix: str
    serializer: Serializer
    order_by: Callable[[], Sequence[Any]]
    filters: Callable[[Select[Row], Request], Select[Row]]
    render: Callable[[Row, ZoneInfo], dict[str, Any]]
    delete_conflict: str  # 409 text while referenced (02 §2.3, §3.2, §4.2)
    audit_view: bool = True


def no_filters(statement: Select[Row], _: Request) -> Select[Row]:
    return statement


class MasterCrud(Generic[Row]):
    def __init__(self, spec: MasterSpec[Row]) -> None:
        self.spec = spec

    def list(
        self, request: Request, session: Session, state: AppState, principal: Principal
    ) -> dict[str, Any]:
        spec, tz = self.spec, state.settings.tz
        statement = spec.filters(select(spec.model), request).order_by(*spec.order_by())
        page = paginate(
            request,
            session,
            statement,
            lambda rows: [spec.render(row, tz) for row in rows],
            trust_proxy=state.settings.trust_proxy_headers,
        )
        record_read(state.session_factory, principal, f"{spec.audit_prefix}_list")
        return page

    def get(self, session: Session, raw_id: str) -> Row:
        row = session.get(self.spec.model, parse_path_id(raw_id))
        if row is None:
            raise not_found()
        return row

    def retrieve(
        self, session: Session, state: AppState, principal: Principal, raw_id: str
    ) -> dict[str, Any]:
        body = self.spec.render(self.get(session, raw_id), state.settings.tz)
        if self.spec.audit_view:
            record_read(state.session_factory, principal, f"{self.spec.audit_prefix}_view")
        return body

    def create(
        self, session: Session, state: AppState, principal: Principal, body: RawBody
    ) -> dict[str, Any]:
        spec = self.spec
        data = body.validate(spec.serializer)
        # null() makes an explicit null win over the column's server default.
        row = spec.model(**{name: null() if v is None else v for name, v in data.items()})
        session.add(row)
        session.flush()
        record(session, principal, f"{spec.audit_prefix}_create")
        publish(session, spec.entity, row.id, "created")
        session.commit()
        return spec.render(row, state.settings.tz)

    def update(
        self,
        session: Session,
        state: AppState,
        principal: Principal,
        raw_id: str,
        body: RawBody,
        *,
        partial: bool,
    ) -> dict[str, Any]:
        spec = self.spec
        row = self.get(session, raw_id)
        data = body.validate(spec.serializer, partial=partial)
        for name, value in data.items():
            setattr(row, name, value)
        row.updated_at = func.now()
        session.flush()
        record(session, principal, f"{spec.audit_prefix}_update")
        publish(session, spec.entity, row.id, "updated")
        session.commit()
        return spec.render(row, state.settings.tz)

    def delete(self, session: Session, principal: Principal, raw_id: str) -> None:
        spec = self.spec
        row = self.get(session, raw_id)
        row_id = row.id
        delete_unless_referenced(session, row, detail=spec.delete_conflict)
        record(session, principal, f"{spec.audit_prefix}_delete")
        publish(session, spec.entity, row_id, "deleted")
        session.commit()
