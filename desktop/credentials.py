"""The refresh token in the OS credential store (Windows Credential Manager via ``keyring``).

Never written to a plain file. Only kept when the user ticked "Angemeldet bleiben".
"""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError

log = logging.getLogger("praxi.desktop.credentials")

SERVICE = "PraxiApp"


def _account(server_url: str, username: str) -> str:
    return f"{username}@{server_url.rstrip('/')}"


def load_refresh_token(server_url: str, username: str) -> str | None:
    try:
        return keyring.get_password(SERVICE, _account(server_url, username))
    except KeyringError as exc:
        log.warning("credential store unavailable: %s", exc)
        return None


def store_refresh_token(server_url: str, username: str, token: str) -> None:
    try:
        keyring.set_password(SERVICE, _account(server_url, username), token)
    except KeyringError as exc:
        log.warning("could not store the refresh token: %s", exc)


def forget_refresh_token(server_url: str, username: str) -> None:
    # Nothing stored (PasswordDeleteError) or no backend: nothing to forget.
    with contextlib.suppress(KeyringError):
        keyring.delete_password(SERVICE, _account(server_url, username))
