"""The invariants of the self-heal safety policy (spec 06 §7) and their start-up check.

Shared by ``config.check_settings`` (start-up) and ``triggers`` (``triggers.json`` and its
validation); kept apart from both so that neither has to import the other at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ci_agent.paths import entry_within_ceiling

if TYPE_CHECKING:
    from ci_agent.config import Settings

PROTECTED_BRANCHES = frozenset({"main", "master"})
BOUNDS = {
    "max_files_changed": (1, 8),
    "max_changed_lines": (20, 500),
    "max_iterations": (1, 5),
    "max_self_heal_reruns": (0, 2),
}


def _valid_branch(name: str) -> bool:
    return (
        bool(name)
        and len(name) <= 255
        and not any(c.isspace() or ord(c) < 32 or c in "~^:?*[\\" for c in name)
        and ".." not in name
        and not name.startswith(("-", "/"))
        and not name.endswith(("/", ".", ".lock"))
    )


def policy_problems(settings: Settings) -> list[str]:
    """Start-up checks of the safety invariants; messages name the variable only."""
    problems: list[str] = []
    fix = settings.fix_branch.strip()
    base = settings.base_branch.strip()
    if not _valid_branch(fix):
        problems.append("PRAXI_CI_FIX_BRANCH: not a valid branch name")
    elif fix.lower() in PROTECTED_BRANCHES:
        problems.append("PRAXI_CI_FIX_BRANCH: must not be main or master")
    if not _valid_branch(base):
        problems.append("PRAXI_CI_BASE_BRANCH: not a valid branch name")
    if fix and fix == base:
        problems.append("PRAXI_CI_FIX_BRANCH: must differ from PRAXI_CI_BASE_BRANCH")
    entries = settings.allowed_fix_path_list()
    if not entries:
        problems.append("PRAXI_CI_ALLOWED_FIX_PATHS: must list at least one path")
    elif not all(entry_within_ceiling(e) for e in entries):
        problems.append(
            "PRAXI_CI_ALLOWED_FIX_PATHS: every entry must stay inside tests/**, "
            "playwright.config.ts or .github/workflows/** and must not contain '..'"
        )
    for field, (low, high) in BOUNDS.items():
        value = getattr(settings, field)
        if not low <= value <= high:
            problems.append(f"PRAXI_CI_{field.upper()}: must be between {low} and {high}")
    return problems
