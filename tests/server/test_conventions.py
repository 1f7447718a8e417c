"""Cross-cutting rules of spec 00: bodies, media types, limits, error order."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from tests.server.conftest import Users


def test_malformed_json_is_400_with_parse_error(client: TestClient, users: Users) -> None:
    headers = {**users.headers(users.create("admin")), "Content-Type": "application/json"}
    response = client.post("/api/users/", content=b'{"username": ', headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_authentication_comes_before_body_parsing(client: TestClient) -> None:
    response = client.post(
        "/api/users/", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


def test_non_json_media_type_is_415(client: TestClient, users: Users) -> None:
    headers = {**users.headers(users.create("admin")), "Content-Type": "text/plain"}
    response = client.post("/api/users/", content=b"username=x", headers=headers)
    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_json_with_charset_is_accepted(client: TestClient, users: Users) -> None:
    users.create("admin", "chef")
    response = client.post(
        "/api/auth/login/",
        content=b'{"username": "chef", "password": "correct-horse-42"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


def test_body_over_one_mebibyte_is_413(client: TestClient) -> None:
    big = b'{"username": "' + b"a" * (1024 * 1024) + b'"}'
    response = client.post(
        "/api/auth/login/", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large."}


def test_chunked_body_over_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"username": "'
        for _ in range(20):
            yield b"a" * 65536
        yield b'"}'

    response = client.post(
        "/api/auth/login/", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large."}


def test_body_that_is_not_an_object(client: TestClient) -> None:
    response = client.post("/api/auth/login/", json=["chef", "pw"])
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_nul_characters_and_wrong_types_are_field_errors(client: TestClient, users: Users) -> None:
    headers = users.headers(users.create("admin"))
    response = client.post(
        "/api/users/",
        json={
            "username": "a\u0000b",
            "password": "geheim-123",
            "is_active": "vielleicht",
            "vacation_days_per_year": "viele",
            "first_name": None,
        },
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": ["Null characters are not allowed."],
        "first_name": ["This field may not be null."],
        "is_active": ["Must be a valid boolean."],
        "vacation_days_per_year": ["A valid integer is required."],
    }


def test_out_of_range_integer_is_400(client: TestClient, users: Users) -> None:
    headers = users.headers(users.create("admin"))
    response = client.post(
        "/api/users/",
        json={"username": "neu", "password": "geheim-123", "vacation_days_per_year": 2**64},
        headers=headers,
    )
    assert response.status_code == 400
    assert "vacation_days_per_year" in response.json()


def test_unknown_and_read_only_fields_are_ignored(client: TestClient, users: Users) -> None:
    headers = users.headers(users.create("admin"))
    response = client.post(
        "/api/users/",
        json={
            "username": "neu",
            "password": "geheim-123",
            "id": 4242,
            "is_superuser": True,
            "date_joined": "2000-01-01T00:00:00Z",
        },
        headers=headers,
    )
    assert response.status_code == 201
    assert response.json()["id"] != 4242
    assert not response.json()["date_joined"].startswith("2000")


def test_unknown_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/does-not-exist/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_openapi_schema_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/api/schema/").json()
    assert "/api/auth/login/" in schema["paths"]
    login_body = schema["paths"]["/api/auth/login/"]["post"]["requestBody"]
    assert login_body["content"]["application/json"]["schema"]["required"] == [
        "username",
        "password",
    ]
    assert client.get("/api/docs/").status_code == 200


def test_dates_at_the_ends_of_the_calendar_are_format_errors(
    client: TestClient, users: Users
) -> None:
    headers = users.headers(users.create("admin"))
    doctor = users.create("doctor")
    for end_date in ("9999-12-31", "0001-01-01"):
        response = client.post(
            "/api/doctor-absences/",
            json={"doctor": doctor.id, "start_date": "2026-01-01", "end_date": end_date},
            headers=headers,
        )
        assert response.status_code == 400
        assert response.json() == {
            "end_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
        }
    response = client.get("/api/appointments/?date=9999-12-31", headers=headers)
    assert response.status_code == 200
