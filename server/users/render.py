"""JSON shapes of users and roles (01 §3.1, §3.3, §6)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from server.core.timefmt import format_datetime
from server.users.models import Role, User


def role_object(role: Role | None) -> dict[str, Any] | None:
    if role is None:
        return None
    return {"id": role.id, "name": role.name, "label": role.label}


def login_user(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": role_object(user.role),
    }


def me(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "calendar_color": user.calendar_color,
        "role": role_object(user.role),
    }


def managed_user(user: User, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role_name,
        "calendar_color": user.calendar_color,
        "is_active": user.is_active,
        "vacation_days_per_year": user.vacation_days_per_year,
        "date_joined": format_datetime(user.date_joined, tz),
        "last_login": format_datetime(user.last_login, tz) if user.last_login else None,
    }
