"""Series writes and the preview (docs/series-and-chains.md).

Booking is one transaction over the whole series: parse, object checks on the first
occurrence, advisory locks on the doctor, patient and resources (one global order, so
concurrent series never deadlock and single bookings wait), the scheduling checks of every
occurrence against data loaded *after* the locks, then every appointment with its
occupancy rows, the audit entries and live events. The occupancy exclusion constraint is
the last guarantee: a violation rolls everything back and the whole series is re-checked
once (``with_booking_retry``), so a series is never left half booked.

The appointment rows are written by the appointments' own building blocks
(``server.appointments.service.insert_appointment`` / ``apply_update`` /
``cancel_appointment``), so each appointment of a series is exactly what a single booking
would have written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.appointments import pipeline
from server.appointments import scoping as appointment_scoping
from server.appointments import service as appointments
from server.appointments.models import Appointment
from server.audit.service import record
from server.bookings.retry import with_booking_retry
from server.bookings.writes import BookingRequest, reject, request_patient_id
from server.core.body import RawBody
from server.core.errors import APIError, ValidationFailed, not_found
from server.core.events import publish
from server.core.timefmt import format_datetime
from server.series import planning, scoping
from server.series.body import Scope, SeriesBody, parse_edit, parse_scope, parse_series
from server.series.models import AppointmentSeries, AppointmentSeriesMember
from server.series.read import series_json
from shared.domain.events import LiveEntity
from shared.domain.statuses import AppointmentStatus
from shared.scheduling import Interval, local_date
from shared.scheduling.recurrence import RecurrenceError, expand
from shared.scheduling.recurrence_check import OccurrenceVerdict, check_occurrences

ENTITY = LiveEntity.APPOINTMENT_SERIES
CONFLICT_ACTION = "appointment_series_conflict"
NOT_ALL_FREE = "Serie nicht gebucht: {blocked} von {count} Terminen sind nicht frei."
NONE_FREE = "Kein Termin der Serie ist frei."
EDIT_BLOCKED = "Änderung nicht gespeichert: {blocked} Termine sind nicht frei."
NOT_A_MEMBER = "Termin gehört nicht zu dieser Serie."
UNKNOWN_INDEX = "Termin {index} gibt es in dieser Serie nicht."
OVERLAP = "Überschneidet sich mit Termin {index} der Serie."
CHANGEABLE = (AppointmentStatus.SCHEDULED.value, AppointmentStatus.CONFIRMED.value)


@dataclass(frozen=True)
class Occurrence:
    index: int  # 1-based place in the rule
    interval: Interval
    replaced: bool = False


# --- occurrences and their verdicts -------------------------------------------------------


def occurrences_of(body: SeriesBody, tz: Any) -> list[Occurrence]:
    """The rule's occurrences with the chosen replacements applied (400 on a bad rule)."""
    values = body.draft.values
    try:
        intervals = expand(body.recurrence, values["start_time"], values["end_time"], tz)
    except RecurrenceError as exc:
        raise ValidationFailed({"recurrence": {"non_field_errors": [str(exc)]}}) from exc
    unknown = sorted(index for index in body.replacements if index > len(intervals))
    if unknown:
        raise ValidationFailed({"replacements": [UNKNOWN_INDEX.format(index=unknown[0])]})
    found = []
    for index, interval in enumerate(intervals, start=1):
        replacement = body.replacements.get(index)
        if replacement is None:
            found.append(Occurrence(index, interval))
            continue
        end = replacement.end or replacement.start + body.duration
        found.append(Occurrence(index, Interval(replacement.start, end), replaced=True))
    return found


