"""Host header check against DNS rebinding (PRAXI_ALLOWED_HOSTS, issue 22)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from server.app import create_app
from server.cli import main
from server.settings import Settings
from tests.server.conftest import make_settings
from tests.server.live_server import live_server

INVALID = {"detail": "Invalid host header."}
CREDENTIALS = {"username": "niemand", "password": "falsch-falsch-1"}


def loopback_settings(database_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    """Embedded-mode defaults: listening on 127.0.0.1, PRAXI_ALLOWED_HOSTS unset."""
    return make_settings(database_url, tmp_path, allowed_hosts=None, **overrides)


def status(client: TestClient, host: str) -> int:
    return int(client.get("/api/setup/status/", headers={"host": host}).status_code)


def login_refused(client: TestClient, host: str) -> bool:
    """Whether a login attempt was stopped by the host check (wrong credentials are 400 too)."""
    response = client.post("/api/auth/login/", json=CREDENTIALS, headers={"host": host})
    if response.json() == INVALID:
        assert response.status_code == 400
        return True
    assert response.status_code == 400  # reached the login: "Unable to log in …"
    return False


def test_forged_host_is_400_with_json_body_and_security_headers(
    database_url: str, tmp_path: Path
) -> None:
    with TestClient(create_app(loopback_settings(database_url, tmp_path))) as client:
        for path in ("/api/setup/status/", "/api/auth/login/"):
            if path == "/api/auth/login/":
                response = client.post(path, json=CREDENTIALS, headers={"host": "evil.example"})
            else:
                response = client.get(path, headers={"host": "evil.example"})
            assert response.status_code == 400
            assert response.json() == INVALID
            assert response.headers["content-type"] == "application/json"
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["x-frame-options"] == "DENY"
            assert "content-security-policy" in response.headers
        for host in ("evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example", ""):
            assert status(client, host) == 400, host
            assert login_refused(client, host), host
        # The first-run setup cannot be reached through a rebound name either.
        forged = client.post(
            "/api/setup/admin/",
            json={"username": "boese", "password": "sehr-geheim-1"},
            headers={"host": "evil.example"},
        )
        assert forged.status_code == 400
        assert client.get("/api/setup/status/", headers={"host": "127.0.0.1"}).json() == {
            "needs_setup": True
        }


def test_loopback_names_with_and_without_ports_are_allowed(
    database_url: str, tmp_path: Path
) -> None:
    hosts = ("127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:61234", "[::1]", "[::1]:8000")
    with TestClient(create_app(loopback_settings(database_url, tmp_path))) as client:
        for host in hosts:
            assert status(client, host) == 200, host
            assert not login_refused(client, host), host
        assert status(client, "testserver") == 400  # not a loopback name


def test_central_mode_default_allows_any_host(database_url: str, tmp_path: Path) -> None:
    settings = loopback_settings(database_url, tmp_path, host="0.0.0.0")  # noqa: S104
    assert settings.effective_allowed_hosts is None
    with TestClient(create_app(settings)) as client:
        for host in ("evil.example", "praxis-server:8000", "192.168.1.10", "testserver"):
            assert status(client, host) == 200, host


def test_configured_list_and_subdomain_pattern(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(
        database_url,
        tmp_path,
        host="0.0.0.0",  # noqa: S104
        allowed_hosts="praxis.example.org, 192.168.1.10,*.praxis.local",
    )
    assert settings.allowed_hosts == ("praxis.example.org", "192.168.1.10", "*.praxis.local")
    with TestClient(create_app(settings)) as client:
        allowed = (
            "praxis.example.org",
            "Praxis.Example.Org:443",
            "192.168.1.10:8000",
            "server.praxis.local",
            "a.b.praxis.local:8000",
        )
        for host in allowed:
            assert status(client, host) == 200, host
        refused = (
            "evil.example",
            "praxis.local",  # the pattern admits subdomains only (Starlette's semantics)
            "evilpraxis.local",
            "praxis.example.org.evil.example",
            "127.0.0.1",  # a configured list replaces the loopback default
            "testserver",
        )
        for host in refused:
            assert status(client, host) == 400, host
            assert login_refused(client, host), host


def test_star_allows_any_host(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path, allowed_hosts="*")
    assert settings.effective_allowed_hosts is None
    with TestClient(create_app(settings)) as client:
        assert status(client, "evil.example") == 200


def test_environment_variable_is_comma_separated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRAXI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PRAXI_ALLOWED_HOSTS", "praxis.local,[::1], 10.0.0.5 ")
    assert Settings().allowed_hosts == ("praxis.local", "::1", "10.0.0.5")
    monkeypatch.setenv("PRAXI_ALLOWED_HOSTS", "")  # empty = unset
    assert Settings().allowed_hosts is None
    assert Settings().effective_allowed_hosts == ("127.0.0.1", "localhost", "::1")


@pytest.mark.parametrize(
    "value", ["praxis.local:8000", "https://praxis.local", "evil*.example", "*.", "a b", ","]
)
def test_unparsable_setting_is_a_clear_error(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRAXI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PRAXI_ALLOWED_HOSTS", value)
    with pytest.raises(ValidationError, match="PRAXI_ALLOWED_HOSTS"):
        Settings()
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "invalid configuration" in err
    assert "PRAXI_ALLOWED_HOSTS" in err


def test_serve_warns_in_central_mode_without_the_setting(
    captured_uvicorn: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="praxi.server")
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 0  # noqa: S104
    assert len(captured_uvicorn) == 1
    assert any("PRAXI_ALLOWED_HOSTS" in record.getMessage() for record in caplog.records)
    caplog.clear()
    monkeypatch.setenv("PRAXI_ALLOWED_HOSTS", "praxis.local")
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 0  # noqa: S104
    assert main(["serve", "--port", "0"]) == 0  # loopback: restricted by default, no warning
    assert not any("PRAXI_ALLOWED_HOSTS" in record.getMessage() for record in caplog.records)


def test_live_server_refuses_a_forged_host_header(database_url: str, tmp_path: Path) -> None:
    settings = loopback_settings(database_url, tmp_path)
    with live_server(settings) as base, httpx.Client(base_url=base, timeout=10) as client:
        forged = client.get("/api/setup/status/", headers={"Host": "evil.example"})
        assert forged.status_code == 400
        assert forged.json() == INVALID
        assert forged.headers["x-frame-options"] == "DENY"
        login = client.post(
            "/api/auth/login/", json=CREDENTIALS, headers={"Host": "evil.example:80"}
        )
        assert (login.status_code, login.json()) == (400, INVALID)
        assert client.get("/api/setup/status/").status_code == 200  # Host: 127.0.0.1:<port>
        port = base.rsplit(":", 1)[1]
        local = client.get("/api/setup/status/", headers={"Host": f"localhost:{port}"})
        assert local.status_code == 200
