"""One CRUD flow and its five routes for the simple resources (00 §3–§5, 02 §2–§8).

A domain describes each resource in a ``CrudSpec`` — model, serializer, ordering, filters,
scoping, checks, rendering; ``Crud`` adds the common parts: pagination, the audit entries
``<entity>_list/_create/_view/_update/_delete`` (through the auditor the app registered,
``AppState.audit``), live events, 404 for unknown ids and for rows outside the caller's
scope, PUT = full validation and PATCH = only the sent fields, one transaction per write.
``mount_crud`` puts the list/detail routes on a router; the role policies of the paths stay
with the domain, as they differ per resource.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, Request, Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from server.core.access import Authorized, Principal
from server.core.body import Body, RawBody, openapi_body
from server.core.errors import not_found
from server.core.events import publish
from server.core.fields import Serializer
from server.core.ids import parse_path_id
from server.core.pagination import paginate
from server.core.references import Detail, delete_unless_referenced
from server.core.state import AppState, SessionDep, StateDep

Row = TypeVar("Row")


def no_filters(statement: Select[Any], _: Request) -> Select[Any]:
    return statement


def no_scope(statement: Select[Any], _: Principal) -> Select[Any]:
    return statement


def no_check(_session: Session, _data: dict[str, Any], _row: Any, _p: Principal) -> None:
    return None


@dataclass(frozen=True)
class CrudSpec(Generic[Row]):
    model: type[Row]
    # Names the live events (00 §11) and prefixes the audit actions (``<entity>_list`` …).
    entity: str
    serializer: Serializer
    order_by: Callable[[], Sequence[Any]]
    render: Callable[[Session, Sequence[Row], AppState], list[dict[str, Any]]]
    create_row: Callable[[dict[str, Any]], Row]
    filters: Callable[[Select[Any], Request], Select[Any]] = no_filters
    # Restricts what the caller may see at all (doctor: own rows); foreign rows are 404.
    scope: Callable[[Select[Any], Principal], Select[Any]] = no_scope
    # Database-dependent and object-level checks on the merged values; raise ValidationFailed.
    check: Callable[[Session, dict[str, Any], Row | None, Principal], None] = no_check
    # API field name → model attribute, where the two differ (``doctor`` → ``doctor_id``).
    stored_as: Mapping[str, str] = field(default_factory=dict)
    audit_view: bool = True
    # For tables without an ``onupdate`` stamp: every PUT/PATCH moves ``updated_at``, even
    # when no value changed.
    touch_updated_at: bool = False
    # None: a plain delete; otherwise the 409 text while other rows still reference the row.
    delete_conflict: Detail | None = None


class Crud(Generic[Row]):
    def __init__(self, spec: CrudSpec[Row]) -> None:
        self.spec = spec

    def _scoped(self, principal: Principal) -> Select[Any]:
        return self.spec.scope(select(self.spec.model), principal)

    def _attribute(self, field_name: str) -> str:
        return self.spec.stored_as.get(field_name, field_name)

    def _render_one(self, session: Session, row: Row, state: AppState) -> dict[str, Any]:
        return self.spec.render(session, [row], state)[0]

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
        state.audit.record_read(state.session_factory, principal, f"{spec.entity}_list")
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
        body = self._render_one(session, self.get(session, principal, raw_id), state)
        if self.spec.audit_view:
            state.audit.record_read(state.session_factory, principal, f"{self.spec.entity}_view")
        return body

    def _merged(self, row: Row, data: dict[str, Any]) -> dict[str, Any]:
        fields = self.spec.serializer.fields
        current = {name: getattr(row, self._attribute(name)) for name in fields}
        return {**current, **data}

    def create(
        self, session: Session, state: AppState, principal: Principal, body: RawBody
    ) -> dict[str, Any]:
        spec = self.spec
        data = body.validate(spec.serializer)
        spec.check(session, data, None, principal)
        row = spec.create_row(data)
        session.add(row)
        session.flush()
        state.audit.record(session, principal, f"{spec.entity}_create")
        publish(session, spec.entity, row.id, "created")  # type: ignore[attr-defined]
        session.commit()
        return self._render_one(session, row, state)

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
        row = self.get(session, principal, raw_id)
        data = body.validate(spec.serializer, partial=partial)
        spec.check(session, self._merged(row, data), row, principal)
        for name, value in data.items():
            setattr(row, self._attribute(name), value)
        if spec.touch_updated_at:
            setattr(row, "updated_at", func.now())  # noqa: B010 — any model with the column
        session.flush()
        state.audit.record(session, principal, f"{spec.entity}_update")
        publish(session, spec.entity, row.id, "updated")  # type: ignore[attr-defined]
        session.commit()
        session.refresh(row)
        return self._render_one(session, row, state)

    def delete(self, session: Session, state: AppState, principal: Principal, raw_id: str) -> None:
        spec = self.spec
        row = self.get(session, principal, raw_id)
        row_id = row.id  # type: ignore[attr-defined]
        if spec.delete_conflict is None:
            session.delete(row)
            session.flush()
        else:
            delete_unless_referenced(session, row, detail=spec.delete_conflict)
        state.audit.record(session, principal, f"{spec.entity}_delete")
        publish(session, spec.entity, row_id, "deleted")
        session.commit()


def mount_crud(router: APIRouter, path: str, crud: Crud[Any]) -> None:
    """``/<path>/`` (list, create) and ``/<path>/{row_id}/`` (get, PUT, PATCH, DELETE)."""
    entity, serializer = crud.spec.entity, crud.spec.serializer

    @router.get(f"/{path}/", name=f"list_{entity}")
    def list_rows(
        request: Request, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.list(request, session, state, principal)

    @router.post(
        f"/{path}/",
        status_code=201,
        name=f"create_{entity}",
        openapi_extra=openapi_body(serializer),
    )
    def create_row(
        body: Body, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.create(session, state, principal, body)

    @router.get(f"/{path}/{{row_id}}/", name=f"get_{entity}")
    def get_row(
        row_id: str, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.retrieve(session, state, principal, row_id)

    @router.put(
        f"/{path}/{{row_id}}/",
        name=f"replace_{entity}",
        openapi_extra=openapi_body(serializer),
    )
    def replace_row(
        row_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.update(session, state, principal, row_id, body, partial=False)

    @router.patch(
        f"/{path}/{{row_id}}/",
        name=f"update_{entity}",
        openapi_extra=openapi_body(serializer, partial=True),
    )
    def update_row(
        row_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.update(session, state, principal, row_id, body, partial=True)

    @router.delete(f"/{path}/{{row_id}}/", status_code=204, name=f"delete_{entity}")
    def delete_row(
        row_id: str, principal: Authorized, session: SessionDep, state: StateDep
    ) -> Response:
        crud.delete(session, state, principal, row_id)
        return Response(status_code=204)
