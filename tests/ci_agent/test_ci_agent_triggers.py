"""``triggers.json`` content and its safety policy (spec 06 §7)."""

from __future__ import annotations

from typing import Any

import pytest
from ci_agent_fixtures import CASES
from ci_agent_helpers import DEV_TOKEN

from ci_agent.config import Settings
from ci_agent.fix_policy import policy_problems
from ci_agent.paths import path_allowed
from ci_agent.processor import prepare_and_analyze
from ci_agent.schema import validate_payload
from ci_agent.triggers import Policy, build_triggers, trigger_flags, validate_triggers

SETTINGS = Settings(developer_agent_token=DEV_TOKEN)


def analysis_for(category: str, run_attempt: int = 1) -> dict[str, Any]:
    pw, be, status = CASES[category]
    body = {
        "playwright_log": pw,
        "backend_log": be,
        "run_id": 99,
        "run_attempt": run_attempt,
        "job_name": "e2e-tests",
        "timestamp": "",
        "branch": "feature/x",
        "commit": "abcdef0",
        "status": status,
    }
    payload = validate_payload(body)
    _, _, doc = prepare_and_analyze(
        payload, SETTINGS, payload_sha256=payload.sha256(), supersedes=None
    )
    return doc


def triggers_for(category: str, run_attempt: int = 1) -> dict[str, Any]:
    doc = analysis_for(category, run_attempt)
    return build_triggers(doc, Policy(), "npx playwright test", "2026-02-13T08:52:33.440Z")


def test_selector_failure_goes_to_fix_agent_only() -> None:
    triggers = triggers_for("selector")
    assert validate_triggers(triggers) == []
    assert list(triggers)[:3] == ["schema_version", "triggered_at", "run_id"]
    assert triggers["run_id"] == "99"
    assert triggers["triggers"] == {"self_heal": False, "fix_agent": True, "pr_instructions": True}
    assert triggers["self_heal"]["reason"] == (
        "category 'selector' needs a test change; a rerun alone cannot fix it"
    )
    assert triggers["self_heal"]["code_changes_allowed"] is False
    assert triggers["fix_agent"]["targets"] == [
        {"repo_path": "tests/e2e/calendar.spec.ts", "line": 24}
    ]
    assert "tests/e2e/calendar.spec.ts" in triggers["fix_agent"]["editable_paths"]
    assert triggers["pr"] == {
        "head": "ai-fix",
        "base": "main",
        "title": "[AI] self-heal: selector",
        "body": triggers["pr"]["body"],
        "draft": True,
    }
    policy = triggers["policy"]
    assert policy["push_to_base_branch"] is False
    assert policy["allowed_paths"] == [
        "tests/**",
        "playwright.config.ts",
        ".github/workflows/agent-engine.yml",
        ".github/workflows/backend-setup.yml",
    ]
    assert (policy["max_files_changed"], policy["max_changed_lines"]) == (4, 200)
    assert (policy["max_iterations"], policy["max_self_heal_reruns"]) == (3, 1)
    assert policy["human_review_required"] is True
    assert policy["auto_merge"] is False


def test_transient_failure_allows_a_subset_rerun_once() -> None:
    triggers = triggers_for("timeout")
    assert triggers["triggers"]["self_heal"] is True
    assert triggers["self_heal"]["actions"] == ["reseed_db", "rerun_e2e_subset"]
    assert triggers["self_heal"]["rerun"] == {
        "max_attempts": 1,
        "mode": "subset",
        "targets": [{"repo_path": "tests/e2e/board.spec.ts", "line": 40}],
        "command": "npx playwright test tests/e2e/board.spec.ts:40",
    }
    # No self-heal loop: the re-run's own failure is not healed again.
    again = triggers_for("timeout", run_attempt=2)
    assert again["triggers"]["self_heal"] is False
    assert again["self_heal"]["rerun"] is None
    assert again["triggers"]["fix_agent"] is True


def test_backend_categories_never_get_editable_backend_paths() -> None:
    triggers = triggers_for("backend_exception")
    editable = triggers["fix_agent"]["editable_paths"]
    assert all(path_allowed(p, Policy().allowed_paths) for p in editable)
    assert "server/" not in editable
    analysis = analysis_for("backend_exception")
    assert "server/" in analysis["fix_agent_instructions"]["suspected_paths"]


