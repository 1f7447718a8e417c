"""How long a booking can last: database facts (CHECK constraints) that bound range scans.

A query for the bookings overlapping ``[start, end)`` can only use a ``start_time`` index
when it knows how far before ``start`` an overlapping booking may have started.
"""

from __future__ import annotations

# Appointments start and end on one local day (03 §4.2 check 2b): at most 25 hours across
# a DST change; 26 leaves a margin.
APPOINTMENT_LOOKBACK_HOURS = 26
# ``ck_operations_time_order``: three durations of at most 1440 minutes each (02 §3).
MAX_OPERATION_HOURS = 72
