"""Settings (environment via pydantic-settings) and the start-up checks of spec 06 §8.3.

Problems are reported as ``VARIABLE: reason`` — never with the value, because several of the
variables are secrets.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from ci_agent.fix_policy import policy_problems

Mode = Literal["receiver", "processor", "combined"]
MODES: tuple[Mode, ...] = ("receiver", "processor", "combined")

DEFAULT_ALLOWED_FIX_PATHS = (
    "tests/**,playwright.config.ts,"
    ".github/workflows/agent-engine.yml,.github/workflows/backend-setup.yml"
)
DEFAULT_PORTS: dict[str, int] = {"receiver": 8710, "combined": 8710, "processor": 8711}
PROCESSING_WORST_CASE_S = 20.0
_LOOPBACK_NAMES = {"localhost"}


class Settings(BaseSettings):
    """All configuration of the CI agent; names follow spec 06 §9 exactly."""

    model_config = SettingsConfigDict(
        env_prefix="PRAXI_CI_",
        populate_by_name=True,
        extra="ignore",
        case_sensitive=False,
    )

    # The three original variable names are kept without prefix so existing secrets keep working.
    agent_token: str | None = Field(
        default=None, validation_alias=AliasChoices("AGENT_TOKEN", "agent_token")
    )
    developer_agent_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DEVELOPER_AGENT_URL", "developer_agent_url")
    )
    developer_agent_token: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DEVELOPER_AGENT_TOKEN", "developer_agent_token"),
    )

    host: str = "127.0.0.1"
    port: int | None = None
    logs_dir: Path = Path("logs")
    max_body_bytes: int = 10 * 1024 * 1024
    body_read_timeout_s: float = 60.0
    max_stored_log_bytes: int = 4 * 1024 * 1024
    forward_timeout_s: float = 30.0
    forward_retries: int = 2
    forward_backoff_base_s: float = 0.5
    forward_backoff_max_s: float = 4.0
    forward_total_budget_s: float = 45.0
    allow_insecure_upstream: bool = False
    lock_timeout_s: float = 5.0
    max_concurrency: int = 16
    redact: bool = True
    retention_days: int = 0
    test_dir: str = "tests/"
    backend_paths: str = "server/"
    rerun_command: str = "npx playwright test"
    fix_branch: str = "ai-fix"
    base_branch: str = "main"
    allowed_fix_paths: str = DEFAULT_ALLOWED_FIX_PATHS
    max_files_changed: int = 4
    max_changed_lines: int = 200
    max_iterations: int = 3
    max_self_heal_reruns: int = 1
    docs: bool = False
    log_level: str = "INFO"

    # --- derived, cleaned values -------------------------------------------------------
    @property
    def agent_token_value(self) -> str:
        return (self.agent_token or "").strip()

    @property
    def developer_agent_token_value(self) -> str:
        return (self.developer_agent_token or "").strip()

    def secret_values(self) -> list[str]:
        return [t for t in (self.agent_token_value, self.developer_agent_token_value) if t]

    def backend_path_list(self) -> list[str]:
        return [p.strip() for p in self.backend_paths.split(",") if p.strip()]

    def allowed_fix_path_list(self) -> list[str]:
        return [p.strip() for p in self.allowed_fix_paths.split(",") if p.strip()]

    def port_for(self, mode: str) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[mode]


def env_name(field: str) -> str:
    """The environment variable that feeds a settings field."""
    if field in {"agent_token", "developer_agent_url", "developer_agent_token"}:
        return field.upper()
    return "PRAXI_CI_" + field.upper()


class ConfigError(Exception):
    """Raised with one message per problem; messages name variables, never values."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def load_settings() -> Settings:
    """Read the environment; a type error becomes a ``ConfigError`` without the input value."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_input=False, include_url=False):
            loc = err.get("loc") or ("?",)
            field = str(loc[0])
            problems.append(f"{env_name(field)}: invalid value ({err.get('type', 'invalid')})")
        raise ConfigError(problems) from None


def is_loopback_host(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_target_url(raw: str, *, allow_insecure: bool = False) -> str:
    """Apply the URL-joining rule of spec 06 §3.3; raises ``ValueError`` with a short reason."""
    value = raw.strip()
    if not value:
        raise ValueError("missing")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a malformed port
    except ValueError:
        raise ValueError("not a valid URL") from None
    if parts.scheme not in {"http", "https"}:
        raise ValueError("scheme must be http or https")
    if not host:
        raise ValueError("URL has no host")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError("URL must not contain user info")
    if parts.query or value.endswith("?"):
        raise ValueError("URL must not contain a query")
    if parts.fragment or "#" in value:
        raise ValueError("URL must not contain a fragment")
    if parts.scheme == "http" and not allow_insecure and not is_loopback_host(host):
        raise ValueError(
            "plain http is only allowed for loopback hosts "
            "(set PRAXI_CI_ALLOW_INSECURE_UPSTREAM=true to override)"
        )
    path = parts.path.rstrip("/")
    if not path.endswith("/process-logs"):
        path = path + "/process-logs"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def redacted_url(url: str) -> str:
    """Scheme + host + path only, for logs (spec 06 §8.5)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", ""))


