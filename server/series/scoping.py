"""Who may see and change which series: a doctor only their own (``doctor_id``), 403 for
foreign ones (as for appointments); every other role with access to the path sees all."""

from __future__ import annotations

from server.core.access import Principal
from server.core.errors import permission_denied
from server.series.models import AppointmentSeries
from server.users.scoping import own_rows_of


def ensure_readable(principal: Principal, series: AppointmentSeries) -> None:
    own = own_rows_of(principal)
    if own is not None and series.doctor_id != own:
        raise permission_denied()


ensure_writable = ensure_readable
