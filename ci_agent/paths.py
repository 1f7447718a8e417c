"""Repo-relative path policy used for ``allowed_paths`` (spec 06 §7.2)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

CEILING = ("tests/**", "playwright.config.ts", ".github/workflows/**")


def normalise_repo_path(path: str) -> str | None:
    """POSIX separators, ``.`` collapsed; ``None`` for ``..``, absolute or empty paths."""
    text = path.strip().replace("\\", "/")
    if not text or text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return None
    parts = text.split("/")
    if ".." in parts:
        return None
    trailing = text.endswith("/")
    kept = [p for p in parts if p not in {"", "."}]
    if not kept:
        return None
    return "/".join(kept) + ("/" if trailing else "")


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out))


def path_allowed(path: str, allowed: Iterable[str]) -> bool:
    """Normalise first, then match (a raw prefix test would let ``tests/../x`` through)."""
    normal = normalise_repo_path(path)
    if normal is None:
        return False
    return any(_glob_regex(p).fullmatch(normal) for p in allowed)


def entry_within_ceiling(entry: str) -> bool:
    """An ``allowed_paths`` entry must stay inside ``tests/**``, ``playwright.config.ts`` or
    ``.github/workflows/**``."""
    normal = normalise_repo_path(entry)
    if normal is None or normal != entry.strip().replace("\\", "/"):
        return False
    if normal == "playwright.config.ts":
        return True
    for root in ("tests/", ".github/workflows/"):
        rest = normal.removeprefix(root)
        if rest != normal and rest:
            return True
    return False
