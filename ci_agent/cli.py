"""``praxi-ci-agent``: receiver | processor | combined | check-config | analyze (spec 06 §10)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from ci_agent import __version__
from ci_agent.config import ConfigError, Settings, check_settings, load_settings
from ci_agent.storage import ProcessorLock, check_logs_dir

EXIT_OK = 0
EXIT_CRASH = 1
EXIT_CONFIG = 2
PROG = "praxi-ci-agent"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="PraxiApp CI log agent")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mode, text in (
        ("receiver", "run the log receiver (POST /api/ci/logs)"),
        ("processor", "run the log processor (POST /process-logs)"),
        ("combined", "run receiver and processor in one process"),
    ):
        cmd = sub.add_parser(mode, help=text)
        cmd.add_argument("--host", help="bind address (PRAXI_CI_HOST)")
        cmd.add_argument("--port", type=int, help="port (PRAXI_CI_PORT)")
        if mode == "receiver":
            cmd.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    check = sub.add_parser("check-config", help="validate the configuration, exit 0 or 2")
    check.add_argument("--mode", choices=("receiver", "processor", "combined"), required=True)
    analyze = sub.add_parser("analyze", help="classify log files offline; prints analysis.json")
    analyze.add_argument("file", nargs="?", help="Playwright log (same as --playwright-log)")
    analyze.add_argument("--playwright-log", type=Path)
    analyze.add_argument("--backend-log", type=Path)
    analyze.add_argument("--status", default="failure")
    analyze.add_argument("--run-id", default="local")
    analyze.add_argument("--run-attempt", type=int, default=1)
    return parser


def _err(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _load(args: argparse.Namespace) -> Settings:
    settings = load_settings()
    overrides: dict[str, Any] = {}
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None) is not None:
        overrides["port"] = args.port
    return settings.model_copy(update=overrides) if overrides else settings


def _check(settings: Settings, mode: str) -> tuple[list[str], ProcessorLock | None]:
    """All start-up checks; on success the processor lock is held and returned."""
    problems, warnings = check_settings(settings, mode)
    for warning in warnings:
        _err(f"warning: {warning}")
    lock: ProcessorLock | None = None
    if mode in {"processor", "combined"}:
        problem = check_logs_dir(settings.logs_dir)
        if problem is not None:
            problems.append(problem)
        elif not problems:
            lock = ProcessorLock(settings.logs_dir)
            if not lock.acquire():
                problems.append(
                    "PRAXI_CI_LOGS_DIR: another processor holds .processor.lock for this directory"
                )
                lock = None
    return problems, lock


def _report(problems: list[str]) -> int:
    for problem in problems:
        _err(f"configuration error: {problem}")
    return EXIT_CONFIG


def _serve(args: argparse.Namespace) -> int:
    import signal
    from types import FrameType

    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            # SIGTERM/SIGINT is the normal way to stop the service: shut down gracefully and
            # exit 0 (spec 06 §10.2) instead of uvicorn's re-raising of the signal afterwards.
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            else:
                self.should_exit = True

    from ci_agent.app import create_app
    from ci_agent.logsetup import configure_logging

    mode: str = args.command
    try:
        settings = _load(args)
    except ConfigError as exc:
        return _report(exc.problems)
    workers = getattr(args, "workers", 1)
    if workers < 1:
        return _report(["--workers: must be at least 1"])
    problems, lock = _check(settings, mode)
    if problems:
        return _report(problems)
    configure_logging(mode, settings.log_level)
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port_for(mode),
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "timeout_graceful_shutdown": 30,
    }
    try:
        if workers > 1:
            uvicorn.run(
                "ci_agent.app:receiver_app_from_env", factory=True, workers=workers, **common
            )
        else:
            server = Server(uvicorn.Config(create_app(mode, settings), **common))
            server.run()
            if not server.started:
                return EXIT_CRASH
    finally:
        if lock is not None:
            lock.release()
    return EXIT_OK


def _check_config(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        return _report(exc.problems)
    problems, lock = _check(settings, args.mode)
    if lock is not None:
        lock.release()
    if problems:
        return _report(problems)
    print(f"configuration OK for mode {args.mode}")
    return EXIT_OK


def _analyze(args: argparse.Namespace) -> int:
    from ci_agent.processor import prepare_and_analyze
    from ci_agent.schema import Payload
    from ci_agent.storage import dump_json

    pw_path: Path | None = args.playwright_log or (Path(args.file) if args.file else None)
    if pw_path is None and args.backend_log is None:
        _err("analyze needs a Playwright log (FILE or --playwright-log) and/or --backend-log")
        return EXIT_CONFIG
    try:
        settings = load_settings()
    except ConfigError as exc:
        return _report(exc.problems)
    try:
        pw = pw_path.read_text(encoding="utf-8", errors="replace") if pw_path else ""
        be = (
            args.backend_log.read_text(encoding="utf-8", errors="replace")
            if args.backend_log
            else ""
        )
    except OSError as exc:
        _err(f"cannot read log file: {exc.strerror}")
        return EXIT_CONFIG
    payload = Payload(
        playwright_log=pw,
        backend_log=be,
        run_id=args.run_id,
        run_attempt=args.run_attempt,
        run_attempt_given=True,
        job_name="",
        timestamp="",
        branch="",
        commit="",
        status=args.status,
    )
    _, _, document = prepare_and_analyze(
        payload, settings, payload_sha256=payload.sha256(), supersedes=None
    )
    sys.stdout.buffer.write(dump_json(document))
    sys.stdout.flush()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        _err("a command is required")
        return EXIT_CONFIG
    try:
        if args.command == "check-config":
            return _check_config(args)
        if args.command == "analyze":
            return _analyze(args)
        return _serve(args)
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as exc:
        logging.getLogger("ci_agent").critical("unexpected crash: %s", type(exc).__name__)
        _err(f"unexpected error: {type(exc).__name__}")
        return EXIT_CRASH
