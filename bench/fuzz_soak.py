"""Schema-fuzzing soak: the suite's schemathesis test with fresh random cases, scaled up.

    uv run python bench/fuzz_soak.py [SCALE]      # default 10 → ≥ 10,000 requests

Runs ``tests/server/test_schema_fuzz.py`` (live uvicorn on a seeded practice, every operation
of ``/api/schema/`` as admin and as doctor, schema-conforming and schema-violating cases) with
``PRAXI_FUZZ_RANDOM=1`` and ``PRAXI_FUZZ_SCALE=SCALE`` in one process, and prints the request
and status counts. Any 5xx (or answer outside the document) fails it, listing the cases.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    scale = sys.argv[1] if len(sys.argv) > 1 else "10"
    env = {**os.environ, "PRAXI_FUZZ_RANDOM": "1", "PRAXI_FUZZ_SCALE": scale}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-n",
        "0",
        "-s",
        "-q",
        "-o",
        "timeout=3600",
        "tests/server/test_schema_fuzz.py",
    ]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
