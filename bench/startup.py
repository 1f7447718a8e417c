"""Measure `praxi-server serve` start-up with the embedded database (run on demand).

First start (initdb + migrations + bootstrap) and a restart (cluster reused), each from
process launch until `/api/health/` answers 200; then Ctrl+C and a check that no postgres
process of the data dir is left.

    uv run python bench/startup.py
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from server.embedded_db import free_port


def start_and_measure(data_dir: Path) -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAXI_")}
    env |= {
        "PRAXI_DATA_DIR": str(data_dir),
        "PRAXI_ADMIN_USERNAME": "chef",
        "PRAXI_ADMIN_PASSWORD": os.environ.get("BENCH_ADMIN_PASSWORD", "bench-passwort-1"),
    }
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/health/"
    while True:
        try:
            if httpx.get(url, timeout=0.5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.02)
    elapsed = time.perf_counter() - began
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    left = [
        p
        for p in psutil.process_iter(["cmdline"])
        if str(data_dir) in " ".join(p.info["cmdline"] or []) and p.pid != os.getpid()
    ]
    print(f"  exit code {process.returncode}, postgres processes left: {len(left)}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="praxi-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        first = start_and_measure(data_dir)
        print(f"first start (initdb + migrations): {first:.2f} s")
        restarts = [start_and_measure(data_dir) for _ in range(3)]
        print("restart: " + ", ".join(f"{r:.2f} s" for r in restarts))


if __name__ == "__main__":
    main()
