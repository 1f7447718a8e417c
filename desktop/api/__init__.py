"""The desktop's only way to the server: one HTTP client with token handling."""

from desktop.api.client import ApiClient, TokenPair
from desktop.api.errors import ApiError, AuthRequired, ConnectionLost, UntrustedCertificate

__all__ = [
    "ApiClient",
    "ApiError",
    "AuthRequired",
    "ConnectionLost",
    "TokenPair",
    "UntrustedCertificate",
]
