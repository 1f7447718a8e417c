"""HTTP layer of the KPI API (spec 08 §9); roles: ``rbac-operations-flow.md`` §2.8 and §5.

| path | content | roles (GET) |
|---|---|---|
| ``/api/kpi/overview/`` | 08 §2 | admin, assistant, billing |
| ``/api/kpi/operations/?days=N`` | 08 §3 + K-4 | admin, assistant, billing |
| ``/api/kpi/scheduling/`` | 08 §4 | admin, assistant, billing |
| ``/api/kpi/doctors/?days=N`` | 08 §5 comparison | admin, assistant, billing |
| ``/api/kpi/doctors/{id}/?days=N`` | 08 §5 single doctor | + doctor for the own id |
| ``/api/kpi/patients/overview/`` | 08 §6 overview | admin, assistant |
| ``/api/kpi/waiting-list/`` | waiting list (issue 18, docs/kpis.md) | admin, assistant, billing |

Every path is read-only without write roles: every unsafe method is 403 for every role
(00 §4). Check order (00 §3): role (403) → doctor lookup (404: no user with role doctor) →
own-id check for doctors (403) → query validation (400). ``from``/``to`` (both, local,
inclusive, at most 366 days) replace the default periods; ``days`` non-integer → default 30,
out of range → clamped to 1…366. Every 200 writes the read audit ``kpi_view`` with meta
``{"panel": "<overview|operations|scheduling|doctors|doctor|patients>"}`` (best effort).

Omitted keys (Decision K-5, 08 §7 — no real data source, so nothing is fabricated):

* operations: ``flow_times`` (replaced by ``patient_flow_times`` from the flow status events,
  05 §2.2/§4), ``punctuality``, ``documentation``, ``services``;
* doctors: ``duration.avg_actual``, ``duration.efficiency``, ``satisfaction``,
  ``satisfaction_score``, ``avg_satisfaction``, ``documentation``,
  ``documentation_compliance``, ``services``, ``waiting_times`` (replaced by
  ``patient_flow_times`` of the doctor's appointment flows);
* patients: risk score, patient status, vitals, labs, diagnoses, medications, documents,
  prescriptions, allergies (none of them belongs to the overview; no clinical data exists).

Aggregates are computed in PostgreSQL (``GROUP BY``, ``FILTER``, local ``AT TIME ZONE``
buckets); each endpoint runs a fixed number of statements whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from server.audit.service import record_read
from server.core.access import (
    ADMIN,
    ASSISTANT,
    BILLING,
    DOCTOR,
    NOBODY,
    Authorized,
    Principal,
    register_policy,
    roles,
)
from server.core.errors import not_found
from server.core.fields import BIGINT_MAX
from server.core.state import AppState, SessionDep, StateDep
from server.kpis import (
    doctors,
    operations,
    overview,
    patients,
    scheduling,
    scoping,
    waiting_list,
)
from server.kpis.common import PanelQuery

Panel = Callable[[Session, PanelQuery], dict[str, Any]]

router = APIRouter(prefix="/api/kpi", tags=["kpi"])

STAFF = roles(ADMIN, ASSISTANT, BILLING)
for _path in ("overview", "operations", "scheduling", "doctors"):
    register_policy(f"/api/kpi/{_path}/", read=STAFF, write=NOBODY)
register_policy(
    "/api/kpi/doctors/{doctor_id:id}/", read=roles(ADMIN, ASSISTANT, BILLING, DOCTOR), write=NOBODY
)
register_policy("/api/kpi/patients/overview/", read=roles(ADMIN, ASSISTANT), write=NOBODY)
register_policy("/api/kpi/waiting-list/", read=STAFF, write=NOBODY)  # issue 18


def _serve(
    panel: str,
    compute: Panel,
    request: Request,
    principal: Principal,
    session: Session,
    state: AppState,
) -> dict[str, Any]:
    body = compute(session, PanelQuery.of(request, state.settings))
    record_read(state.session_factory, principal, "kpi_view", meta={"panel": panel})
    return body


def _mount(path: str, name: str, panel: str, compute: Panel) -> None:
    @router.get(path, name=name)
    def show_panel(
        request: Request, principal: Authorized, session: SessionDep, state: StateDep
    ) -> dict[str, Any]:
        return _serve(panel, compute, request, principal, session, state)


_mount("/overview/", "kpi_overview", "overview", overview.compute)
_mount("/operations/", "kpi_operations", "operations", operations.compute)
_mount("/scheduling/", "kpi_scheduling", "scheduling", scheduling.compute)
_mount("/doctors/", "kpi_doctors", "doctors", doctors.comparison)


@router.get("/doctors/{doctor_id:id}/")
def kpi_doctor(
    doctor_id: int,
    request: Request,
    principal: Authorized,
    session: SessionDep,
    state: StateDep,
) -> dict[str, Any]:
    if not 1 <= doctor_id <= BIGINT_MAX:
        raise not_found()
    prof = doctors.profile(session, doctor_id)
    if prof is None:
        raise not_found()
    scoping.ensure_readable(principal, doctor_id)

    def detail(session: Session, query: PanelQuery) -> dict[str, Any]:
        return doctors.detail(session, query, prof)

    return _serve("doctor", detail, request, principal, session, state)


_mount("/patients/overview/", "kpi_patients_overview", "patients", patients.compute)
_mount("/waiting-list/", "kpi_waiting_list", "waiting_list", waiting_list.compute)
