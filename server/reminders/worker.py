"""The reminder worker: sends due outbox rows (docs/reminders.md §7).

One transaction per reminder: the row is claimed with ``FOR UPDATE SKIP LOCKED`` and stays
locked while it is sent, so several workers (threads, processes, hosts) never send the same
row, and a worker killed mid-send leaves it ``planned`` (PostgreSQL drops the lock with the
connection) for the next one. The only duplicates: the channel accepted the message and the
worker died before its COMMIT.
"""

from __future__ import annotations

import logging
import threading
import time as time_module
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from server.audit.service import record
from server.core import clock
from server.core.events import publish
from server.reminders import planning
from server.reminders.channels import Channel, EmailChannel, Message, SendError, SmsChannel
from server.settings import Settings
from shared.domain.events import LiveEntity
from shared.domain.reminders import ReminderChannel, WithdrawReason, render_template
from shared.domain.statuses import AppointmentStatus

log = logging.getLogger("praxi.reminders")

MAX_BACKOFF = timedelta(hours=6)
TOO_LATE = "Termin hat begonnen, bevor die Erinnerung gesendet werden konnte."
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

_CLAIM = text(
    "SELECT id, appointment_id, patient_id, channel, offset_minutes, appointment_start, "
    "due_at, attempts FROM reminders "
    "WHERE status = 'planned' AND next_attempt_at <= :now "
    "ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
)
_CONTEXT = text(
    "SELECT a.status, a.start_time, a.patient_id, a.type_id, "
    "p.email, p.phone, t.name AS type_name, "
    "trim(u.first_name || ' ' || u.last_name) AS doctor_name, "
    "coalesce(r.include_type_name, d.include_type_name, false) AS include_type_name, "
    "CASE WHEN r.id IS NOT NULL THEN r.offsets_minutes ELSE d.offsets_minutes END "
    "AS rule_offsets, "
    "CASE WHEN r.id IS NOT NULL THEN r.channels ELSE d.channels END AS rule_channels, "
    "(SELECT granted FROM reminder_consents c WHERE c.patient_id = a.patient_id "
    " AND c.channel = :channel ORDER BY c.id DESC LIMIT 1) AS consent "
    "FROM appointments a "
    "LEFT JOIN patients p ON p.id = a.patient_id "
    "LEFT JOIN appointment_types t ON t.id = a.type_id "
    "LEFT JOIN users u ON u.id = a.doctor_id "
    "LEFT JOIN reminder_rules r ON r.appointment_type_id = a.type_id AND r.active "
    "LEFT JOIN reminder_rules d ON d.appointment_type_id IS NULL AND d.active "
    "WHERE a.id = :appointment"
)
_SETTINGS = text("SELECT * FROM reminder_settings WHERE id = 1")


@dataclass
class Outcome:
    """What happened to one claimed reminder (for tests and the bench)."""

    reminder_id: int
    status: str
    # Seconds between the channel's acceptance and the COMMIT that records it: the only
    # window in which a crash makes a duplicate.
    commit_window: float | None = None
    # Seconds from handing the message to the channel to the COMMIT: the channel may accept
    # it anywhere in this span, so it bounds the duplicate window from above.
    in_flight_window: float | None = None
    accepted_at: float | None = None
    sending_at: float | None = None


