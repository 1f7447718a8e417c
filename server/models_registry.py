"""Imports every model module so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from server.appointments import models as appointment_models
from server.audit import models as audit_models
from server.auth import models as auth_models
from server.bookings import occupancy as booking_models
from server.calendar_feeds import models as calendar_feeds_models
from server.chains import models as chains_models
from server.master_data import models as master_data_models
from server.models import Base
from server.operations import models as operation_models
from server.patient_flow import models as patient_flow_models
from server.patients import models as patient_models
from server.practice import models as practice_models
from server.reminders import models as reminders_models
from server.series import models as series_models
from server.users import models as user_models
from server.waiting_list import models as waiting_list_models
from server.working_hours import models as working_hours_models

metadata = Base.metadata

__all__ = [
    "appointment_models",
    "audit_models",
    "auth_models",
    "booking_models",
    "calendar_feeds_models",
    "chains_models",
    "master_data_models",
    "metadata",
    "operation_models",
    "patient_flow_models",
    "patient_models",
    "practice_models",
    "reminders_models",
    "series_models",
    "user_models",
    "waiting_list_models",
    "working_hours_models",
]