def test_flaky_only_run_does_not_trigger_the_fix_agent() -> None:
    pw = (
        "  1) [chromium] › e2e/a.spec.ts:3:5 › A › one ───\n"
        "    Error: Timeout 5000ms exceeded.\n"
        "    Retry #1 ───\n"
        "  1 flaky\n"
        "    [chromium] › e2e/a.spec.ts:3:5 › A › one ───\n"
        "  9 passed (20s)\n"
    )
    payload = validate_payload(
        {
            "playwright_log": pw,
            "backend_log": "",
            "run_id": 1,
            "job_name": "",
            "timestamp": "",
            "branch": "",
            "commit": "",
            "status": "failure",
        }
    )
    _, _, doc = prepare_and_analyze(payload, SETTINGS, payload_sha256="x", supersedes=None)
    flags = trigger_flags(doc, Policy(), "npx playwright test")
    assert flags["fix_agent"] is False
    assert flags["pr_instructions"] is False


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"fix_branch": "main"}, "PRAXI_CI_FIX_BRANCH"),
        ({"fix_branch": "Master"}, "PRAXI_CI_FIX_BRANCH"),
        ({"fix_branch": "release", "base_branch": "release"}, "PRAXI_CI_FIX_BRANCH"),
        ({"fix_branch": "bad branch"}, "PRAXI_CI_FIX_BRANCH"),
        ({"allowed_fix_paths": "server/**"}, "PRAXI_CI_ALLOWED_FIX_PATHS"),
        ({"allowed_fix_paths": "tests/**,../secrets"}, "PRAXI_CI_ALLOWED_FIX_PATHS"),
        ({"allowed_fix_paths": "/tests/**"}, "PRAXI_CI_ALLOWED_FIX_PATHS"),
        ({"allowed_fix_paths": "**"}, "PRAXI_CI_ALLOWED_FIX_PATHS"),
        ({"allowed_fix_paths": ""}, "PRAXI_CI_ALLOWED_FIX_PATHS"),
        ({"max_files_changed": 9}, "PRAXI_CI_MAX_FILES_CHANGED"),
        ({"max_changed_lines": 10}, "PRAXI_CI_MAX_CHANGED_LINES"),
        ({"max_iterations": 6}, "PRAXI_CI_MAX_ITERATIONS"),
        ({"max_self_heal_reruns": 3}, "PRAXI_CI_MAX_SELF_HEAL_RERUNS"),
    ],
)
def test_unsafe_policy_is_refused(changes: dict[str, Any], variable: str) -> None:
    problems = policy_problems(SETTINGS.model_copy(update=changes))
    assert problems
    assert all(p.startswith(variable) for p in problems)


def test_narrower_policy_is_accepted() -> None:
    settings = SETTINGS.model_copy(
        update={"allowed_fix_paths": "tests/e2e/**,playwright.config.ts", "max_files_changed": 2}
    )
    assert policy_problems(settings) == []


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("tests/e2e/a.spec.ts", True),
        ("./tests/e2e/a.spec.ts", True),
        ("playwright.config.ts", True),
        (".github/workflows/agent-engine.yml", True),
        (".github/workflows/deploy.yml", False),
        ("tests/../server/app.py", False),
        ("/tests/a.ts", False),
        ("server/app.py", False),
        ("tests\\..\\server\\app.py", False),
    ],
)
def test_path_matching_normalises_first(path: str, allowed: bool) -> None:
    assert path_allowed(path, Policy().allowed_paths) is allowed


def test_validate_triggers_detects_tampering() -> None:
    triggers = triggers_for("selector")
    triggers["policy"]["push_to_base_branch"] = True
    triggers["policy"]["fix_branch"] = "main"
    triggers["policy"]["allowed_paths"].append("server/**")
    triggers["policy"]["auto_merge"] = True
    problems = validate_triggers(triggers)
    assert "policy.push_to_base_branch must be false" in problems
    assert "policy.fix_branch must not be main or master" in problems
    assert "policy.allowed_paths must stay inside the ceiling" in problems
    assert "policy.auto_merge must be false" in problems
