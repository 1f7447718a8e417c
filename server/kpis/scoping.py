"""Whose KPIs a caller may read (rbac §3): the panels are staff-only by path policy; of the
doctor profiles (``/api/kpi/doctors/{id}/``) a doctor reads only their own."""

from __future__ import annotations

from server.core.access import Principal
from server.core.errors import permission_denied
from server.users.scoping import own_rows_of


def ensure_readable(principal: Principal, doctor_id: int) -> None:
    """403 for a doctor asking for another doctor's profile (after its 404 checks)."""
    own = own_rows_of(principal)
    if own is not None and own != doctor_id:
        raise permission_denied()