def verdicts_of(
    session: Session,
    request: BookingRequest,
    draft: pipeline.Draft,
    occurrences: list[Occurrence],
    *,
    exclude_appointment_ids: tuple[int, ...] = (),
) -> list[OccurrenceVerdict]:
    """The scheduling checks of every occurrence, against one load of the whole span."""
    values, tz = draft.values, request.tz
    days = [local_date(item.interval.start, tz) for item in occurrences]
    data = planning.load_for(
        session,
        tz,
        days,
        doctor_ids=[values["doctor"]],
        patient_id=values["patient_id"],
        resource_ids=draft.resource_ids,
    )
    return check_occurrences(
        data,
        [item.interval for item in occurrences],
        doctor_id=values["doctor"],
        patient_id=values["patient_id"],
        resource_ids=draft.resource_ids,
        now=request.now,
        exclude_appointment_ids=exclude_appointment_ids,
    )


def reason_json(verdict: OccurrenceVerdict, occurrences: list[Occurrence]) -> dict[str, Any] | None:
    if verdict.overlaps_occurrence is not None:
        index = occurrences[verdict.overlaps_occurrence - 1].index
        return {"code": "series_overlap", "message": OVERLAP.format(index=index)}
    if verdict.check.ok:
        return None
    return pipeline.conflict_reason(verdict.check)


def occurrence_json(
    occurrence: Occurrence,
    verdict: OccurrenceVerdict,
    occurrences: list[Occurrence],
    tz: Any,
) -> dict[str, Any]:
    alternative = verdict.alternative
    return {
        "index": occurrence.index,
        "start_time": format_datetime(occurrence.interval.start, tz),
        "end_time": format_datetime(occurrence.interval.end, tz),
        "replaced": occurrence.replaced,
        "free": verdict.free,
        "reason": reason_json(verdict, occurrences),
        "alternative": None
        if alternative is None or verdict.free
        else {
            "start_time": format_datetime(alternative.start, tz),
            "end_time": format_datetime(alternative.end, tz),
        },
    }


def _refuse_draft(session: Session, request: BookingRequest, body: SeriesBody, raw: Any) -> None:
    rejection = pipeline.object_checks(session, body.draft, request.principal, request.tz)
    if rejection is not None:
        session.rollback()
        reject(rejection, request.factory, request.principal, raw, conflict_action=None)


# --- preview ----------------------------------------------------------------------------


def preview(request: BookingRequest, *, raw: Any) -> tuple[dict[str, Any], int]:
    """The preview body and the patient id (for the read audit). Writes nothing."""
    with request.factory() as session:
        body = parse_series(session, raw, request.tz, booking=False)
        _refuse_draft(session, request, body, raw)
        occurrences = occurrences_of(body, request.tz)
        verdicts = verdicts_of(session, request, body.draft, occurrences)
        session.rollback()
    items = [
        occurrence_json(item, verdict, occurrences, request.tz)
        for item, verdict in zip(occurrences, verdicts, strict=True)
    ]
    first_day = local_date(body.draft.values["start_time"], request.tz)
    result = {
        "rule": body.recurrence.rule_text(first_day),
        "count": len(items),
        "free_count": sum(1 for item in items if item["free"]),
        "occurrences": items,
    }
    return result, body.draft.values["patient_id"]


# --- booking ----------------------------------------------------------------------------


def _refuse_blocked(
    session: Session, request: BookingRequest, raw: Any, detail: str, blocked: list[dict[str, Any]]
) -> NoReturn:
    """409 listing the blocked occurrences; the refusal is audited in its own transaction."""
    session.rollback()
    with request.factory() as audit_session, audit_session.begin():
        record(
            audit_session, request.principal, CONFLICT_ACTION, patient_id=request_patient_id(raw)
        )
    raise APIError(409, {"detail": detail, "blocked": blocked})


def _occurrence_draft(draft: pipeline.Draft, interval: Interval) -> pipeline.Draft:
    values = {**draft.values, "start_time": interval.start, "end_time": interval.end}
    return pipeline.Draft(values=values, sent=values, resource_ids=list(draft.resource_ids))


