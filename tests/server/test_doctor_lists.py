"""The doctor picker — ``GET /api/appointments/doctors/`` and ``GET /api/doctors/`` (03 §7).

Identical endpoints for every role: active doctors ordered by last name, first name, id,
filtered by ``q``; not paginated, not audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from server.users.models import User
from tests.server.conftest import Users
from tests.server.planning_helpers import DENIED, OTHER_ROLES, Headers, api_at, audit_actions

PATHS = ["/api/appointments/doctors/", "/api/doctors/"]


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with api_at(database_url, tmp_path) as client:
        yield client


@pytest.fixture
def staff(users: Users) -> dict[str, User]:
    """Four doctors (one inactive) and an assistant, created out of name order."""

    def doctor(username: str, first: str, last: str, **fields: Any) -> User:
        return users.create("doctor", username, first_name=first, last_name=last, **fields)

    return {
        "weber": doctor(
            "dr.weber", "Jonas", "Weber", email="weber@praxis.example", calendar_color="#ABCDEF"
        ),
        "mueller_anna": doctor("dr.anna", "Anna", "Müller", email="anna@praxis.example"),
        "mueller_ben": doctor("dr.ben", "Ben", "Müller"),
        "second_anna": doctor("dr.anna2", "Anna", "Müller"),
        "nameless": doctor("dr.nameless", "", ""),
        "retired": doctor("dr.retired", "Otto", "Alt", is_active=False),
        "assistant": users.create("assistant", "mfa", first_name="Anna", last_name="Assistenz"),
    }


def names(api: TestClient, headers: Headers, path: str = PATHS[1], **params: str) -> list[str]:
    response = api.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()]


@pytest.fixture
def admin(users: Users) -> Headers:
    return users.headers(users.create("admin", "chef"))


@pytest.mark.parametrize("path", PATHS)
def test_active_doctors_by_last_name_first_name_id(
    api: TestClient, admin: Headers, staff: dict[str, User], path: str
) -> None:
    response = api.get(path, headers=admin)
    assert response.status_code == 200
    assert response.json() == [
        {"id": staff["nameless"].id, "name": "dr.nameless", "calendar_color": "#1E90FF"},
        {"id": staff["mueller_anna"].id, "name": "Anna Müller", "calendar_color": "#1E90FF"},
        {"id": staff["second_anna"].id, "name": "Anna Müller", "calendar_color": "#1E90FF"},
        {"id": staff["mueller_ben"].id, "name": "Ben Müller", "calendar_color": "#1E90FF"},
        {"id": staff["weber"].id, "name": "Jonas Weber", "calendar_color": "#ABCDEF"},
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("müller", ["Anna Müller", "Anna Müller", "Ben Müller"]),
        ("MÜLLER", ["Anna Müller", "Anna Müller", "Ben Müller"]),
        ("  anna ", ["Anna Müller", "Anna Müller"]),  # trimmed; the assistant is no doctor
        ("DR.BEN", ["Ben Müller"]),  # username
        ("praxis.example", ["Anna Müller", "Jonas Weber"]),  # email
        ("eb", ["Jonas Weber"]),
        ("alt", []),  # inactive doctor
        ("%", []),  # wildcards are literal
        ("_", []),
        ("", ["dr.nameless", "Anna Müller", "Anna Müller", "Ben Müller", "Jonas Weber"]),
        ("   ", ["dr.nameless", "Anna Müller", "Anna Müller", "Ben Müller", "Jonas Weber"]),
        ("a\x00b", []),
    ],
)
def test_q_filters_case_insensitively(
    api: TestClient, admin: Headers, staff: dict[str, User], q: str, expected: list[str]
) -> None:
    for path in PATHS:
        assert names(api, admin, path, q=q) == expected


@pytest.mark.parametrize("role", ["admin", "assistant", "doctor", "billing", *OTHER_ROLES])
def test_every_role_may_read_both_lists(
    api: TestClient, users: Users, staff: dict[str, User], role: str
) -> None:
    caller = users.create(role, first_name="Zoe", last_name="Zander")
    expected = ["dr.nameless", "Anna Müller", "Anna Müller", "Ben Müller", "Jonas Weber"]
    if role == "doctor":
        expected.append("Zoe Zander")  # a doctor sees themself like any other doctor
    for path in PATHS:
        assert names(api, users.headers(caller), path) == expected


def test_a_user_without_role_is_refused_and_anonymous_is_401(api: TestClient, users: Users) -> None:
    for path in PATHS:
        response = api.get(path, headers=users.headers(users.create(None)))
        assert (response.status_code, response.json()) == (403, DENIED)
        assert api.get(path).status_code == 401


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", PATHS)
def test_unsupported_methods_are_405_for_every_role(
    api: TestClient, users: Users, method: str, path: str
) -> None:
    for role in ("admin", "doctor", "billing", "nurse"):
        response = api.request(method, path, headers=users.headers(users.create(role)))
        assert (response.status_code, response.json()) == (
            405,
            {"detail": f'Method "{method}" not allowed.'},
        )
    response = api.request(method, path, headers=users.headers(users.create(None)))
    assert (response.status_code, response.json()) == (403, DENIED)


def test_not_audited(
    api: TestClient, admin: Headers, staff: dict[str, User], db: sessionmaker[Session]
) -> None:
    for path in PATHS:
        names(api, admin, path, q="anna")
    assert audit_actions(db) == []
