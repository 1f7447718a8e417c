"""Stops the embedded PostgreSQL once the ``praxi-server`` process that uses it is gone.

``praxi-server serve`` (and every other command that uses the embedded cluster) starts this as
a small detached process: ``python -m server.watchdog --pgdata <dir> --pid <server pid>``.
A server that ends normally stops the cluster itself; one that is killed (``kill -9``, a crash,
Task Manager) cannot, and its PostgreSQL would otherwise keep running for hours. The watchdog
polls about once a second; when the server process is gone (a reused pid does not fool it: its
start time is compared) and none of the processes recorded in the owners file next to
``pgdata`` (``EmbeddedPostgres.join``, e.g. a second ``serve`` that reused the cluster) is
alive, it stops the cluster (``pg_ctl -m fast stop``) and exits. It exits at once when the
cluster is not running (any more). It logs nothing but pids and paths, to stderr, which its
starter discards.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import filelock

from server.embedded_db import EmbeddedPostgres, process_alive, process_identity

log = logging.getLogger("praxi.watchdog")

POLL_SECONDS = 1.0


def watch(pgdata: Path, server_pid: int, poll_seconds: float = POLL_SECONDS) -> int:
    """Run until the cluster is stopped (by anyone); 0 on success, 1 when stopping failed."""
    cluster = EmbeddedPostgres(pgdata.parent)
    if cluster.pgdata.resolve() != pgdata.resolve():
        log.error("%s is not an embedded cluster's pgdata folder", pgdata)
        return 2
    server = process_identity(server_pid)
    while True:
        if not cluster.initialised or not cluster.running:
            return 0
        if server is not None and process_alive(*server):
            time.sleep(poll_seconds)
            continue
        server = None
        try:
            result = cluster.stop_if_unused()
        except filelock.Timeout:  # a server holds the owners file for long; ask again
            continue
        if result is None:
            log.error("could not stop the PostgreSQL server on %s", pgdata)
            return 1
        if result:
            log.info("server process %s is gone; stopped PostgreSQL on %s", server_pid, pgdata)
            return 0
        time.sleep(poll_seconds)  # another server process still uses the cluster


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="server.watchdog",
        description="stop the embedded PostgreSQL when its praxi-server process is gone",
    )
    parser.add_argument("--pgdata", required=True, help="the cluster's data directory")
    parser.add_argument("--pid", required=True, type=int, help="the server process to watch")
    parser.add_argument("--interval", type=float, default=POLL_SECONDS, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s watchdog %(message)s")
    try:
        return watch(Path(args.pgdata), args.pid, args.interval)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
