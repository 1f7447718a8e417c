"""The versioned rule table and category table of spec 06 §6.2.1-§6.2.2."""

from __future__ import annotations

import re
from dataclasses import dataclass

RULES_VERSION = 1
MAX_LINE_CHARS = 8192
ANSI_RE = re.compile(r"\x1b\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\x1b[@-Z\\-_]")


def strip_ansi(line: str) -> str:
    return ANSI_RE.sub("", line)


@dataclass(frozen=True)
class Rule:
    priority: int
    rule_id: str
    category: str
    source: str  # "pw", "be" or "any"
    confidence: str
    pattern: re.Pattern[str] | None  # None: structural rule (TEST_FAILURE)


def _r(
    priority: int,
    rule_id: str,
    category: str,
    source: str,
    confidence: str,
    pattern: str | None,
    *,
    case_sensitive: bool = False,
) -> Rule:
    compiled = None
    if pattern is not None:
        compiled = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
    return Rule(priority, rule_id, category, source, confidence, compiled)


RULES: tuple[Rule, ...] = (
    _r(10, "APP_IMPROPERLY_CONFIGURED", "app_config", "be", "high", r"\bImproperlyConfigured\b"),
    _r(
        11,
        "APP_SETTINGS_NOT_FOUND",
        "app_config",
        "any",
        "high",
        r"settings module\b.{0,80}\bnot found|No module named '[\w.]*settings[\w.]*'",
    ),
    _r(
        12,
        "APP_SETTINGS_INVALID",
        "app_config",
        "be",
        "high",
        r"\bSystemCheckError\b|validation errors? for \w*Settings\b",
    ),
    _r(
        20,
        "PW_BROWSER_MISSING",
        "dependency_missing",
        "pw",
        "high",
        r"Executable doesn't exist at|download new browsers",
    ),
    _r(
        21,
        "JS_MODULE_NOT_FOUND",
        "dependency_missing",
        "any",
        "high",
        r"Cannot find (?:module|package) ['\"]|\bERR_MODULE_NOT_FOUND\b",
    ),
    _r(
        22,
        "PY_MODULE_NOT_FOUND",
        "dependency_missing",
        "be",
        "high",
        r"\bModuleNotFoundError: No module named\b",
    ),
    _r(
        30,
        "ENV_VAR_MISSING",
        "env_missing",
        "any",
        "high",
        r"environment variable\b.{0,80}\bnot set|\bE2E_USER or E2E_PASSWORD missing"
        r"|\"reason\":\s*\"missing-env\"",
    ),
    _r(
        40,
        "DB_AUTH_FAILED",
        "db_auth",
        "be",
        "high",
        r"\bfe_sendauth\b|password authentication failed|no password supplied",
    ),
    _r(
        50,
        "DB_UNREACHABLE",
        "db_connection",
        "be",
        "high",
        r"could not connect to server|connection to server at\b.{0,160}\bfailed"
        r"|could not translate host name|PostgreSQL not ready after \d+ seconds|\btcp_fail\b"
        r"|psycopg\.OperationalError: connection (?:failed|is bad)",
    ),
    _r(
        51,
        "DB_CONN_REFUSED",
        "db_connection",
        "be",
        "medium",
        r"\bConnection refused\b|\bconnection timed out\b|\btimeout expired\b",
    ),
    _r(
        60,
        "DB_MIGRATION",
        "db_migration",
        "be",
        "high",
        r"django\.db\.migrations\.exceptions\.\w+|\bInconsistentMigrationHistory\b"
        r"|Conflicting migrations detected|You have \d+ unapplied migration"
        r"|^\s*Migrations failed\s*$|relation \"[^\"]{1,200}\" does not exist|\bno such table\b"
        r"|column \"[^\"]{1,200}\"(?: of relation \"[^\"]{1,200}\")? does not exist"
        r"|alembic\.util\.exc\.CommandError|Can't locate revision identified by"
        r"|Target database is not up to date|\bUndefined(?:Table|Column)\b",
    ),
    _r(
        70,
        "SEED_FAILED",
        "seed_data",
        "be",
        "high",
        r"^\s*Database seeding failed\s*$|^\s*E2E user creation failed\s*$"
        r"|Unknown command: '?seed",
    ),
    _r(
        80,
        "BACKEND_NOT_READY",
        "backend_startup",
        "any",
        "high",
        r"Django server failed to start within|Backend HTTP health endpoint not ready"
        r"|\bHealthcheck failed\b|That port is already in use|Address already in use"
        r"|Application startup failed|Timed out waiting \d+ms from config\.webServer"
        r"|is already used, make sure that nothing is running on the port"
        r"|\"reason\":\s*\"health-failed-after-login\"",
    ),
    _r(
        90,
        "PY_TRACEBACK",
        "backend_exception",
        "be",
        "high",
        r"^\s*Traceback \(most recent call last\):",
        case_sensitive=True,
    ),
    _r(
        95,
        "HTTP_5XX",
        "backend_5xx",
        "be",
        "medium",
        r"\"[A-Z]{3,7} \S{1,2048} HTTP/\d(?:\.\d)?\" 5\d\d\b|Internal Server Error: /"
        r"|Server Error \(500\)",
    ),
    _r(
        100,
        "STORAGE_STATE_MISSING",
        "auth_storage_state",
        "any",
        "high",
        r"storageState\.json\b.{0,200}\b(?:ENOENT|no such file|was not created)"
        r"|(?:ENOENT|no such file)\b.{0,200}storageState\.json"
        r"|access_token not found in storageState"
        r"|\"reason\":\s*\"(?:missing-storage|redirected-to-login)\"",
    ),
    _r(
        110,
        "LOGIN_FAILED",
        "auth_login",
        "any",
        "high",
        r"\binvalid credentials\b|\blogin failed\b|Unable to log in with provided credentials"
        r"|Login response missing tokens|\"reason\":\s*\"login-(?:failed|invalid-response)\""
        r"|non_field_errors.{0,200}credentials",
    ),
    _r(
        111,
        "HTTP_401_403",
        "auth_login",
        "any",
        "medium",
        r"\b(?:status(?:[ _]?code)?[\"']?\s*[:=]\s*|HTTP/\d(?:\.\d)?\"?\s+)(?:401|403)\b"
        r"|\b401 Unauthorized\b|\b403 Forbidden\b",
    ),
    _r(
        112,
        "CSRF_FAILED",
        "auth_login",
        "any",
        "medium",
        r"CSRF (?:verification )?failed|CSRF token (?:missing|incorrect)",
    ),
    _r(120, "PW_NET_ERR", "network", "pw", "high", r"net::ERR_[A-Z_]+", case_sensitive=True),
    _r(
        121,
        "NODE_SOCKET_ERR",
        "network",
        "pw",
        "medium",
        r"\b(?:ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)\b|socket hang up",
        case_sensitive=True,
    ),
    _r(
        130,
        "PW_API_CONTEXT",
        "api_context",
        "pw",
        "medium",
        r"apiRequestContext\.\w+:|request\.newContext|API request failed",
    ),
    _r(140, "PW_STRICT_MODE", "selector", "pw", "high", r"strict mode violation"),
    _r(
        141,
        "PW_ELEMENT_NOT_FOUND",
        "selector",
        "pw",
        "high",
        r"element\(s\) not found|waiting for selector\b|\"reason\":\s*\"anchor-not-found\"",
    ),
    _r(150, "PW_TEST_TIMEOUT", "timeout", "pw", "high", r"Test timeout of \d+ms exceeded"),
    _r(151, "PW_ACTION_TIMEOUT", "timeout", "pw", "high", r"\bTimeout \d+ms exceeded"),
    _r(
        152,
        "PW_NAV_TIMEOUT",
        "timeout",
        "pw",
        "high",
        r"Navigation timeout of \d+ ?ms exceeded",
    ),
    _r(
        153,
        "PW_EXPECT_TIMEOUT",
        "timeout",
        "pw",
        "medium",
        r"Timed out \d+ms waiting for expect\(",
    ),
    _r(
        160,
        "PW_ASSERTION",
        "assertion",
        "pw",
        "medium",
        r"\bexpect\((?:received|locator|page)\)\.(?:not\.)?\w+\(",
    ),
    _r(
        170,
        "PW_TEST_CODE_ERROR",
        "test_code",
        "pw",
        "medium",
        r"\b(?:TypeError|ReferenceError|SyntaxError):|Cannot read propert(?:y|ies) of",
        case_sensitive=True,
    ),
    _r(180, "TEST_FAILURE", "test_failure", "pw", "low", None),
)

