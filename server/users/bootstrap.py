"""Admin bootstrap from ``PRAXI_ADMIN_USERNAME`` / ``PRAXI_ADMIN_PASSWORD`` (01 §7.1)."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from server.core.errors import ValidationFailed
from server.settings import Settings
from server.users import service

log = logging.getLogger(__name__)


class BootstrapError(RuntimeError):
    """The configured admin cannot be created; the server must not start."""


def bootstrap_admin(settings: Settings, factory: sessionmaker[Session]) -> None:
    username = settings.admin_username
    password = settings.admin_password.get_secret_value() if settings.admin_password else None
    if not username and not password:
        return
    if not username or not password:
        log.warning(
            "only one of PRAXI_ADMIN_USERNAME and PRAXI_ADMIN_PASSWORD is set; "
            "no admin account is created"
        )
        return
    if len(password) < 8:
        raise BootstrapError("PRAXI_ADMIN_PASSWORD must be at least 8 characters long")
    data = service.USER_CREATE.validate({"username": username, "password": password})
    with factory() as session, session.begin():
        if service.find_by_username(session, username) is not None:
            return
        try:
            service.create_user(
                session, data, actor=None, source="bootstrap", role_override="admin"
            )
        except ValidationFailed as exc:
            raise BootstrapError(f"cannot create the bootstrap admin: {exc.body}") from exc
    log.info("created the bootstrap admin account %s", username)
