"""Shared pieces of the KPI panels (spec 08 §1, §9): periods, query parameters, SQL fragments.

Periods are half-open local intervals ``[first 00:00, last + 1 day 00:00)`` in the practice
time zone (K-10, K-1); a :class:`Period` keeps both the dates and the instants. Hour and
weekday buckets come from ``start_time AT TIME ZONE <practice zone>`` (K-8), so they do not
depend on the session's TimeZone setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from server.core import clock, timefmt
from server.core.errors import bad_request
from server.op_views.common import END_OF_TIME, day_start, next_day_start
from server.op_views.stats import BAD_DATES, FROM_AFTER_TO, MAX_RANGE_DAYS, RANGE_TOO_LARGE
from server.settings import Settings

BOTH_REQUIRED = "Provide both from and to (YYYY-MM-DD)."
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
DEFAULT_DAYS = 30

# --- SQL fragments (alias ``a`` = appointments, ``o`` = operations) ----------------------

BOOKED_SQL = "a.status IN ('scheduled', 'confirmed', 'completed')"
ACTIVE_OP_SQL = "o.status IN ('planned', 'confirmed', 'running', 'done')"
APPT_MINUTES_SQL = "(extract(epoch FROM (a.end_time - a.start_time)) / 60.0)::float8"
OP_MINUTES_SQL = "(extract(epoch FROM (o.end_time - o.start_time)) / 60.0)::float8"
# K-3 / K-11: the no-show denominator, and the no-shows inside it.
PAST_SQL = "(a.end_time < :now AND a.status <> 'cancelled')"
NO_SHOW_SQL = f"({PAST_SQL} AND (a.is_no_show OR a.status IN ('scheduled', 'confirmed')))"
LOCAL_START_SQL = "(a.start_time AT TIME ZONE CAST(:tz AS text))"
LOCAL_OP_START_SQL = "(o.start_time AT TIME ZONE CAST(:tz AS text))"
# Weekday 0 = Monday … 6 = Sunday (00 §6), of a local date/timestamp expression.
DAY_SERIES_SQL = (
    "(SELECT g.d::date AS d FROM generate_series(CAST(:first AS date), "
    "CAST(:last AS date), interval '1 day') AS g(d))"
)
HOURS_MINUTES_SQL = "(extract(epoch FROM (h.end_time - h.start_time)) / 60.0)::float8"


def in_range(column: str, start: str = "start", end: str = "end") -> str:
    return f"{column} >= :{start} AND {column} < :{end}"


def weekday_sql(expr: str) -> str:
    return f"(extract(isodow FROM {expr})::int - 1)"


# --- periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The local dates ``first … last`` (inclusive) and their half-open instants."""

    first: date
    last: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, first: date, last: date, tz: ZoneInfo) -> Period:
        return cls(first, last, day_start(first, tz), next_day_start(last, tz))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self, tz: ZoneInfo) -> Period:
        """The period of the same number of days right before this one."""
        length = timedelta(days=self.days)
        try:
            return Period.of(self.first - length, self.last - length, tz)
        except OverflowError:  # before 0001-01-01 there is nothing: an empty period
            return Period(self.first, self.first, self.start, self.start)

    def params(self, prefix: str = "") -> dict[str, Any]:
        return {
            f"{prefix}first": self.first,
            f"{prefix}last": self.last,
            f"{prefix}start": self.start,
            f"{prefix}end": self.end,
        }

    def dates(self) -> dict[str, str]:
        return {"start_date": self.first.isoformat(), "end_date": self.last.isoformat()}


@dataclass(frozen=True)
class Calendar:
    """ "today", "week", "month", "last_N" of 08 §1 around the local date of ``now``."""

    now: datetime
    tz: ZoneInfo

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def day(self) -> Period:
        return Period.of(self.today, self.today, self.tz)

    def week(self) -> Period:
        monday = self.today - timedelta(days=self.today.weekday())
        return Period.of(monday, monday + timedelta(days=6), self.tz)

    def month(self) -> Period:
        first = self.today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return Period.of(first, following - timedelta(days=1), self.tz)

    def last(self, days: int) -> Period:
        """``[today − (days − 1) 00:00, tomorrow 00:00)`` (K-2)."""
        return Period.of(self.today - timedelta(days=days - 1), self.today, self.tz)


