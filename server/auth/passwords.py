"""Password hashing: argon2 (argon2-cffi); legacy Django PBKDF2 hashes still verify (01 §2)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
# Verifying against this keeps the timing of "unknown user" close to "wrong password".
_DUMMY_HASH = _hasher.hash("praxi-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify_django_pbkdf2(password: str, encoded: str) -> bool:
    try:
        algorithm, iterations, salt, expected = encoded.split("$", 3)
    except ValueError:
        return False
    if algorithm != "pbkdf2_sha256":
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(base64.b64encode(digest).decode().strip(), expected)


def verify_password(password: str, encoded: str | None) -> bool:
    if encoded is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return False
    if encoded.startswith("pbkdf2_sha256$"):
        return _verify_django_pbkdf2(password, encoded)
    try:
        return _hasher.verify(encoded, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    return encoded.startswith("pbkdf2_sha256$") or _hasher.check_needs_rehash(encoded)