_TOKEN_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")


def _check_token(name: str, raw: str | None, problems: list[str], warnings: list[str]) -> None:
    value = (raw or "").strip()
    if not value:
        problems.append(f"{name}: missing")
    elif _TOKEN_BAD_CHARS.search(value):
        problems.append(f"{name}: must not contain whitespace or control characters")
    elif len(value) < 16:
        problems.append(f"{name}: must be at least 16 characters long")
    elif len(value) < 32:
        warnings.append(f"{name}: shorter than 32 characters; a longer random token is advised")


def _check_range(
    settings: Settings, field: str, low: float, high: float | None, problems: list[str]
) -> None:
    value = getattr(settings, field)
    if value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        problems.append(f"{env_name(field)}: must be {bound}")


def effective_upstream_url(settings: Settings, mode: str) -> str | None:
    """The raw upstream URL; combined mode defaults to this very process on loopback."""
    raw = settings.developer_agent_url
    if (raw is None or not raw.strip()) and mode == "combined":
        return f"http://127.0.0.1:{settings.port_for(mode)}"
    return raw


def check_settings(settings: Settings, mode: str) -> tuple[list[str], list[str]]:
    """Static checks for ``mode``; returns (problems, warnings). File-system checks are in
    ``storage.check_logs_dir`` and the lock in ``storage.ProcessorLock``."""
    problems: list[str] = []
    warnings: list[str] = []
    receives = mode in {"receiver", "combined"}
    processes = mode in {"processor", "combined"}

    if receives:
        _check_token("AGENT_TOKEN", settings.agent_token, problems, warnings)
    _check_token("DEVELOPER_AGENT_TOKEN", settings.developer_agent_token, problems, warnings)
    if (
        receives
        and settings.agent_token_value
        and settings.agent_token_value == settings.developer_agent_token_value
    ):
        warnings.append("AGENT_TOKEN and DEVELOPER_AGENT_TOKEN are equal; they should differ")

    if receives:
        raw_url = effective_upstream_url(settings, mode)
        if raw_url is None or not raw_url.strip():
            problems.append("DEVELOPER_AGENT_URL: missing")
        else:
            try:
                resolve_target_url(raw_url, allow_insecure=settings.allow_insecure_upstream)
            except ValueError as exc:
                problems.append(f"DEVELOPER_AGENT_URL: {exc}")
        _check_range(settings, "forward_timeout_s", 0.05, 600, problems)
        _check_range(settings, "forward_retries", 0, 10, problems)
        _check_range(settings, "forward_backoff_base_s", 0, 60, problems)
        _check_range(settings, "forward_backoff_max_s", 0, 600, problems)
        _check_range(settings, "forward_total_budget_s", 0.05, 3600, problems)

    port = settings.port
    if port is not None and not 0 < port < 65536:
        problems.append("PRAXI_CI_PORT: must be between 1 and 65535")
    _check_range(settings, "max_body_bytes", 1024, 1024 * 1024 * 1024, problems)
    _check_range(settings, "body_read_timeout_s", 0.05, 3600, problems)
    _check_range(settings, "max_concurrency", 1, 10000, problems)
    if settings.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        problems.append("PRAXI_CI_LOG_LEVEL: must be DEBUG, INFO, WARNING, ERROR or CRITICAL")

    if processes:
        _check_range(settings, "max_stored_log_bytes", 64 * 1024, 1024 * 1024 * 1024, problems)
        _check_range(settings, "lock_timeout_s", 0.01, 600, problems)
        _check_range(settings, "retention_days", 0, 36500, problems)
        if not settings.rerun_command.strip() or "\n" in settings.rerun_command:
            problems.append("PRAXI_CI_RERUN_COMMAND: must be a non-empty single line")
        problems.extend(policy_problems(settings))

    if mode == "combined" and not (
        settings.forward_timeout_s > settings.lock_timeout_s + PROCESSING_WORST_CASE_S
    ):
        problems.append(
            "PRAXI_CI_FORWARD_TIMEOUT_S: must be greater than PRAXI_CI_LOCK_TIMEOUT_S + 20"
        )
    return problems, warnings
