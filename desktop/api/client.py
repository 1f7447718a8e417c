"""The HTTP client: JSON in/out, bearer tokens, transparent refresh with rotation.

Called only from worker threads (``desktop.ops``); it blocks, so the UI thread never calls it.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QCoreApplication, QThread

from desktop.api.errors import ApiError, AuthRequired, ConnectionLost, UntrustedCertificate
from desktop.api.tls import certificate_failure, describe_certificate_failure, ssl_context

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=3.0)


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def _refuse_ui_thread(method: str, path: str) -> None:
    """A blocking request on the Qt UI thread would freeze the window: fail loudly instead."""
    app = QCoreApplication.instance()
    if app is not None and QThread.currentThread() is app.thread():
        raise RuntimeError(f"{method} {path} called on the UI thread; use desktop.ops")


class ApiClient:
    """One server, one signed-in session at a time."""

    #: Refuse to run on the Qt UI thread (on by default; scripts without a UI may turn it off).
    guard_ui_thread = True

    def __init__(
        self,
        base_url: str,
        *,
        ca_file: Path | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Raises :class:`desktop.api.tls.CaFileError` when ``ca_file`` is unusable."""
        self.base_url = base_url.rstrip("/")
        self.ca_file = ca_file
        #: Built once per session and shared by every connection to this server (the
        #: live-events stream included): loading a trust store costs milliseconds.
        self.tls: ssl.SSLContext = ssl_context(ca_file)
        self._http = httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport, verify=self.tls
        )
        self._lock = threading.Lock()
        self._tokens: TokenPair | None = None
        #: Called (from a worker thread) with every new token pair, ``None`` on sign-out.
        self.on_tokens_changed: Callable[[TokenPair | None], None] | None = None

    # -- tokens -------------------------------------------------------------------------

    @property
    def tokens(self) -> TokenPair | None:
        with self._lock:
            return self._tokens

    def set_tokens(self, tokens: TokenPair | None) -> None:
        with self._lock:
            self._tokens = tokens
        if self.on_tokens_changed is not None:
            self.on_tokens_changed(tokens)

    # -- raw calls ----------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        access: str | None = None,
    ) -> httpx.Response:
        if self.guard_ui_thread:
            _refuse_ui_thread(method, path)
        headers = {"Authorization": f"Bearer {access}"} if access else {}
        try:
            return self._http.request(method, path, params=params, json=json, headers=headers)
        except httpx.TransportError as exc:
            failure = certificate_failure(exc)
            if failure is not None:
                raise UntrustedCertificate(describe_certificate_failure(failure)) from exc
            raise ConnectionLost(str(exc)) from exc

    @staticmethod
    def _decode(response: httpx.Response, method: str, path: str) -> Any:
        if response.status_code == 204 or not response.content:
            body: Any = None
        else:
            try:
                body = response.json()
            except ValueError:
                body = response.text
        if response.status_code >= 400:
            raise ApiError(response.status_code, body, method, path)
        return body

    def public(self, method: str, path: str, *, json: Any = None, params: Any = None) -> Any:
        """A call that needs no token (health, setup, login)."""
        return self._decode(self._send(method, path, json=json, params=params), method, path)

    # -- session ------------------------------------------------------------------------

    def login(self, username: str, password: str) -> dict[str, Any]:
        body = self.public(
            "POST", "/api/auth/login/", json={"username": username, "password": password}
        )
        self.set_tokens(TokenPair(body["access"], body["refresh"]))
        return dict(body["user"])

    def resume(self, refresh_token: str) -> None:
        """Start a session from a stored refresh token (raises AuthRequired if it is dead)."""
        self._refresh(refresh_token)

    def logout(self) -> None:
        tokens = self.tokens
        self.set_tokens(None)
        if tokens is not None:
            # Already revoked or expired: signing out succeeded either way.
            with contextlib.suppress(ApiError):
                self.public("POST", "/api/auth/logout/", json={"refresh": tokens.refresh})

    def _refresh(self, refresh_token: str) -> TokenPair:
        try:
            body = self.public("POST", "/api/auth/refresh/", json={"refresh": refresh_token})
        except ApiError as exc:
            if exc.status in (400, 401):
                self.set_tokens(None)
                raise AuthRequired() from exc
            raise
        pair = TokenPair(body["access"], body["refresh"])
        self.set_tokens(pair)
        return pair

    def _refresh_after_401(self, failed_access: str) -> str:
        """Refresh once per expired access token, even when several workers hit 401 at once."""
        with self._lock:
            current = self._tokens
        if current is None:
            raise AuthRequired()
        if current.access != failed_access:
            return current.access  # another worker refreshed meanwhile
        return self._refresh(current.refresh).access

    # -- authenticated calls ------------------------------------------------------------

    def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> Any:
        tokens = self.tokens
        if tokens is None:
            raise AuthRequired()
        response = self._send(method, path, params=params, json=json, access=tokens.access)
        if response.status_code == 401:
            access = self._refresh_after_401(tokens.access)
            response = self._send(method, path, params=params, json=json, access=access)
            if response.status_code == 401:
                self.set_tokens(None)
                raise AuthRequired()
        return self._decode(response, method, path)

    def get(self, path: str, **params: Any) -> Any:
        clean = {key: value for key, value in params.items() if value is not None}
        return self.request("GET", path, params=clean)

    def get_all(self, path: str, **params: Any) -> list[Any]:
        """Every page of a paginated list."""
        params = {"page_size": 500, **params}
        results: list[Any] = []
        page = 1
        while True:
            body = self.get(path, page=page, **params)
            results.extend(body["results"])
            if not body.get("next"):
                return results
            page += 1

    def post(self, path: str, json: Any = None) -> Any:
        return self.request("POST", path, json=json if json is not None else {})

    def patch(self, path: str, json: Any) -> Any:
        return self.request("PATCH", path, json=json)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)

    def health(self) -> bool:
        try:
            self.public("GET", "/api/health/")
        except (ApiError, ConnectionLost, UntrustedCertificate):
            return False
        return True

    def close(self) -> None:
        self._http.close()
