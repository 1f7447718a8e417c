"""The audit chain's HMAC key: derived from the server secret, never stored in the database.

Every ``audit_log`` row's ``row_hash`` is HMAC-SHA256 over the row (``server.audit.chain``).
The database trigger computes it, but the database does not hold the key: each connection of
the server brings the two HMAC pad blocks as session settings in its start-up packet
(``-c praxi.audit_ipad=… -c praxi.audit_opad=…``; ``server.db.make_engine``). A database
superuser who edits or re-chains rows offline cannot compute valid hashes, so
``praxi-server audit-verify`` (which recomputes every hash with the key) names the first
forged row. The pads rather than the key travel so that the trigger needs only PostgreSQL's
built-in ``sha256()`` — no extension (pgcrypto) in any installation.

The key is HMAC-SHA256(server secret, ``praxi-audit-chain-v1``): every host of a central
installation shares the secret (``PRAXI_SECRET_KEY``) and so the key. Changing the secret
makes the existing chain unverifiable with the new key; see docs/audit-trail.md.
"""

from __future__ import annotations

import hashlib
import hmac

from server.auth.secret import load_or_create_secret
from server.settings import Settings

_LABEL = b"praxi-audit-chain-v1"
_BLOCK = 64  # SHA-256 block size (RFC 2104)

IPAD_SETTING = "praxi.audit_ipad"
OPAD_SETTING = "praxi.audit_opad"


def derive_audit_key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), _LABEL, hashlib.sha256).digest()


def hmac_pads(key: bytes) -> tuple[str, str]:
    """The inner and outer padded keys of RFC 2104, hex: HMAC = H(opad ‖ H(ipad ‖ m))."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    padded = key.ljust(_BLOCK, b"\0")
    ipad = bytes(byte ^ 0x36 for byte in padded)
    opad = bytes(byte ^ 0x5C for byte in padded)
    return ipad.hex(), opad.hex()


def connection_options(key: bytes) -> str:
    """libpq ``options`` that put the pads into a new session's settings."""
    ipad, opad = hmac_pads(key)
    return f"-c {IPAD_SETTING}={ipad} -c {OPAD_SETTING}={opad}"


def row_mac(key: bytes, serialised: str) -> str:
    return hmac.new(key, serialised.encode("utf-8"), hashlib.sha256).hexdigest()


def audit_key_for(settings: Settings) -> bytes:
    """The key of this installation (the secret is created on first use, as for tokens)."""
    return derive_audit_key(load_or_create_secret(settings))
