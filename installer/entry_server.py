"""Frozen entry point of ``praxi-server`` (console): the API server and its admin commands."""

from __future__ import annotations

import multiprocessing


def run() -> int:
    from server.cli import main

    return main()


if __name__ == "__main__":
    # uvicorn --workers N spawns worker processes: the frozen executable must dispatch them.
    multiprocessing.freeze_support()
    raise SystemExit(run())
