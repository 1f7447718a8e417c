"""Feed tokens: random, shown once, stored only as their SHA-256.

A token is 32 random bytes (``secrets.token_urlsafe``: 43 URL-safe characters, 256 bits), so
guessing one is hopeless and a plain (unsalted) SHA-256 is enough to make a stolen database
row useless as a URL. The row is found by its hash (a unique index); the hashes are then
compared once more with ``hmac.compare_digest``, so no byte-by-byte comparison of secret
material happens in Python (the index lookup only ever sees the hash, which tells an
attacker nothing about a valid token).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything else is no token of ours.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return _TOKEN_SHAPE.fullmatch(token) is not None


def matches(token: str, stored_hash: str) -> bool:
    """Whether ``token`` is the one whose hash was stored (constant-time comparison)."""
    return hmac.compare_digest(hash_token(token), stored_hash)
