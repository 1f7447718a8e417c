"""``praxi-server``: serve the API, run migrations, create users."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import platform
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from server.core.errors import ValidationFailed
from server.core.logging_privacy import LOG_FORMAT, PatientDataFilter, uvicorn_log_config
from server.settings import Settings

if TYPE_CHECKING:
    from server.audit.checkpoint import AuditCheckpointFiles

log = logging.getLogger("praxi.server")

GRACEFUL_SHUTDOWN_SECONDS = 5


def _install_console_close_handler(on_close: Callable[[], None]) -> None:
    """Windows: stop the embedded database when the console window is closed."""
    if platform.system() != "Windows":
        return
    import ctypes

    handler_type = ctypes.WINFUNCTYPE(ctypes.c_bool, ctypes.c_uint)  # type: ignore[attr-defined,unused-ignore]
    close_events = {2, 5, 6}  # CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT

    def handler(event: int) -> bool:
        if event in close_events:
            on_close()
        return False

    # Keep a reference so the callback is not garbage-collected.
    _install_console_close_handler.callback = handler_type(handler)  # type: ignore[attr-defined]
    ctypes.windll.kernel32.SetConsoleCtrlHandler(  # type: ignore[attr-defined]
        _install_console_close_handler.callback,  # type: ignore[attr-defined]
        True,
    )


def _exit_cleanly_on_termination() -> None:
    """Turn SIGTERM (and Ctrl+Break on Windows) into a normal exit.

    uvicorn re-raises the signal it stopped for once it has shut down; with Python's default
    handler that would kill the process before the embedded database is stopped.
    """

    def handler(signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler)
    if hasattr(signal, "SIGBREAK"):
        signal.signal(signal.SIGBREAK, handler)


def _stop_when_parent_exits() -> None:
    """Embedded mode: the desktop passes its pid in ``PRAXI_PARENT_PID``; when that process
    is gone (killed, crashed) the server shuts down as on Ctrl+C, which also stops the
    embedded PostgreSQL — so no server or database outlives the desktop on any platform."""
    raw = os.environ.get("PRAXI_PARENT_PID")
    if not raw or not raw.isdigit():
        return
    import _thread
    import threading

    import psutil

    parent = int(raw)

    def watch() -> None:
        while psutil.pid_exists(parent):
            time.sleep(1.0)
        log.warning("parent process %s is gone; shutting down", parent)
        _thread.interrupt_main(signal.SIGINT)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _prepare_database(settings: Settings) -> None:
    """Migrations and the bootstrap admin, before any worker starts."""
    from server.database_setup import engine_for, migrate_and_grant, warn_about_audit_protection
    from server.db import make_session_factory
    from server.users.bootstrap import bootstrap_admin

    migrate_and_grant(settings)
    engine = engine_for(settings)
    try:
        warn_about_audit_protection(engine)
        bootstrap_admin(settings, make_session_factory(engine))
    finally:
        engine.dispose()


def _with_embedded_database(settings: Settings, run: Callable[[Settings], int]) -> int:
    """Run ``run`` against PRAXI_DATABASE_URL, or against an embedded cluster started here."""
    if settings.database_url is not None:
        return run(settings)
    from pydantic import SecretStr

    from server.embedded_db import EmbeddedPostgres

    cluster = EmbeddedPostgres(settings.data_dir / "db")
    log.info("starting the embedded PostgreSQL in %s", cluster.pgdata)
    # Recorded as a user before the start: a watchdog about to stop the cluster of a killed
    # server then leaves it running for us (server.watchdog).
    cluster.join()
    try:
        cluster.start()
    except BaseException:
        cluster.leave()
        raise
    _start_watchdog(cluster.pgdata)

    def on_console_close() -> None:
        cluster.leave()

    _install_console_close_handler(on_console_close)
    try:
        owner_url, app_url = cluster.url(), cluster.app_url()
        # Workers started by uvicorn read their settings from the environment; they connect
        # as the role that owns nothing (server.db_roles).
        os.environ["PRAXI_DATABASE_URL"] = app_url
        return run(
            settings.with_overrides(
                database_url=SecretStr(app_url), migration_database_url=SecretStr(owner_url)
            )
        )
    finally:
        # The last praxi-server process using the cluster stops it; another one (a second
        # `serve`, a `backup`) keeps it running until it ends itself.
        if cluster.leave():
            log.info("embedded PostgreSQL stopped")


WATCHDOG_COMMAND = "_watchdog"  # hidden: the frozen bundle has no `python -m`


def _start_watchdog(pgdata: Path) -> None:
    """A detached ``server.watchdog`` that stops the cluster if this process is killed."""
    import subprocess

    arguments = ["--pgdata", str(pgdata), "--pid", str(os.getpid())]
    if getattr(sys, "frozen", False):
        command = [sys.executable, WATCHDOG_COMMAND, *arguments]
    else:
        command = [sys.executable, "-m", "server.watchdog", *arguments]
    options: dict[str, Any] = {}
    if sys.platform == "win32":
        options["creationflags"] = (
            subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined,unused-ignore]
            | subprocess.DETACHED_PROCESS  # type: ignore[attr-defined,unused-ignore]
        )
    else:
        options["start_new_session"] = True
    # No database URL (it carries the password) in the watchdog's environment.
    env = {key: value for key, value in os.environ.items() if key != "PRAXI_DATABASE_URL"}
    try:
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
            **options,
        )
    except OSError as exc:
        log.warning("could not start the PostgreSQL watchdog: %s", exc)


def _audit_checkpoint(settings: Settings) -> AuditCheckpointFiles:
    from server.audit.checkpoint import AuditCheckpointFiles
    from server.audit.key import audit_key_for
    from server.core import clock
    from server.database_setup import engine_for

    return AuditCheckpointFiles(
        settings.data_dir,
        audit_key_for(settings),
        lambda: engine_for(settings),
        lambda: clock.now(settings),
    )


def _start_reminder_worker(settings: Settings) -> Callable[[], None]:
    """The reminder worker (docs/reminders.md §7) as a thread of this process; returns its
    stop function. Several processes or hosts running one are safe."""
    import threading

    import server.models_registry  # noqa: F401 — every mapper, for the worker's ORM session
    from server.database_setup import engine_for
    from server.reminders.worker import Worker

    engine = engine_for(settings, pool_size=2)
    stop = threading.Event()
    worker = Worker(engine, lambda: settings)
    thread = threading.Thread(
        target=worker.run_forever,
        args=(stop,),
        # Let the API come up first; a server that stops at once never connects the worker.
        kwargs={"start_delay": 2.0},
        name="reminder-worker",
        daemon=True,
    )
    thread.start()
    log.info("reminder worker started")

    def stop_worker() -> None:
        stop.set()
        thread.join(timeout=GRACEFUL_SHUTDOWN_SECONDS)
        engine.dispose()

    return stop_worker


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from server.auth.secret import load_or_create_secret
    from server.users.bootstrap import BootstrapError

    host = args.host or settings.host
    port = args.port if args.port is not None else settings.port
    workers = args.workers or settings.workers
    certfile = args.ssl_certfile or settings.ssl_certfile
    keyfile = args.ssl_keyfile or settings.ssl_keyfile
    if (certfile is None) != (keyfile is None):
        print("error: --ssl-certfile and --ssl-keyfile must be given together", file=sys.stderr)
        return 2
    for tls_file in (certfile, keyfile):
        if tls_file is not None and not Path(tls_file).is_file():
            print(f"error: TLS file {tls_file} not found", file=sys.stderr)
            return 2
    scheme = "https" if certfile else "http"
    os.environ["PRAXI_HOST"] = host
    settings = settings.with_overrides(host=host)
    if settings.allowed_hosts is None and not settings.listens_on_loopback:
        log.warning(
            "PRAXI_ALLOWED_HOSTS is not set: requests for any host name are accepted on %s; "
            "set it to the names the desktops use (behind a reverse proxy: the public names) "
            "against DNS rebinding",
            host,
        )
    load_or_create_secret(settings)  # once, before workers race for it
    _exit_cleanly_on_termination()
    _stop_when_parent_exits()

    def run(effective: Settings) -> int:
        try:
            _prepare_database(effective)
        except BootstrapError as exc:
            log.error("%s", exc)
            return 1
        from server.audit.checkpoint import CheckpointWriter
        from server.database_setup import engine_for

        checkpoint = _audit_checkpoint(effective)
        audit_engine = engine_for(effective)
        writer = CheckpointWriter(audit_engine, checkpoint.path, checkpoint.key, checkpoint.now)
        writer.start()
        stop_reminders = _start_reminder_worker(effective) if effective.reminder_worker else None
        if settings.embedded and effective.backup_auto:
            from server.backup.service import start_auto_backup_thread

            assert effective.owner_database_url is not None
            start_auto_backup_thread(
                effective.owner_database_url.get_secret_value(),
                effective.data_dir / "backups",
                effective.backup_retention,
                audit_checkpoint=checkpoint.for_backup,
            )
        log.info("PraxiApp API on %s://%s:%s/api/ (%d worker(s))", scheme, host, port, workers)
        uvicorn.run(
            "server.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=args.log_level,
            # No query values, SQL parameters or database error messages in the log (issue 22).
            log_config=uvicorn_log_config(),
            proxy_headers=effective.trust_proxy_headers,
            ssl_certfile=str(certfile) if certfile else None,
            ssl_keyfile=str(keyfile) if keyfile else None,
            # Open live-event streams never end by themselves: without a bound, stopping the
            # server waited for every connected desktop to go away.
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        )
        if stop_reminders is not None:
            stop_reminders()
        writer.stop()
        audit_engine.dispose()
        return 0

    return _with_embedded_database(settings, run)


def cmd_worker(_: argparse.Namespace, settings: Settings) -> int:
    """Only the reminder worker, for central installations with several hosts (safe next to
    the workers inside ``serve`` and other ``worker`` processes)."""
    _exit_cleanly_on_termination()

    def run(effective: Settings) -> int:
        import threading

        import server.models_registry  # noqa: F401 — every mapper, for the worker's session
        from server.database_setup import engine_for
        from server.reminders.worker import Worker

        engine = engine_for(effective, pool_size=2)
        stop = threading.Event()
        log.info("reminder worker running; Ctrl+C stops it")
        try:
            Worker(engine, lambda: effective).run_forever(stop)
        finally:
            stop.set()
            engine.dispose()
        return 0

    return _with_embedded_database(settings, run)


def cmd_migrate(_: argparse.Namespace, settings: Settings) -> int:
    def run(effective: Settings) -> int:
        from server.database_setup import migrate_and_grant

        migrate_and_grant(effective)
        print("Database is up to date.")
        return 0

    return _with_embedded_database(settings, run)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from server.backup.service import BackupError, create_backup

    folder = Path(args.output) if args.output else settings.data_dir / "backups"

    def run(effective: Settings) -> int:
        assert effective.owner_database_url is not None
        checkpoint = _audit_checkpoint(effective)
        try:
            result = create_backup(
                effective.owner_database_url.get_secret_value(),
                folder,
                audit_checkpoint=checkpoint.for_backup,
            )
        except BackupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(
            f"Backup written to {result.path} "
            f"({result.size / 1_000_000:.1f} MB in {result.seconds:.1f} s)"
        )
        return 0

    return _with_embedded_database(settings, run)


def _confirm_replace(tables: int) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(
        f"The database is not empty ({tables} tables); its contents will be replaced by the "
        "backup. Type 'yes' to continue: "
    )
    return answer.strip().lower() == "yes"


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from server.backup.service import BackupError, restore_backup, user_table_count

    dump = Path(args.file)
    if not dump.is_file():
        print(f"error: backup file {dump} not found", file=sys.stderr)
        return 1

    def run(effective: Settings) -> int:
        from server.database_setup import migrate_and_grant

        assert effective.owner_database_url is not None
        url = effective.owner_database_url.get_secret_value()
        try:
            tables = user_table_count(url)
            if tables and not args.yes and not _confirm_replace(tables):
                print(
                    f"error: the database is not empty ({tables} tables); "
                    "pass --yes to replace its contents",
                    file=sys.stderr,
                )
                return 1
            seconds = restore_backup(url, dump)
        except BackupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        migrate_and_grant(effective)
        print(f"Restored {dump} in {seconds:.1f} s; database is up to date.")
        print(_audit_checkpoint(effective).install_from_backup(dump))
        return 0

    return _with_embedded_database(settings, run)


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    def run(effective: Settings) -> int:
        from server.audit.chain import verify
        from server.audit.checkpoint import CheckpointError, advance, load
        from server.core import clock
        from server.database_setup import engine_for

        checkpoint = _audit_checkpoint(effective)
        source = Path(args.checkpoint) if args.checkpoint else checkpoint.path
        try:
            against = load(source, checkpoint.key)
        except CheckpointError as exc:
            print(f"BROKEN: {exc}")
            return 1
        if args.checkpoint and against is None:
            print(f"error: checkpoint {source} not found", file=sys.stderr)
            return 2
        engine = engine_for(effective)
        try:
            report = verify(engine, checkpoint.key, against)
            if report.ok and not args.checkpoint:
                advance(engine, checkpoint.path, checkpoint.key, clock.now(effective))
        finally:
            engine.dispose()
        if not report.ok:
            print(
                f"BROKEN: audit entry {report.broken_id}: {report.reason} "
                f"({report.rows} entries before it verified)"
            )
            return 1
        print(f"OK: {report.rows} audit entries verified; chain head {report.head_hash}")
        if against is None:
            print(f"No checkpoint in {source} yet to compare with; one was written now.")
        else:
            print(f"The log contains the checkpointed {against.describe()} from {source}.")
        return 0

    return _with_embedded_database(settings, run)


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def cmd_create_user(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password()

    def run(effective: Settings) -> int:
        from server.database_setup import engine_for, migrate_and_grant
        from server.db import make_session_factory
        from server.users import service

        migrate_and_grant(effective)
        engine = engine_for(effective)
        try:
            raw = {
                "username": args.username,
                "password": password,
                "first_name": args.first_name,
                "last_name": args.last_name,
                "email": args.email,
                "role": args.role,
            }
            try:
                data = service.USER_CREATE.validate(raw)
                with make_session_factory(engine)() as session, session.begin():
                    user = service.create_user(session, data, actor=None, source="cli")
                    user_id, username = user.id, user.username
            except ValidationFailed as exc:
                reasons = "; ".join(
                    f"{field}: {' '.join(map(str, messages))}"
                    for field, messages in exc.body.items()
                )
                print(f"error: {reasons}", file=sys.stderr)
                return 1
        finally:
            engine.dispose()
        print(f"Created user {username} (id {user_id})")
        return 0

    return _with_embedded_database(settings, run)


def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from server.demo import seed

    return seed.command(args, settings, _with_embedded_database)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="praxi-server", description="PraxiApp API server")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the API server")
    serve.add_argument("--host", default=None, help="bind address (default PRAXI_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default PRAXI_PORT)")
    serve.add_argument("--workers", type=int, default=None, help="uvicorn worker processes")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--ssl-certfile", default=None, help="TLS certificate (PEM)")
    serve.add_argument("--ssl-keyfile", default=None, help="TLS private key (PEM)")
    serve.set_defaults(handler=cmd_serve)

    backup = sub.add_parser("backup", help="write a database backup (pg_dump custom format)")
    backup.add_argument("--output", default=None, help="folder (default <data dir>/backups)")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="restore a backup, then apply migrations")
    restore.add_argument("file", help="a backup written by `praxi-server backup`")
    restore.add_argument(
        "--yes", action="store_true", help="replace the contents of a non-empty database"
    )
    restore.set_defaults(handler=cmd_restore)

    verify = sub.add_parser("audit-verify", help="check the audit log's hash chain")
    verify.add_argument(
        "--checkpoint",
        default=None,
        help="compare with this checkpoint (e.g. the one next to a backup) instead of the "
        "data folder's",
    )
    verify.set_defaults(handler=cmd_audit_verify)

    worker = sub.add_parser("worker", help="send appointment reminders (no API)")
    worker.set_defaults(handler=cmd_worker)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=cmd_migrate)

    create = sub.add_parser("create-user", help="create a user; the password is read from stdin")
    create.add_argument("username")
    create.add_argument("--role", default=None)
    create.add_argument("--first-name", default="")
    create.add_argument("--last-name", default="")
    create.add_argument("--email", default="")
    create.set_defaults(handler=cmd_create_user)

    demo = sub.add_parser(
        "seed-demo", help="fill an empty practice with demo data (password: PRAXI_DEMO_PASSWORD)"
    )
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.set_defaults(handler=cmd_seed_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    raw = sys.argv[1:] if argv is None else argv
    if raw[:1] == [WATCHDOG_COMMAND]:
        from server.watchdog import main as watchdog_main

        return watchdog_main(raw[1:])
    args = build_parser().parse_args(raw)
    # Administration commands print only their result (and one-line errors); serve logs.
    stderr = logging.StreamHandler()
    stderr.addFilter(PatientDataFilter())
    logging.basicConfig(
        level=logging.INFO if args.command in ("serve", "worker") else logging.WARNING,
        format=LOG_FORMAT,
        handlers=[stderr],
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        settings = Settings()
    except ValueError as exc:
        print(f"error: invalid configuration: {exc}", file=sys.stderr)
        return 2
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
