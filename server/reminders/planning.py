"""Planning reminders in the transaction of the appointment write (docs/reminders.md §6).

``install()`` registers an ``after_flush`` listener on every ``Session``: a flush that inserts,
updates or deletes an ``Appointment`` re-plans that appointment with Core statements on the
flush's own connection, so the outbox rows commit or roll back with the appointment (and with
a savepoint around it). Consent, rule and sending-window changes call :func:`replan` directly.

"Now" is the test-aware clock of the app whose engine the session uses (``bind``); the app
registers itself through the router's lifespan, scripts and tests call :func:`bind` or put
``Settings`` into ``session.info["praxi_settings"]``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, UOWTransaction

from server.appointments.models import Appointment
from server.core import clock
from server.core.events import AT_FORMAT, Action
from server.core.events import CHANNEL as EVENTS_CHANNEL
from server.reminders.models import Reminder
from server.settings import Settings, get_settings
from shared.domain.events import LiveEntity
from shared.domain.reminders import ReminderStatus, WithdrawReason
from shared.domain.statuses import AppointmentStatus

NOTIFY_CHANNEL = "praxi_reminders"
SETTINGS_KEY = "praxi_settings"
_RELEVANT = ("start_time", "status", "patient_id", "type_id")
_ENDED = {
    AppointmentStatus.CANCELLED.value: WithdrawReason.CANCELLED,
    AppointmentStatus.COMPLETED.value: WithdrawReason.COMPLETED,
}


class _HasSettings(Protocol):
    settings: Settings


_bound: weakref.WeakKeyDictionary[Engine, _HasSettings | Settings] = weakref.WeakKeyDictionary()


def bind(engine: Engine, holder: _HasSettings | Settings) -> None:
    """Use ``holder``'s settings (an ``AppState``: read at each flush) for ``engine``."""
    _bound[engine] = holder


def settings_for(session: Session) -> Settings:
    explicit = session.info.get(SETTINGS_KEY)
    if isinstance(explicit, Settings):
        return explicit
    engine = session.get_bind()
    holder = _bound.get(engine) if isinstance(engine, Engine) else None
    if holder is None:
        return get_settings()
    return holder if isinstance(holder, Settings) else holder.settings


# ---------------------------------------------------------------- pure rules


@dataclass(frozen=True)
class Window:
    """The daily sending window in the practice time zone."""

    send_from: time
    send_until: time
    tz: ZoneInfo

    def latest_allowed(self, moment: datetime) -> datetime:
        """``moment`` if inside the window, else the end of the window before it."""
        local = moment.astimezone(self.tz)
        if self.send_from <= local.time() <= self.send_until:
            return moment
        day = local.date() if local.time() > self.send_until else local.date() - timedelta(days=1)
        return _at(day, self.send_until, self.tz)

    def next_allowed(self, moment: datetime) -> datetime:
        """``moment`` if inside the window, else the start of the next window."""
        local = moment.astimezone(self.tz)
        if self.send_from <= local.time() <= self.send_until:
            return moment
        day = local.date() if local.time() < self.send_from else local.date() + timedelta(days=1)
        return _at(day, self.send_from, self.tz)


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    # A wall time that a DST change skips resolves one hour later (zoneinfo, fold=0); no
    # sensible window edge falls into 02:00–03:00 anyway.
    return datetime.combine(day, at, tzinfo=tz)


@dataclass(frozen=True)
class RuleView:
    offsets_minutes: tuple[int, ...]
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Wanted:
    channel: str
    offset_minutes: int
    due_at: datetime


def wanted_reminders(
    start: datetime, rule: RuleView | None, consented: Iterable[str], window: Window
) -> list[Wanted]:
    """The reminders an appointment starting at ``start`` should have (before the "already
    passed" filter): every consented channel of the rule times every offset."""
    if rule is None:
        return []
    allowed = set(consented)
    return [
        Wanted(channel, offset, window.latest_allowed(start - timedelta(minutes=offset)))
        for channel in rule.channels
        if channel in allowed
        for offset in rule.offsets_minutes
    ]


# ---------------------------------------------------------------- database side


@dataclass(frozen=True)
class _Appointment:
    id: int
    patient_id: int
    type_id: int | None
    start_time: datetime
    status: str


def load_window(conn: Connection, tz: ZoneInfo) -> Window:
    row = conn.execute(
        text("SELECT send_from, send_until FROM reminder_settings WHERE id = 1")
    ).first()
    if row is None:  # the migration creates the row; never fail an appointment write on it
        return Window(time(8), time(20), tz)
    return Window(row.send_from, row.send_until, tz)


def load_rules(conn: Connection) -> dict[int | None, RuleView]:
    """Active rules by appointment type id (``None`` = the practice default)."""
    rows = conn.execute(
        text(
            "SELECT appointment_type_id, offsets_minutes, channels FROM reminder_rules WHERE active"
        )
    ).all()
    return {
        row.appointment_type_id: RuleView(tuple(row.offsets_minutes), tuple(row.channels))
        for row in rows
    }


