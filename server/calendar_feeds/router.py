"""HTTP layer of ``server.calendar_feeds``: thin; rules live in services."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["calendar-feeds"])
