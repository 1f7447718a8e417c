"""JSON of entries, freed slots and candidates (docs/waiting-list.md §2–§3).

Rendering batches its look-ups (patients, types, users) per call, so a page of 50 entries
costs three queries, not 150.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.timefmt import format_date, format_datetime
from server.master_data.models import AppointmentType
from server.patients.models import Patient
from server.users.models import User
from server.waiting_list.models import FreedSlot, WaitingListEntry
from shared.domain.waiting_list import EntryStatus, FreedReason, FreedSource


def windows_json(raw: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"weekday": w["weekday"], "from": w["from"], "to": w["to"]} for w in raw]


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.scalars(select(User).where(User.id.in_(wanted)))
    return {user.id: user.display_name for user in rows}


def entries_json(
    session: Session, entries: Sequence[WaitingListEntry], tz: tzinfo
) -> list[dict[str, Any]]:
    if not entries:
        return []
    patient_ids = {e.patient_id for e in entries}
    patients = {
        p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(patient_ids)))
    }
    types = {
        t.id: t
        for t in session.scalars(
            select(AppointmentType).where(AppointmentType.id.in_({e.type_id for e in entries}))
        )
    }
    names = user_names(session, (e.created_by_id for e in entries))
    return [_entry(e, patients.get(e.patient_id), types[e.type_id], names, tz) for e in entries]


def entry_json(session: Session, entry: WaitingListEntry, tz: tzinfo) -> dict[str, Any]:
    return entries_json(session, [entry], tz)[0]


def _entry(
    entry: WaitingListEntry,
    patient: Patient | None,
    appointment_type: AppointmentType,
    names: dict[int, str],
    tz: tzinfo,
) -> dict[str, Any]:
    status = EntryStatus(entry.status)
    creator = entry.created_by_id
    return {
        "id": entry.id,
        "patient_id": entry.patient_id,
        "patient": None
        if patient is None
        else {
            "id": patient.id,
            "first_name": patient.first_name,
            "last_name": patient.last_name,
            "phone": patient.phone or "",
            "birth_date": format_date(patient.birth_date) if patient.birth_date else None,
        },
        "type": entry.type_id,
        "type_name": appointment_type.name,
        "duration_minutes": appointment_type.duration_minutes,
        "doctor_ids": sorted(entry.doctor_ids),
        "earliest_date": format_date(entry.earliest_date) if entry.earliest_date else None,
        "latest_date": format_date(entry.latest_date) if entry.latest_date else None,
        "windows": windows_json(entry.windows),
        "priority": entry.priority,
        "note": entry.note,
        "status": status.value,
        "status_label": status.label,
        "removal_reason": entry.removal_reason,
        "removal_note": entry.removal_note,
        "booked_appointment_id": entry.booked_appointment_id,
        "created_by": None if creator is None else {"id": creator, "name": names.get(creator, "")},
        "created_at": format_datetime(entry.created_at, tz),
        "updated_at": format_datetime(entry.updated_at, tz),
        "waiting_since": format_datetime(entry.created_at, tz),
    }


def slot_json(
    slot: FreedSlot,
    names: dict[int, str],
    tz: tzinfo,
    candidates: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """A freed slot; ``candidates`` None leaves the key out."""
    source, reason = FreedSource(slot.source), FreedReason(slot.reason)
    body: dict[str, Any] = {
        "id": slot.id,
        "source": source.value,
        "reason": reason.value,
        "source_label": source.label,
        "reason_label": reason.label,
        "doctor": None
        if slot.doctor_id is None
        else {"id": slot.doctor_id, "name": names.get(slot.doctor_id, "")},
        "start_time": format_datetime(slot.period_start, tz) if slot.period_start else None,
        "end_time": format_datetime(slot.period_end, tz) if slot.period_end else None,
        "freed_minutes": slot.freed_minutes,
        "detected_at": format_datetime(slot.detected_at, tz),
        "matched_at": format_datetime(slot.matched_at, tz) if slot.matched_at else None,
        "candidate_count": slot.candidate_count or 0,
    }
    if candidates is not None:
        body["candidate_count"] = len(candidates)
        body["candidates"] = candidates
    return body
