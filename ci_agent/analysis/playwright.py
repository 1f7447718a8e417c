"""Parser for Playwright list/line reporter output (spec 06 §6.2.4, §6.2.6)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ci_agent.analysis.rules import PATTERN_RULES

MAX_FAILING = 50
_TEST_FILE = r"[^\s:]+\.(?:spec|test)\.[cm]?[jt]sx?"
HEADER_RE = re.compile(
    r"^\s{0,4}(\d+)\) (?:\[(?P<project>[^\]]+)\] (?:›|>) )?(?P<file>" + _TEST_FILE + r"):"
    r"(?P<line>\d+):(?P<col>\d+) (?:›|>) (?P<title>.+?)\s*─*\s*$"
)
SUMMARY_RE = re.compile(r"^\s*(\d+) (passed|failed|flaky|skipped|did not run|interrupted)\b")
SUMMARY_ITEM_RE = re.compile(
    r"^\s+(?:\[(?P<project>[^\]]+)\] (?:›|>) )?(?P<file>" + _TEST_FILE + r"):"
    r"(?P<line>\d+):(?P<col>\d+) (?:›|>) (?P<title>.+?)\s*─*\s*$"
)
RETRY_RE = re.compile(r"^\s*Retry #(\d+)\b")
ERROR_START_RE = re.compile(r"^\s*(?:[A-Za-z_$][\w$]{0,100})?Error:")
FRAME_RE = re.compile(
    r"^\s*at (?:[^\n]{0,2000}?[( ])?(?P<path>[^\s()]+):(?P<line>\d+):(?P<col>\d+)\)?\s*$"
)
_DIGITS = re.compile(r"\d+")
_QUOTED = re.compile(r"'[^'\n]{0,2000}'|\"[^\"\n]{0,2000}\"|`[^`\n]{0,2000}`")
_SPACE = re.compile(r"\s+")
_COUNT_KEYS = {
    "passed": "passed",
    "failed": "failed",
    "flaky": "flaky",
    "skipped": "skipped",
    "did not run": "did_not_run",
    "interrupted": "interrupted",
}


def error_signature(text: str) -> str:
    normalised = _QUOTED.sub('"…"', text)
    normalised = _DIGITS.sub("#", normalised)
    normalised = _SPACE.sub(" ", normalised).strip()
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - grouping id


def to_repo_path(printed: str, test_dir: str) -> str | None:
    """Map a printed path (relative to ``testDir`` or absolute) to a repo-relative path."""
    path = printed.replace("\\", "/")
    prefix = test_dir.replace("\\", "/").strip("/") + "/"
    if ".." in path.split("/"):
        return None
    if path.startswith("/") or re.match(r"^[A-Za-z]:/", path):
        marker = "/" + prefix
        index = path.find(marker)
        return path[index + 1 :] if index >= 0 else None
    path = path.removeprefix("./")
    return path if path.startswith(prefix) else prefix + path


@dataclass
class _Attempt:
    error: str | None = None
    error_line: int | None = None
    location: dict[str, Any] | None = None


@dataclass
class FailingTest:
    title: str
    project: str | None
    file: str
    line: int
    column: int
    header_text: str
    header_line: int | None
    repo_path: str | None = None
    outcome: str = "unknown"
    attempts: list[_Attempt] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str, int, str]:
        return (self.project, self.file, self.line, self.title)

    def record(self) -> dict[str, Any]:
        with_error = [a for a in self.attempts if a.error is not None]
        first = with_error[0] if with_error else None
        signatures = [error_signature(a.error) for a in with_error if a.error is not None]
        retries = max(len(self.attempts) - 1, 0)
        location = next((a.location for a in self.attempts if a.location), None)
        if self.outcome == "flaky":
            hint = "flaky"
        elif retries == 0:
            hint = "no_retry_evidence"
        elif len(signatures) == len(self.attempts) and len(set(signatures)) == 1:
            hint = "consistent"
        else:
            hint = "inconsistent"
        return {
            "title": self.title,
            "project": self.project,
            "file": self.file,
            "repo_path": self.repo_path,
            "line": self.line,
            "column": self.column,
            "outcome": self.outcome,
            "retries": retries,
            "error": first.error if first else None,
            "error_location": location,
            "error_signature": signatures[0] if signatures else None,
            "attempt_signatures": signatures,
            "flaky_hint": hint,
        }


@dataclass
class PlaywrightReport:
    counts: dict[str, int]
    summary_found: bool
    tests: list[FailingTest]
    first_header_line: int | None
    first_failed_summary_line: int | None

    @property
    def failing_records(self) -> list[dict[str, Any]]:
        return [t.record() for t in self.tests[:MAX_FAILING]]


def _is_error_line(text: str) -> bool:
    if ERROR_START_RE.match(text):
        return True
    return any(rule.pattern is not None and rule.pattern.search(text) for rule in PATTERN_RULES)


def parse_playwright(lines: list[str], test_dir: str) -> PlaywrightReport:
    """Parse ANSI-stripped lines (index 0 = line 1)."""
    counts = dict.fromkeys(_COUNT_KEYS.values(), 0)
    tests: dict[tuple[str | None, str, int, str], FailingTest] = {}
    order: list[FailingTest] = []
    current: FailingTest | None = None
    in_summary = False
    summary_found = False
    summary_section: str | None = None
    first_header: int | None = None
    first_failed_summary: int | None = None

    for index, text in enumerate(lines):
        number = index + 1
        summary = SUMMARY_RE.match(text)
        if summary is not None:
            in_summary = True
            summary_found = True
            current = None
            key = _COUNT_KEYS[summary.group(2)]
            counts[key] = int(summary.group(1))
            summary_section = key if key in {"failed", "flaky", "interrupted"} else None
            if key == "failed" and first_failed_summary is None and counts[key] > 0:
                first_failed_summary = number
            continue
        if in_summary:
            item = SUMMARY_ITEM_RE.match(text)
            if item is not None and summary_section is not None:
                test = _get_test(item, tests, order, test_dir, text, None)
                test.outcome = summary_section
                continue
        header = HEADER_RE.match(text)
        if header is not None:
            in_summary = False
            current = _get_test(header, tests, order, test_dir, text, number)
            if first_header is None:
                first_header = number
            current.attempts.append(_Attempt())
            continue
        if current is None:
            continue
        if RETRY_RE.match(text):
            current.attempts.append(_Attempt())
            continue
        attempt = current.attempts[-1]
        if attempt.error is None and _is_error_line(text):
            attempt.error = text.strip()[:500]
            attempt.error_line = number
        if attempt.location is None:
            frame = FRAME_RE.match(text)
            if frame is not None:
                path = frame.group("path").replace("\\", "/")
                if path.endswith(current.file.removeprefix("./")):
                    attempt.location = {
                        "repo_path": to_repo_path(path, test_dir),
                        "line": int(frame.group("line")),
                        "column": int(frame.group("col")),
                    }
    return PlaywrightReport(counts, summary_found, order, first_header, first_failed_summary)


def _get_test(
    match: re.Match[str],
    tests: dict[tuple[str | None, str, int, str], FailingTest],
    order: list[FailingTest],
    test_dir: str,
    text: str,
    number: int | None,
) -> FailingTest:
    file = match.group("file")
    test = FailingTest(
        title=match.group("title"),
        project=match.group("project"),
        file=file,
        line=int(match.group("line")),
        column=int(match.group("col")),
        header_text=_header_text(text),
        header_line=number,
        repo_path=to_repo_path(file, test_dir),
    )
    existing = tests.get(test.key)
    if existing is not None:
        if existing.header_line is None and number is not None:
            existing.header_line = number
        return existing
    tests[test.key] = test
    order.append(test)
    return test


def _header_text(text: str) -> str:
    stripped = re.sub(r"^\s*\d+\) ", "", text).rstrip()
    return stripped.rstrip("─").rstrip()
