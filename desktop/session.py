"""The signed-in session: who is signed in, with which role, and keeping the refresh token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from desktop import credentials
from desktop.api.client import ApiClient, TokenPair
from desktop.config import Preferences
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.live import LiveEvents
from desktop.ops import Op, Ops

#: Role name → German label (untranslated source text; show it through :func:`role_label`).
ROLE_LABELS = {
    "admin": QT_TRANSLATE_NOOP("Roles", "Administrator"),
    "assistant": QT_TRANSLATE_NOOP("Roles", "MFA"),
    "doctor": QT_TRANSLATE_NOOP("Roles", "Arzt"),
    "billing": QT_TRANSLATE_NOOP("Roles", "Abrechnung"),
    "nurse": QT_TRANSLATE_NOOP("Roles", "Pflege"),
    "reception": QT_TRANSLATE_NOOP("Roles", "Empfang"),
    "lab": QT_TRANSLATE_NOOP("Roles", "Labor"),
    "management": QT_TRANSLATE_NOOP("Roles", "Verwaltung"),
}
NO_ROLE = QT_TRANSLATE_NOOP("Roles", "ohne Rolle")


def role_label(role: str | None) -> str:
    """The role as users read it ("ohne Rolle" for none; unknown names as they are)."""
    if not role:
        return QCoreApplication.translate("Roles", NO_ROLE)
    label = ROLE_LABELS.get(role)
    return QCoreApplication.translate("Roles", label) if label is not None else role


@dataclass(frozen=True)
class User:
    id: int
    username: str
    first_name: str
    last_name: str
    role: str | None
    calendar_color: str | None = None

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.username

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> User:
        role = body.get("role")
        return cls(
            id=int(body["id"]),
            username=str(body["username"]),
            first_name=str(body.get("first_name") or ""),
            last_name=str(body.get("last_name") or ""),
            role=role.get("name") if isinstance(role, dict) else role,
            calendar_color=body.get("calendar_color"),
        )


class Session(QObject):
    signed_in = Signal(object)  # User
    signed_out = Signal()

    def __init__(
        self, client: ApiClient, prefs: Preferences, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.prefs = prefs
        self.ops = Ops(client, self)
        #: The session's one ``/api/events/`` subscription, feeding ``ops.changed``.
        self.live = LiveEvents(client, self.ops, self)
        self.user: User | None = None
        self.remember = prefs.stay_signed_in
        client.on_tokens_changed = self._tokens_changed

    @property
    def server_url(self) -> str:
        return self.client.base_url

    def _tokens_changed(self, tokens: TokenPair | None) -> None:
        """Worker thread: rotation replaces the stored refresh token (01 §3.2)."""
        username = self.prefs.last_username
        if not username or not self.remember:
            return
        if tokens is not None:
            credentials.store_refresh_token(self.server_url, username, tokens.refresh)

    def login(self, username: str, password: str, remember: bool) -> Op:
        """Sign in; ``success`` receives the :class:`User`."""
        self.prefs.last_username = username
        self.remember = remember
        self.prefs.stay_signed_in = remember
        if not remember:
            credentials.forget_refresh_token(self.server_url, username)

        def work(api: ApiClient) -> User:
            api.login(username, password)
            return User.from_json(api.get("/api/auth/me/"))

        return self.ops.run(work, self).public().success(self._became_signed_in)

    def try_resume(self) -> Op | None:
        """Sign in silently with the stored refresh token, if there is one."""
        username = self.prefs.last_username
        if not (username and self.prefs.stay_signed_in):
            return None
        token = credentials.load_refresh_token(self.server_url, username)
        if not token:
            return None
        self.remember = True

        def work(api: ApiClient) -> User:
            api.resume(token)
            return User.from_json(api.get("/api/auth/me/"))

        return self.ops.run(work, self).public().success(self._became_signed_in)

    def _became_signed_in(self, user: User) -> None:
        self.user = user
        self.live.start()
        self.signed_in.emit(user)

    def logout(self) -> Op:
        """Revoke the session on the server and delete the stored token."""
        username = self.prefs.last_username
        self.live.stop()
        credentials.forget_refresh_token(self.server_url, username)
        self.remember = False
        self.prefs.stay_signed_in = False

        def done(_: Any) -> None:
            self.user = None
            self.signed_out.emit()

        return (
            self.ops.run(lambda api: api.logout(), self)
            .public()
            .success(done)
            .failure(lambda _error: done(None))
        )
