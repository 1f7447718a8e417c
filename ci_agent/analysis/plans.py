"""Fixed per-category texts for self-heal plans and fix-agent instructions (spec 06 §6.2.7)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SAFE_PATH = re.compile(r"[A-Za-z0-9_./-]+")
MAX_RERUN_TARGETS = 10
WORKFLOW_FILES = (".github/workflows/agent-engine.yml", ".github/workflows/backend-setup.yml")
TEST_DEFAULT_PATHS = ("tests/e2e/", "tests/pages/", "tests/fixtures/", "playwright.config.ts")


@dataclass(frozen=True)
class Template:
    inspect: tuple[str, ...]
    change: tuple[str, ...]
    self_heal_hint: str
    fix_hint: str
    fix_direction: str


_OTHER = Template(
    ("Read the first fatal error in both logs",),
    ("Make sure both logs are collected as artifacts",),
    "Collect more context and make sure both logs end up in the CI artifacts.",
    "Find the first fatal error and map it to the code that produced it.",
    "Locate the first fatal error, reproduce it locally and fix the code path behind it.",
)

TEMPLATES: dict[str, Template] = {
    "app_config": Template(
        ("Settings module and environment of the backend job", "Backend start-up log"),
        ("Fix the invalid or missing setting; set the settings module explicitly in CI",),
        "Check that the backend settings module and its variables are set in the CI job.",
        "Fix the settings error named in the backend log; verify the settings module path.",
        "Correct the application configuration so the settings check passes at start-up.",
    ),
    "dependency_missing": Template(
        ("Dependency installation steps", "Lock files and browser installation"),
        ("Install the missing package or run 'npx playwright install --with-deps'",),
        "Check the dependency and browser installation steps of the CI job.",
        "Add or restore the missing dependency; keep lock files in sync.",
        "Install the missing module or browser binary in the CI set-up steps.",
    ),
    "env_missing": Template(
        ("CI secrets and variables", "Environment of the failing step"),
        ("Define the missing variable or secret for the job",),
        "Check that the E2E credentials and all required variables are set in CI.",
        "Find where the variable is read and make CI provide it.",
        "Provide the missing environment variable or secret to the CI job.",
    ),
    "db_auth": Template(
        ("Database credentials in CI", "DATABASE_URL / PG* variables"),
        ("Align the database user/password of the service and the backend",),
        "Check the database credentials passed to the backend in CI.",
        "Align the DB set-up steps with the credentials the backend uses (DATABASE_URL).",
        "Make the backend use the credentials the CI database service was created with.",
    ),
    "db_connection": Template(
        ("PostgreSQL service readiness", "Database host and port settings"),
        ("Wait for database readiness before starting the backend",),
        "Check Postgres readiness and credentials; rerun once the database is healthy.",
        "Align DB set-up steps and readiness checks; check the use of DATABASE_URL.",
        "Add a readiness check for the database before migrations and server start.",
    ),
    "db_migration": Template(
        ("Migration files and their order", "Migration and seed steps of CI"),
        ("Check migration/seed order; add or fix the missing migration",),
        "Check migrations and seed order, Postgres readiness and credentials.",
        "Fix the migration error; make sure every model change has a migration.",
        "Create or repair the migration named in the backend log and rerun the migrations.",
    ),
    "seed_data": Template(
        ("Seed and E2E-user creation steps", "Backend log around the seeding"),
        ("Reseed the database; fix the seed command",),
        "Reseed the database and make sure the E2E user is created.",
        "Fix the seed or user-creation command reported in the backend log.",
        "Make the seed step idempotent and verify the E2E user exists afterwards.",
    ),
    "backend_startup": Template(
        ("Backend start-up log", "Health endpoint and port configuration"),
        ("Wait on the health endpoint instead of fixed sleeps; free the port",),
        "Replace fixed waits by health-check-driven waits; rerun when the backend is healthy.",
        "Wait explicitly for API readiness; check the start-up command and port.",
        "Make the backend start reliably and wait for its health endpoint before tests.",
    ),
    "backend_exception": Template(
        ("Traceback in the backend log", "The code path named in the traceback"),
        ("Fix the code path that raised; add a regression test",),
        "Find the traceback in the backend log and fix that code path.",
        "Reproduce from the traceback; add a regression test.",
        "Fix the backend code that raised the exception shown in the traceback.",
    ),
    "backend_5xx": Template(
        ("Backend requests answered with 5xx", "Server log entries at that time"),
        ("Fix the endpoint that answered 5xx",),
        "Find the request that answered 5xx in the backend log.",
        "Reproduce the failing request and fix the endpoint; add a regression test.",
        "Fix the endpoint that returned a server error for the E2E request.",
    ),
    "auth_storage_state": Template(
        ("Global setup / auth setup", "storageState.json creation and path"),
        ("Regenerate storageState in the auth setup; check its path",),
        "Check that CI creates the E2E user and that storageState is generated.",
        "Inspect the auth setup and storageState creation; verify the session/JWT flow.",
        "Make the auth setup write storageState.json reliably before the tests use it.",
    ),
    "auth_login": Template(
        ("E2E user creation", "Login flow, CSRF/JWT/session handling", "storageState"),
        ("Create the E2E user; fix credentials or the login flow",),
        "Check that CI creates the E2E user and the credential variables are set.",
        "Inspect the auth endpoints and storageState creation; verify the session/JWT flow.",
        "Make the E2E login succeed: user, credentials, CSRF and token handling.",
    ),
    "network": Template(
        ("Base URL and server readiness", "Network errors in the Playwright log"),
        ("Add readiness retries and use the health endpoint before navigation",),
        "Check baseURL, server readiness and network errors; rerun.",
        "Retry navigation on readiness; capture the failing responses.",
        "Ensure the app is reachable at the configured base URL before the tests start.",
    ),
    "api_context": Template(
        ("API helper and request context configuration", "Stored session tokens"),
        ("Fix the API client configuration (base URL, token)",),
        "Regenerate the stored session and rerun the affected tests.",
        "Check the API client configuration and the token it reads.",
        "Fix the Playwright API request context set-up (base URL, headers, token).",
    ),
    "selector": Template(
        ("Failing locators", "Page objects used by the failing tests"),
        ("Use role-based locators; fix strict-mode use",),
        "Make strict selectors stable; prefer role-based locators.",
        "Make locators/assertions tolerant to small UI changes.",
        "Replace ambiguous or outdated locators with stable role-based locators.",
    ),
    "timeout": Template(
        ("Slow steps of the failing tests", "Readiness of the app and API"),
        ("Use deterministic waits and readiness checks instead of fixed timeouts",),
        "Replace fixed waits by health-check-driven waits.",
        "Wait explicitly for API readiness; shorten long steps.",
        "Wait for the condition the test needs instead of a fixed time.",
    ),
    "assertion": Template(
        ("Expected and received values of the failing assertion",),
        ("Fix the test expectation or the application behaviour",),
        "A wrong value is not transient; inspect the failing assertion.",
        "Compare expected and received values; fix the test or the code.",
        "Decide whether the test expectation or the application is wrong and fix that side.",
    ),
    "test_code": Template(
        ("Test code at the error location",),
        ("Fix the runtime error in the test code",),
        "Inspect the runtime error in the test code.",
        "Fix the TypeError/ReferenceError in the test or page object.",
        "Fix the test code that raised the runtime error.",
    ),
    "test_failure": Template(
        ("Failing tests and their output",),
        ("Fix the failing tests",),
        "Inspect the failing tests; collect traces if needed.",
        "Reproduce the failing tests locally and fix them.",
        "Reproduce and fix the failing tests listed in the report.",
    ),
}


def template_for(category: str) -> Template:
    return TEMPLATES.get(category, _OTHER)


def rerun_command(targets: list[tuple[str | None, int]], base: str) -> str:
    """Only whitelisted path characters end up in the command, so it is shell-safe."""
    safe = [f"{p}:{line}" for p, line in targets if p and SAFE_PATH.fullmatch(p)]
    if not safe or len(safe) != len(targets) or len(safe) > MAX_RERUN_TARGETS:
        return base
    unique = list(dict.fromkeys(safe))
    return base + " " + " ".join(unique)
