"""Realistic Playwright and Django/uvicorn log excerpts, one per classifier category."""

from __future__ import annotations

PW_HEADER = "Running 12 tests using 2 workers\n\n"


def pw_failure(file: str, line: int, title: str, error_lines: str, *, retries: int = 0) -> str:
    block = error_lines
    for k in range(1, retries + 1):
        block += (
            f"\n    Retry #{k} ───────────────────────────────────────────────\n\n" + error_lines
        )
    return (
        PW_HEADER
        + f"  1) [chromium] › {file}:{line}:7 › {title} ─────────────────────────\n\n"
        + block
        + "\n  1 failed\n"
        + f"    [chromium] › {file}:{line}:7 › {title} ─────────────────────────\n"
        + "  11 passed (1.1m)\n"
    )


STRICT = (
    "    Error: strict mode violation: getByRole('button', { name: 'Week' }) "
    "resolved to 2 elements:\n"
    "        1) <button class=\"tab\">Week</button> aka getByRole('tab', { name: 'Week' })\n"
    "        2) <button>Week</button> aka getByTestId('week-btn')\n\n"
    "      29 |   await page.goto('/calendar');\n"
    "    > 31 |   await page.getByRole('button', { name: 'Week' }).click();\n"
    "         |                                                    ^\n"
    "        at /home/runner/work/praxi/praxi/tests/e2e/calendar.spec.ts:31:5\n"
)

TRACEBACK_BE = (
    'INFO:     127.0.0.1:51234 - "POST /api/appointments/ HTTP/1.1" 500 Internal Server Error\n'
    "ERROR:    Exception in ASGI application\n"
    "Traceback (most recent call last):\n"
    '  File "/app/server/appointments/service.py", line 88, in create\n'
    "    slot = overlapping[0]\n"
    "IndexError: list index out of range\n"
)

UVICORN_OK = (
    "INFO:     Started server process [2211]\n"
    "INFO:     Waiting for application startup.\n"
    "INFO:     Application startup complete.\n"
    "INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)\n"
)

GENERIC_PW = pw_failure(
    "e2e/patients.spec.ts", 12, "Patients › list loads", "    Error: something odd happened\n"
)

# category -> (playwright_log, backend_log, status)
CASES: dict[str, tuple[str, str, str]] = {
    "missing_logs": ("", "  \n", "failure"),
    "app_config": (
        GENERIC_PW,
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY setting must not be empty\n",
        "failure",
    ),
    "dependency_missing": (
        "Error: browserType.launch: Executable doesn't exist at "
        "/ms-playwright/chromium-1105/chrome-linux/chrome\n"
        "║ Looks like Playwright Test or Playwright was just installed or updated. ║\n"
        "║ Please run the following command to download new browsers:              ║\n",
        UVICORN_OK,
        "failure",
    ),
    "env_missing": (
        "Error: E2E_USER or E2E_PASSWORD missing\n"
        "   at globalSetup (/home/runner/work/praxi/praxi/tests/global-setup.ts:9:11)\n",
        UVICORN_OK,
        "failure",
    ),
    "db_auth": (
        GENERIC_PW,
        "psycopg.OperationalError: connection failed: FATAL:  password authentication failed "
        'for user "praxi"\n',
        "failure",
    ),
    "db_connection": (
        GENERIC_PW,
        "PostgreSQL not ready after 90 seconds\n",
        "failure",
    ),
    "db_migration": (
        GENERIC_PW,
        'psycopg.errors.UndefinedTable: relation "appointments_appointment" does not exist\n'
        "LINE 1: SELECT * FROM appointments_appointment\n",
        "failure",
    ),
    "seed_data": (GENERIC_PW, "Running seed...\nDatabase seeding failed\n", "failure"),
    "backend_startup": (
        "Error: Timed out waiting 120000ms from config.webServer.\n",
        "ERROR:    [Errno 98] error while attempting to bind on address "
        "('127.0.0.1', 8000): Address already in use\n",
        "failure",
    ),
    "backend_exception": (GENERIC_PW, TRACEBACK_BE, "failure"),
    "backend_5xx": (
        GENERIC_PW,
        'INFO:     127.0.0.1:40112 - "GET /api/op-dashboard/ HTTP/1.1" 503 Service Unavailable\n',
        "failure",
    ),
    "auth_storage_state": (
        "Error: ENOENT: no such file or directory, open 'tests/fixtures/storageState.json'\n",
        UVICORN_OK,
        "failure",
    ),
    "auth_login": (
        'Error: Login failed: 400 {"non_field_errors":["Unable to log in with provided '
        'credentials."]}\n',
        UVICORN_OK,
        "failure",
    ),
    "network": (
        pw_failure(
            "e2e/login.spec.ts",
            8,
            "Login › shows form",
            "    Error: page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:3000/login\n",
        ),
        UVICORN_OK,
        "failure",
    ),
    "api_context": (
        pw_failure(
            "e2e/api.spec.ts",
            4,
            "API › lists patients",
            "    Error: apiRequestContext.get: Target page, context or browser has been closed\n",
        ),
        UVICORN_OK,
        "failure",
    ),
    "selector": (
        pw_failure("e2e/calendar.spec.ts", 24, "Calendar › shows week view", STRICT, retries=1),
        UVICORN_OK,
        "failure",
    ),
    "timeout": (
        pw_failure(
            "e2e/board.spec.ts",
            40,
            "Board › drag card",
            "    Test timeout of 30000ms exceeded.\n",
            retries=1,
        ),
        UVICORN_OK,
        "failure",
    ),
    "assertion": (
        pw_failure(
            "e2e/kpi.spec.ts",
            15,
            "KPI › shows totals",
            "    Error: expect(received).toBe(expected) // Object.is equality\n\n"
            "    Expected: 42\n    Received: 41\n",
        ),
        UVICORN_OK,
        "failure",
    ),
    "test_code": (
        pw_failure(
            "e2e/pages.spec.ts",
            3,
            "Pages › open",
            "    TypeError: Cannot read properties of undefined (reading 'click')\n",
        ),
        UVICORN_OK,
        "failure",
    ),
    "test_failure": (GENERIC_PW, UVICORN_OK, "failure"),
    "unknown": ("npm ERR! code 1\n", "INFO: done\n", "failure"),
    "none": ("Running 12 tests using 2 workers\n  12 passed (58.2s)\n", UVICORN_OK, "success"),
    "cancelled": ("Running 12 tests\n", UVICORN_OK, "cancelled"),
}
