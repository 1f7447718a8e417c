"""Which ``X-Forwarded-For`` entry the per-address login throttle counts (01 §3.1, issue 22).

Every proxy appends the address it received the request from, so only the entries our own
proxies wrote are trustworthy: with ``PRAXI_TRUSTED_PROXY_HOPS`` = n the client address is the
n-th entry from the right. What the client put in front cannot move it into a fresh counter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.auth.models import LoginFailure
from tests.server.apps import shared_client
from tests.server.conftest import make_settings

LIMIT = 3
PEER = "testclient"  # the connection's address as the TestClient reports it


@contextmanager
def _api(database_url: str, data_dir: Path, **overrides: Any) -> Iterator[TestClient]:
    settings = make_settings(
        database_url,
        data_dir,
        login_max_failures=100,
        login_max_failures_per_address=LIMIT,
        **overrides,
    )
    with shared_client(settings) as client:
        yield client


def _wrong_login(api: TestClient, attempt: int, forwarded_for: str | None) -> httpx.Response:
    headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
    response: httpx.Response = api.post(
        "/api/auth/login/",
        json={"username": f"nobody{attempt}", "password": "wrong-password"},
        headers=headers,
    )
    return response


def _recorded_addresses(db: sessionmaker[Session]) -> set[str]:
    with db() as session:
        return set(session.scalars(select(LoginFailure.client_address)))


def test_default_is_one_hop_and_zero_is_refused(database_url: str, tmp_path: Path) -> None:
    assert make_settings(database_url, tmp_path).trusted_proxy_hops == 1
    with pytest.raises(ValidationError, match="trusted_proxy_hops"):
        make_settings(database_url, tmp_path, trusted_proxy_hops=0)


def test_one_hop_counts_the_last_entry_whatever_the_client_forges(
    database_url: str, tmp_path: Path, db: sessionmaker[Session]
) -> None:
    with _api(database_url, tmp_path, trust_proxy_headers=True) as api:
        for attempt in range(LIMIT):
            forged = f"198.18.0.{attempt}, 10.9.9.{attempt}"
            response = _wrong_login(api, attempt, f"{forged}, 203.0.113.7")
            assert response.status_code == 400, response.text
        # A fresh forged prefix does not open a fresh counter: the proxy's entry is the same.
        throttled = _wrong_login(api, LIMIT, "198.18.0.99, 203.0.113.7")
        assert throttled.status_code == 429, throttled.text
        assert "Retry-After" in throttled.headers
        assert _recorded_addresses(db) == {"203.0.113.7"}
        # Another client behind the same proxy has its own counter.
        assert _wrong_login(api, LIMIT + 1, "203.0.113.7, 203.0.113.8").status_code == 400


def test_two_hops_count_the_second_entry_from_the_right(
    database_url: str, tmp_path: Path, db: sessionmaker[Session]
) -> None:
    with _api(database_url, tmp_path, trust_proxy_headers=True, trusted_proxy_hops=2) as api:
        for attempt in range(LIMIT):
            response = _wrong_login(api, attempt, f"198.18.0.{attempt}, 203.0.113.7, 10.0.0.2")
            assert response.status_code == 400, response.text
        throttled = _wrong_login(api, LIMIT, "198.18.0.99, 203.0.113.7, 10.0.0.2")
        assert throttled.status_code == 429, throttled.text
        # The inner proxy's own entry (the last) is not the client: another client, same proxy.
        assert _wrong_login(api, LIMIT + 1, "203.0.113.7, 203.0.113.8, 10.0.0.2").status_code == 400
        assert _recorded_addresses(db) == {"203.0.113.7", "203.0.113.8"}


def test_header_lines_are_one_list(
    database_url: str, tmp_path: Path, db: sessionmaker[Session]
) -> None:
    """A proxy may add its entry as a header line of its own: the last line's entry counts."""
    with _api(database_url, tmp_path, trust_proxy_headers=True) as api:
        response = api.post(
            "/api/auth/login/",
            json={"username": "nobody", "password": "wrong-password"},
            headers=[("X-Forwarded-For", "198.18.0.1"), ("X-Forwarded-For", "203.0.113.7")],
        )
        assert response.status_code == 400
        assert _recorded_addresses(db) == {"203.0.113.7"}


def test_fewer_entries_than_hops_count_the_peer(
    database_url: str, tmp_path: Path, db: sessionmaker[Session]
) -> None:
    with _api(database_url, tmp_path, trust_proxy_headers=True, trusted_proxy_hops=2) as api:
        for attempt in range(LIMIT):
            assert _wrong_login(api, attempt, f"198.18.0.{attempt}").status_code == 400
        assert _wrong_login(api, LIMIT, None).status_code == 429
        assert _recorded_addresses(db) == {PEER}


def test_without_trust_the_header_is_ignored(
    database_url: str, tmp_path: Path, db: sessionmaker[Session]
) -> None:
    with _api(database_url, tmp_path, trust_proxy_headers=False, trusted_proxy_hops=2) as api:
        for attempt in range(LIMIT):
            forged = f"198.18.0.{attempt}, 203.0.113.{attempt}, 10.0.0.{attempt}"
            assert _wrong_login(api, attempt, forged).status_code == 400
        assert _wrong_login(api, LIMIT, "198.18.0.99, 203.0.113.99").status_code == 429
        assert _recorded_addresses(db) == {PEER}
