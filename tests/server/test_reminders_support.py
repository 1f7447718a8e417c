"""Real local servers for the reminder tests and benches: an SMTP server (aiosmtpd) and an
SMS gateway (``http.server``), both on loopback. No tests here."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """What the SMTP server accepted."""

    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    refuse_with: str | None = None  # e.g. "550 no such user"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 — aiosmtpd's hook name
        self, server: Any, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
        return "250 Message accepted"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.logins.clear()
            self.refuse_with = None


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox
    ca_file: Path | None


def _authenticator(mailbox: Mailbox, username: str, password: str) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            ok = data.login.decode() == username and data.password.decode() == password
            if ok:
                mailbox.logins.append(username)
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    return check


@contextmanager
def smtp_server(
    tmp_dir: Path,
    *,
    tls: str = "none",
    username: str | None = None,
    password: str | None = None,
) -> Iterator[SmtpServer]:
    """``tls``: ``none``, ``starttls`` or ``implicit``; a trustme CA signs the certificate."""
    mailbox = Mailbox()
    options: dict[str, Any] = {}
    ca_file: Path | None = None
    if tls != "none":
        import trustme

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        ca_file = tmp_dir / "smtp-ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        if tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        else:
            options["ssl_context"] = context
    if username is not None:
        options.update(
            authenticator=_authenticator(mailbox, username, password or ""),
            # aiosmtpd knows of TLS only through STARTTLS: under implicit TLS it would not
            # offer AUTH if it required TLS (the session is encrypted all the same).
            auth_required=tls != "implicit",
            auth_require_tls=tls == "starttls",
        )
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, mailbox, ca_file)
    finally:
        controller.stop()


@dataclass
class Gateway:
    """What the SMS gateway received; ``statuses`` are answered in turn (then 200)."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self) -> list[str]:
        with self.lock:
            return [json.loads(r["body"])["text"] for r in self.requests if r["status"] < 300]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.statuses.clear()


@contextmanager
def sms_gateway(delay: float = 0.0) -> Iterator[Gateway]:
    """``delay``: seconds the gateway works on a request before it accepts (records) the
    message and answers at once (a real gateway's latency; the benches use it)."""
    gateway = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real gateway

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            if delay:
                time.sleep(delay)
            with gateway.lock:
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                gateway.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                        "status": status,
                        "client": self.client_address,
                    }
                )
            payload = b'{"id": "accepted"}' if status < 300 else b'{"error": "nope"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A client killed mid-request (the crash bench) resets its connection: not news.
    server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
