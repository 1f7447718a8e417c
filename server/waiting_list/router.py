"""HTTP layer of ``server.waiting_list``: thin; rules live in services."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["waiting-list"])
