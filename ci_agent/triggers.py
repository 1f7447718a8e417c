"""``triggers.json`` and its self-heal safety policy (spec 06 §7).

The policy's invariants and their start-up check (``policy_problems``) are in ``fix_policy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ci_agent.analysis.plans import rerun_command
from ci_agent.analysis.rules import CATEGORIES, TEST_CATEGORIES
from ci_agent.fix_policy import BOUNDS, PROTECTED_BRANCHES
from ci_agent.paths import entry_within_ceiling

if TYPE_CHECKING:
    from ci_agent.config import Settings

PATH_RULES = (
    "repo-relative POSIX path, no '..' segment, no leading '/', no symlink; "
    "matched after normalisation"
)


@dataclass(frozen=True)
class Policy:
    fix_branch: str = "ai-fix"
    base_branch: str = "main"
    allowed_paths: tuple[str, ...] = (
        "tests/**",
        "playwright.config.ts",
        ".github/workflows/agent-engine.yml",
        ".github/workflows/backend-setup.yml",
    )
    max_files_changed: int = 4
    max_changed_lines: int = 200
    max_iterations: int = 3
    max_self_heal_reruns: int = 1

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            fix_branch=settings.fix_branch.strip(),
            base_branch=settings.base_branch.strip(),
            allowed_paths=tuple(settings.allowed_fix_path_list()),
            max_files_changed=settings.max_files_changed,
            max_changed_lines=settings.max_changed_lines,
            max_iterations=settings.max_iterations,
            max_self_heal_reruns=settings.max_self_heal_reruns,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "fix_branch": self.fix_branch,
            "base_branch": self.base_branch,
            # Fixed invariants: not configurable on purpose.
            "push_to_base_branch": False,
            "allowed_paths": list(self.allowed_paths),
            "path_rules": PATH_RULES,
            "max_files_changed": self.max_files_changed,
            "max_changed_lines": self.max_changed_lines,
            "max_iterations": self.max_iterations,
            "max_self_heal_reruns": self.max_self_heal_reruns,
            "tests_must_pass_before_push": True,
            "human_review_required": True,
            "auto_merge": False,
            "on_violation": "abort_without_push",
        }


def _self_heal(
    analysis: dict[str, Any], policy: Policy, base_command: str
) -> tuple[dict[str, Any], bool]:
    category = analysis["classification"]["category"]
    info = CATEGORIES[category]
    run_attempt = int(analysis["run_attempt"])
    eligible = bool(info.self_heal_actions)
    if eligible and run_attempt > policy.max_self_heal_reruns:
        eligible = False
        reason = (
            f"run_attempt {run_attempt} exceeds max_self_heal_reruns "
            f"{policy.max_self_heal_reruns}; no self-heal loop on re-runs"
        )
    elif eligible:
        reason = f"category '{category}' has a {info.transient} transient likelihood"
    elif category in TEST_CATEGORIES:
        reason = f"category '{category}' needs a test change; a rerun alone cannot fix it"
    else:
        reason = (
            f"category '{category}' needs a configuration or code change; "
            "a rerun alone cannot fix it"
        )
    rerun = None
    if eligible:
        targets = analysis["fix_agent_instructions"]["failing_test_targets"]
        pairs = [(t["repo_path"], t["line"]) for t in targets]
        command = rerun_command(pairs, base_command)
        rerun = {
            "max_attempts": policy.max_self_heal_reruns,
            "mode": "full" if command == base_command else "subset",
            "targets": targets if command != base_command else [],
            "command": command,
        }
    block = {
        "eligible": eligible,
        "reason": reason,
        "code_changes_allowed": False,
        "actions": list(info.self_heal_actions) if eligible else [],
        "rerun": rerun,
    }
    return block, eligible


def should_trigger(analysis: dict[str, Any]) -> bool:
    failed = analysis["status_normalized"] == "failed"
    return bool(failed and analysis["classification"]["category"] != "missing_logs")


def trigger_flags(analysis: dict[str, Any], policy: Policy, base_command: str) -> dict[str, bool]:
    """The ``triggers`` booleans (all false when no ``triggers.json`` is written)."""
    if not should_trigger(analysis):
        return {"self_heal": False, "fix_agent": False, "pr_instructions": False}
    _, self_heal = _self_heal(analysis, policy, base_command)
    fix_agent = analysis["flakiness"]["verdict"] != "flaky_only"
    return {"self_heal": self_heal, "fix_agent": fix_agent, "pr_instructions": fix_agent}


def build_triggers(
    analysis: dict[str, Any], policy: Policy, base_command: str, triggered_at: str
) -> dict[str, Any]:
    """``triggers.json`` for a failed run (spec 06 §7.1)."""
    classification = analysis["classification"]
    fix = analysis["fix_agent_instructions"]
    self_heal, _ = _self_heal(analysis, policy, base_command)
    flags = trigger_flags(analysis, policy, base_command)
    pr = analysis["pr_instructions"]
    return {
        "schema_version": 2,
        "triggered_at": triggered_at,
        "run_id": analysis["run_id"],
        "run_attempt": analysis["run_attempt"],
        "job_name": analysis["job_name"],
        "branch": analysis["branch"],
        "commit": analysis["commit"],
        "status": analysis["status"],
        "status_normalized": analysis["status_normalized"],
        "payload_sha256": analysis["payload_sha256"],
        "analysis_file": "analysis.json",
        "category": classification["category"],
        "error_type": classification["error_type"],
        "triggers": flags,
        "self_heal": self_heal,
        "fix_agent": {
            "eligible": flags["fix_agent"],
            "strategy": fix["strategy"],
            "automatable": fix["automatable"],
            "targets": fix["failing_test_targets"],
            "editable_paths": fix["editable_paths"],
        },
        "pr": {
            "head": policy.fix_branch,
            "base": policy.base_branch,
            "title": pr["title"],
            "body": pr["body"],
            "draft": True,
        },
        "policy": policy.as_json(),
    }


def validate_triggers(doc: dict[str, Any]) -> list[str]:
    """Check the safety fields of a ``triggers.json`` document (for consumers and tests)."""
    problems: list[str] = []
    policy = doc.get("policy", {})
    if policy.get("push_to_base_branch") is not False:
        problems.append("policy.push_to_base_branch must be false")
    fix_branch = policy.get("fix_branch")
    if not isinstance(fix_branch, str) or fix_branch.lower() in PROTECTED_BRANCHES:
        problems.append("policy.fix_branch must not be main or master")
    if fix_branch == policy.get("base_branch"):
        problems.append("policy.fix_branch must differ from policy.base_branch")
    paths = policy.get("allowed_paths")
    if not isinstance(paths, list) or not all(
        isinstance(p, str) and entry_within_ceiling(p) for p in paths
    ):
        problems.append("policy.allowed_paths must stay inside the ceiling")
    for field, (low, high) in BOUNDS.items():
        value = policy.get(field)
        if not isinstance(value, int) or not low <= value <= high:
            problems.append(f"policy.{field} must be between {low} and {high}")
    for field, expected in (
        ("tests_must_pass_before_push", True),
        ("human_review_required", True),
        ("auto_merge", False),
    ):
        if policy.get(field) is not expected:
            problems.append(f"policy.{field} must be {str(expected).lower()}")
    if doc.get("self_heal", {}).get("code_changes_allowed") is not False:
        problems.append("self_heal.code_changes_allowed must be false")
    pr = doc.get("pr", {})
    if pr.get("head") != fix_branch or pr.get("head") == pr.get("base"):
        problems.append("pr.head must be the fix branch and differ from pr.base")
    return problems
