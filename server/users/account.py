"""A user's own account: the own password and the own name and calendar colour (issue 20,
docs/practice-settings.md).

``POST /api/users/me/password/`` with the current password and the new one. The new one
follows the rules of the users API (8–128 characters, 01 §6); a wrong current password is
a 400 on ``current_password``. Like an admin's password change (01 §6.4) it increments
``token_version``, so every refresh token of the user — on every device, this one included —
stops working; the client signs in again with the new password to go on. One transaction:
the new hash, the version, the audit entry ``user_password_change`` and the live notice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.service import record
from server.auth.passwords import hash_password, verify_password
from server.core.access import Principal
from server.core.errors import ValidationFailed
from server.core.events import publish
from server.core.fields import CharField, Serializer, regex
from server.users import render
from server.users.models import User
from server.users.scoping import is_doctor
from server.users.service import COLOR_MESSAGE

WRONG_CURRENT = "The current password is incorrect."
SAME_AS_CURRENT = "The new password must differ from the current one."
NO_CALENDAR = "Only doctors have a calendar colour."

PASSWORD_CHANGE = Serializer(
    "OwnPasswordChange",
    {
        "current_password": CharField(max_length=128, trim_whitespace=False),
        "new_password": CharField(min_length=8, max_length=128, trim_whitespace=False),
    },
)


def change_own_password(factory: sessionmaker[Session], principal: Principal, raw: Any) -> None:
    data = PASSWORD_CHANGE.validate(raw)
    with factory() as session, session.begin():
        user = session.scalar(select(User).where(User.id == principal.id).with_for_update(of=User))
        assert user is not None  # the principal loader found it a moment ago
        if not verify_password(data["current_password"], user.password_hash):
            raise ValidationFailed({"current_password": [WRONG_CURRENT]})
        if data["new_password"] == data["current_password"]:
            raise ValidationFailed({"new_password": [SAME_AS_CURRENT]})
        user.password_hash = hash_password(data["new_password"])
        user.token_version += 1
        record(session, principal, "user_password_change", meta={"target_user_id": user.id})
        publish(session, "user", user.id, "updated")


PROFILE = Serializer(
    "OwnProfile",
    {
        "first_name": CharField(max_length=150, allow_blank=True),
        "last_name": CharField(max_length=150, allow_blank=True),
        "calendar_color": CharField(
            max_length=7, validators=[regex(r"#[0-9A-Fa-f]{6}", COLOR_MESSAGE)]
        ),
    },
)


def update_own_profile(
    factory: sessionmaker[Session], principal: Principal, raw: Any
) -> dict[str, Any]:
    """``PATCH /api/users/me/profile/``: the caller's own name and — doctors only, whose
    appointments it colours — calendar colour. Answers like ``GET /api/auth/me/``."""
    data = PROFILE.validate(raw, partial=True)
    with factory() as session, session.begin():
        user = session.scalar(select(User).where(User.id == principal.id).with_for_update(of=User))
        assert user is not None
        if "calendar_color" in data and not is_doctor(user):
            raise ValidationFailed({"calendar_color": [NO_CALENDAR]})
        changed = sorted(name for name, value in data.items() if getattr(user, name) != value)
        for name in changed:
            setattr(user, name, data[name])
        record(
            session,
            principal,
            "user_update",
            meta={"target_user_id": user.id, "fields": changed, "source": "self"},
        )
        if changed:
            publish(session, "user", user.id, "updated")
        session.flush()
        return render.me(user)
