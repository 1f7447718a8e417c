"""The classifier of spec 06 §6.2.3-§6.2.7: stored log text in, analysis sections out.

Pure and deterministic: the same texts, status and config always give the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ci_agent import __version__
from ci_agent.analysis.plans import (
    TEST_DEFAULT_PATHS,
    WORKFLOW_FILES,
    rerun_command,
    template_for,
)
from ci_agent.analysis.playwright import PlaywrightReport, parse_playwright
from ci_agent.analysis.rules import (
    AUTH_CATEGORIES,
    AUTOMATABLE_STRATEGIES,
    BACKEND_CATEGORIES,
    CATEGORIES,
    MAX_LINE_CHARS,
    PATTERN_RULES,
    RULES_BY_ID,
    RULES_VERSION,
    SETUP_CATEGORIES,
    TEST_CATEGORIES,
    Rule,
    strip_ansi,
)
from ci_agent.paths import path_allowed

SCHEMA_VERSION = 2
MAX_SIGNATURES = 50
MAX_SIGNALS = 50
MAX_SAMPLE = 500
MAX_EXCERPT_LINES = 40
MAX_EXCERPT_CHARS = 4000
MAX_SNIPPET_CHARS = 6000
MAX_ROOT_CAUSE = 2000
SOURCES = ("playwright", "backend")
_OWNER = {"pw": "playwright", "be": "backend"}
_LOWER = {"high": "medium", "medium": "low", "low": "low"}
_EXCEPTION_LINE = re.compile(r"[A-Za-z_][\w.]{0,200}: ")
DEFAULT_ALLOWED_PATHS = (
    "tests/**",
    "playwright.config.ts",
    *WORKFLOW_FILES,
)


@dataclass(frozen=True)
class AnalysisConfig:
    test_dir: str = "tests/"
    backend_paths: tuple[str, ...] = ("server/",)
    rerun_command: str = "npx playwright test"
    fix_branch: str = "ai-fix"
    base_branch: str = "main"
    allowed_paths: tuple[str, ...] = DEFAULT_ALLOWED_PATHS


def utc_now_iso() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def split_lines(text: str) -> list[str]:
    """ANSI-stripped lines, each cut to 8 KiB (index 0 is line 1)."""
    if not text:
        return []
    raw = text.split("\n")
    if raw[-1] == "":
        raw.pop()
    return [strip_ansi(line)[:MAX_LINE_CHARS] for line in raw]


@dataclass
class Signature:
    rule: Rule
    count: int = 0
    first_line: dict[str, int] = field(default_factory=dict)
    sample: dict[str, str] = field(default_factory=dict)

    @property
    def sources(self) -> list[str]:
        return [s for s in SOURCES if s in self.first_line]

    @property
    def owned(self) -> bool:
        owner = _OWNER.get(self.rule.source)
        return owner is None or owner in self.first_line

    @property
    def confidence(self) -> str:
        return self.rule.confidence if self.owned else _LOWER[self.rule.confidence]

    @property
    def first_source(self) -> str:
        owner = _OWNER.get(self.rule.source)
        if owner is not None and owner in self.first_line:
            return owner
        # "any" rules (or a match only outside the owner): lowest line, playwright on a tie.
        return min(self.sources, key=lambda s: (self.first_line[s], SOURCES.index(s)))

    def record(self) -> dict[str, Any]:
        source = self.first_source
        return {
            "rule_id": self.rule.rule_id,
            "category": self.rule.category,
            "sources": self.sources,
            "count": self.count,
            "first_line": self.first_line[source],
            "sample": self.sample[source],
        }


def _scan(lines_by_source: dict[str, list[str]]) -> dict[str, Signature]:
    found: dict[str, Signature] = {}
    for source in SOURCES:
        for number, line in enumerate(lines_by_source[source], start=1):
            for rule in PATTERN_RULES:
                assert rule.pattern is not None
                if rule.pattern.search(line) is None:
                    continue
                sig = found.get(rule.rule_id)
                if sig is None:
                    sig = found[rule.rule_id] = Signature(rule)
                sig.count += 1
                if source not in sig.first_line:
                    sig.first_line[source] = number
                    sig.sample[source] = line.strip()[:MAX_SAMPLE]
    return found


def _excerpt(lines: list[str], line: int, rule_id: str) -> str:
    index = line - 1
    if rule_id == "PY_TRACEBACK":
        end = index
        for probe in range(index + 1, min(len(lines), index + MAX_EXCERPT_LINES)):
            end = probe
            if _EXCEPTION_LINE.match(lines[probe]):
                break
        chunk = lines[index : end + 1]
    else:
        chunk = lines[max(index - 3, 0) : index + 13]
    return "\n".join(chunk[:MAX_EXCERPT_LINES])[:MAX_EXCERPT_CHARS]


def _snippet(lines: list[str], signatures: list[Signature], source: str) -> str:
    if not lines:
        return ""
    for sig in signatures:
        if source in sig.first_line:
            line = sig.first_line[source]
            return "\n".join(lines[max(line - 4, 0) : line + 20])[:MAX_SNIPPET_CHARS]
    tail = [line for line in lines if line.strip()][-20:]
    return "\n".join(tail)[-MAX_SNIPPET_CHARS:]


def _flakiness(
    category: str, report: PlaywrightReport, records: list[dict[str, Any]], status: str
) -> dict[str, Any]:
    hints = [r["flaky_hint"] for r in records]
    failing = [r for r in records if r["outcome"] != "flaky"]
    consistent = sum(1 for r in failing if r["flaky_hint"] == "consistent")
    inconsistent = sum(1 for r in records if r["flaky_hint"] in {"inconsistent", "flaky"})
    counts = report.counts
    if counts["failed"] == 0 and counts["flaky"] > 0:
        verdict = "flaky_only"
    elif (failing and consistent == len(failing) and inconsistent == 0) or (
        category in SETUP_CATEGORIES
    ):
        verdict = "deterministic"
    elif consistent and inconsistent:
        verdict = "mixed"
    else:
        verdict = "unknown"
    transient = CATEGORIES[category].transient
    evidence: list[str] = []
    with_retries = [r for r in failing if r["retries"] > 0]
    if failing and with_retries:
        evidence.append(
            f"{consistent} of {len(failing)} failing tests failed identically on every retry"
        )
    differing = sum(1 for r in failing if r["flaky_hint"] == "inconsistent")
    if differing:
        evidence.append(f"{differing} of {len(failing)} failing tests failed differently on retry")
    no_retry = hints.count("no_retry_evidence")
    if no_retry:
        evidence.append(f"{no_retry} of {len(records)} failing tests have no retry in the log")
    if counts["flaky"]:
        evidence.append(f"{counts['flaky']} tests passed on retry (flaky)")
    if category in SETUP_CATEGORIES:
        evidence.append(f"category '{category}' is a set-up failure that a rerun does not change")
    if status == "passed_with_signatures":
        evidence.append("status passed although failure signatures were found")
    rerun = (
        category not in {"none", "cancelled", "missing_logs"}
        and verdict in {"flaky_only", "mixed", "unknown"}
        and transient in {"high", "medium"}
    )
    return {
        "verdict": verdict,
        "transient_likelihood": transient,
        "rerun_recommended": rerun,
        "evidence": evidence,
    }


def _suspected_paths(
    category: str, records: list[dict[str, Any]], cfg: AnalysisConfig
) -> list[str]:
    if category in {"none", "cancelled"}:
        return []
    paths: list[str] = [r["repo_path"] for r in records if r["repo_path"]]
    if category in TEST_CATEGORIES:
        paths.extend(TEST_DEFAULT_PATHS)
    if category in AUTH_CATEGORIES:
        paths.extend(("tests/fixtures/", "playwright.config.ts"))
    if category in BACKEND_CATEGORIES or category in AUTH_CATEGORIES:
        paths.extend(cfg.backend_paths)
    paths.extend(WORKFLOW_FILES)
    return list(dict.fromkeys(paths))


def analyze(
    playwright_log: str, backend_log: str, status_normalized: str, cfg: AnalysisConfig
) -> dict[str, Any]:
    """Classify stored log texts. Returns the analysis sections from ``classification`` on."""
    lines = {"playwright": split_lines(playwright_log), "backend": split_lines(backend_log)}
    report = parse_playwright(lines["playwright"], cfg.test_dir)
    records = report.failing_records
    found = _scan(lines)
    if report.tests or report.counts["failed"] > 0:
        first = report.first_header_line or report.first_failed_summary_line or 1
        sig = Signature(RULES_BY_ID["TEST_FAILURE"], count=max(len(report.tests), 1))
        sig.first_line["playwright"] = first
        sample = lines["playwright"][first - 1] if first <= len(lines["playwright"]) else ""
        sig.sample["playwright"] = sample.strip()[:MAX_SAMPLE]
        found["TEST_FAILURE"] = sig
    signatures = sorted(found.values(), key=lambda s: s.rule.priority)

    winner: Signature | None = None
    rule_id: str | None = None
    if not playwright_log.strip() and not backend_log.strip():
        category, confidence = "missing_logs", "low"
    elif status_normalized in {"passed", "skipped"}:
        category = "none"
        clean = report.summary_found and report.counts["failed"] == 0
        confidence = "high" if clean or not signatures else "medium"
    elif status_normalized == "cancelled":
        category, confidence = "cancelled", "high"
    elif not signatures:
        category, confidence = "unknown", "low"
    else:
        winner = signatures[0]
        category, confidence, rule_id = winner.rule.category, winner.confidence, winner.rule.rule_id

    info = CATEGORIES[category]
    template = template_for(category)
    header_texts = [t.header_text for t in report.tests[:5]]
    signals = [f"{src}:{s.rule.rule_id}" for s in signatures for src in s.sources][:MAX_SIGNALS]

    first_error: dict[str, Any] | None = None
    if winner is not None:
        source = winner.first_source
        line = winner.first_line[source]
        first_error = {
            "source": source,
            "line": line,
            "rule_id": winner.rule.rule_id,
            "text": winner.sample[source],
            "excerpt": _excerpt(lines[source], line, winner.rule.rule_id),
        }

    flaky_status = (
        "passed_with_signatures" if category == "none" and signatures else status_normalized
    )
    flakiness = _flakiness(category, report, records, flaky_status)
    not_failed = category in {"none", "cancelled"}
    targets = [(r["repo_path"], r["line"]) for r in records]
    suspected = _suspected_paths(category, records, cfg)
    root_cause = info.summary
    if first_error is not None:
        root_cause += f" First error ({first_error['source']} line {first_error['line']}): "
        root_cause += first_error["text"]
    no_action = "No action: the run did not fail."

    return {
        "classification": {
            "category": category,
            "confidence": confidence,
            "rule_id": rule_id,
            "summary": info.summary,
            "error_type": info.error_type,
            "signals": signals,
            "failing_tests": header_texts,
            "transient_likelihood": info.transient,
        },
        "failure_cause": {
            "error_type": info.legacy_error_type,
            "confidence": (
                "low" if category in {"unknown", "missing_logs", "none", "cancelled"} else "high"
            ),
        },
        "tests": {"framework": "playwright", "counts": report.counts, "failing": records},
        "first_error": first_error,
        "error_signatures": [s.record() for s in signatures][:MAX_SIGNATURES],
        "flakiness": flakiness,
        "self_heal_plan": {
            "what_to_inspect": [] if not_failed else list(template.inspect),
            "what_to_change": [] if not_failed else list(template.change),
            "tests_to_rerun": (
                [] if not_failed else [rerun_command(targets[:50], cfg.rerun_command)]
            ),
        },
        "self_heal_instructions": {
            "action": "self_heal",
            "hints": [no_action if not_failed else template.self_heal_hint],
        },
        "fix_agent_instructions": {
            "action": "fix_agent",
            "hints": [no_action if not_failed else template.fix_hint],
            "strategy": info.strategy,
            "automatable": info.strategy in AUTOMATABLE_STRATEGIES,
            "suspected_paths": suspected,
            "editable_paths": [p for p in suspected if path_allowed(p, cfg.allowed_paths)],
            "failing_tests": header_texts,
            "failing_test_targets": [
                {"repo_path": r["repo_path"], "line": r["line"]} for r in records if r["repo_path"]
            ],
            "suspected_root_cause": root_cause[:MAX_ROOT_CAUSE],
            "suggested_fix_direction": "" if not_failed else template.fix_direction,
            "key_log_snippets": {
                "playwright": _snippet(lines["playwright"], signatures, "playwright"),
                "backend": _snippet(lines["backend"], signatures, "backend"),
            },
        },
        "pr_instructions": {
            "action": "prepare_pr",
            "branch": cfg.fix_branch,
            "base": cfg.base_branch,
            "title": f"[AI] self-heal: {category}",
            "body": f"Automated self-heal instructions for category: {category}. {info.summary}",
        },
    }


def build_document(
    *,
    processed_at: str,
    run_id: str,
    run_attempt: int,
    job_name: str,
    timestamp: str,
    branch: str,
    commit: str,
    status: str,
    status_normalized: str,
    payload_sha256: str,
    supersedes_payload_sha256: str | None,
    logs: dict[str, Any],
    sections: dict[str, Any],
) -> dict[str, Any]:
    """``analysis.json`` with the documented key order (spec 06 §6.3)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "analyzer": {
            "name": "praxi-ci-agent",
            "version": __version__,
            "rules_version": RULES_VERSION,
        },
        "processed_at": processed_at,
        "run_id": run_id,
        "run_attempt": run_attempt,
        "job_name": job_name,
        "timestamp": timestamp,
        "branch": branch,
        "commit": commit,
        "status": status,
        "status_normalized": status_normalized,
        "payload_sha256": payload_sha256,
        "supersedes_payload_sha256": supersedes_payload_sha256,
        "logs": logs,
        **sections,
    }
