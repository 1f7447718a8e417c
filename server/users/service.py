"""User administration (01 §6, §7): create, update, soft delete, with their audit and events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.audit.service import record
from server.auth.passwords import hash_password
from server.core.access import Principal
from server.core.errors import ValidationFailed, bad_request
from server.core.events import publish
from server.core.fields import (
    BooleanField,
    CharField,
    EmailField,
    Field,
    IntegerField,
    Serializer,
    regex,
)
from server.users.models import DEFAULT_CALENDAR_COLOR, Role, User

USERNAME_PATTERN = r"[\w.@+-]+"
USERNAME_MESSAGE = (
    "Enter a valid username. This value may contain only letters, numbers, "
    "and @/./+/-/_ characters."
)
COLOR_MESSAGE = "Enter a valid hex color (#RRGGBB)."
Source = Literal["api", "bootstrap", "cli", "setup"]


@dataclass
class RoleNameField(CharField):
    """A role name or null; existence is checked against the database by the service."""

    max_length: int | None = 64
    allow_null: bool = True


def _user_fields() -> dict[str, Field]:
    return {
        "username": CharField(
            max_length=150, validators=[regex(USERNAME_PATTERN, USERNAME_MESSAGE)]
        ),
        "password": CharField(min_length=8, max_length=128, trim_whitespace=False),
        "first_name": CharField(max_length=150, allow_blank=True, default=""),
        "last_name": CharField(max_length=150, allow_blank=True, default=""),
        "email": EmailField(allow_blank=True, default=""),
        "role": RoleNameField(default=None),
        "calendar_color": CharField(
            max_length=7,
            default=DEFAULT_CALENDAR_COLOR,
            validators=[regex(r"#[0-9A-Fa-f]{6}", COLOR_MESSAGE)],
        ),
        "is_active": BooleanField(default=True),
        "vacation_days_per_year": IntegerField(min_value=0, max_value=366, default=30),
    }


USER_CREATE = Serializer("UserCreate", _user_fields())
USER_UPDATE = Serializer("UserUpdate", _user_fields())
SETUP_ADMIN = Serializer(
    "SetupAdmin",
    {
        k: v
        for k, v in _user_fields().items()
        if k in {"username", "password", "first_name", "last_name", "email"}
    },
)


def find_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def _database_errors(
    session: Session, data: dict[str, Any], *, exclude_id: int | None
) -> tuple[dict[str, list[str]], Role | None]:
    """The field checks that need the database (uniqueness, known role), without raising."""
    errors: dict[str, list[str]] = {}
    if "username" in data:
        other = find_by_username(session, data["username"])
        if other is not None and other.id != exclude_id:
            errors["username"] = ["A user with that username already exists."]
    if data.get("email"):
        other = session.scalar(select(User).where(func.lower(User.email) == data["email"].lower()))
        if other is not None and other.id != exclude_id:
            errors["email"] = ["A user with this email already exists."]
    role: Role | None = None
    if data.get("role") is not None:
        role = session.scalar(select(Role).where(Role.name == data["role"]))
        if role is None:
            errors["role"] = [f'Unknown role "{data["role"]}".']
    return errors, role


def _check_unique_and_role(
    session: Session, data: dict[str, Any], *, exclude_id: int | None
) -> Role | None:
    """The checks that need the database, reported DRF-style all together."""
    errors, role = _database_errors(session, data, exclude_id=exclude_id)
    if errors:
        raise ValidationFailed(errors)
    return role


def validate_user_body(
    session: Session,
    serializer: Serializer,
    raw: Any,
    *,
    partial: bool = False,
    exclude_id: int | None = None,
) -> dict[str, Any]:
    """Every field's error in one 400 (01 §6): the format errors of the serializer together
    with the database checks (unique username/email, known role) of the fields that passed."""
    data, errors = serializer.collect(raw, partial=partial)
    database_errors, _ = _database_errors(session, data, exclude_id=exclude_id)
    for name, messages in database_errors.items():
        errors.setdefault(name, messages)
    if errors:
        # In field order, as the serializer alone would list them.
        order = list(serializer.fields)
        raise ValidationFailed(
            dict(sorted(errors.items(), key=lambda item: _position(order, item[0])))
        )
    return data


def _position(order: list[str], name: str) -> int:
    return order.index(name) if name in order else len(order)


_UNIQUE_MESSAGES = {
    "uq_users_username_lower": ("username", "A user with that username already exists."),
    "uq_users_email_lower": ("email", "A user with this email already exists."),
}


def _flush_unique(session: Session) -> None:
    """Flush; a unique index that a concurrent request won gives the same 400 as the check."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint in _UNIQUE_MESSAGES:
            field_name, message = _UNIQUE_MESSAGES[constraint]
            raise ValidationFailed({field_name: [message]}) from exc
        raise


def create_user(
    session: Session,
    data: dict[str, Any],
    *,
    actor: Principal | None,
    source: Source,
    role_override: str | None = None,
) -> User:
    """Validated ``data`` → new user, audit row and live event, all in the caller's transaction."""
    if role_override is not None:
        data = {**data, "role": role_override}
    role = _check_unique_and_role(session, data, exclude_id=None)
    user = User(
        username=data["username"],
        password_hash=hash_password(data["password"]),
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        email=data.get("email", ""),
        role=role,
        calendar_color=data.get("calendar_color", DEFAULT_CALENDAR_COLOR),
        is_active=data.get("is_active", True),
        vacation_days_per_year=data.get("vacation_days_per_year", 30),
    )
    session.add(user)
    _flush_unique(session)
    meta: dict[str, Any] = {"target_user_id": user.id, "username": user.username}
    if source != "api":
        meta["source"] = source
    record(session, actor, "user_create", meta=meta)
    publish(session, "user", user.id, "created")
    return user


def update_user(session: Session, user: User, data: dict[str, Any], *, actor: Principal) -> User:
    if user.id == actor.id:
        if data.get("is_active") is False:
            raise bad_request("You cannot deactivate your own account.")
        if "role" in data and data["role"] != user.role_name:
            raise bad_request("You cannot change your own role.")
    role = _check_unique_and_role(session, data, exclude_id=user.id)
    changed: set[str] = set()
    for name in ("username", "first_name", "last_name", "email", "calendar_color"):
        if name in data and getattr(user, name) != data[name]:
            setattr(user, name, data[name])
            changed.add(name)
    if (
        "vacation_days_per_year" in data
        and user.vacation_days_per_year != data["vacation_days_per_year"]
    ):
        user.vacation_days_per_year = data["vacation_days_per_year"]
        changed.add("vacation_days_per_year")
    if "role" in data and data["role"] != user.role_name:
        user.role = role
        changed.add("role")
    if "is_active" in data and data["is_active"] != user.is_active:
        user.is_active = data["is_active"]
        changed.add("is_active")
        if not user.is_active:
            user.token_version += 1
    if "password" in data:
        user.password_hash = hash_password(data["password"])
        user.token_version += 1
        changed.add("password")
    _flush_unique(session)
    record(
        session,
        actor,
        "user_update",
        meta={"target_user_id": user.id, "fields": sorted(changed)},
    )
    publish(session, "user", user.id, "updated")
    return user


def deactivate_user(session: Session, user: User, *, actor: Principal) -> None:
    if user.id == actor.id:
        raise bad_request("You cannot deactivate your own account.")
    if user.is_active:
        user.is_active = False
        user.token_version += 1
    record(session, actor, "user_delete", meta={"target_user_id": user.id})
    publish(session, "user", user.id, "updated")
