"""The server's notion of "now" (00 §6 test hook: ``PRAXI_TEST_NOW`` when ``PRAXI_TESTING``)."""

from __future__ import annotations

from datetime import UTC, datetime

from server.settings import Settings


def now(settings: Settings) -> datetime:
    if settings.testing and settings.test_now is not None:
        fixed = settings.test_now
        return fixed if fixed.tzinfo else fixed.replace(tzinfo=settings.tz)
    return datetime.now(UTC)
