"""Suite-wide set-up, loaded before every other conftest.

Passwords are hashed with the cheapest argon2id parameters in the test processes: the suite
hashes thousands of passwords, at 0.1–0.2 s each at production cost. Production parameters are
checked by ``tests/server/test_auth.py::test_production_password_hashing_meets_the_owasp_minimum``
in a fresh interpreter, which is what a server process is.
"""

from __future__ import annotations

import pytest

from server.auth.passwords import use_cheap_parameters_for_tests

use_cheap_parameters_for_tests()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the PostgreSQL server(s) this process ran the tests on (xdist workers don't report
    here; ``-n 0`` runs, such as .ci/external-postgres, do)."""
    from tests.server.conftest import SERVERS_USED

    for server in sorted(SERVERS_USED):
        terminalreporter.write_line(f"database server: {server}")
