"""Patient search (02 §1.4): id lookup, multi-term substring match, birth-date terms."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, false, func, or_, select

from server.core.fields import BIGINT_MAX
from server.core.query import contains_pattern
from server.patients.models import Patient

ALL_LIMIT = 200
MATCH_LIMIT = 20

_GERMAN_DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def ordered() -> Select[Patient]:
    return select(Patient).order_by(Patient.last_name, Patient.first_name, Patient.id)


def date_term(term: str) -> date | None:
    """``DD.MM.YYYY`` or ``YYYY-MM-DD`` that names a real day, else None."""
    for pattern, fmt in ((_GERMAN_DATE, "%d.%m.%Y"), (_ISO_DATE, "%Y-%m-%d")):
        if pattern.match(term):
            try:
                return datetime.strptime(term, fmt).date()
            except ValueError:
                return None
    return None


def _term_condition(term: str) -> ColumnElement[bool]:
    # search_text holds the five text fields separated by spaces; a term never contains
    # whitespace, so "contains the term" equals "some field contains the term".
    condition: ColumnElement[bool] = Patient.search_text.like(
        func.praxi_casefold(contains_pattern(term))
    )
    day = date_term(term)
    if day is not None:
        condition = or_(condition, Patient.birth_date == day)
    return condition


def statement(q: str) -> Select[Patient]:
    """The rows ``GET /api/patients/search/?q=`` returns for the trimmed ``q``."""
    if not q:
        return ordered().limit(ALL_LIMIT)
    if q.isascii() and q.isdigit():
        number = int(q)
        if number > BIGINT_MAX:
            return ordered().where(false())  # no row can have this number
        return ordered().where(Patient.id == number)
    terms = q.split()
    return ordered().where(*[_term_condition(term) for term in terms]).limit(MATCH_LIMIT)
