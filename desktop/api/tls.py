"""Certificate verification for ``https://`` servers, built in this one place.

By default the server certificate is checked against the operating system's trust store
(``ssl.create_default_context`` reads the Windows certificate store through
``load_default_certs``), so a server with a publicly trusted certificate needs no setting.
A practice that signs its server certificate with its own CA configures that CA file; then
only that CA is trusted, so a certificate from any other issuer is refused.
Verification is never switched off.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from desktop.i18n import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate

#: OpenSSL verify codes staff may meet, in words (other codes show OpenSSL's own text).
_REASONS = {
    9: QT_TRANSLATE_NOOP("Tls", "noch nicht gültig"),
    10: QT_TRANSLATE_NOOP("Tls", "abgelaufen"),
    18: QT_TRANSLATE_NOOP("Tls", "selbst signiert"),
    19: QT_TRANSLATE_NOOP("Tls", "von einer unbekannten Zertifizierungsstelle ausgestellt"),
    20: QT_TRANSLATE_NOOP("Tls", "von einer unbekannten Zertifizierungsstelle ausgestellt"),
    21: QT_TRANSLATE_NOOP("Tls", "von einer unbekannten Zertifizierungsstelle ausgestellt"),
    62: QT_TRANSLATE_NOOP("Tls", "für einen anderen Servernamen ausgestellt"),
    64: QT_TRANSLATE_NOOP("Tls", "für eine andere Server-Adresse ausgestellt"),
}


class CaFileError(ValueError):
    """The configured CA file cannot be used (German message)."""


def ssl_context(ca_file: Path | None) -> ssl.SSLContext:
    """The verifying context for one session: the system trust store, or only ``ca_file``.

    Raises :class:`CaFileError` when ``ca_file`` is missing or holds no PEM certificate.
    """
    if ca_file is None:
        return ssl.create_default_context()
    try:
        context = ssl.create_default_context(cafile=str(ca_file))
    except FileNotFoundError as exc:
        raise CaFileError(
            translate("Tls", "Die Zertifikatsdatei „{0}“ wurde nicht gefunden.").format(ca_file)
        ) from exc
    except (ssl.SSLError, OSError, ValueError) as exc:
        # ssl.SSLError for garbage or a key-only file, IsADirectoryError/PermissionError …
        raise CaFileError(
            translate(
                "Tls",
                "Die Datei „{0}“ enthält kein gültiges CA-Zertifikat im PEM-Format "
                "(Textdatei mit „-----BEGIN CERTIFICATE-----“).",
            ).format(ca_file)
        ) from exc
    return context


def validate_ca_file(ca_file: Path) -> None:
    """Raise :class:`CaFileError` unless ``ca_file`` can be used to verify a server."""
    ssl_context(ca_file)


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def certificate_failure(error: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure behind a transport error (httpx wraps it in
    ``httpx.ConnectError`` and httpcore's own error), if that is what it was."""
    for cause in _chain(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
    return None


def describe_certificate_failure(failure: ssl.SSLCertVerificationError) -> str:
    reason = _REASONS.get(int(getattr(failure, "verify_code", 0) or 0))
    detail = (
        translate("Tls", reason)
        if reason
        else str(getattr(failure, "verify_message", "") or failure.reason)
    )
    return translate(
        "Tls",
        "Das Zertifikat des Servers ist nicht vertrauenswürdig ({0}). Hinterlegen Sie das "
        "CA-Zertifikat der Praxis in den Verbindungseinstellungen.",
    ).format(detail)
