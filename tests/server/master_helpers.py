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
