"""Server settings, read from ``PRAXI_*`` environment variables (pydantic-settings).

Every setting has a default that suits the embedded single-PC mode; central mode sets
``PRAXI_DATABASE_URL`` (and usually ``PRAXI_SECRET_KEY``). An optional ``praxi.toml`` in the
data directory is read as well (environment variables win).
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "PraxiApp"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# One allowed-host entry: a DNS name or IPv4 address, an IPv6 address (brackets optional),
# ``*`` (any host) or ``*.`` followed by a DNS name (its subdomains). No port.
_HOST_NAME = re.compile(r"(?:\*\.)?[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?")


def default_data_dir() -> Path:
    """Per-user data folder, e.g. ``%LOCALAPPDATA%\\PraxiApp`` on Windows."""
    env = os.environ.get("PRAXI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRAXI_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: SecretStr | None = None
    # The owner of the tables, for migrations, backups and restores (server.db_roles); the
    # server itself connects with ``database_url``, a role that owns nothing. Unset: one role.
    migration_database_url: SecretStr | None = None
    secret_key: SecretStr | None = None
    timezone: str = "Europe/Berlin"

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1

    jwt_access_minutes: int = Field(default=30, ge=1)
    jwt_refresh_days: int = Field(default=7, ge=1)

    admin_username: str | None = None
    admin_password: SecretStr | None = None
    allow_http_setup: bool | None = None
    trust_proxy_headers: bool = False
    trusted_proxy_hops: int = Field(default=1, ge=1)
    # Comma-separated in the environment (``NoDecode``: no JSON), a list in praxi.toml.
    allowed_hosts: Annotated[tuple[str, ...] | None, NoDecode] = None

    login_max_failures: int = Field(default=10, ge=1)
    login_max_failures_per_address: int = Field(default=50, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)

    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    backup_auto: bool = True
    backup_retention: int = Field(default=14, ge=1)

    # Appointment reminders (docs/reminders.md §8): the worker and its channels.
    reminder_worker: bool = True
    reminder_poll_seconds: float = Field(default=30.0, gt=0, le=3600)
    reminder_max_attempts: int = Field(default=5, ge=1, le=50)
    reminder_retry_seconds: float = Field(default=60.0, gt=0, le=86400)
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_ca_file: Path | None = None
    smtp_timeout: float = Field(default=15.0, gt=0, le=300)
    sms_url: str | None = None
    sms_auth_header: str = "Authorization"
    sms_auth_value: SecretStr | None = None
    sms_body_template: str = '{"to": {to}, "text": {text}, "sender": {sender}}'
    sms_content_type: str = "application/json"
    sms_sender: str = "Praxis"
    sms_timeout: float = Field(default=15.0, gt=0, le=300)

    testing: bool = False
    test_now: datetime | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _parse_allowed_hosts(cls, value: Any) -> tuple[str, ...] | None:
        if value is None:
            return None
        if isinstance(value, str):
            if not value.strip():
                return None  # PRAXI_ALLOWED_HOSTS= (empty) means unset
            items: list[Any] = value.split(",")
        elif isinstance(value, list | tuple):
            items = list(value)
        else:
            raise ValueError("PRAXI_ALLOWED_HOSTS must be comma-separated host names")
        hosts: list[str] = []
        for item in items:
            if not isinstance(item, str):
                raise ValueError("PRAXI_ALLOWED_HOSTS must be comma-separated host names")
            host = _normalise_allowed_host(item)
            if host and host not in hosts:
                hosts.append(host)
        if not hosts:
            raise ValueError("PRAXI_ALLOWED_HOSTS lists no host name")
        return tuple(hosts)

    @model_validator(mode="after")
    def _certificate_and_key_together(self) -> Settings:
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            raise ValueError("PRAXI_SSL_CERTFILE and PRAXI_SSL_KEYFILE must be set together")
        return self

    @model_validator(mode="after")
    def _test_clock_only_when_testing(self) -> Settings:
        if not self.testing:
            self.test_now = None
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = default_data_dir() / "praxi.toml"
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def owner_database_url(self) -> SecretStr | None:
        """Who runs migrations, backups and restores: the owner role, if a separate one is
        configured (server.db_roles)."""
        return self.migration_database_url or self.database_url

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def http_setup_enabled(self) -> bool:
        """HTTP setup defaults to on only when the server listens on loopback (01 §7.3)."""
        if self.allow_http_setup is not None:
            return self.allow_http_setup
        return self.listens_on_loopback

    @property
    def listens_on_loopback(self) -> bool:
        return self.host in LOOPBACK_HOSTS

    @property
    def effective_allowed_hosts(self) -> tuple[str, ...] | None:
        """Host names the ``Host`` header may carry; ``None`` = any.

        Unset: the loopback names when the server listens on loopback (embedded mode), any
        host otherwise (central mode; ``serve`` warns)."""
        if self.allowed_hosts is not None:
            return None if "*" in self.allowed_hosts else self.allowed_hosts
        return LOOPBACK_HOSTS if self.listens_on_loopback else None

    def with_overrides(self, **changes: Any) -> Settings:
        return self.model_copy(update=changes)


def _normalise_allowed_host(item: str) -> str:
    """One ``PRAXI_ALLOWED_HOSTS`` entry, lower-cased, IPv6 without brackets; '' if blank."""
    host = item.strip().lower()
    if not host or host == "*":
        return host
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        with contextlib.suppress(ValueError):
            return str(ipaddress.IPv6Address(host))
    elif _HOST_NAME.fullmatch(host):
        return host
    raise ValueError(
        f"PRAXI_ALLOWED_HOSTS: {item.strip()!r} is not a host name "
        "(expected e.g. 'praxis.example.org,192.168.1.10' — no ports, no URLs; "
        "'*' for any host, '*.praxis.local' for its subdomains)"
    )


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