RULES_BY_ID: dict[str, Rule] = {rule.rule_id: rule for rule in RULES}
PATTERN_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.pattern is not None)


@dataclass(frozen=True)
class CategoryInfo:
    summary: str
    error_type: str  # legacy value of the later original
    legacy_error_type: str  # failure_cause.error_type of 04eb2b1
    issue: str | None
    strategy: str | None
    transient: str | None
    self_heal_actions: tuple[str, ...]


_RERUN = ("rerun_e2e_subset",)
CATEGORIES: dict[str, CategoryInfo] = {
    "missing_logs": CategoryInfo(
        "Both logs are empty.",
        "missing_logs",
        "missing_logs",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "low",
        (),
    ),
    "app_config": CategoryInfo(
        "The application settings are invalid (ImproperlyConfigured or settings check).",
        "backend-exception",
        "backend_exception",
        "DJANGO_SETTINGS_INVALID",
        "FIX_DJANGO_SETTINGS_MODULE",
        "low",
        (),
    ),
    "dependency_missing": CategoryInfo(
        "A package, module or browser binary is missing.",
        "unknown",
        "unknown",
        "MODULE_NOT_FOUND",
        "CHECK_DEPENDENCIES",
        "low",
        (),
    ),
    "env_missing": CategoryInfo(
        "A required environment variable or secret is not set.",
        "unknown",
        "unknown",
        "ENV_VARIABLE_MISSING",
        "CHECK_ENV_AND_SECRETS",
        "low",
        (),
    ),
    "db_auth": CategoryInfo(
        "The database rejected the credentials or no password was supplied.",
        "backend-exception",
        "db",
        "DB_PASSWORD_MISSING",
        "FIX_DB_ENV_VARIABLES",
        "low",
        (),
    ),
    "db_connection": CategoryInfo(
        "The database was not reachable.",
        "infra/network",
        "db",
        "DB_CONNECTION_FAILED",
        "CHECK_DB_SERVICE_AND_ENV",
        "high",
        _RERUN,
    ),
    "db_migration": CategoryInfo(
        "A database schema or migration error occurred.",
        "backend-migration",
        "db",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "low",
        (),
    ),
    "seed_data": CategoryInfo(
        "Seeding the database or creating the E2E user failed.",
        "backend-migration",
        "db",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "medium",
        ("reseed_db", "rerun_e2e_subset"),
    ),
    "backend_startup": CategoryInfo(
        "The backend server did not start, was not healthy, or its port was busy.",
        "infra/network",
        "navigation",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "high",
        _RERUN,
    ),
    "backend_exception": CategoryInfo(
        "The backend raised an unhandled Python exception.",
        "backend-exception",
        "backend_exception",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "low",
        (),
    ),
    "backend_5xx": CategoryInfo(
        "The backend answered with a 5xx status.",
        "backend-500",
        "unknown",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "low",
        (),
    ),
    "auth_storage_state": CategoryInfo(
        "The Playwright storageState file is missing or invalid, or the session was lost.",
        "auth/session",
        "auth",
        "STORAGE_STATE_MISSING",
        "FIX_AUTH_SETUP",
        "medium",
        ("regenerate_storage_state", "rerun_e2e_subset"),
    ),
    "auth_login": CategoryInfo(
        "The E2E login was rejected (credentials, 401/403 or CSRF).",
        "auth/session",
        "auth",
        "LOGIN_FAILED",
        "CREATE_TEST_USER",
        "medium",
        ("regenerate_storage_state", "reseed_db", "rerun_e2e_subset"),
    ),
    "network": CategoryInfo(
        "A browser or Node network error occurred.",
        "infra/network",
        "navigation",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "high",
        ("reseed_db", "rerun_e2e_subset"),
    ),
    "api_context": CategoryInfo(
        "A Playwright API request context call failed.",
        "unknown",
        "unknown",
        "PLAYWRIGHT_API_CONTEXT_FAILED",
        "CHECK_API_CLIENT_CONFIG",
        "medium",
        ("regenerate_storage_state", "rerun_e2e_subset"),
    ),
    "selector": CategoryInfo(
        "A Playwright locator matched nothing or several elements.",
        "frontend-selector",
        "selector",
        "PLAYWRIGHT_TEST_FAILED",
        "ANALYZE_PLAYWRIGHT_TEST",
        "low",
        (),
    ),
    "timeout": CategoryInfo(
        "A test, action, navigation or expect timed out.",
        "frontend-timing",
        "timeout",
        "PLAYWRIGHT_TEST_FAILED",
        "ANALYZE_PLAYWRIGHT_TEST",
        "high",
        ("reseed_db", "rerun_e2e_subset"),
    ),
    "assertion": CategoryInfo(
        "A value assertion failed.",
        "unknown",
        "unknown",
        "PLAYWRIGHT_TEST_FAILED",
        "ANALYZE_PLAYWRIGHT_TEST",
        "low",
        (),
    ),
    "test_code": CategoryInfo(
        "The test code raised a runtime error.",
        "unknown",
        "unknown",
        "PLAYWRIGHT_TEST_FAILED",
        "ANALYZE_PLAYWRIGHT_TEST",
        "low",
        (),
    ),
    "test_failure": CategoryInfo(
        "Failing tests were found without a more specific signature.",
        "unknown",
        "unknown",
        "PLAYWRIGHT_TEST_FAILED",
        "ANALYZE_PLAYWRIGHT_TEST",
        "low",
        (),
    ),
    "unknown": CategoryInfo(
        "The run failed, but no known failure signature was found.",
        "unknown",
        "unknown",
        "UNKNOWN",
        "NO_AUTOMATIC_FIX",
        "low",
        (),
    ),
    "none": CategoryInfo(
        "The run passed or was skipped.",
        "unknown",
        "unknown",
        None,
        None,
        None,
        (),
    ),
    "cancelled": CategoryInfo(
        "The run was cancelled.",
        "unknown",
        "unknown",
        None,
        None,
        None,
        (),
    ),
}

SETUP_CATEGORIES = frozenset(
    {"app_config", "dependency_missing", "env_missing", "db_auth", "db_migration"}
)
TEST_CATEGORIES = frozenset(
    {"selector", "timeout", "assertion", "test_code", "test_failure", "api_context"}
)
BACKEND_CATEGORIES = frozenset(
    {
        "app_config",
        "db_auth",
        "db_connection",
        "db_migration",
        "seed_data",
        "backend_startup",
        "backend_exception",
        "backend_5xx",
    }
)
AUTH_CATEGORIES = frozenset({"auth_login", "auth_storage_state"})
AUTOMATABLE_STRATEGIES = frozenset({"FIX_AUTH_SETUP", "FIX_DJANGO_SETTINGS_MODULE"})
