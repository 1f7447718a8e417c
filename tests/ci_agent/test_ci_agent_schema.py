"""Payload validation and JSON parsing rules (spec 06 §2)."""

from __future__ import annotations

from typing import Any

import pytest
from ci_agent_helpers import payload

from ci_agent.schema import (
    RUN_ID_PATTERN,
    JsonBodyError,
    PayloadError,
    normalize_status,
    parse_json_body,
    validate_payload,
)

PATTERN_MSG = f"run_id must match {RUN_ID_PATTERN}"
NUMBER_MSG = "run_id must be a non-negative integer or a string"


def details(body: Any) -> list[str]:
    with pytest.raises(PayloadError) as info:
        validate_payload(body)
    return info.value.details


@pytest.mark.parametrize("body", [[], "x", 5, None, True])
def test_body_must_be_object(body: Any) -> None:
    assert details(body) == ["Body must be a JSON object"]


def test_all_problems_are_collected_in_field_order() -> None:
    body = {
        "run_id": None,
        "run_attempt": 0,
        "job_name": "x" * 101,
        "timestamp": 5,
        "branch": "a\nb",
        "commit": "xyz",
        "status": None,
    }
    assert details(body) == [
        "playwright_log must be a string",
        "backend_log must be a string",
        "run_id must be a string or number",
        "run_attempt must be an integer between 1 and 1000",
        "job_name must be at most 100 characters",
        "timestamp must be a string",
        "branch must not contain control characters",
        "commit must be empty or 7-64 hexadecimal characters",
        "status must be a string",
    ]


@pytest.mark.parametrize(
    ("run_id", "message"),
    [
        ("../../etc", PATTERN_MSG),
        ("..", PATTERN_MSG),
        (".", PATTERN_MSG),
        ("a/b", PATTERN_MSG),
        ("a\\b", PATTERN_MSG),
        ("%2e%2e", PATTERN_MSG),
        ("a%2Fb", PATTERN_MSG),
        ("/etc/passwd", PATTERN_MSG),
        ("C:\\Windows", PATTERN_MSG),
        ("CON", PATTERN_MSG),
        ("nul.txt", PATTERN_MSG),
        ("Com1", PATTERN_MSG),
        ("run.", PATTERN_MSG),
        ("", PATTERN_MSG),
        ("a" * 129, PATTERN_MSG),
        (True, NUMBER_MSG),
        (1.5, NUMBER_MSG),
        (-1, NUMBER_MSG),
        (2**63, NUMBER_MSG),
        ([1], "run_id must be a string or number"),
    ],
)
def test_run_id_rejections(run_id: Any, message: str) -> None:
    assert details(payload(run_id=run_id)) == [message]


@pytest.mark.parametrize("run_id", ["a" * 128, "13312345678", "run-1.attempt_2", "CONSOLE", 0])
def test_run_id_accepted(run_id: Any) -> None:
    assert validate_payload(payload(run_id=run_id)).run_id_text == str(run_id)


def test_length_limits_and_control_characters() -> None:
    body = payload(job_name="j" * 100, timestamp="t" * 64, branch="b" * 255, status="s" * 32)
    validate_payload(body)
    assert details(payload(timestamp="t" * 65)) == ["timestamp must be at most 64 characters"]
    assert details(payload(branch="b" * 256)) == ["branch must be at most 255 characters"]
    assert details(payload(status="s" * 33)) == ["status must be at most 32 characters"]
    assert details(payload(job_name="e2e\x00")) == ["job_name must not contain control characters"]
    assert details(payload(status="\ud800")) == ["status must not contain control characters"]


@pytest.mark.parametrize("commit", ["", "abcdef0", "A" * 64])
def test_commit_accepted(commit: str) -> None:
    validate_payload(payload(commit=commit))


@pytest.mark.parametrize("attempt", [0, 1001, True, "2", 1.0, None])
def test_run_attempt_rejected(attempt: Any) -> None:
    assert details(payload(run_attempt=attempt)) == [
        "run_attempt must be an integer between 1 and 1000"
    ]


def test_logs_get_surrogates_and_nul_replaced_and_unknown_fields_dropped() -> None:
    result = validate_payload(payload(playwright_log="a\ud800b\x00c", extra="ignored"))
    assert result.playwright_log == "a\ufffdb\ufffdc"
    assert "extra" not in result.forward_dict()
    assert "run_attempt" not in result.forward_dict()
    assert validate_payload(payload(run_attempt=3)).forward_dict()["run_attempt"] == 3


@pytest.mark.parametrize(
    ("status", "normalized"),
    [
        ("failed", "failed"),
        (" FAILURE ", "failed"),
        ("success", "passed"),
        ("ok", "passed"),
        ("canceled", "cancelled"),
        ("skipped", "skipped"),
        ("weird", "unknown"),
    ],
)
def test_status_normalisation(status: str, normalized: str) -> None:
    assert normalize_status(status) == normalized


@pytest.mark.parametrize(
    "raw",
    [b"{", b'{"a": NaN}', b"[Infinity]", b"-Infinity", b"\xff\xfe", b"[" * 33 + b"]" * 33],
)
def test_invalid_json(raw: bytes) -> None:
    with pytest.raises(JsonBodyError):
        parse_json_body(raw)


def test_very_deep_nesting_is_a_json_error_not_a_crash() -> None:
    with pytest.raises(JsonBodyError):
        parse_json_body(b"[" * 100_000 + b"]" * 100_000)


def test_json_edge_cases_accepted() -> None:
    assert parse_json_body(b"[" * 32 + b"]" * 32) is not None
    assert parse_json_body(b"  \n ") is None
    assert parse_json_body(b"\xef\xbb\xbf{}") == {}
    assert parse_json_body(b'{"a": 1, "a": 2}') == {"a": 2}


def test_payload_hash_is_stable_and_type_independent_for_run_id() -> None:
    a = validate_payload(payload(run_id=5))
    b = validate_payload(payload(run_id="5", run_attempt=1))
    c = validate_payload(payload(run_id=5, status="failure"))
    assert a.sha256() == b.sha256()
    assert a.sha256() != c.sha256()
