"""Tables of ``server.series`` (none yet)."""

from __future__ import annotations