def _parse_date(raw: str) -> date:
    try:
        return timefmt.parse_date(raw)
    except ValueError as exc:
        raise bad_request(BAD_DATES) from exc


def custom_period(request: Request, tz: ZoneInfo) -> Period | None:
    """``from``/``to`` of 08 §9 (both inclusive, local), or None when neither is given.

    Empty values count as absent (as in op-stats); the error texts are those of 04 §5.8.
    """
    raw_from = request.query_params.get("from") or ""
    raw_to = request.query_params.get("to") or ""
    if not raw_from and not raw_to:
        return None
    if not (raw_from and raw_to):
        raise bad_request(BOTH_REQUIRED)
    first, last = _parse_date(raw_from), _parse_date(raw_to)
    if first > last:
        raise bad_request(FROM_AFTER_TO)
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise bad_request(RANGE_TOO_LARGE)
    return Period.of(first, last, tz)


def days_param(request: Request) -> int:
    """``days`` (08 §3): default 30, clamped to 1…366; a non-integer value is ignored."""
    raw = request.query_params.get("days")
    if raw is None:
        return DEFAULT_DAYS
    try:
        value = int(raw.strip(), 10)
    except ValueError:
        return DEFAULT_DAYS
    return max(1, min(MAX_RANGE_DAYS, value))


@dataclass(frozen=True)
class PanelQuery:
    """What every panel reads from its request: the calendar around now, ``from``/``to``
    (``custom``, None when absent) and ``days`` (only the operations and doctor panels use it).
    """

    calendar: Calendar
    custom: Period | None
    days: int

    @classmethod
    def of(cls, request: Request, settings: Settings) -> PanelQuery:
        """Raises 400 for a bad ``from``/``to``; call it after the 403/404 checks (00 §3)."""
        tz = settings.tz
        custom = custom_period(request, tz)
        return cls(Calendar(clock.now(settings), tz), custom, days_param(request))

    @property
    def tz(self) -> ZoneInfo:
        return self.calendar.tz

    def base_params(self) -> dict[str, Any]:
        """The bind parameters every panel's SQL starts from."""
        return {"now": self.calendar.now, "tz": self.tz.key}

    # ``from``/``to`` replace each default period of a panel (08 §9).

    def week(self) -> Period:
        return self.custom or self.calendar.week()

    def month(self) -> Period:
        return self.custom or self.calendar.month()

    def last(self, days: int) -> Period:
        return self.custom or self.calendar.last(days)

    def period(self) -> Period:
        """The period of the ``days`` panels: the last ``days`` days (K-2)."""
        return self.last(self.days)

    def set_end(self) -> datetime:
        """Where the "set" counts end: ``to`` when given, else never (they include the future)."""
        return self.custom.end if self.custom else END_OF_TIME


# --- arithmetic -------------------------------------------------------------------------


def pct(part: float, whole: float) -> float:
    """``part / whole × 100`` rounded to 1 decimal; 0.0 for an empty whole."""
    return round(part / whole * 100, 1) if whole else 0.0


def capped(part: float, whole: float) -> float:
    return min(100.0, pct(part, whole))


def r1(value: float | None) -> float:
    return round(float(value or 0.0), 1)


def calculate_trend(current: float, previous: float) -> dict[str, Any]:
    """08 §1 ``calculate_trend``."""
    if previous == 0:
        if current > 0:
            return {"direction": "up", "percent": 100, "icon": "↑"}
        return {"direction": "neutral", "percent": 0, "icon": "→"}
    change = (current - previous) / previous * 100
    if change > 5:
        return {"direction": "up", "percent": round(change, 1), "icon": "↑"}
    if change < -5:
        return {"direction": "down", "percent": round(abs(change), 1), "icon": "↓"}
    return {"direction": "neutral", "percent": round(abs(change), 1), "icon": "→"}


