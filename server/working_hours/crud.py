"""One generic CRUD flow for the four working-time resources (02 §5–§8).

Each resource supplies its model, serializer, scoping, checks and rendering in a
``ResourceSpec``; the flow adds the common parts: pagination, audit entries
(``<prefix>_list/_create/_view/_update/_delete``), live events, 404 for rows outside the
caller's scope, PUT = full validation and PATCH = only the sent fields, one transaction per
write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from server.audit.service import record, record_read
from server.core.access import Principal
from server.core.body import RawBody
from server.core.errors import not_found
from server.core.events import publish
from server.core.fields import Serializer
from server.core.ids import parse_path_id
from server.core.pagination import paginate
from server.core.state import AppState
from server.models import Base

Row = TypeVar("Row", bound=Base)


@dataclass(frozen=True)
class ResourceSpec(Generic[Row]):
    model: type[Row]
    entity: str
    audit_prefix: str
    serializer: Serializer
    order_by: Callable[[], Sequence[Any]]
    # Restricts what the caller may see at all (doctor: own rows); foreign rows are 404.
    scope: Callable[[Select[Row], Principal], Select[Row]]
    filters: Callable[[Select[Row], Request], Select[Row]]
    # Database-dependent and object-level checks on the merged values; raise ValidationFailed.
    check: Callable[[Session, dict[str, Any], Row | None, Principal], None]
    render: Callable[[Session, Sequence[Row], AppState], list[dict[str, Any]]]
    create_row: Callable[[dict[str, Any]], Row]


class Crud(Generic[Row]):
    def __init__(self, spec: ResourceSpec[Row]) -> None:
        self.spec = spec

    def _scoped(self, principal: Principal) -> Select[Row]:
        return self.spec.scope(select(self.spec.model), principal)

    def list(
        self, request: Request, session: Session, state: AppState, principal: Principal
    ) -> dict[str, Any]:
        spec = self.spec
        statement = spec.filters(self._scoped(principal), request).order_by(*spec.order_by())
        page = paginate(
            request,
            session,
            statement,
            lambda rows: spec.render(session, rows, state),
            trust_proxy=state.settings.trust_proxy_headers,
        )
        record_read(state.session_factory, principal, f"{spec.audit_prefix}_list")
        return page

    def get(self, session: Session, principal: Principal, raw_id: str) -> Row:
        row_id = parse_path_id(raw_id)
        statement = self._scoped(principal).where(self.spec.model.id == row_id)  # type: ignore[attr-defined]
        row: Row | None = session.scalars(statement).first()
        if row is None:
            raise not_found()
        return row

    def retrieve(
        self, session: Session, state: AppState, principal: Principal, raw_id: str
    ) -> dict[str, Any]:
        row = self.get(session, principal, raw_id)
        body = self.spec.render(session, [row], state)[0]
        record_read(state.session_factory, principal, f"{self.spec.audit_prefix}_view")
        return body

    def _merged(self, row: Row | None, data: dict[str, Any]) -> dict[str, Any]:
        if row is None:
            return data
        current = {name: getattr(row, _column(name)) for name in self.spec.serializer.fields}
        return {**current, **data}

    def create(
        self, session: Session, state: AppState, principal: Principal, body: RawBody
    ) -> dict[str, Any]:
        data = body.validate(self.spec.serializer)
        self.spec.check(session, data, None, principal)
        row = self.spec.create_row(data)
        session.add(row)
        session.flush()
        record(session, principal, f"{self.spec.audit_prefix}_create")
        publish(session, self.spec.entity, row.id, "created")  # type: ignore[attr-defined]
        session.commit()
        return self.spec.render(session, [row], state)[0]

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
        row = self.get(session, principal, raw_id)
        data = body.validate(self.spec.serializer, partial=partial)
        merged = self._merged(row, data)
        self.spec.check(session, merged, row, principal)
        for name, value in data.items():
            setattr(row, _column(name), value)
        session.flush()
        record(session, principal, f"{self.spec.audit_prefix}_update")
        publish(session, self.spec.entity, row.id, "updated")  # type: ignore[attr-defined]
        session.commit()
        session.refresh(row)
        return self.spec.render(session, [row], state)[0]

    def delete(self, session: Session, principal: Principal, raw_id: str) -> None:
        row = self.get(session, principal, raw_id)
        row_id = row.id  # type: ignore[attr-defined]
        session.delete(row)
        session.flush()
        record(session, principal, f"{self.spec.audit_prefix}_delete")
        publish(session, self.spec.entity, row_id, "deleted")
        session.commit()


def _column(field_name: str) -> str:
    """API field ``doctor`` is stored as ``doctor_id``."""
    return "doctor_id" if field_name == "doctor" else field_name
