"""Tables of ``server.reminders`` (none yet)."""

from __future__ import annotations