def direction(value: float) -> str:
    return "up" if value > 0 else "down" if value < 0 else "neutral"


def peak(counts: Sequence[tuple[Any, int]], default: Any) -> tuple[Any, int]:
    """The first key with the highest count, or ``(default, 0)`` when every count is 0."""
    best_key, best = default, 0
    for key, count in counts:
        if count > best:
            best_key, best = key, count
    return best_key, best


# --- database helpers -------------------------------------------------------------------


def rows(session: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    return list(session.execute(text(sql), params))


def one(session: Session, sql: str, params: dict[str, Any]) -> Any:
    return session.execute(text(sql), params).one()


def practice_minutes(session: Session, period: Period) -> float:
    """Σ over the local dates of ``period`` of the active practice-hours minutes of that weekday."""
    sql = (
        f"SELECT coalesce(sum({HOURS_MINUTES_SQL}), 0)::float8 FROM {DAY_SERIES_SQL} days "  # noqa: S608
        f"JOIN practice_hours h ON h.active AND h.weekday = {weekday_sql('days.d')}"
    )
    return float(one(session, sql, period.params())[0])


def resource_minutes(session: Session, period: Period, params: dict[str, Any]) -> list[Any]:
    """Per active resource: ``id, name, type, color, appointment_minutes, operation_minutes``.

    Appointments: booked ones using the resource; operations: active ones using it as room
    (rooms) or device (devices); both starting in ``period`` (cancelled excluded, K-7).
    Ordered by type, name, id.
    """
    sql = f"""
        WITH appt AS (
            SELECT ar.resource_id AS rid, sum({APPT_MINUTES_SQL}) AS mins
            FROM appointments a JOIN appointment_resources ar ON ar.appointment_id = a.id
            WHERE {BOOKED_SQL} AND {in_range("a.start_time")}
            GROUP BY ar.resource_id),
        op_room AS (
            SELECT o.op_room_id AS rid, sum({OP_MINUTES_SQL}) AS mins FROM operations o
            WHERE {ACTIVE_OP_SQL} AND {in_range("o.start_time")} GROUP BY o.op_room_id),
        op_device AS (
            SELECT od.resource_id AS rid, sum({OP_MINUTES_SQL}) AS mins
            FROM operations o JOIN operation_devices od ON od.operation_id = o.id
            WHERE {ACTIVE_OP_SQL} AND {in_range("o.start_time")} GROUP BY od.resource_id)
        SELECT r.id, r.name, r.type, r.color, coalesce(appt.mins, 0)::float8,
               (CASE WHEN r.type = 'room' THEN coalesce(op_room.mins, 0)
                     ELSE coalesce(op_device.mins, 0) END)::float8
        FROM resources r
        LEFT JOIN appt ON appt.rid = r.id
        LEFT JOIN op_room ON op_room.rid = r.id
        LEFT JOIN op_device ON op_device.rid = r.id
        WHERE r.active
        ORDER BY r.type, r.name, r.id
    """  # noqa: S608
    return rows(session, sql, {**params, **period.params()})


DOCTORS_CTE = """docs AS (
    SELECT u.id, u.username, u.first_name, u.last_name, u.calendar_color AS color,
           coalesce(nullif(btrim(u.first_name || ' ' || u.last_name), ''), u.username) AS name
    FROM users u JOIN roles ro ON ro.id = u.role_id
    WHERE ro.name = 'doctor' AND u.is_active)"""


def doctor_week_rows(session: Session, period: Period, params: dict[str, Any]) -> list[Any]:
    """Per active doctor (by id): ``id, name, color, template_minutes, booked_minutes,
    booked_count, absence_days`` for ``period``.

    ``template_minutes`` = Σ over the dates of the period of the doctor's active DoctorHours
    minutes of that weekday (absences ignored); ``absence_days`` = dates of the period
    covered by an active absence; booked = booked appointments starting in the period.
    """
    sql = f"""
        WITH {DOCTORS_CTE},
        days AS {DAY_SERIES_SQL},
        avail AS (
            SELECT h.doctor_id, sum({HOURS_MINUTES_SQL}) AS mins
            FROM days JOIN doctor_hours h ON h.active AND h.weekday = {weekday_sql("days.d")}
            GROUP BY h.doctor_id),
        booked AS (
            SELECT a.doctor_id, sum({APPT_MINUTES_SQL}) AS mins, count(*) AS n
            FROM appointments a WHERE {BOOKED_SQL} AND {in_range("a.start_time")}
            GROUP BY a.doctor_id),
        absent AS (
            SELECT ab.doctor_id, count(DISTINCT days.d) AS n
            FROM days JOIN doctor_absences ab
                ON ab.active AND days.d BETWEEN ab.start_date AND ab.end_date
            GROUP BY ab.doctor_id)
        SELECT docs.id, docs.name, docs.color, coalesce(avail.mins, 0)::float8,
               coalesce(booked.mins, 0)::float8, coalesce(booked.n, 0), coalesce(absent.n, 0)
        FROM docs
        LEFT JOIN avail ON avail.doctor_id = docs.id
        LEFT JOIN booked ON booked.doctor_id = docs.id
        LEFT JOIN absent ON absent.doctor_id = docs.id
        ORDER BY docs.id
    """  # noqa: S608
    return rows(session, sql, {**params, **period.params()})


def flow_times(
    session: Session, period: Period, params: dict[str, Any], *, doctor_filter: str = ""
) -> dict[str, Any]:
    """Average patient-flow wait and treatment minutes of the flows of ``period`` (05 §4).

    Flows of the period: ``coalesce(arrival_time, status_changed_at)`` in it (the day
    expression of the flow list, D-PF-10). Per flow, from the status events (05 §2.2):
    wait = ``floor((E(in_treatment) − arrival_time) / 60 s)`` when both exist; treatment =
    ``floor((E(done) − E(in_treatment)) / 60 s)`` when both exist; clamped at 0. Phases that
    are still running are not averaged (they have no end yet).
    """
    sql = f"""
        WITH f AS (
            SELECT pf.arrival_time,
                   (SELECT min(e.changed_at) FROM patient_flow_status_events e
                    WHERE e.flow_id = pf.id AND e.to_status = 'in_treatment') AS t_in,
                   (SELECT min(e.changed_at) FROM patient_flow_status_events e
                    WHERE e.flow_id = pf.id AND e.to_status = 'done') AS t_done
            FROM patient_flows pf
            WHERE {in_range("coalesce(pf.arrival_time, pf.status_changed_at)")} {doctor_filter}),
        m AS (
            -- greatest() ignores NULLs, so a missing end must stay NULL explicitly
            SELECT CASE WHEN t_in IS NOT NULL AND arrival_time IS NOT NULL THEN
                       greatest(0, floor(extract(epoch FROM (t_in - arrival_time)) / 60)) END
                       AS wait,
                   CASE WHEN t_in IS NOT NULL AND t_done IS NOT NULL THEN
                       greatest(0, floor(extract(epoch FROM (t_done - t_in)) / 60)) END AS treat
            FROM f)
        SELECT avg(wait)::float8, count(wait), avg(treat)::float8, count(treat) FROM m
    """  # noqa: S608
    wait, wait_n, treat, treat_n = one(session, sql, {**params, **period.params()})
    return {
        "avg_wait_minutes": r1(wait),
        "avg_treatment_minutes": r1(treat),
        "wait_count": wait_n,
        "treatment_count": treat_n,
    }


def base_params(now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    return {"now": now, "tz": tz.key}