@dataclass
class Worker:
    engine: Engine
    # Read on every pass: the test clock (``settings.test_now``) may move between passes.
    settings_source: Callable[[], Settings]
    channels: dict[str, Channel] | None = None
    name: str = "reminders"
    # Called after the channel accepted a message and before the COMMIT (the crash bench
    # kills the process here).
    after_send: Callable[[int], None] | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    _built: tuple[Settings, dict[str, Channel]] | None = field(default=None, repr=False)

    def _channels(self, settings: Settings) -> dict[str, Channel]:
        if self.channels is not None:
            return self.channels
        # Kept while the settings stay the same object: the SMS channel's HTTP client (its
        # TLS context, its keep-alive connection) is built once, not per message.
        if self._built is None or self._built[0] is not settings:
            self._built = (
                settings,
                {
                    ReminderChannel.EMAIL.value: EmailChannel(settings),
                    ReminderChannel.SMS.value: SmsChannel(settings),
                },
            )
        return self._built[1]

    # ------------------------------------------------------------ one reminder

    def process_one(self) -> Outcome | None:
        """Claim and handle the most overdue due reminder; ``None`` when nothing is due."""
        settings = self.settings_source()
        now = clock.now(settings)
        channels = self._channels(settings)
        lease_ms = int(1000 * (2 * max(settings.smtp_timeout, settings.sms_timeout) + 30))
        with Session(self.engine) as session, session.begin():
            session.info[planning.SETTINGS_KEY] = settings
            session.execute(text(f"SET LOCAL idle_in_transaction_session_timeout = {lease_ms}"))
            claimed = session.execute(_CLAIM, {"now": now}).first()
            if claimed is None:
                return None
            outcome = self._handle(session, settings, channels, claimed, now)
        if outcome.accepted_at is not None and outcome.sending_at is not None:  # committed
            committed = time_module.perf_counter()
            outcome.commit_window = committed - outcome.accepted_at
            outcome.in_flight_window = committed - outcome.sending_at
        self.outcomes.append(outcome)
        return outcome

    def _handle(
        self,
        session: Session,
        settings: Settings,
        channels: dict[str, Channel],
        claimed: Any,
        now: datetime,
    ) -> Outcome:
        context = session.execute(
            _CONTEXT, {"appointment": claimed.appointment_id, "channel": claimed.channel}
        ).first()
        reason = _withdraw_reason(claimed, context)
        if reason is not None:
            return self._withdraw(session, claimed, reason)
        assert context is not None
        if now >= context.start_time:
            return self._fail(session, claimed, TOO_LATE, attempts=claimed.attempts)
        practice = session.execute(_SETTINGS).first()
        if practice is None:  # the migration creates it; a hand-restored table may lack it
            session.execute(
                text("INSERT INTO reminder_settings (id) VALUES (1) ON CONFLICT DO NOTHING")
            )
            practice = session.execute(_SETTINGS).one()
        window = planning.Window(practice.send_from, practice.send_until, settings.tz)
        allowed = window.next_allowed(now)
        if allowed != now:
            if allowed >= context.start_time:
                return self._fail(session, claimed, TOO_LATE, attempts=claimed.attempts)
            session.execute(
                text(
                    "UPDATE reminders SET next_attempt_at = :at, updated_at = now() WHERE id = :id"
                ),
                {"at": allowed, "id": claimed.id},
            )
            return Outcome(claimed.id, "planned")
        channel = channels[claimed.channel]
        if not channel.configured:
            error = _text_of(channel, "not_configured")
            return self._fail(session, claimed, error, attempts=claimed.attempts + 1)
        address = channel.address_of(context.email, context.phone)
        if address is None:
            error = _text_of(channel, "no_address")
            return self._fail(session, claimed, error, attempts=claimed.attempts + 1)
        message = compose(claimed.channel, address, context, practice, settings, claimed.id)
        # The "sent" state and its live event are written before the send, behind a savepoint
        # that a failed send rolls back: after the channel's acceptance only the audit entry
        # and the COMMIT remain, which keeps the duplicate window (a crash in between) short.
        # The audit entry cannot move before the send: it takes the audit chain's lock, which
        # would hold every other audited write of the practice for the length of the send.
        connection = session.connection()
        connection.exec_driver_sql("SAVEPOINT reminder_send")
        session.execute(
            text(
                "UPDATE reminders SET status = 'sent', sent_at = :now, attempts = attempts + 1, "
                "next_attempt_at = NULL, last_error = NULL, updated_at = now() WHERE id = :id"
            ),
            {"now": now, "id": claimed.id},
        )
        publish(session, LiveEntity.REMINDER, claimed.id, "updated")
        try:
            sending = time_module.perf_counter()
            channel.send(message)
        except SendError as exc:
            connection.exec_driver_sql("ROLLBACK TO SAVEPOINT reminder_send")
            return self._retry_or_fail(session, settings, claimed, exc, now)
        accepted = time_module.perf_counter()
        if self.after_send is not None:
            self.after_send(claimed.id)
        self._audit(session, claimed, "reminder_sent")
        return Outcome(claimed.id, "sent", accepted_at=accepted, sending_at=sending)

    # ------------------------------------------------------------ state changes

    def _announce(self, session: Session, claimed: Any, action: str) -> None:
        self._audit(session, claimed, action)
        publish(session, LiveEntity.REMINDER, claimed.id, "updated")

    def _audit(self, session: Session, claimed: Any, action: str) -> None:
        record(
            session,
            None,
            action,
            patient_id=claimed.patient_id,
            meta={
                "reminder_id": claimed.id,
                "appointment_id": claimed.appointment_id,
                "channel": claimed.channel,
                "source": "worker",
            },
        )

    def _withdraw(self, session: Session, claimed: Any, reason: WithdrawReason) -> Outcome:
        session.execute(
            text(
                "UPDATE reminders SET status = 'withdrawn', reason = :reason, "
                "next_attempt_at = NULL, updated_at = now() WHERE id = :id"
            ),
            {"reason": reason.value, "id": claimed.id},
        )
        publish(session, LiveEntity.REMINDER, claimed.id, "updated")
        return Outcome(claimed.id, "withdrawn")

    def _fail(self, session: Session, claimed: Any, error: str, *, attempts: int) -> Outcome:
        session.execute(
            text(
                "UPDATE reminders SET status = 'failed', attempts = :attempts, "
                "last_error = :error, next_attempt_at = NULL, updated_at = now() WHERE id = :id"
            ),
            {"attempts": attempts, "error": error[:300], "id": claimed.id},
        )
        self._announce(session, claimed, "reminder_failed")
        log.warning("reminder %s failed: %s", claimed.id, error)
        return Outcome(claimed.id, "failed")

    def _retry_or_fail(
        self, session: Session, settings: Settings, claimed: Any, exc: SendError, now: datetime
    ) -> Outcome:
        attempts = claimed.attempts + 1
        if exc.permanent or attempts >= settings.reminder_max_attempts:
            return self._fail(session, claimed, exc.message, attempts=attempts)
        delay = min(
            timedelta(seconds=settings.reminder_retry_seconds * 2 ** (attempts - 1)), MAX_BACKOFF
        )
        session.execute(
            text(
                "UPDATE reminders SET attempts = :attempts, last_error = :error, "
                "next_attempt_at = :at, updated_at = now() WHERE id = :id"
            ),
            {"attempts": attempts, "error": exc.message[:300], "at": now + delay, "id": claimed.id},
        )
        publish(session, LiveEntity.REMINDER, claimed.id, "updated")
        log.info("reminder %s: attempt %s failed, retry in %s", claimed.id, attempts, delay)
        return Outcome(claimed.id, "planned")

    # ------------------------------------------------------------ loops

    def run_until_idle(self, limit: int | None = None) -> list[Outcome]:
        """Handle due reminders until none is due (or ``limit`` were handled)."""
        handled: list[Outcome] = []
        while limit is None or len(handled) < limit:
            outcome = self.process_one()
            if outcome is None:
                break
            handled.append(outcome)
        return handled

    def _next_due_in(self, settings: Settings) -> float:
        with self.engine.connect() as conn:
            at = conn.execute(
                text("SELECT min(next_attempt_at) FROM reminders WHERE status = 'planned'")
            ).scalar()
        if at is None:
            return settings.reminder_poll_seconds
        seconds = float((at - clock.now(settings)).total_seconds())
        return max(0.0, min(seconds, settings.reminder_poll_seconds))

    def run_forever(self, stop: threading.Event, *, start_delay: float = 0.0) -> None:
        """Work until ``stop`` is set; sleep on ``LISTEN praxi_reminders`` in between.

        ``start_delay``: wait this long before the first database access, so a server that
        stops at once (a failed start, a test) never opens the worker's connections."""
        if stop.wait(start_delay):
            return
        listener = _Listener(self.engine)
        try:
            while not stop.is_set():
                try:
                    self.run_until_idle()
                    wait = self._next_due_in(self.settings_source())
                except Exception:
                    log.exception("reminder worker pass failed; retrying")
                    wait = 5.0
                listener.wait(wait, stop)
        finally:
            listener.close()


