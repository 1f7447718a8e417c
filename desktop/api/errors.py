"""Failures of API calls, each carrying a readable German message."""

from __future__ import annotations

from typing import Any

from desktop.api.messages import describe_error


class ApiError(Exception):
    """The server answered with an error status (4xx/5xx other than a lost session)."""

    def __init__(self, status: int, body: Any, method: str = "", path: str = "") -> None:
        self.status = status
        self.body = body
        self.method = method
        self.path = path
        super().__init__(describe_error(status, body))

    @property
    def message(self) -> str:
        return str(self)


class AuthRequired(Exception):
    """The session cannot be continued without a new sign-in (refresh failed or missing)."""

    def __init__(
        self, message: str = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich an."
    ) -> None:
        super().__init__(message)


class ConnectionLost(Exception):
    """The server could not be reached (refused, timed out, DNS …)."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(
            "Keine Verbindung zum Server. Die Anwendung versucht es automatisch erneut."
        )


class UntrustedCertificate(Exception):
    """The server's TLS certificate failed verification.

    Not a :class:`ConnectionLost`: retrying cannot help until someone configures the right
    CA file, so it is reported once instead of raising the reconnecting banner.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
