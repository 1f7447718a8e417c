"""Tables of ``server.chains`` (none yet)."""

from __future__ import annotations
