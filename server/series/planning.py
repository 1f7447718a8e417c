"""What a series is checked against, loaded once for its whole span in one statement:
practice and doctor hours, absences, breaks, and the bookings of the doctor, the patient
and the requested resources — the only ones that can block an occurrence (2h–2o)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT
from sqlalchemy.orm import Session

from server.bookings import scheduling_data
from server.bookings.limits import APPOINTMENT_LOOKBACK_HOURS, MAX_OPERATION_HOURS
from shared.scheduling import (
    SchedulingData,
    day_bounds,
)

# The shared loader (``server.bookings.scheduling_data``) scans every booking of the range
# by start time and filters by doctor/resource; over the months a series spans that is
# thousands of rows. Here each set comes from its own index instead (doctor + start,
# patient + start, resource), and the patient's bookings are included.
_APPOINTMENT_ROW = """json_build_array(
            a.id, a.doctor_id, a.patient_id, a.start_time, a.end_time, a.status,
            (SELECT array_agg(ar.resource_id) FROM appointment_resources ar
              WHERE ar.appointment_id = a.id))"""
_OPERATION_ROW = """json_build_array(
            o.id, o.patient_id, o.primary_surgeon_id, o.assistant_id, o.anesthesist_id,
            o.op_room_id, o.start_time, o.end_time, o.status,
            (SELECT array_agg(od.resource_id) FROM operation_devices od
              WHERE od.operation_id = o.id))"""
# Only the local days of the occurrences matter (a weekly series touches one day in seven):
# the range bounds the index scan, the day list drops the rows of the days between. An
# appointment lies within one local day (check 2b), so its start date decides; an operation
# may cross midnight, so its period is compared with the days' bounds.
_IN_RANGE = """{alias}.status <> 'cancelled'
      AND {alias}.start_time < :range_end AND {alias}.end_time > :range_start
      AND {alias}.start_time > :{alias}_from"""
_ON_DAYS = "AND CAST(a.start_time AT TIME ZONE :tz AS date) = ANY(CAST(:days AS date[]))"
_OPERATION_ON_DAYS = """AND EXISTS (SELECT 1 FROM unnest(CAST(:day_starts AS timestamptz[]),
                                   CAST(:day_ends AS timestamptz[])) d(s, e)
               WHERE o.start_time < d.e AND o.end_time > d.s)"""
_LOAD_SQL = text(
    f"""
SELECT json_build_array(
  (SELECT coalesce(json_agg(json_build_array(id, weekday, start_time, end_time)), '[]')
     FROM practice_hours WHERE active),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, weekday, start_time, end_time)),
                   '[]')
     FROM doctor_hours WHERE active AND doctor_id = ANY(:doctors)),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, start_date, end_date)), '[]')
     FROM doctor_absences
    WHERE active AND start_date <= :last_day AND end_date >= :first_day
      AND doctor_id = ANY(:doctors)),
  (SELECT coalesce(json_agg(json_build_array(id, doctor_id, date, start_time, end_time)), '[]')
     FROM doctor_breaks
    WHERE active AND date = ANY(CAST(:days AS date[]))),
  (SELECT coalesce(json_agg({_APPOINTMENT_ROW}), '[]')
     FROM appointments a
    WHERE a.id IN (
            SELECT a.id FROM appointments a
             WHERE a.doctor_id = ANY(:doctors) AND {_IN_RANGE.format(alias="a")} {_ON_DAYS}
            UNION
            SELECT a.id FROM appointments a
             WHERE a.patient_id = :patient AND {_IN_RANGE.format(alias="a")} {_ON_DAYS}
            UNION
            SELECT a.id FROM appointment_resources ar
              JOIN appointments a ON a.id = ar.appointment_id
             WHERE ar.resource_id = ANY(:resources) AND {_IN_RANGE.format(alias="a")}
                   {_ON_DAYS})),
  (SELECT coalesce(json_agg({_OPERATION_ROW}), '[]')
     FROM operations o
    WHERE {_IN_RANGE.format(alias="o")} {_OPERATION_ON_DAYS}
      AND (o.primary_surgeon_id = ANY(:doctors) OR o.assistant_id = ANY(:doctors)
           OR o.anesthesist_id = ANY(:doctors) OR o.patient_id = :patient
           OR o.op_room_id = ANY(:resources)
           OR EXISTS (SELECT 1 FROM operation_devices od
                       WHERE od.operation_id = o.id AND od.resource_id = ANY(:resources))))
)::text
"""  # noqa: S608 — constants only; values are bound
).bindparams(
    bindparam("doctors", type_=ARRAY(BIGINT)),
    bindparam("resources", type_=ARRAY(BIGINT)),
)


def load_for(
    session: Session,
    tz: ZoneInfo,
    days: Collection[date],
    *,
    doctor_ids: Collection[int],
    patient_id: int,
    resource_ids: Collection[int],
) -> SchedulingData:
    """Everything that can block an appointment of these doctors, this patient and these
    resources on the given local days (one statement)."""
    ordered = sorted(set(days))
    first_day, last_day = ordered[0], ordered[-1]
    bounds = [day_bounds(day, tz) for day in ordered]
    range_start, range_end = bounds[0][0], bounds[-1][1]
    raw = session.execute(
        _LOAD_SQL,
        {
            "doctors": sorted(set(doctor_ids)),
            "resources": sorted(set(resource_ids)),
            "patient": patient_id,
            "first_day": first_day,
            "last_day": last_day,
            "days": ordered,
            "tz": tz.key,
            "day_starts": [start for start, _ in bounds],
            "day_ends": [end for _, end in bounds],
            "range_start": range_start,
            "range_end": range_end,
            "a_from": range_start - timedelta(hours=APPOINTMENT_LOOKBACK_HOURS),
            "o_from": range_start - timedelta(hours=MAX_OPERATION_HOURS + 1),
        },
    ).scalar_one()
    # The rows have the shared loader's shape, so its converter reads them.
    return scheduling_data.from_json_rows(raw, tz)
