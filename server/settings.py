"""Server settings, read from ``PRAXI_*`` environment variables (pydantic-settings).

Every setting has a default that suits the embedded single-PC mode; central mode sets
``PRAXI_DATABASE_URL`` (and usually ``PRAXI_SECRET_KEY``). An optional ``praxi.toml`` in the
data directory is read as well (environment variables win).
"""

from __future__ import annotations

import functools
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "PraxiApp"


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

    login_max_failures: int = Field(default=10, ge=1)
    login_max_failures_per_address: int = Field(default=50, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)

    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    backup_auto: bool = True
    backup_retention: int = Field(default=14, ge=1)

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
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def http_setup_enabled(self) -> bool:
        """HTTP setup defaults to on only when the server listens on loopback (01 §7.3)."""
        if self.allow_http_setup is not None:
            return self.allow_http_setup
        return self.host in {"127.0.0.1", "localhost", "::1"}

    def with_overrides(self, **changes: Any) -> Settings:
        return self.model_copy(update=changes)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
