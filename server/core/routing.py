"""Finding a request's route without asking every router (issue 23).

FastAPI keeps each included router as one entry of the app's route list and asks the
entries in turn; an entry answers by trying every route it holds, with per-route
bookkeeping in the request scope. A request for a path of the twentieth router paid for the
routes of the nineteen before it: ≈ 150 µs for ``/api/doctors/``, ≈ 6 µs for
``/api/health/``.

:func:`skip_unmatchable_routers` gives each router entry one combined regular expression of
its routes' paths. When a request's path matches none of them, the entry's answer is known
without asking it (no match); otherwise it is asked as before. Order, methods (405 vs 404),
path parameters and slash redirects are decided by FastAPI exactly as without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.routing import Match
from starlette.types import Scope

MatchResult = tuple[Match, Scope]
_NO_MATCH: MatchResult = (Match.NONE, {})
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def skip_unmatchable_routers(app: FastAPI) -> int:
    """Install the path check on every included-router entry it can describe; returns how
    many. Call once all routes are added."""
    installed = 0
    entries: list[Any] = list(app.router.routes)
    for entry in entries:
        if not callable(getattr(entry, "effective_candidates", None)):
            continue  # a plain route: one regular expression already
        patterns = _path_patterns(entry)
        version = _routes_version(entry)
        if patterns is None or version is None:
            continue
        # Alternatives may name the same parameter: only whether one matches counts here.
        unnamed = (_NAMED_GROUP.sub("(?:", pattern) for pattern in patterns)
        combined = re.compile("|".join(f"(?:{pattern})" for pattern in unnamed))
        entry.matches = _checked(entry, entry.matches, combined, version)
        installed += 1
    return installed


def _checked(
    entry: Any,
    matches: Callable[[Scope], MatchResult],
    combined: re.Pattern[str],
    version: object,
) -> Callable[[Scope], MatchResult]:
    def check_path_first(scope: Scope) -> MatchResult:
        # Only where the answer is certain: plain HTTP paths (no root path to strip), and the
        # router's routes unchanged since the expression was made.
        if (
            scope["type"] == "http"
            and not scope.get("root_path")
            and combined.match(scope["path"]) is None
            and _routes_version(entry) == version
        ):
            return _NO_MATCH
        return matches(scope)

    check_path_first.__wrapped__ = matches  # type: ignore[attr-defined]
    return check_path_first


def _routes_version(entry: Any) -> object | None:
    """What changes when a route is added to the entry's router: FastAPI's own counter and
    the route count (None: unknown, then the entry is always asked). Cheap on purpose: it
    runs for every entry a request skips."""
    router = getattr(entry, "original_router", None)
    routes = getattr(router, "routes", None)
    counter = getattr(router, "_routes_version", None)
    if not isinstance(routes, list) or not isinstance(counter, int):
        return None
    return (counter, len(routes))


def _path_patterns(entry: Any) -> list[str] | None:
    """The path expressions of every route under ``entry``; None when one cannot be
    described that way (then the entry is always asked)."""
    low_priority = getattr(entry, "effective_low_priority_routes", None)
    if not callable(low_priority) or low_priority():
        return None
    patterns: list[str] = []
    for candidate in entry.effective_candidates():
        if callable(getattr(candidate, "effective_candidates", None)):
            return None  # a router inside: its changes would not show in the version
        starlette_route = getattr(candidate, "starlette_route", None)
        route = starlette_route if starlette_route is not None else candidate
        regex = getattr(route, "path_regex", None)
        if not isinstance(regex, re.Pattern):
            return None
        patterns.append(regex.pattern)
    return patterns
