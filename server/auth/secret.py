"""The JWT signing secret: ``PRAXI_SECRET_KEY`` or one generated per installation (01 §3.5)."""

from __future__ import annotations

import os
import secrets

from server.settings import Settings

SECRET_FILE_NAME = "secret-key"  # noqa: S105 - a file name, not a secret


def load_or_create_secret(settings: Settings) -> str:
    if settings.secret_key is not None:
        value = settings.secret_key.get_secret_value()
        if len(value) < 32:
            raise RuntimeError("PRAXI_SECRET_KEY must be at least 32 characters long")
        return value
    path = settings.data_dir / SECRET_FILE_NAME
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several workers start at once, exactly one writes the file.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48))
    value = path.read_text(encoding="utf-8").strip()
    if len(value) < 32:
        raise RuntimeError(f"the secret in {path} is too short; delete the file to regenerate it")
    return value
