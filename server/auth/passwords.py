"""Password hashing: argon2 (argon2-cffi); legacy Django PBKDF2 hashes still verify (01 §2).

Production uses argon2id with argon2-cffi's RFC 9106 low-memory profile (t=3, m=64 MiB, p=4),
which is above the OWASP minimum (argon2id, m=19 MiB, t=2, p=1). The test suite switches to the
cheapest parameters with ``use_cheap_parameters_for_tests()`` (one call in ``tests/conftest.py``):
nothing in the application calls it, so a server process always hashes at production cost.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

PRODUCTION_PARAMETERS: Parameters = profiles.RFC_9106_LOW_MEMORY
# Same hash format (argon2id, 16-byte salt, 32-byte hash), least work: tests only.
_TEST_PARAMETERS = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=8,
    parallelism=1,
)

_parameters = PRODUCTION_PARAMETERS
_hasher = PasswordHasher.from_parameters(_parameters)


def use_cheap_parameters_for_tests() -> None:
    """Hash with the cheapest argon2id parameters in this process (the test suite only)."""
    global _hasher, _parameters
    _parameters = _TEST_PARAMETERS
    _hasher = PasswordHasher.from_parameters(_parameters)
    _dummy_hash.cache_clear()


def current_parameters() -> Parameters:
    return _parameters


@functools.cache
def _dummy_hash() -> str:
    # Verifying against this keeps the timing of "unknown user" close to "wrong password".
    return _hasher.hash("praxi-timing-equaliser")


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
            _hasher.verify(_dummy_hash(), password)
        return False
    if encoded.startswith("pbkdf2_sha256$"):
        return _verify_django_pbkdf2(password, encoded)
    try:
        return _hasher.verify(encoded, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    return encoded.startswith("pbkdf2_sha256$") or _hasher.check_needs_rehash(encoded)