def rule_for(rules: dict[int | None, RuleView], type_id: int | None) -> RuleView | None:
    if type_id is not None and type_id in rules:
        return rules[type_id]
    return rules.get(None)


def consented_channels(conn: Connection, patient_ids: Sequence[int]) -> dict[int, set[str]]:
    """The channels each patient currently consents to (latest decision per channel)."""
    if not patient_ids:
        return {}
    rows = conn.execute(
        text(
            "SELECT DISTINCT ON (patient_id, channel) patient_id, channel, granted "
            "FROM reminder_consents WHERE patient_id = ANY(:ids) "
            "ORDER BY patient_id, channel, id DESC"
        ),
        {"ids": list(patient_ids)},
    ).all()
    result: dict[int, set[str]] = {}
    for row in rows:
        if row.granted:
            result.setdefault(row.patient_id, set()).add(row.channel)
    return result


# SKIP LOCKED: a reminder that a worker is sending right now is not waited for (that could
# take the channel's timeout, and the worker next waits for the audit chain lock this
# transaction may hold). It ends sent, or — should the send fail — the worker's own re-check
# withdraws it.
_WITHDRAW = text(
    "UPDATE reminders SET status = 'withdrawn', reason = :reason, next_attempt_at = NULL, "
    "updated_at = now() WHERE id IN (SELECT id FROM reminders WHERE id = ANY(:ids) "
    "AND status = 'planned' FOR UPDATE SKIP LOCKED) RETURNING id"
)
_INSERT_CHUNK = 1000
# Above this many rows one re-planning announces itself by the cause's event (rule, window,
# consent) instead of one event per reminder, which would flood every desktop.
MAX_ROW_EVENTS = 200
_PUBLISH_MANY = text(
    "SELECT pg_notify(:channel, json_build_object("
    "'entity', CAST(:entity AS text), 'id', id, 'action', CAST(:action AS text), "
    "'at', to_char(clock_timestamp() AT TIME ZONE 'UTC', :at_format))::text) "
    "FROM unnest(CAST(:ids AS bigint[])) AS id"
)


