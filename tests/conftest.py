"""Suite-wide set-up, loaded before every other conftest.

Passwords are hashed with the cheapest argon2id parameters in the test processes: the suite
hashes thousands of passwords, at 0.1–0.2 s each at production cost. Production parameters are
checked by ``tests/server/test_auth.py::test_production_password_hashing_meets_the_owasp_minimum``
in a fresh interpreter, which is what a server process is.
"""

from __future__ import annotations

from server.auth.passwords import use_cheap_parameters_for_tests

use_cheap_parameters_for_tests()
