"""Tables of ``server.waiting_list`` (none yet)."""

from __future__ import annotations
