"""Secret redaction applied to stored logs (spec 06 §8.6). Deterministic, linear-time."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"

_BEARER = re.compile(r"\b(Bearer)([ \t]+)([A-Za-z0-9\-._~+/]{1,4096}=*)", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{1,8192}\.[A-Za-z0-9_-]{0,8192}")
_URL_PASSWORD = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s:/@]{0,256}):([^\s@/]{1,256})@")
_FIELD_NAMES = r"password|access|refresh|access_token|refresh_token|token|secret"
_JSON_FIELD = re.compile(
    r"(\"(?:" + _FIELD_NAMES + r")\"\s{0,10}:\s{0,10}\")((?:[^\"\\\n]|\\.){1,4096})(\")",
    re.IGNORECASE,
)
_FORM_FIELD = re.compile(
    r"(?<![\w-])((?:" + _FIELD_NAMES + r")=)([^&\s\"']{1,4096})", re.IGNORECASE
)


def redact(text: str, literals: Iterable[str] = ()) -> tuple[str, int]:
    """Return the redacted text and the number of replacements."""
    count = 0

    for literal in sorted({v for v in literals if v}, key=len, reverse=True):
        hits = text.count(literal)
        if hits:
            text = text.replace(literal, MASK)
            count += hits

    def _sub(pattern: re.Pattern[str], group: int, replacement: str) -> None:
        nonlocal text, count

        def repl(match: re.Match[str]) -> str:
            nonlocal count
            if match.group(group) in {MASK, "***JWT***"}:
                return match.group(0)
            count += 1
            start, end = match.span(group)
            base = match.start(0)
            whole = match.group(0)
            return whole[: start - base] + replacement + whole[end - base :]

        text = pattern.sub(repl, text)

    _sub(_BEARER, 3, MASK)
    _sub(_JWT, 0, "***JWT***")
    _sub(_URL_PASSWORD, 2, MASK)
    _sub(_JSON_FIELD, 2, MASK)
    _sub(_FORM_FIELD, 2, MASK)
    return text, count
