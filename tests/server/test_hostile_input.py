"""No client input gives a 500 (00 §7, §12), driven by the route table so that a new endpoint is
covered without anyone remembering to add it.

Inputs that once did: thousands of nested ``[`` in a body, id strings that ``str.isdigit()``
accepts but ``int()`` does not (``"²"``, ``"--1"``, 5,000 digits), path ids longer than
Python's 4,300-digit parsing limit, and NUL characters in query filters.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from server.app import ROUTERS
from tests.server.conftest import Users

NESTED = "[" * 5000 + "]" * 5000
HUGE_DIGITS = "9" * 5000
# Body id fields that are references (PrimaryKeyField) on the write endpoints.
ID_FIELDS = {
    "/api/appointments/": ["doctor", "patient_id", "type"],
    "/api/appointments/validate/": ["doctor", "patient_id", "id"],
    "/api/doctor-hours/": ["doctor"],
    "/api/doctor-breaks/": ["doctor"],
    "/api/doctor-absences/": ["doctor"],
    "/api/operations/": ["primary_surgeon", "assistant", "anesthesist", "op_room", "op_type"],
    "/api/operations/validate/": ["primary_surgeon", "op_room", "id"],
    "/api/patient-flow/": ["patient_id", "appointment", "operation", "doctor"],
}
BAD_ID_TEXTS = ["²", "١٢", "--1", "-" + HUGE_DIGITS, HUGE_DIGITS]
QUERY_NAME = re.compile(r'(?:query_params|params|query)(?:\.get\(|\[)"([a-z_]+)"')


def _query_names_read_in(package: Path) -> set[str]:
    """The query parameter names a server package reads by hand (most are not in the schema)."""
    return {
        name
        for source in package.rglob("*.py")
        for name in QUERY_NAME.findall(source.read_text(encoding="utf-8"))
    }


def _get_routes() -> list[tuple[str, set[str]]]:
    """Each GET path of the app's routers with the query names its package and
    ``server.core`` read."""
    core = _query_names_read_in(Path(sys.modules["server.core"].__file__ or "").parent)
    routes = []
    for route in (route for router in ROUTERS for route in router.routes):
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        module = sys.modules[route.endpoint.__module__]
        package = Path(module.__file__ or "").parent
        documented = {
            str(parameter.get("name"))
            for parameter in (route.openapi_extra or {}).get("parameters", [])
        }
        routes.append((route.path_format, _query_names_read_in(package) | core | documented))
    return routes


@pytest.fixture
def admin(users: Users) -> dict[str, str]:
    return users.headers(users.create("admin", "chef"))


def _schema(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def _concrete(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def test_deeply_nested_json_is_a_parse_error_everywhere(
    client: TestClient, admin: dict[str, str]
) -> None:
    anonymous = client.post(
        "/api/auth/login/", content=NESTED, headers={"Content-Type": "application/json"}
    )
    assert anonymous.status_code == 400
    assert anonymous.json()["detail"].startswith("JSON parse error - ")
    headers = {**admin, "Content-Type": "application/json"}
    checked = 0
    for path, item in _schema(client)["paths"].items():
        for method in ("post", "put", "patch"):
            if method not in item or "{" in path:
                continue
            response = client.request(method.upper(), path, content=NESTED, headers=headers)
            assert response.status_code < 500, (method, path, response.text[:200])
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    "text", BAD_ID_TEXTS, ids=["superscript", "arabic", "dashes", "negative_huge", "huge"]
)
def test_id_strings_int_cannot_parse_are_field_errors(
    client: TestClient, admin: dict[str, str], text: str
) -> None:
    for path, fields in ID_FIELDS.items():
        for field in fields:
            response = client.post(path, json={field: text}, headers=admin)
            # The validate endpoints' "id" names the row to edit: out of range is unknown.
            allowed = {400, 404} if field == "id" else {400}
            assert response.status_code in allowed, (path, field, response.text[:300])
            body = response.json()
            if field in body:  # the field's own text, not a generic one
                assert isinstance(body[field], list)


def test_path_ids_of_thousands_of_digits_are_not_found(
    client: TestClient, admin: dict[str, str]
) -> None:
    checked = 0
    for path, item in _schema(client)["paths"].items():
        if "{" not in path or "get" not in item:
            continue
        response = client.get(_concrete(path, HUGE_DIGITS), headers=admin)
        assert response.status_code == 404, (path, response.status_code, response.text[:200])
        checked += 1
    assert checked >= 8


def test_nul_in_any_query_parameter_is_never_a_server_error(
    client: TestClient, admin: dict[str, str]
) -> None:
    checked = 0
    for path, names in _get_routes():
        if path == "/api/events/":  # a stream; its only parameter is the token header
            continue
        target = _concrete(path, "1")
        for name in sorted(names):
            response = client.get(target, params={name: "a\x00b"}, headers=admin)
            assert response.status_code < 500, (path, name, response.text[:200])
            checked += 1
    assert checked >= 200


@pytest.mark.parametrize("path", ["/api/appointments/", "/api/operations/", "/api/patient-flow/"])
def test_free_text_notes_have_a_limit(client: TestClient, admin: dict[str, str], path: str) -> None:
    too_long = client.post(path, json={"notes": "x" * 10_001}, headers=admin)
    assert too_long.status_code == 400
    assert too_long.json()["notes"] == ["Ensure this field has no more than 10000 characters."]
    at_limit = client.post(path, json={"notes": "x" * 10_000}, headers=admin)
    assert "notes" not in at_limit.json()


def test_an_unpaired_surrogate_in_a_body_is_a_parse_error(
    client: TestClient, admin: dict[str, str]
) -> None:
    # As an external client sends it: JSON's \\u escape of half a UTF-16 pair.
    headers = {**admin, "Content-Type": "application/json"}
    for path, body in [
        ("/api/patients/", rb'{"first_name": "\ud800", "last_name": "Zyx"}'),
        (
            "/api/users/",
            rb'{"username": "neu", "password": "geheim-123", "first_name": "a\udfffb"}',
        ),
        ("/api/auth/login/", rb'{"username": "\ud800", "password": "x"}'),
    ]:
        response = client.post(path, content=body, headers=headers)
        assert response.status_code == 400, (path, response.text[:200])
        assert response.json()["detail"].startswith("JSON parse error - ")
    # A proper pair (an emoji) is text like any other.
    pair = client.post(
        "/api/patients/",
        content=rb'{"first_name": "\ud83d\ude00", "last_name": "Zyx"}',
        headers=headers,
    )
    assert pair.status_code == 201, pair.text
