from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from server.app import create_app
from tests.server.conftest import make_settings


def test_health_reports_ok_when_the_database_answers(client: TestClient) -> None:
    for path in ("/api/health/", "/health/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


def test_health_is_503_without_leaking_the_database_error(tmp_path: Path) -> None:
    settings = make_settings(
        "postgresql+psycopg://praxi:wrong@127.0.0.1:1/praxi", tmp_path / "data"
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "detail": "database unavailable"}


def test_root_says_the_backend_is_running(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "PraxiApp backend is running."


def test_unsafe_methods_on_health_are_405(client: TestClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = client.request(method, "/api/health/")
        assert response.status_code == 405
        assert response.json() == {"detail": f'Method "{method}" not allowed.'}
