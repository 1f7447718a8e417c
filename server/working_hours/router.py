"""HTTP layer of practice hours, doctor hours, absences (+ preview) and breaks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    Authorized,
    register_policy,
    roles,
)
from server.core.crud import Crud, CrudSpec, mount_crud
from server.core.state import SessionDep, StateDep
from server.working_hours import preview as absence_preview
from server.working_hours.specs import (
    DOCTOR_ABSENCES,
    DOCTOR_BREAKS,
    DOCTOR_HOURS,
    PRACTICE_HOURS,
)

router = APIRouter(prefix="/api", tags=["working hours"])

READ_ROLES = roles(ADMIN, ASSISTANT, DOCTOR, BILLING)
STAFF = roles(ADMIN, ASSISTANT)
STAFF_AND_DOCTOR = roles(ADMIN, ASSISTANT, DOCTOR)


def _mount(path: str, spec: CrudSpec[Any], *, doctor_edits_own: bool) -> None:
    list_path, detail_path = f"/api/{path}/", f"/api/{path}/{{row_id}}/"
    if doctor_edits_own:
        # Doctors edit and delete their own rows but never create (02 §7.2, §8.2); on the
        # list path they get 405 (not 403) for PUT/PATCH/DELETE (rbac §5).
        register_policy(list_path, read=READ_ROLES, write=STAFF_AND_DOCTOR, methods={"POST": STAFF})
        register_policy(
            detail_path,
            read=READ_ROLES,
            write=STAFF,
            methods=dict.fromkeys(("PUT", "PATCH", "DELETE"), STAFF_AND_DOCTOR),
        )
    else:
        register_policy(list_path, read=READ_ROLES, write=STAFF)
        register_policy(detail_path, read=READ_ROLES, write=STAFF)

    mount_crud(router, path, Crud(spec))


register_policy("/api/doctor-absences/preview/", read=STAFF_AND_DOCTOR, write=STAFF_AND_DOCTOR)


# Registered before the absence routes so that "preview" is never taken for an id.
@router.get("/doctor-absences/preview/")
def preview_absence(
    request: Request, principal: Authorized, session: SessionDep, state: StateDep
) -> dict[str, Any]:
    return absence_preview.preview(request, session, state, principal)


_mount("practice-hours", PRACTICE_HOURS, doctor_edits_own=False)
_mount("doctor-hours", DOCTOR_HOURS, doctor_edits_own=False)
_mount("doctor-absences", DOCTOR_ABSENCES, doctor_edits_own=True)
_mount("doctor-breaks", DOCTOR_BREAKS, doctor_edits_own=True)
