"""Tables of ``server.calendar_feeds`` (none yet)."""

from __future__ import annotations
