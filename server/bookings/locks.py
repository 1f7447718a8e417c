"""Advisory locks that serialise bookings touching the same doctor, patient or resource.

Transaction-level locks, taken in one global order (so two bookings never deadlock),
before the checks run: a competing booking either committed before (the checks see it and
answer with their friendly error) or waits for this one. The exclusion constraint on the
occupancy rows stays the guarantee; the locks make its violations rare. Appointments and
operations lock the same keys, so they serialise against each other too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session


def _subject_key(kind: str, subject_id: int) -> int:
    digest = hashlib.blake2b(f"{kind}:{subject_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_subjects(
    session: Session,
    *,
    doctor_ids: Iterable[int | None] = (),
    patient_ids: Iterable[int | None] = (),
    resource_ids: Iterable[int] = (),
) -> None:
    """Lock every given subject (None entries are skipped), in ascending key order."""
    keys = {_subject_key("resource", r) for r in resource_ids}
    keys.update(_subject_key("doctor", d) for d in doctor_ids if d is not None)
    keys.update(_subject_key("patient", p) for p in patient_ids if p is not None)
    for key in sorted(keys):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
