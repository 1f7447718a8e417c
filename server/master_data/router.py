"""``/api/appointment-types/``, ``/api/operation-types/``, ``/api/resources/`` (02 §2–§4)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    Audience,
    Authorized,
    RoleSet,
    register_policy,
    roles,
)
from server.core.body import Body, openapi_body
from server.core.state import SessionDep, StateDep
from server.master_data.crud import MasterCrud, MasterSpec
from server.master_data.specs import APPOINTMENT_TYPES, OPERATION_TYPES, RESOURCES

router = APIRouter(prefix="/api", tags=["master data"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)


def _mount(path: str, spec: MasterSpec[Any], *, list_read: RoleSet, write: RoleSet) -> None:
    crud = MasterCrud(spec)
    # rbac-appointments §3: the list may be open wider than the detail (booking UIs).
    register_policy(f"/api/{path}/", read=list_read, write=write)
    register_policy(f"/api/{path}/{{row_id}}/", read=READ_ROLES, write=write)

    @router.get(f"/{path}/", name=f"list_{spec.entity}")
    def list_rows(
        request: Request, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.list(request, session, state, principal)

    @router.post(
        f"/{path}/",
        status_code=201,
        name=f"create_{spec.entity}",
        openapi_extra=openapi_body(spec.serializer),
    )
    def create_row(
        body: Body, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.create(session, state, principal, body)

    @router.get(f"/{path}/{{row_id}}/", name=f"get_{spec.entity}")
    def get_row(
        row_id: str, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.retrieve(session, state, principal, row_id)

    @router.put(
        f"/{path}/{{row_id}}/",
        name=f"replace_{spec.entity}",
        openapi_extra=openapi_body(spec.serializer),
    )
    def replace_row(
        row_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.update(session, state, principal, row_id, body, partial=False)

    @router.patch(
        f"/{path}/{{row_id}}/",
        name=f"update_{spec.entity}",
        openapi_extra=openapi_body(spec.serializer, partial=True),
    )
    def update_row(
        row_id: str, body: Body, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return crud.update(session, state, principal, row_id, body, partial=True)

    @router.delete(f"/{path}/{{row_id}}/", status_code=204, name=f"delete_{spec.entity}")
    def delete_row(row_id: str, principal: Authorized, session: SessionDep) -> Response:
        crud.delete(session, principal, row_id)
        return Response(status_code=204)


_mount("appointment-types", APPOINTMENT_TYPES, list_read=Audience.ANY_ROLE, write=roles(ADMIN))
_mount("operation-types", OPERATION_TYPES, list_read=READ_ROLES, write=roles(ADMIN))
_mount("resources", RESOURCES, list_read=Audience.ANY_ROLE, write=roles(ADMIN, ASSISTANT))
