"""Tables of ``server.practice`` (none yet)."""

from __future__ import annotations
