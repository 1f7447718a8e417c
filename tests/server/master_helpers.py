"""Shared helpers for the patient and master-data tests: audit rows, live events, roles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog

Headers = dict[str, str]
DENIED = {"detail": "You do not have permission to perform this action."}
OTHER_ROLES = ["nurse", "reception", "lab", "management"]
# Every kind of caller of the rbac matrices: the four core roles, the other roles, a user
# without a role ("none") and no token at all ("anon").
CALLERS = ["admin", "assistant", "doctor", "billing", *OTHER_ROLES, "none", "anon"]


def audit_rows(db: sessionmaker[Session], action: str | None = None) -> list[AuditLog]:
    with db() as session:
        statement = select(AuditLog).order_by(AuditLog.id)
        if action is not None:
            statement = statement.where(AuditLog.action == action)
        return list(session.scalars(statement))


def audit_actions(db: sessionmaker[Session]) -> list[str]:
    return [row.action for row in audit_rows(db)]


@dataclass
class EventLog:
    connection: psycopg.Connection[Any]
    events: list[dict[str, Any]] = field(default_factory=list)

    def collect(self, count: int, timeout: float = 2.0) -> list[tuple[str, int, str]]:
        for notice in self.connection.notifies(timeout=timeout, stop_after=count):
            self.events.append(json.loads(notice.payload))
        return [(e["entity"], e["id"], e["action"]) for e in self.events]


@contextmanager
def listen_events(database_url: str) -> Iterator[EventLog]:
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("LISTEN praxi_events")
        yield EventLog(connection)


# --- rbac matrices ------------------------------------------------------------------------------

# One row of a matrix: method, path ("{id}" = an existing row), the callers that pass the role
# check, the status those callers get, and the JSON body to send.
MatrixRow = tuple[str, str, set[str], int, dict[str, Any] | None]


def caller_headers(users: Any, caller: str) -> Headers:
    if caller == "anon":
        return {}
    headers: Headers = users.headers(users.create(None if caller == "none" else caller))
    return headers


def check_matrix(
    client: Any, headers: Headers, caller: str, row_id: int, matrix: list[MatrixRow]
) -> None:
    """Every call answers as the rbac page says: 401 anon, 403 denied, else the given status."""
    for method, path, allowed, status, body in matrix:
        response = client.request(method, path.format(id=row_id), json=body, headers=headers)
        if caller == "anon":
            expected = 401
        elif caller in allowed:
            expected = status
        else:
            expected = 403
        assert response.status_code == expected, (method, path, response.text)
        if expected == 403:
            assert response.json() == DENIED
        elif expected == 405:
            assert response.json() == {"detail": f'Method "{method}" not allowed.'}


def crud_matrix(
    url: str, *, list_read: set[str], detail_read: set[str], write: set[str], body: dict[str, Any]
) -> list[MatrixRow]:
    """The rows of a list/detail resource: list and detail reads, the writes of each path,
    and 405 for the methods the other path owns."""
    detail = url + "{id}/"
    return [
        ("GET", url, list_read, 200, None),
        ("POST", url, write, 201, body),
        ("GET", detail, detail_read, 200, None),
        ("PUT", detail, write, 200, body),
        ("PATCH", detail, write, 200, body),
        ("PUT", url, write, 405, body),
        ("PATCH", url, write, 405, body),
        ("DELETE", url, write, 405, None),
        ("POST", detail, write, 405, body),
        ("DELETE", detail, write, 204, None),
    ]


# --- requests -----------------------------------------------------------------------------------


def created(client: Any, url: str, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    """POSTs ``body`` and returns the new row; anything but 201 fails the test."""
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def assert_invalid(response: Any, errors: dict[str, Any]) -> None:
    """400 with exactly the field errors ``errors``."""
    assert response.status_code == 400
    assert response.json() == errors


def round_trip(
    client: Any,
    url: str,
    headers: Headers,
    body: dict[str, Any],
    change: tuple[str, dict[str, Any]],
) -> dict[str, Any]:
    """Creates a row from ``body``, lists, reads it, changes it (``change`` = method and body)
    and deletes it (204); returns the row as created."""
    row = created(client, url, headers, body)
    detail = f"{url}{row['id']}/"
    client.get(url, headers=headers)
    client.get(detail, headers=headers)
    client.request(change[0], detail, json=change[1], headers=headers)
    assert client.delete(detail, headers=headers).status_code == 204
    return row