def _text_of(channel: Channel, attribute: str) -> str:
    value = getattr(channel, attribute, None)
    return value if isinstance(value, str) else "Versand nicht möglich."


def _withdraw_reason(claimed: Any, context: Any) -> WithdrawReason | None:
    """Belt and braces: planning withdraws these in the appointment's transaction already."""
    if context is None:
        return WithdrawReason.DELETED
    if context.status == AppointmentStatus.CANCELLED:
        return WithdrawReason.CANCELLED
    if context.status == AppointmentStatus.COMPLETED:
        return WithdrawReason.COMPLETED
    if context.start_time != claimed.appointment_start or context.patient_id != claimed.patient_id:
        return WithdrawReason.RESCHEDULED
    if not context.consent:
        return WithdrawReason.CONSENT
    if claimed.offset_minutes not in (context.rule_offsets or ()) or claimed.channel not in (
        context.rule_channels or ()
    ):
        return WithdrawReason.RULE
    return None


def placeholder_values(context: Any, practice: Any, settings: Settings) -> dict[str, str]:
    start = context.start_time.astimezone(settings.tz)
    return {
        "praxis": practice.practice_name,
        "datum": start.strftime("%d.%m.%Y"),
        "wochentag": WEEKDAYS[start.weekday()],
        "uhrzeit": start.strftime("%H:%M"),
        "arzt": (context.doctor_name or "") if practice.include_doctor_name else "",
        "telefon": practice.practice_phone,
        "adresse": practice.practice_address,
        "absage_hinweis": practice.cancel_instruction,
        "terminart": (context.type_name or "") if context.include_type_name else "",
    }


