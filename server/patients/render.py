"""JSON shape of patients (02 §1.1) and the display name other domains show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.core.timefmt import format_date, format_datetime
from server.patients.models import Patient


def patient(row: Patient, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "birth_date": format_date(row.birth_date) if row.birth_date else None,
        "gender": row.gender,
        "phone": row.phone,
        "email": row.email,
        "insurance_number": row.insurance_number,
        "created_at": format_datetime(row.created_at, tz) if row.created_at else None,
        "updated_at": format_datetime(row.updated_at, tz) if row.updated_at else None,
    }


def display_name(row: Patient | None, patient_id: int) -> str:
    """``"Mustermann, Max (15.05.1990)"``; ``"Patient #<id>"`` without names or row."""
    if row is None:
        return f"Patient #{patient_id}"
    name = f"{row.last_name}, {row.first_name}".strip().strip(",").strip()
    if not row.last_name.strip() and not row.first_name.strip():
        return f"Patient #{patient_id}"
    if row.birth_date:
        name += f" ({row.birth_date:%d.%m.%Y})"
    return name


def display_names(session: Session, patient_ids: Iterable[int]) -> dict[int, str]:
    """Display names for many ids in one query (lists must not look patients up per row)."""
    wanted = set(patient_ids)
    rows = session.scalars(select(Patient).where(Patient.id.in_(wanted))).all() if wanted else []
    by_id = {row.id: row for row in rows}
    return {pid: display_name(by_id.get(pid), pid) for pid in wanted}
