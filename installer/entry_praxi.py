"""Frozen entry point of ``praxi`` (windowed): the desktop client.

Compatibility: code that still runs ``sys.executable -m server.cli ARGS`` (as the source tree
does) lands here with ``-m server.cli``; it is forwarded to the ``praxi-server`` executable
next to this one, so such calls keep working in the bundle.
"""

from __future__ import annotations

import sys


def run() -> int:
    if getattr(sys, "frozen", False) and sys.argv[1:3] == ["-m", "server.cli"]:
        import subprocess

        from desktop.embedded import server_command

        return subprocess.call([*server_command(), *sys.argv[3:]])
    from desktop.app import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
