"""Persistent desktop settings (QSettings: registry on Windows, an ini file elsewhere)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "PraxiApp"
APPLICATION = "PraxiApp"


class Preferences:
    """Typed access to the few values the desktop remembers between runs."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings or QSettings(ORGANIZATION, APPLICATION)

    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self.qsettings.value(key, default)
        if value is None:
            return default
        if kind is bool and isinstance(value, str):
            return value.lower() == "true"
        try:
            return kind(value)
        except (TypeError, ValueError):
            return default

    def _set(self, key: str, value: Any) -> None:
        self.qsettings.setValue(key, value)

    @property
    def server_url(self) -> str:
        return str(self._get("server/url", "", str))

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._set("server/url", value.strip())

    @property
    def ca_file(self) -> Path | None:
        """The practice's own CA for its server's certificate; ``None``: the system store."""
        value = str(self._get("server/ca_file", "", str)).strip()
        return Path(value) if value else None

    @ca_file.setter
    def ca_file(self, value: Path | None) -> None:
        self._set("server/ca_file", str(value) if value is not None else "")

    @property
    def last_username(self) -> str:
        return str(self._get("session/username", "", str))

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._set("session/username", value)

    @property
    def stay_signed_in(self) -> bool:
        return bool(self._get("session/stay_signed_in", False, bool))

    @stay_signed_in.setter
    def stay_signed_in(self, value: bool) -> None:
        self._set("session/stay_signed_in", value)

    @property
    def slot_minutes(self) -> int:
        value = int(self._get("calendar/slot_minutes", 15, int))
        return value if value in (5, 10, 15, 30) else 15

    @slot_minutes.setter
    def slot_minutes(self, value: int) -> None:
        self._set("calendar/slot_minutes", value)

    @property
    def color_by_type(self) -> bool:
        return bool(self._get("calendar/color_by_type", False, bool))

    @color_by_type.setter
    def color_by_type(self, value: bool) -> None:
        self._set("calendar/color_by_type", value)

    @property
    def calendar_mode(self) -> str:
        value = str(self._get("calendar/mode", "day", str))
        return value if value in ("day", "week", "month", "resources") else "day"

    @calendar_mode.setter
    def calendar_mode(self, value: str) -> None:
        self._set("calendar/mode", value)

    @property
    def last_page(self) -> str:
        return str(self._get("window/page", "calendar", str))

    @last_page.setter
    def last_page(self, value: str) -> None:
        self._set("window/page", value)

    @property
    def geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)
