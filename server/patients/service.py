"""Patients (02 §1): validation, id assignment, create/update with audit and live events."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.audit.service import record
from server.core.access import Principal
from server.core.errors import ValidationFailed
from server.core.events import publish
from server.core.fields import (
    BIGINT_MAX,
    CharField,
    DateField,
    Field,
    IntegerField,
    Serializer,
    Validator,
)
from server.patients.models import ID_SEQUENCE, Patient

ID_POSITIVE = "id must be a positive integer."
ID_TAKEN = "Patient with this id already exists."
ID_FIXED = "id cannot be changed."
BIRTH_DATE_FUTURE = "birth_date darf nicht in der Zukunft liegen."
INVALID_EMAIL = "Invalid email address."

NAME_FIELDS = ("first_name", "last_name")
OPTIONAL_FIELDS = ("gender", "phone", "email", "insurance_number")
WRITABLE = (*NAME_FIELDS, "birth_date", *OPTIONAL_FIELDS)


def _valid_email(value: Any) -> str | None:
    if not value:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return INVALID_EMAIL
    return None


def _positive(value: Any) -> str | None:
    return None if value > 0 else ID_POSITIVE


def _optional_text(max_length: int) -> CharField:
    return CharField(
        max_length=max_length, allow_null=True, allow_blank=True, required=False, default=None
    )


def patient_serializer(
    *, today: date | None = None, path_id: int | None = None, name: str = "Patient"
) -> Serializer:
    """The patient body; ``today`` bounds ``birth_date``, ``path_id`` pins ``id`` on updates."""
    id_validators: list[Validator] = [_positive]
    if path_id is not None:
        id_validators.append(lambda value: None if value == path_id else ID_FIXED)
    birth_validators: list[Validator] = []
    if today is not None:
        birth_validators.append(
            lambda value: BIRTH_DATE_FUTURE if value is not None and value > today else None
        )
    fields: dict[str, Field] = {
        "id": IntegerField(
            required=False,
            allow_null=True,
            min_value=None,
            max_value=BIGINT_MAX,
            validators=id_validators,
            description="legacy patient number; assigned by the server when omitted",
        ),
        "first_name": CharField(max_length=100, allow_blank=True, default=""),
        "last_name": CharField(max_length=100, allow_blank=True, default=""),
        "birth_date": DateField(
            required=False, allow_null=True, default=None, validators=birth_validators
        ),
        "gender": _optional_text(20),
        "phone": _optional_text(50),
        "email": CharField(
            max_length=255,
            allow_null=True,
            allow_blank=True,
            required=False,
            default=None,
            validators=[_valid_email],
        ),
        "insurance_number": _optional_text(50),
    }
    return Serializer(name, fields)


# Static instances document the bodies in the OpenAPI schema.
PATIENT_CREATE = patient_serializer(name="PatientCreate")
PATIENT_UPDATE = patient_serializer(name="PatientUpdate")


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """02 §1.1: strings are already trimmed; empty optional strings become null."""
    clean = {name: value for name, value in data.items() if name in WRITABLE}
    for name in OPTIONAL_FIELDS:
        if name in clean and clean[name] == "":
            clean[name] = None
    return clean


def next_free_id(session: Session) -> int:
    """Next value of the patient-number sequence, skipping numbers already in use.

    One query finds the first free number at or after the sequence value; the sequence is
    then moved past it, so a block of imported or client-chosen numbers is skipped at once.
    """
    candidate = int(session.scalar(select(func.nextval(ID_SEQUENCE))) or 1)
    free = session.scalar(
        text(
            """
            SELECT c FROM (
                SELECT CAST(:v AS bigint) AS c
                UNION ALL
                SELECT p.id + 1 FROM patients p WHERE p.id >= :v AND p.id < :max
            ) s
            WHERE NOT EXISTS (SELECT 1 FROM patients q WHERE q.id = s.c)
            ORDER BY c LIMIT 1
            """
        ),
        {"v": candidate, "max": BIGINT_MAX},
    )
    if free is None:  # every number up to the bigint limit is taken
        raise ValidationFailed({"id": ["No free patient number left."]})
    if free != candidate:
        session.execute(select(func.setval(ID_SEQUENCE, free)))
    return int(free)


def _is_pk_violation(exc: IntegrityError) -> bool:
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "constraint_name", None) == "pk_patients"


def create_patient(session: Session, data: dict[str, Any], *, actor: Principal) -> Patient:
    """Validated body → new row, ``patient_created`` audit and live event (caller commits)."""
    values = _normalise(data)
    requested = data.get("id")
    if requested is not None and session.get(Patient, requested) is not None:
        raise ValidationFailed({"id": [ID_TAKEN]})
    for _attempt in range(10):
        patient = Patient(id=requested if requested is not None else next_free_id(session))
        for name, value in values.items():
            setattr(patient, name, value)
        try:
            with session.begin_nested():
                session.add(patient)
                session.flush()
        except IntegrityError as exc:
            if not _is_pk_violation(exc):
                raise
            if requested is not None:  # a concurrent request took the number first
                raise ValidationFailed({"id": [ID_TAKEN]}) from exc
            continue  # a client took the number we drew; draw the next one
        break
    else:  # pragma: no cover - ten collisions in a row
        raise ValidationFailed({"id": [ID_TAKEN]})
    record(session, actor, "patient_created", patient_id=patient.id)
    publish(session, "patient", patient.id, "created")
    return patient


def update_patient(
    session: Session, patient: Patient, data: dict[str, Any], *, actor: Principal
) -> Patient:
    """PUT (every field, defaults for omitted ones) or PATCH (sent fields only)."""
    for name, value in _normalise(data).items():
        setattr(patient, name, value)
    patient.updated_at = func.now()
    session.flush()
    record(session, actor, "patient_updated", patient_id=patient.id)
    publish(session, "patient", patient.id, "updated")
    return patient