def book(request: BookingRequest, *, raw: Any) -> str:
    principal, tz = request.principal, request.tz

    def work(session: Session) -> str:
        body = parse_series(session, raw, tz, booking=True)
        _refuse_draft(session, request, body, raw)
        occurrences = occurrences_of(body, tz)
        appointments.lock_drafts(session, [body.draft])
        verdicts = verdicts_of(session, request, body.draft, occurrences)
        blocked = [
            occurrence_json(item, verdict, occurrences, tz)
            for item, verdict in zip(occurrences, verdicts, strict=True)
            if not verdict.free
        ]
        if blocked and (
            body.mode == "all"
            or any(item["replaced"] for item in blocked)
            or len(blocked) == len(occurrences)
        ):
            detail = (
                NONE_FREE
                if len(blocked) == len(occurrences)
                else NOT_ALL_FREE.format(blocked=len(blocked), count=len(occurrences))
            )
            _refuse_blocked(session, request, raw, detail, blocked)
        values = body.draft.values
        first_day = local_date(values["start_time"], tz)
        series = AppointmentSeries(
            patient_id=values["patient_id"],
            doctor_id=values["doctor"],
            type_id=values.get("type"),
            rule=body.recurrence.rule_text(first_day),
            start_time=values["start_time"],
            duration_minutes=max(1, int(body.duration.total_seconds() // 60)),
            occurrence_count=len(occurrences),
            skipped=[item["index"] for item in blocked],
            notes=values.get("notes") or "",
            created_by=principal.id,
            created_at=request.now,
            updated_at=request.now,
        )
        session.add(series)
        session.flush()
        booked = []
        for item, verdict in zip(occurrences, verdicts, strict=True):
            if not verdict.free:
                continue
            row = appointments.insert_appointment(
                session, principal, _occurrence_draft(body.draft, item.interval)
            )
            session.add(
                AppointmentSeriesMember(
                    appointment_id=row.id, series_id=series.id, position=item.index
                )
            )
            booked.append(row.id)
        record(
            session,
            principal,
            "appointment_series_create",
            patient_id=series.patient_id,
            meta={"series_id": series.id, "count": len(occurrences), "booked": len(booked)},
        )
        publish(session, ENTITY, series.id, "created")
        return series_json(session, series, tz)

    return with_booking_retry(request.factory, work)


# --- detail, scoped edit and cancel -------------------------------------------------------


def load_series(session: Session, series_id: int, *, lock: bool) -> AppointmentSeries:
    series = session.get(AppointmentSeries, series_id, with_for_update=lock or None)
    if series is None:
        raise not_found()
    return series


def detail(request: BookingRequest, *, series_id: int) -> tuple[str, int]:
    with request.factory() as session:
        series = load_series(session, series_id, lock=False)
        scoping.ensure_readable(request.principal, series)
        return series_json(session, series, request.tz), series.patient_id


def members_in_scope(
    session: Session, series: AppointmentSeries, scope: Scope
) -> list[tuple[Appointment, int]]:
    """The series' appointments in ``scope`` with their places, locked, by place."""
    rows: list[tuple[Appointment, int]] = [
        (row, position)
        for row, position in session.execute(
            select(Appointment, AppointmentSeriesMember.position)
            .join(AppointmentSeriesMember, AppointmentSeriesMember.appointment_id == Appointment.id)
            .where(AppointmentSeriesMember.series_id == series.id)
            .order_by(AppointmentSeriesMember.position)
            .with_for_update(of=Appointment)
        )
    ]
    if scope.scope == "all":
        return rows
    anchor = next((position for row, position in rows if row.id == scope.anchor_id), None)
    if anchor is None:
        raise ValidationFailed({"appointment": [NOT_A_MEMBER]})
    if scope.scope == "this":
        return [(row, position) for row, position in rows if position == anchor]
    return [(row, position) for row, position in rows if position >= anchor]


def _announce_series(
    session: Session,
    request: BookingRequest,
    series: AppointmentSeries,
    action: str,
    scope: Scope,
    ids: list[int],
) -> None:
    record(
        session,
        request.principal,
        action,
        patient_id=series.patient_id,
        meta={"series_id": series.id, "scope": scope.scope, "appointment_ids": ids},
    )
    publish(session, ENTITY, series.id, "updated")


def edit(request: BookingRequest, *, series_id: int, body: RawBody) -> str:
    principal, tz = request.principal, request.tz

    def work(session: Session) -> str:
        series = load_series(session, series_id, lock=True)
        scoping.ensure_writable(principal, series)
        raw = body.json()  # parsed after the lookup: 404/403 come before 400 (00 §3)
        change = parse_edit(raw)
        members = [
            (row, position)
            for row, position in members_in_scope(session, series, change.scope)
            if row.status in CHANGEABLE
        ]
        for row, _ in members:
            appointment_scoping.ensure_writable(principal, row)
        drafts: list[tuple[pipeline.Draft, int]] = []
        for row, position in members:
            patch = dict(change.changes)
            if change.shift:
                patch["start_time"] = format_datetime(row.start_time + change.shift, tz)
                patch["end_time"] = format_datetime(row.end_time + change.shift, tz)
            drafts.append(
                (pipeline.stage_one(session, patch, tz, current=row, partial=True), position)
            )
        appointments.lock_drafts(session, [d for d, _ in drafts], rows=[row for row, _ in members])
        for draft, _ in drafts:
            rejection = pipeline.object_checks(session, draft, principal, tz)
            if rejection is not None:
                session.rollback()
                reject(rejection, request.factory, principal, raw, conflict_action=None)
        blocked = _blocked_moves(session, request, drafts, [row.id for row, _ in members])
        if blocked:
            session.rollback()
            raise APIError(
                409, {"detail": EDIT_BLOCKED.format(blocked=len(blocked)), "blocked": blocked}
            )
        for (row, _), (draft, _) in zip(members, drafts, strict=True):
            appointments.apply_update(session, principal, row, draft)
        if change.scope.scope == "all":
            if "doctor" in change.changes and drafts:
                series.doctor_id = drafts[0][0].values["doctor"]
            if "type" in change.changes and drafts:
                series.type_id = drafts[0][0].values.get("type")
        series.updated_at = request.now
        ids = [row.id for row, _ in members]
        _announce_series(session, request, series, "appointment_series_update", change.scope, ids)
        return series_json(session, series, tz)

    return with_booking_retry(request.factory, work)


def _blocked_moves(
    session: Session,
    request: BookingRequest,
    drafts: list[tuple[pipeline.Draft, int]],
    moved_ids: list[int],
) -> list[dict[str, Any]]:
    """The moved appointments that their new values would not let be booked."""
    groups: defaultdict[tuple[int, int, tuple[int, ...]], list[tuple[pipeline.Draft, int]]] = (
        defaultdict(list)
    )
    for draft, position in drafts:
        if pipeline.scheduling_checks_apply(draft):
            values = draft.values
            key = (values["doctor"], values["patient_id"], tuple(draft.resource_ids))
            groups[key].append((draft, position))
    blocked: list[dict[str, Any]] = []
    for group in groups.values():
        occurrences = [
            Occurrence(position, Interval(d.values["start_time"], d.values["end_time"]))
            for d, position in group
        ]
        verdicts = verdicts_of(
            session, request, group[0][0], occurrences, exclude_appointment_ids=tuple(moved_ids)
        )
        for (draft, _), item, verdict in zip(group, occurrences, verdicts, strict=True):
            if not verdict.free:
                entry = occurrence_json(item, verdict, occurrences, request.tz)
                assert draft.current is not None
                entry["appointment"] = draft.current.id
                blocked.append(entry)
    return sorted(blocked, key=lambda entry: entry["index"])


def cancel(request: BookingRequest, *, series_id: int, body: RawBody) -> str:
    principal = request.principal
    with request.factory() as session, session.begin():
        series = load_series(session, series_id, lock=True)
        scoping.ensure_writable(principal, series)
        scope = parse_scope(body.json())
        ids = []
        for row, _ in members_in_scope(session, series, scope):
            if row.status in CHANGEABLE:
                appointments.cancel_appointment(session, principal, row)
                ids.append(row.id)
        series.updated_at = request.now
        _announce_series(session, request, series, "appointment_series_cancel", scope, ids)
        return series_json(session, series, request.tz)


__all__ = ["book", "cancel", "detail", "edit", "preview"]
