"""Login throttling under concurrency (01 §3.1), against a live uvicorn: parallel wrong logins
for one username cannot get more password checks than the limit allows.

The count of failures, the password check and the recording of a failure run in one
transaction that holds an advisory lock on the username (and one on the client address), so
the next attempt for the same username counts only after the previous one committed.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from server.auth.models import LoginFailure
from tests.server.conftest import Users, make_settings
from tests.server.live_server import live_server

PARALLEL = 40
LIMIT = 10
THROTTLED_BODY_START = "Request was throttled. Expected available in "


def _fire_wrong_logins(base: str, usernames: list[str]) -> list[httpx.Response]:
    """One wrong-password login per entry, all released at the same moment."""
    barrier = threading.Barrier(len(usernames))

    def send(username: str) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=120) as client:
            barrier.wait()
            return client.post(
                "/api/auth/login/", json={"username": username, "password": "wrong-password"}
            )

    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        return list(pool.map(send, usernames))


def test_parallel_wrong_logins_never_exceed_the_limit(
    database_url: str, tmp_path: Path, users: Users, db: sessionmaker[Session]
) -> None:
    users.create("admin", "chef")
    settings = make_settings(
        database_url,
        tmp_path / "live",
        login_max_failures=LIMIT,
        login_max_failures_per_address=1000,
    )
    with live_server(settings) as base:
        responses = _fire_wrong_logins(base, ["chef"] * PARALLEL)
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {400, 429}, statuses
    # Exactly the first LIMIT attempts got to the password check; every later one was refused.
    assert statuses[400] == LIMIT, statuses
    assert statuses[429] == PARALLEL - LIMIT, statuses
    for response in responses:
        if response.status_code == 400:
            assert response.json() == {"non_field_errors": ["Invalid credentials."]}
        else:
            detail = response.json()["detail"]
            assert detail == f"{THROTTLED_BODY_START}{response.headers['Retry-After']} seconds."
    with db() as session:
        recorded = session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.username_key == "chef")
        )
    assert recorded == LIMIT


def test_parallel_wrong_logins_from_one_address_never_exceed_its_limit(
    database_url: str, tmp_path: Path, users: Users, db: sessionmaker[Session]
) -> None:
    """Many usernames from one address: the per-address limit holds under concurrency too."""
    names = [f"user{i}" for i in range(PARALLEL)]
    settings = make_settings(
        database_url,
        tmp_path / "live",
        login_max_failures=LIMIT,
        login_max_failures_per_address=LIMIT,
    )
    with live_server(settings) as base:
        responses = _fire_wrong_logins(base, names)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {400: LIMIT, 429: PARALLEL - LIMIT}, statuses
    with db() as session:
        recorded = session.scalar(select(func.count()).select_from(LoginFailure))
    assert recorded == LIMIT
