"""Delivery channels: e-mail over SMTP and SMS through an HTTP gateway (docs/reminders.md §8).

Real network clients configured from ``Settings``. A failure raises :class:`SendError` with a
German text for the practice (no address, no secret, no server reply text: those can carry
the recipient) and whether retrying can help.
"""

from __future__ import annotations

import json
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

import httpx

from server.settings import LOOPBACK_HOSTS, Settings

UNENCRYPTED_SMTP = (
    "Unverschlüsseltes SMTP (PRAXI_SMTP_SECURITY=none) nur zu einem Server auf diesem Rechner."
)
UNENCRYPTED_SMS = "Das SMS-Gateway muss über https erreichbar sein (http nur auf diesem Rechner)."


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    # Stable per reminder (``praxi-reminder-<id>``): the e-mail's Message-ID, the SMS body's
    # ``{reference}``.
    reference: str = ""


class Channel(Protocol):
    @property
    def configured(self) -> bool: ...

    def address_of(self, email: str | None, phone: str | None) -> str | None: ...

    def send(self, message: Message) -> None: ...


class EmailChannel:
    not_configured = "E-Mail-Versand ist am Server nicht eingerichtet."
    no_address = "Keine E-Mail-Adresse beim Patienten hinterlegt."

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def configured(self) -> bool:
        return bool(self.settings.smtp_host and self.settings.smtp_from)

    def address_of(self, email: str | None, phone: str | None) -> str | None:
        text = (email or "").strip()
        return text if "@" in text else None

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.smtp_ca_file is not None:
            context.load_verify_locations(cafile=str(self.settings.smtp_ca_file))
        return context

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.smtp_host is not None
        if s.smtp_security == "tls":
            return smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout, context=self._tls_context()
            )
        client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        if s.smtp_security == "starttls":
            client.ehlo()
            client.starttls(context=self._tls_context())
            client.ehlo()
        return client

    def send(self, message: Message) -> None:
        s = self.settings
        if s.smtp_security == "none" and s.smtp_host not in LOOPBACK_HOSTS:
            # Addresses and appointment times leave the practice only encrypted.
            raise SendError(UNENCRYPTED_SMTP, permanent=True)
        mail = EmailMessage()
        mail["From"] = s.smtp_from
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        domain = (s.smtp_from or "praxi").rpartition("@")[2]
        mail["Message-ID"] = (
            f"<{message.reference}@{domain}>" if message.reference else make_msgid(domain=domain)
        )
        mail.set_content(message.body, charset="utf-8")
        try:
            with self._connect() as client:
                if s.smtp_username:
                    password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                    client.login(s.smtp_username, password)
                client.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"Anmeldung am SMTP-Server fehlgeschlagen ({exc.smtp_code}).", permanent=True
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            code = codes[0] if codes else 550
            raise SendError(
                f"SMTP-Server lehnte den Empfänger ab ({code}).", permanent=code >= 500
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise SendError(
                f"SMTP-Server lehnte ab ({exc.smtp_code}).", permanent=exc.smtp_code >= 500
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise SendError(
                "SMTP-Server unterstützt STARTTLS oder die Anmeldung nicht.", permanent=False
            ) from None
        except ssl.SSLError:
            failure = "TLS-Verbindung zum SMTP-Server fehlgeschlagen."
            raise SendError(failure, permanent=False) from None
        except (smtplib.SMTPException, OSError):
            raise SendError("SMTP-Server nicht erreichbar.", permanent=False) from None


_PHONE_NOISE = re.compile(r"[\s/\-().]")
_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")


def normalise_phone(raw: str | None) -> str | None:
    """E.164 from a German-style number: ``0171 1234567`` → ``+491711234567``."""
    text = _PHONE_NOISE.sub("", raw or "")
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("0"):
        text = "+49" + text[1:]
    return text if _PHONE.fullmatch(text) else None


class SmsChannel:
    not_configured = "SMS-Versand ist am Server nicht eingerichtet."
    no_address = "Keine gültige Mobilnummer beim Patienten hinterlegt."

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self._client = client

    @property
    def configured(self) -> bool:
        return bool(self.settings.sms_url)

    def address_of(self, email: str | None, phone: str | None) -> str | None:
        return normalise_phone(phone)

    def request_body(self, message: Message) -> str:
        # The template is JSON (or form text) with literal braces; only the three tokens are
        # replaced, each by a JSON string, so a quote in a practice name cannot break out.
        body = self.settings.sms_body_template
        for token, value in (
            ("{to}", message.to),
            ("{text}", message.body),
            ("{sender}", self.settings.sms_sender),
            ("{reference}", message.reference),
        ):
            body = body.replace(token, json.dumps(value, ensure_ascii=False))
        return body

    def send(self, message: Message) -> None:
        s = self.settings
        assert s.sms_url is not None
        try:
            url = httpx.URL(s.sms_url)
        except httpx.InvalidURL:
            raise SendError("Die URL des SMS-Gateways ist ungültig.", permanent=True) from None
        if url.scheme != "https" and not (url.scheme == "http" and url.host in LOOPBACK_HOSTS):
            raise SendError(UNENCRYPTED_SMS, permanent=True)
        headers = {"Content-Type": s.sms_content_type}
        if s.sms_auth_value is not None:
            headers[s.sms_auth_header] = s.sms_auth_value.get_secret_value()
        content = self.request_body(message).encode("utf-8")
        if self._client is None:
            self._client = httpx.Client(timeout=s.sms_timeout)
        try:
            response = self._client.post(s.sms_url, content=content, headers=headers)
        except httpx.TimeoutException:
            raise SendError("SMS-Gateway antwortete nicht rechtzeitig.", permanent=False) from None
        except httpx.HTTPError:
            raise SendError("SMS-Gateway nicht erreichbar.", permanent=False) from None
        status = response.status_code
        if 200 <= status < 300:
            return
        retry = status == 429 or status >= 500 or status == 408
        raise SendError(f"SMS-Gateway antwortete mit HTTP {status}.", permanent=not retry)
