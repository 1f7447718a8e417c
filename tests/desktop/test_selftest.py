"""``praxi --selftest`` from the source tree: the same check the packaging CI runs on the bundle."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_selftest_passes_from_the_source_tree(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no desktop preferences of the user
    }
    result = subprocess.run(
        [sys.executable, "-m", "desktop.app", "--selftest"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines, result.stderr
    assert re.fullmatch(r"selftest OK in \d+\.\d s", lines[-1]), lines