def _insert(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """New planned reminders in multi-row statements; one already there is skipped."""
    created: list[int] = []
    for start in range(0, len(rows), _INSERT_CHUNK):
        statement = (
            pg_insert(Reminder)
            .values(rows[start : start + _INSERT_CHUNK])
            .on_conflict_do_nothing(
                index_elements=["appointment_id", "channel", "offset_minutes", "due_at"],
                index_where=text("status <> 'withdrawn'"),
            )
            .returning(Reminder.id)
        )
        created += conn.execute(statement).scalars().all()
    return created


def publish_many(session: Session, ids: Sequence[int], action: Action) -> None:
    """``reminder`` live events for ``ids`` in one statement (``server.core.events`` format)."""
    if ids:
        session.execute(
            _PUBLISH_MANY,
            {
                "channel": EVENTS_CHANNEL,
                "entity": LiveEntity.REMINDER.value,
                "action": action,
                "at_format": AT_FORMAT,
                "ids": list(ids),
            },
        )


@dataclass
class PlanResult:
    created: list[int]
    withdrawn: list[int]


def replan(
    session: Session,
    appointment_ids: Iterable[int],
    *,
    now: datetime,
    tz: ZoneInfo,
    cause: dict[int, WithdrawReason] | None = None,
) -> PlanResult:
    """Bring the planned reminders of these appointments in line with their current state.

    ``cause`` names why a reminder that is no longer wanted is withdrawn when the state alone
    does not tell (a consent or rule change); cancelled, completed, deleted and moved
    appointments say it themselves.
    """
    ids = sorted(set(appointment_ids))
    result = PlanResult([], [])
    if not ids:
        return result
    conn = session.connection()
    # Every appointment write passes here: with no active rule and nothing planned for these
    # appointments (a practice without reminders) one query is all it costs.
    busy = conn.execute(
        text(
            "SELECT EXISTS (SELECT FROM reminder_rules WHERE active) "
            "OR EXISTS (SELECT FROM reminders WHERE appointment_id = ANY(:ids) "
            "AND status = 'planned')"
        ),
        {"ids": ids},
    ).scalar()
    if not busy:
        return result
    appointments = {
        row.id: _Appointment(row.id, row.patient_id, row.type_id, row.start_time, row.status)
        for row in conn.execute(
            text(
                "SELECT id, patient_id, type_id, start_time, status FROM appointments "
                "WHERE id = ANY(:ids)"
            ),
            {"ids": ids},
        )
    }
    existing = conn.execute(
        text(
            "SELECT id, appointment_id, patient_id, channel, offset_minutes, due_at, status, "
            "appointment_start FROM reminders "
            "WHERE appointment_id = ANY(:ids) AND status <> 'withdrawn'"
        ),
        {"ids": ids},
    ).all()
    rules = load_rules(conn)
    window = load_window(conn, tz)
    consents = consented_channels(conn, sorted({a.patient_id for a in appointments.values()}))
    by_appointment: dict[int, list[Any]] = {}
    for row in existing:
        by_appointment.setdefault(row.appointment_id, []).append(row)
    withdrawals: dict[WithdrawReason, list[int]] = {}
    new_rows: list[dict[str, Any]] = []
    for appointment_id in ids:
        appointment = appointments.get(appointment_id)
        rows = by_appointment.get(appointment_id, [])
        planned = [r for r in rows if r.status == ReminderStatus.PLANNED]
        if appointment is None or appointment.status in _ENDED:
            reason = WithdrawReason.DELETED if appointment is None else _ENDED[appointment.status]
            withdrawals.setdefault(reason, []).extend(r.id for r in planned)
            continue
        patient_consents = consents.get(appointment.patient_id, set())
        wanted = wanted_reminders(
            appointment.start_time,
            rule_for(rules, appointment.type_id),
            patient_consents,
            window,
        )
        wanted_keys = {(w.channel, w.offset_minutes, w.due_at) for w in wanted}
        present = {
            (r.channel, r.offset_minutes, r.due_at)
            for r in rows
            if r.patient_id == appointment.patient_id
        }
        for row in planned:
            key = (row.channel, row.offset_minutes, row.due_at)
            if key in wanted_keys and row.patient_id == appointment.patient_id:
                continue
            if row.appointment_start != appointment.start_time or (
                row.patient_id != appointment.patient_id
            ):
                reason = WithdrawReason.RESCHEDULED
            elif row.channel not in patient_consents:
                reason = WithdrawReason.CONSENT
            else:
                reason = (cause or {}).get(appointment_id, WithdrawReason.RULE)
            withdrawals.setdefault(reason, []).append(row.id)
        for item in wanted:
            if (item.channel, item.offset_minutes, item.due_at) in present:
                continue
            # Not for appointments booked (or moved) after the offset has passed.
            if item.due_at <= now:
                continue
            new_rows.append(
                {
                    "appointment_id": appointment.id,
                    "patient_id": appointment.patient_id,
                    "channel": item.channel,
                    "offset_minutes": item.offset_minutes,
                    "appointment_start": appointment.start_time,
                    "due_at": item.due_at,
                    "next_attempt_at": item.due_at,
                }
            )
    # Withdrawals first: a row moving to another patient keeps its key (unique while not
    # withdrawn), so the new one fits only once the old one is withdrawn.
    for reason, reminder_ids in withdrawals.items():
        if reminder_ids:
            done = conn.execute(_WITHDRAW, {"reason": reason.value, "ids": reminder_ids})
            result.withdrawn.extend(done.scalars().all())
    result.created = _insert(conn, new_rows) if new_rows else []
    if len(result.created) + len(result.withdrawn) <= MAX_ROW_EVENTS:
        publish_many(session, result.created, "created")
        publish_many(session, result.withdrawn, "updated")
    if result.created:
        conn.execute(text("SELECT pg_notify(:c, '')"), {"c": NOTIFY_CHANNEL})
    return result


def future_appointment_ids(
    session: Session, now: datetime, *, patient_id: int | None = None
) -> list[int]:
    """Appointments a consent, rule or window change may affect: those not started yet of
    patients who ever consented to a channel, and those with reminders still planned."""
    if patient_id is not None:
        statement = text(
            "SELECT id FROM appointments WHERE start_time > :now AND patient_id = :patient "
            "UNION SELECT appointment_id FROM reminders "
            "WHERE status = 'planned' AND patient_id = :patient"
        )
        params: dict[str, Any] = {"now": now, "patient": patient_id}
    else:
        statement = text(
            "SELECT id FROM appointments WHERE start_time > :now AND patient_id IN "
            "(SELECT patient_id FROM reminder_consents WHERE granted) "
            "UNION SELECT appointment_id FROM reminders WHERE status = 'planned'"
        )
        params = {"now": now}
    return list(session.execute(statement, params).scalars())


def replan_future(
    session: Session,
    settings: Settings,
    *,
    cause: WithdrawReason,
    patient_id: int | None = None,
) -> PlanResult:
    now = clock.now(settings)
    ids = future_appointment_ids(session, now, patient_id=patient_id)
    return replan(session, ids, now=now, tz=settings.tz, cause=dict.fromkeys(ids, cause))


# ---------------------------------------------------------------- the flush listener


def _touched_appointments(session: Session) -> list[int]:
    touched: list[int] = []
    for obj in session.new:
        if isinstance(obj, Appointment) and obj.id is not None:
            touched.append(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Appointment) and obj.id is not None:
            touched.append(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Appointment) and obj.id is not None:
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _RELEVANT):
                touched.append(obj.id)
    return touched


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    touched = _touched_appointments(session)
    if not touched:
        return
    settings = settings_for(session)
    replan(session, touched, now=clock.now(settings), tz=settings.tz)


def install() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


__all__ = [
    "NOTIFY_CHANNEL",
    "PlanResult",
    "RuleView",
    "Wanted",
    "Window",
    "bind",
    "install",
    "replan",
    "replan_future",
    "wanted_reminders",
]
