"""Security hardening: headers, login throttling per address, TLS, the locked-down cluster."""

from __future__ import annotations

import ipaddress
import os
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.app import create_app
from server.auth.models import LoginFailure
from server.cli import main
from server.core.security_headers import API_CSP, DOCS_CSP
from server.embedded_db import EmbeddedPostgres, free_port
from server.settings import Settings
from tests.server.conftest import DEFAULT_PASSWORD, Users, make_settings

# --- security headers ------------------------------------------------------------------------


def assert_base_headers(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_security_headers_on_api_responses(client: TestClient, users: Users) -> None:
    for response in (
        client.get("/api/health/"),
        client.get("/api/auth/me/", headers=users.headers(users.create("admin"))),
        client.get("/api/auth/me/"),  # 401
        client.get("/api/no-such-thing/"),  # 404
        client.post(
            "/api/auth/login/",
            content=b"{" + b" " * 1_100_000 + b"}",
            headers={"Content-Type": "application/json"},
        ),  # 413 from the body-size middleware
    ):
        assert_base_headers(response)
        assert response.headers["content-security-policy"] == API_CSP.decode()
        assert response.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in response.headers


def test_docs_page_may_load_its_cdn_assets(client: TestClient) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_base_headers(response)
    csp = response.headers["content-security-policy"]
    assert csp == DOCS_CSP.decode()
    # Every external asset the page references is admitted by the policy.
    for url in ("https://cdn.jsdelivr.net/", "https://fastapi.tiangolo.com/"):
        assert url.rstrip("/") in response.text or url in response.text
        assert url.rstrip("/") in csp
    assert "cache-control" not in response.headers


def test_hsts_only_over_tls(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="https://testserver") as tls_client:
        response = tls_client.get("/api/health/")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert_base_headers(response)


# --- login throttling per client address -----------------------------------------------------


def failed_login(client: TestClient, username: str, **headers: str) -> httpx.Response:
    return client.post(
        "/api/auth/login/",
        json={"username": username, "password": "falsch-falsch"},
        headers=headers,
    )


def test_login_throttled_per_address_across_usernames(
    database_url: str, tmp_path: Path, users: Users
) -> None:
    users.create("admin", "chef")
    settings = make_settings(database_url, tmp_path, login_max_failures_per_address=5)
    with TestClient(create_app(settings)) as client:
        for i in range(5):
            assert failed_login(client, f"geraten{i}").status_code == 400
        response = client.post(
            "/api/auth/login/", json={"username": "chef", "password": DEFAULT_PASSWORD}
        )
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    assert response.json() == {
        "detail": f"Request was throttled. Expected available in {retry_after} seconds."
    }


def test_address_limit_defaults_to_fifty(database_url: str, tmp_path: Path) -> None:
    assert make_settings(database_url, tmp_path).login_max_failures_per_address == 50


def test_forwarded_address_counts_only_behind_a_trusted_proxy(
    database_url: str, tmp_path: Path, users: Users, db: sessionmaker[Session]
) -> None:
    users.create("admin", "chef")
    good = {"username": "chef", "password": DEFAULT_PASSWORD}
    trusting = make_settings(
        database_url, tmp_path, login_max_failures_per_address=2, trust_proxy_headers=True
    )
    with TestClient(create_app(trusting)) as client:
        for i in range(2):
            # The trusted proxy appends the address it saw: the last entry counts.
            failed_login(client, f"x{i}", **{"X-Forwarded-For": "10.0.0.1, 203.0.113.7"})
        blocked = client.post(
            "/api/auth/login/", json=good, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert blocked.status_code == 429
        other = client.post(
            "/api/auth/login/", json=good, headers={"X-Forwarded-For": "198.51.100.2"}
        )
        assert other.status_code == 200
    with db() as session:
        addresses = set(session.scalars(select(LoginFailure.client_address)))
    assert addresses == {"203.0.113.7"}

    # Without PRAXI_TRUST_PROXY_HEADERS the header is ignored: the socket address counts.
    direct = make_settings(database_url, tmp_path, login_max_failures_per_address=2)
    with TestClient(create_app(direct)) as client:
        assert (
            client.post(
                "/api/auth/login/", json=good, headers={"X-Forwarded-For": "203.0.113.7"}
            ).status_code
            == 200
        )
        for i in range(2):
            failed_login(client, f"y{i}", **{"X-Forwarded-For": f"192.0.2.{i}"})
        assert client.post("/api/auth/login/", json=good).status_code == 429


# --- TLS ---------------------------------------------------------------------------------------


def write_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1 signed by it."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PraxiApp Test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


@pytest.fixture
def tls_server(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """uvicorn with the certificate, in a thread (what `serve --ssl-*` configures)."""
    ca_file, cert_file, key_file = write_certificates(tmp_path)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"https://127.0.0.1:{port}", ca_file
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def test_https_with_a_certificate_from_our_own_ca(
    tls_server: tuple[str, Path], users: Users
) -> None:
    base, ca_file = tls_server
    users.create("admin", "chef")
    context = ssl.create_default_context(cafile=str(ca_file))
    with httpx.Client(base_url=base, verify=context) as client:
        health = client.get("/api/health/")
        assert health.status_code == 200
        assert health.headers["strict-transport-security"] == "max-age=31536000"
        login = client.post(
            "/api/auth/login/", json={"username": "chef", "password": DEFAULT_PASSWORD}
        )
        assert login.status_code == 200
    # Without the CA the certificate is not trusted; plain HTTP is not served.
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/api/health/", timeout=5)
    with pytest.raises(httpx.TransportError):
        httpx.get(base.replace("https://", "http://") + "/api/health/", timeout=5)


def test_serve_passes_the_certificate_to_uvicorn(
    captured_uvicorn: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, cert_file, key_file = write_certificates(tmp_path)
    args = ["serve", "--port", "0", "--ssl-certfile", str(cert_file)]
    assert main([*args, "--ssl-keyfile", str(key_file)]) == 0
    assert (captured_uvicorn[-1]["ssl_certfile"], captured_uvicorn[-1]["ssl_keyfile"]) == (
        str(cert_file),
        str(key_file),
    )
    assert main(["serve", "--port", "0"]) == 0
    assert captured_uvicorn[-1]["ssl_certfile"] is None
    monkeypatch.setenv("PRAXI_SSL_CERTFILE", str(cert_file))
    monkeypatch.setenv("PRAXI_SSL_KEYFILE", str(key_file))
    assert main(["serve", "--port", "0"]) == 0
    assert captured_uvicorn[-1]["ssl_keyfile"] == str(key_file)
    # Half a configuration, or a missing file, is refused before anything starts.
    calls = len(captured_uvicorn)
    monkeypatch.delenv("PRAXI_SSL_KEYFILE")
    assert main(["serve"]) == 2
    assert "must be set together" in capsys.readouterr().err
    monkeypatch.delenv("PRAXI_SSL_CERTFILE")
    assert main(args) == 2
    assert "must be given together" in capsys.readouterr().err
    assert main([*args, "--ssl-keyfile", str(tmp_path / "missing.key")]) == 2
    assert "not found" in capsys.readouterr().err
    assert len(captured_uvicorn) == calls


# --- the embedded cluster is locked down ------------------------------------------------------


def test_embedded_cluster_accepts_only_password_logins_over_loopback_tcp(
    pg_cluster: EmbeddedPostgres,
) -> None:
    hba = (pg_cluster.pgdata / "pg_hba.conf").read_text(encoding="utf-8")
    rules = [line.split() for line in hba.splitlines() if line.strip() and not line.startswith("#")]
    assert rules
    assert all(rule[0] == "host" and rule[-1] == "scram-sha-256" for rule in rules)
    assert "trust" not in hba
    with pg_cluster.connect_admin() as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        assert conn.execute("SHOW unix_socket_directories").fetchone() == ("",)
        assert conn.execute("SHOW password_encryption").fetchone() == ("scram-sha-256",)
        methods = {row[0] for row in conn.execute("SELECT auth_method FROM pg_hba_file_rules")}
        assert methods == {"scram-sha-256"}
    for password in (None, "wrong-password"):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(
                host="127.0.0.1",
                port=pg_cluster.port,
                user="praxi",
                dbname="postgres",
                password=password,
                passfile=os.devnull,
                connect_timeout=5,
            )
