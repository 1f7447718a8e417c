"""HTTP layer of ``server.practice``: thin; rules live in services."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["practice"])
