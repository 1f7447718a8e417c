"""``/api/appointment-types/``, ``/api/operation-types/``, ``/api/resources/`` (02 §2–§4)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    Audience,
    RoleSet,
    register_policy,
    roles,
)
from server.core.crud import Crud, CrudSpec, mount_crud
from server.master_data.specs import APPOINTMENT_TYPES, OPERATION_TYPES, RESOURCES

router = APIRouter(prefix="/api", tags=["master data"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)


def _mount(path: str, spec: CrudSpec[Any], *, list_read: RoleSet, write: RoleSet) -> None:
    # rbac-appointments §3: the list may be open wider than the detail (booking UIs).
    register_policy(f"/api/{path}/", read=list_read, write=write)
    register_policy(f"/api/{path}/{{row_id}}/", read=READ_ROLES, write=write)
    mount_crud(router, path, Crud(spec))


_mount("appointment-types", APPOINTMENT_TYPES, list_read=Audience.ANY_ROLE, write=roles(ADMIN))
_mount("operation-types", OPERATION_TYPES, list_read=READ_ROLES, write=roles(ADMIN))
_mount("resources", RESOURCES, list_read=Audience.ANY_ROLE, write=roles(ADMIN, ASSISTANT))