def compose(
    channel: str,
    address: str,
    context: Any,
    practice: Any,
    settings: Settings,
    reminder_id: int,
) -> Message:
    values = placeholder_values(context, practice, settings)
    # The same reference on every attempt: a gateway or mail system that deduplicates on it
    # drops the copy that a crash after its acceptance makes the next worker send again.
    reference = f"praxi-reminder-{reminder_id}"
    if channel == ReminderChannel.EMAIL:
        subject = render_template(practice.email_subject, values).replace("\n", " ").strip()
        return Message(address, subject, render_template(practice.email_body, values), reference)
    sms_text = " ".join(render_template(practice.sms_body, values).split())
    return Message(address, "", sms_text, reference)


class _Listener:
    """``LISTEN praxi_reminders`` on a connection of its own (taken from the engine's pool
    and discarded at the end, so its LISTEN state never reaches another user)."""

    def __init__(self, engine: Engine) -> None:
        self._raw: Any = None
        self._conn: psycopg.Connection[Any] | None = None
        try:
            self._raw = engine.raw_connection()
            driver = self._raw.driver_connection
            assert isinstance(driver, psycopg.Connection)
            driver.rollback()
            driver.autocommit = True
            driver.execute(f"LISTEN {planning.NOTIFY_CHANNEL}")
            self._conn = driver
        except Exception:
            log.warning("reminder worker: LISTEN unavailable, polling only")
            self.close()

    def wait(self, seconds: float, stop: threading.Event) -> None:
        deadline = time_module.monotonic() + seconds
        while not stop.is_set():
            left = deadline - time_module.monotonic()
            if left <= 0:
                return
            step = min(left, 0.25)  # notice ``stop`` soon (shutdown joins this thread)
            if self._conn is None:
                stop.wait(step)
                continue
            try:
                for _ in self._conn.notifies(timeout=step, stop_after=1):
                    return
            except (psycopg.Error, OSError):
                log.warning("reminder worker: LISTEN connection lost, polling only")
                self.close()

    def close(self) -> None:
        raw, self._raw, self._conn = self._raw, None, None
        if raw is not None:
            raw.invalidate()
