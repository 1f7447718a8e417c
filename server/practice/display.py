"""Call-up displays: their credential and what they may read (docs/call-up-display.md).

A display signs in with a *display token*, not a user account: ``pxd_<id>_<secret>``, created
by an admin and shown once. Only its SHA-256 digest is stored; a presented token is looked up
by its id and its digest compared with ``hmac.compare_digest``. The token is no JWT, so every
endpoint but the calls endpoints answers it 401 (the principal loader refuses it); the calls
endpoints accept nothing else of it than reading the calls.

What a display reads is deliberately small: number, room and time of the last calls of the
practice-local day, and the display options. Never a name, never an id of a patient, flow,
appointment or user.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.core import timefmt
from server.core.access import Principal
from server.core.errors import WWW_AUTHENTICATE, APIError, not_found
from server.core.fields import CharField, Serializer
from server.practice import service
from server.practice.models import DisplayToken

PREFIX = "pxd_"
INVALID_TOKEN = "Invalid display token."  # noqa: S105 - an error text
CREATE_SERIALIZER = Serializer("DisplayTokenCreate", {"name": CharField(max_length=100)})


@dataclass(frozen=True)
class DisplayCaller:
    token_id: int


def is_display_token(token: str) -> bool:
    return token.startswith(PREFIX)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invalid_token() -> APIError:
    return APIError(401, {"detail": INVALID_TOKEN, "code": "token_not_valid"}, WWW_AUTHENTICATE)


def verify(session: Session, token: str) -> DisplayCaller:
    """The display behind ``token``; 401 for a malformed, unknown or revoked one."""
    _, _, rest = token.partition(PREFIX)
    token_id_text, _, secret = rest.partition("_")
    if not (token_id_text.isascii() and token_id_text.isdigit()) or not secret:
        raise invalid_token()
    if len(token_id_text) > 18:
        raise invalid_token()
    row = session.get(DisplayToken, int(token_id_text))
    # Compare even when the row is missing, so timing tells nothing about which ids exist.
    stored = row.token_hash if row is not None else "0" * 64
    matches = hmac.compare_digest(stored, _digest(token))
    if row is None or not matches or row.revoked_at is not None:
        raise invalid_token()
    return DisplayCaller(row.id)


def still_valid(factory: sessionmaker[Session], token_id: int) -> bool:
    with factory() as session:
        row = session.get(DisplayToken, token_id)
        return row is not None and row.revoked_at is None


def _render_token(row: DisplayToken, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "created_at": timefmt.format_datetime(row.created_at, tz),
        "revoked_at": timefmt.format_datetime(row.revoked_at, tz) if row.revoked_at else None,
    }


def list_tokens(session: Session, tz: ZoneInfo) -> list[dict[str, Any]]:
    rows = session.scalars(select(DisplayToken).order_by(DisplayToken.id)).all()
    return [_render_token(row, tz) for row in rows]


def create_token(
    factory: sessionmaker[Session], principal: Principal, raw: Any, now: datetime, tz: ZoneInfo
) -> dict[str, Any]:
    name = CREATE_SERIALIZER.validate(raw)["name"]
    with factory() as session, session.begin():
        row = DisplayToken(name=name, token_hash="", created_at=now, created_by=principal.id)
        session.add(row)
        session.flush()
        token = f"{PREFIX}{row.id}_{secrets.token_urlsafe(32)}"
        row.token_hash = _digest(token)
        record(session, principal, "display_token_create", meta={"token_id": row.id, "name": name})
        session.flush()
        return {**_render_token(row, tz), "token": token}


def revoke_token(
    factory: sessionmaker[Session], principal: Principal, token_id: int, now: datetime
) -> None:
    with factory() as session, session.begin():
        row = session.get(DisplayToken, token_id, with_for_update=True)
        if row is None:
            raise not_found()
        if row.revoked_at is None:
            row.revoked_at = now
        record(session, principal, "display_token_revoke", meta={"token_id": token_id})


_CALLS_SQL = text(
    "SELECT c.id, c.call_number, c.room, c.called_at FROM flow_calls c "
    "WHERE c.called_at >= :day_start AND c.called_at < :day_end "
    "ORDER BY c.called_at DESC, c.id DESC LIMIT :limit"
)


def calls_payload(session: Session, now: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """What a display shows: its options and the last calls of today (newest first)."""
    options = service.read_settings(session)["display"]
    day_start, day_end = timefmt.local_day_bounds(now.astimezone(tz).date(), tz)
    rows = session.execute(
        _CALLS_SQL, {"day_start": day_start, "day_end": day_end, "limit": options["history"]}
    ).all()
    return {
        "title": options["title"],
        "chime": options["chime"],
        "history": options["history"],
        "calls": [
            {
                "id": row.id,
                "number": row.call_number,
                "room": row.room,
                "called_at": timefmt.format_datetime(row.called_at, tz),
            }
            for row in rows
        ],
    }
