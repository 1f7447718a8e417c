"""Build the PraxiApp bundle and check it: ``uv run python installer/build.py``.

1. PyInstaller with ``installer/praxi.spec`` → ``dist/praxi/`` (work files in ``build/``);
2. the BUILT bundle's ``praxi --selftest`` (embedded server + PostgreSQL, setup, sign-in,
   master data, one appointment; exit code 1 fails the build);
3. the bundle's unpacked size in MB (fails when above ``--max-size-mb``);
4. the start-up time: ``praxi --measure-startup`` prints the seconds from process creation to
   the first interactive window. Measured twice on a fresh data folder with a bootstrap admin
   (``PRAXI_ADMIN_*``), so both runs end at the sign-in dialog: *first start* (creates the
   PostgreSQL cluster and applies the migrations) and *next start* (cluster exists).

Works on Linux and Windows (the Windows CI workflow runs the same script).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "praxi.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "praxi"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
SELFTEST_TIMEOUT_S = 300
STARTUP_TIMEOUT_S = 180


def app_exe() -> Path:
    return BUNDLE / f"praxi{EXE_SUFFIX}"


def run_pyinstaller(clean: bool) -> float:
    started = time.monotonic()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        *(["--clean"] if clean else []),
        str(SPEC),
    ]
    print("$ " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise SystemExit("error: PyInstaller failed")
    return time.monotonic() - started


def bundle_size_mb() -> float:
    total = 0
    for path in BUNDLE.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total / 1_000_000


def headless_env(config_home: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config_home)}
    for name in ("PRAXI_DATA_DIR", "PRAXI_DATABASE_URL", "PRAXI_ADMIN_USERNAME"):
        env.pop(name, None)
    return env


def run_selftest() -> bool:
    with tempfile.TemporaryDirectory(prefix="praxi-build-") as folder:
        result = subprocess.run(
            [str(app_exe()), "--selftest"],
            env=headless_env(Path(folder)),
            capture_output=True,
            text=True,
            timeout=SELFTEST_TIMEOUT_S,
            check=False,
        )
    lines = result.stdout.strip().splitlines()
    report = lines[-1] if lines else f"selftest FAILED: no report (exit {result.returncode})"
    print(f"bundle {report}", flush=True)
    if result.returncode != 0:
        print(result.stderr[-4000:], file=sys.stderr)
    return result.returncode == 0


def _measure_once(data: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(app_exe()), "--measure-startup", "--data-dir", data],
        env=env,
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT_S,
        check=False,
    )


def measure_startup() -> list[str]:
    """Two runs on one fresh data folder; returns the report lines."""
    reports = []
    with tempfile.TemporaryDirectory(prefix="praxi-startup-") as folder:
        env = headless_env(Path(folder) / "config")
        env["PRAXI_ADMIN_USERNAME"] = "startup.admin"
        env["PRAXI_ADMIN_PASSWORD"] = secrets.token_urlsafe(16)
        env["PRAXI_BACKUP_AUTO"] = "false"
        data = str(Path(folder) / "data")
        for label in ("first start (creates the database)", "next start"):
            started = time.monotonic()
            result = _measure_once(data, env)
            if result.returncode < 0:  # killed by a signal: report it, measure once more
                reports.append(f"startup {label}: crashed (exit {result.returncode}); retrying")
                started = time.monotonic()
                result = _measure_once(data, env)
            wall = time.monotonic() - started
            match = re.search(r"startup (\d+\.\d+) s to (\w+)", result.stdout)
            if result.returncode != 0 or match is None:
                reports.append(
                    f"startup {label}: no measurement (exit {result.returncode}, "
                    f"{wall:.1f} s wall time incl. shutdown) {result.stderr[-500:]}"
                )
                continue
            reports.append(f"startup {label}: {match.group(1)} s to the {match.group(2)}")
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="check the existing bundle")
    parser.add_argument("--clean", action="store_true", help="PyInstaller without its cache")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up timing")
    parser.add_argument("--max-size-mb", type=float, default=250.0)
    args = parser.parse_args(argv)

    if not args.skip_build:
        seconds = run_pyinstaller(args.clean)
        print(f"built {BUNDLE.relative_to(ROOT)} in {seconds:.0f} s", flush=True)
    if not app_exe().is_file():
        print(f"error: {app_exe()} not found; build first", file=sys.stderr)
        return 1
    ok = run_selftest()
    size = bundle_size_mb()
    print(f"bundle size: {size:.1f} MB unpacked (target <= {args.max_size_mb:.0f} MB)")
    if size > args.max_size_mb:
        print("error: the bundle is larger than the target", file=sys.stderr)
        ok = False
    if ok and not args.no_startup:
        for line in measure_startup():
            print(line, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
