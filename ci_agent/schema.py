"""Payload parsing and validation shared by receiver and processor (spec 06 §2)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32
RUN_ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9_-])?$"
_RUN_ID_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9_-])?")
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_HEX_COMMIT = re.compile(r"[0-9A-Fa-f]{7,64}")
_RUN_ID_MAX = 2**63 - 1
_LONE_SURROGATE_OR_NUL = re.compile("[\x00\ud800-\udfff]")

FIELD_ORDER = (
    "playwright_log",
    "backend_log",
    "run_id",
    "run_attempt",
    "job_name",
    "timestamp",
    "branch",
    "commit",
    "status",
)
_TEXT_LIMITS = {"job_name": 100, "timestamp": 64, "branch": 255, "status": 32}

_STATUS_MAP = {
    "failed": "failed",
    "failure": "failed",
    "success": "passed",
    "succeeded": "passed",
    "passed": "passed",
    "ok": "passed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "skipped": "skipped",
}


class JsonBodyError(ValueError):
    """The body is not parseable JSON; the message is safe to return to the caller."""


class PayloadError(ValueError):
    def __init__(self, details: list[str]) -> None:
        super().__init__("; ".join(details))
        self.details = details


def _reject_constant(name: str) -> Any:
    raise JsonBodyError(f"{name} is not valid JSON")


def _depth_exceeds(value: Any, limit: int) -> bool:
    # Iterative on purpose: the point is to never recurse on attacker-controlled structure.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in item)
    return False


def parse_json_body(raw: bytes) -> Any:
    """Decode a request body. Returns ``None`` for an empty / whitespace-only body."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonBodyError(f"Body is not valid UTF-8 (byte offset {exc.start})") from None
    if not text.strip():
        return None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JsonBodyError(str(exc)) from None
    except RecursionError:
        raise JsonBodyError(f"JSON nesting deeper than {MAX_DEPTH} levels") from None
    if _depth_exceeds(value, MAX_DEPTH):
        raise JsonBodyError(f"JSON nesting deeper than {MAX_DEPTH} levels")
    return value


def normalize_status(status: str) -> str:
    return _STATUS_MAP.get(status.strip().lower(), "unknown")


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in value)


def clean_log_text(value: str) -> str:
    """Replace lone surrogates and NUL with U+FFFD (spec 06 §2.1)."""
    return _LONE_SURROGATE_OR_NUL.sub("\ufffd", value)


def is_valid_run_id_text(value: str) -> bool:
    if not _RUN_ID_RE.fullmatch(value):
        return False
    return value.split(".", 1)[0].upper() not in _DEVICE_NAMES


@dataclass(frozen=True)
class Payload:
    playwright_log: str
    backend_log: str
    run_id: int | str
    run_attempt: int
    run_attempt_given: bool
    job_name: str
    timestamp: str
    branch: str
    commit: str
    status: str

    @property
    def run_id_text(self) -> str:
        return str(self.run_id)

    @property
    def status_normalized(self) -> str:
        return normalize_status(self.status)

    def forward_dict(self) -> dict[str, Any]:
        """The validated fields in their received JSON types (for forwarding)."""
        out: dict[str, Any] = {
            "playwright_log": self.playwright_log,
            "backend_log": self.backend_log,
            "run_id": self.run_id,
        }
        if self.run_attempt_given:
            out["run_attempt"] = self.run_attempt
        out.update(
            job_name=self.job_name,
            timestamp=self.timestamp,
            branch=self.branch,
            commit=self.commit,
            status=self.status,
        )
        return out

    def sha256(self) -> str:
        """``payload_sha256`` of spec 06 §5.4.

        ``run_id`` is hashed as its text and ``run_attempt`` with its default, so ``5`` and
        ``"5"`` (the same run directory) and an omitted vs. explicit ``run_attempt: 1`` are the
        same payload.
        """
        fields = {
            "playwright_log": self.playwright_log,
            "backend_log": self.backend_log,
            "run_id": self.run_id_text,
            "run_attempt": self.run_attempt,
            "job_name": self.job_name,
            "timestamp": self.timestamp,
            "branch": self.branch,
            "commit": self.commit,
            "status": self.status,
        }
        data = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _check_run_id(value: Any, details: list[str]) -> int | str | None:
    non_negative = "run_id must be a non-negative integer or a string"
    if isinstance(value, bool):
        details.append(non_negative)
        return None
    if isinstance(value, int):
        if 0 <= value <= _RUN_ID_MAX:
            return value
        details.append(non_negative)
        return None
    if isinstance(value, float):
        if value.is_integer() and 0 <= value <= _RUN_ID_MAX:
            return int(value)
        details.append(non_negative)
        return None
    if isinstance(value, str):
        if is_valid_run_id_text(value):
            return value
        details.append(f"run_id must match {RUN_ID_PATTERN}")
        return None
    details.append("run_id must be a string or number")
    return None


def _check_text(name: str, value: Any, details: list[str]) -> str | None:
    if not isinstance(value, str):
        details.append(f"{name} must be a string")
        return None
    ok = True
    limit = _TEXT_LIMITS.get(name)
    if limit is not None and len(value) > limit:
        details.append(f"{name} must be at most {limit} characters")
        ok = False
    if _has_control(value):
        details.append(f"{name} must not contain control characters")
        ok = False
    return value if ok else None


def validate_payload(body: Any) -> Payload:
    """Validate a parsed body; raises ``PayloadError`` with all problems in field order."""
    if not isinstance(body, dict):
        raise PayloadError(["Body must be a JSON object"])
    details: list[str] = []
    logs: dict[str, str] = {}
    for name in ("playwright_log", "backend_log"):
        value = body.get(name)
        if isinstance(value, str):
            logs[name] = clean_log_text(value)
        else:
            details.append(f"{name} must be a string")

    run_id = _check_run_id(body.get("run_id"), details)

    run_attempt = 1
    given = "run_attempt" in body
    if given:
        value = body["run_attempt"]
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
            run_attempt = value
        else:
            details.append("run_attempt must be an integer between 1 and 1000")

    texts: dict[str, str | None] = {}
    for name in ("job_name", "timestamp", "branch"):
        texts[name] = _check_text(name, body.get(name), details)

    commit = body.get("commit")
    if not isinstance(commit, str):
        details.append("commit must be a string")
    elif commit and not _HEX_COMMIT.fullmatch(commit):
        details.append("commit must be empty or 7-64 hexadecimal characters")

    texts["status"] = _check_text("status", body.get("status"), details)

    if details:
        raise PayloadError(details)
    assert run_id is not None
    assert isinstance(commit, str)
    return Payload(
        playwright_log=logs["playwright_log"],
        backend_log=logs["backend_log"],
        run_id=run_id,
        run_attempt=run_attempt,
        run_attempt_given=given,
        job_name=texts["job_name"] or "",
        timestamp=texts["timestamp"] or "",
        branch=texts["branch"] or "",
        commit=commit,
        status=texts["status"] or "",
    )
