"""Patient search (02 §1.4, docs/patients-search.md).

A query is one of: empty (the first patients), digits only (the patient number), or terms.
Every term must match; a text term matches when some searchable field contains it, a date
term (``04.03.1977``, ``4.3.1977``, ``1977-03-04``) also when it is the birth date. A comma
makes the query ``Nachname, Vorname``: the part before it must begin the last name (or a
word of it), each text term after it must begin a word of the first name.

Both sides are compared after ``praxi_search_fold`` (case folded, umlauts spelt out: ü → ue,
ß → ss), so ``Krueger`` finds Krüger and ``Krüger`` finds Krueger. The matching runs in
PostgreSQL against the generated, trigram-indexed ``search_text`` column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, false, func, or_, select

from server.core.errors import ValidationFailed
from server.core.fields import BIGINT_MAX
from server.core.query import NUL, contains_pattern
from server.patients.models import Patient

ALL_LIMIT = 200
MATCH_LIMIT = 20
#: Longer than any name, birth date and insurance number typed together; a longer ``q`` is
#: not a search anybody types, and every term costs a condition in the query.
MAX_QUERY_LENGTH = 200
QUERY_TOO_LONG = f"Ensure this field has no more than {MAX_QUERY_LENGTH} characters."

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Word boundaries inside a name: "von der Heide", "Müller-Lüdenscheid".
_NAME_WORD_STARTS = ("", "% ", "%-")


def clean_query(raw: str) -> str:
    """``q`` as searched: without NUL, composed (NFC), trimmed; 400 when too long.

    PostgreSQL text cannot hold NUL characters, so they can never match and are dropped.
    """
    q = unicodedata.normalize("NFC", raw.replace(NUL, "")).strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationFailed({"q": [QUERY_TOO_LONG]})
    return q


def ordered() -> Select[Patient]:
    return select(Patient).order_by(Patient.last_name, Patient.first_name, Patient.id)


def date_term(term: str) -> date | None:
    """``D.M.YYYY`` (leading zeros optional) or ``YYYY-MM-DD`` naming a real day, else None.

    A date copied from a display name, ``(04.03.1977)``, counts too.
    """
    if term.startswith("(") and term.endswith(")"):
        term = term[1:-1]
    german = _GERMAN_DATE.match(term)
    if german:
        day, month, year = (int(part) for part in german.groups())
    else:
        iso = _ISO_DATE.match(term)
        if not iso:
            return None
        year, month, day = (int(part) for part in iso.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _contains(text: str) -> ColumnElement[bool]:
    # search_text holds the five text fields separated by spaces, so "contains the text"
    # means "some field contains it" for text without spaces; this is the indexed condition.
    return Patient.search_text.like(func.praxi_search_fold(contains_pattern(text)))


def _begins_word(column: SQLColumnExpression[str], text: str) -> ColumnElement[bool]:
    escaped = contains_pattern(text)[1:]  # "text%": the pattern's leading % dropped
    folded = func.praxi_search_fold(column)
    patterns = [func.praxi_search_fold(start + escaped) for start in _NAME_WORD_STARTS]
    return or_(*[folded.like(pattern) for pattern in patterns])


def _term(term: str) -> ColumnElement[bool]:
    condition = _contains(term)
    day = date_term(term)
    if day is not None:
        condition = or_(condition, Patient.birth_date == day)
    return condition


def _first_name_term(term: str) -> ColumnElement[bool]:
    if date_term(term) is not None:
        return _term(term)
    return and_(_contains(term), _begins_word(Patient.first_name, term))


@dataclass(frozen=True)
class _Terms:
    last_name: str | None
    first_name_terms: list[str]
    terms: list[str]


def _split(q: str) -> _Terms:
    if "," not in q:
        return _Terms(None, [], q.split())
    last, rest = q.split(",", 1)
    # Further commas only separate terms ("Maier, Michael, 04.03.1977").
    return _Terms(" ".join(last.split()) or None, rest.replace(",", " ").split(), [])


def statement(q: str) -> Select[Patient]:
    """The rows ``GET /api/patients/search/?q=`` returns for ``q`` as ``clean_query`` left it."""
    if not q:
        return ordered().limit(ALL_LIMIT)
    if q.isascii() and q.isdigit():
        number = int(q)
        if number > BIGINT_MAX:
            return ordered().where(false())  # no row can have this number
        return ordered().where(Patient.id == number)
    parts = _split(q)
    conditions = [_term(term) for term in parts.terms]
    if parts.last_name is not None:
        conditions.append(
            and_(_contains(parts.last_name), _begins_word(Patient.last_name, parts.last_name))
        )
    conditions.extend(_first_name_term(term) for term in parts.first_name_terms)
    if not conditions:  # only commas: nothing was asked for
        return ordered().where(false())
    return ordered().where(*conditions).limit(MATCH_LIMIT)
